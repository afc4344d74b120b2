import { convexAuthNextjsToken } from "@convex-dev/auth/nextjs/server";
import { fetchQuery } from "convex/nextjs";
import Link from "next/link";
import { api } from "@/convex/_generated/api";
import { SignOutButton } from "./SignOutButton";

export default async function ProductPage() {
  const me = await fetchQuery(api.users.me, {}, { token: await convexAuthNextjsToken() });
  return (
    <main>
      <h1>Your notes</h1>
      <p>
        Signed in as <span id="server-email">{me?.email ?? "nobody"}</span>
      </p>
      <Link id="to-notes" href="/product/notes">
        Open the notes
      </Link>
      <SignOutButton />
    </main>
  );
}
