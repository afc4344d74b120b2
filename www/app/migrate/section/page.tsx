"use client";
import { useQuery } from "convex/react";
import { useSession } from "convex-auth-wasm/react";
import { api } from "@/convex/_generated/api";

export default function SectionPage() {
  const { isLoading, isAuthenticated } = useSession();
  const me = useQuery(api.users.me);
  return (
    <>
      <h1>Section</h1>
      <p id="section-state">{isLoading ? "loading" : isAuthenticated ? "signed in" : "signed out"}</p>
      <p id="section-me">{me === undefined ? "…" : (me?.email ?? "nobody")}</p>
    </>
  );
}
