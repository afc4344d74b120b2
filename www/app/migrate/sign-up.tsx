"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useAuthActions, useSession } from "convex-auth-wasm/react";

export function SignUpThenNavigate() {
  const { signIn } = useAuthActions();
  const { isLoading, isAuthenticated } = useSession();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    try {
      await signIn("password", { email: data.get("email"), password: data.get("password"), flow: "signUp" });
      router.push("/migrate/section");
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <form id="migrate-sign-up" onSubmit={submit}>
      <p id="migrate-state">{isLoading ? "loading" : isAuthenticated ? "signed in" : "signed out"}</p>
      <input name="email" type="email" placeholder="email" required />
      <input name="password" type="password" placeholder="password" required />
      <button type="submit">Sign up</button>
      {error && <p id="migrate-error">{error}</p>}
    </form>
  );
}
