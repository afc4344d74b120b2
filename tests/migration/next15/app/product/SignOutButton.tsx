"use client";

import { useAuthActions } from "@convex-dev/auth/react";
import { useRouter } from "next/navigation";

export function SignOutButton() {
  const { signOut } = useAuthActions();
  const router = useRouter();
  return (
    <button id="sign-out" onClick={() => void signOut().then(() => router.push("/signin"))}>
      Sign out
    </button>
  );
}
