"use client";

import { useAuthActions } from "@convex-dev/auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

export default function SignInPage() {
  const { signIn } = useAuthActions();
  const router = useRouter();
  const [flow, setFlow] = useState<"signIn" | "signUp">("signIn");
  const [error, setError] = useState<string | null>(null);
  return (
    <main>
      <h1>{flow === "signIn" ? "Sign in" : "Sign up"}</h1>
      <form
        id="signin-form"
        onSubmit={(event) => {
          event.preventDefault();
          const formData = new FormData(event.currentTarget);
          formData.set("flow", flow);
          setError(null);
          void signIn("password", formData)
            .then(() => router.push("/product"))
            .catch((e: Error) => setError(e.message));
        }}
      >
        <input name="email" type="email" placeholder="Email" required />
        <input name="password" type="password" placeholder="Password" required />
        <button type="submit">{flow === "signIn" ? "Sign in" : "Sign up"}</button>
      </form>
      <button id="switch-flow" type="button" onClick={() => setFlow(flow === "signIn" ? "signUp" : "signIn")}>
        {flow === "signIn" ? "Sign up instead" : "Sign in instead"}
      </button>
      {error && <p id="signin-error">{error}</p>}
    </main>
  );
}
