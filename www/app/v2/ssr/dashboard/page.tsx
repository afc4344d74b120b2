// Guarded by proxy.ts (a locally verified JWT, no backend call); rendered with the identity the
// server verified.
import { v2 } from "../../../../lib/auth-v2";
import { V2Demo } from "../../v2-demo";

export default async function V2Dashboard() {
  const signedIn = await v2.isAuthenticatedNextjs();
  return (
    <>
      <h1>Convex Auth 2 dashboard (ssr)</h1>
      <p className="muted" id="v2-server-check">server: {signedIn ? "signed in (verified locally)" : "signed out"}</p>
      <V2Demo mode="ssr" home="/v2/ssr/dashboard" />
    </>
  );
}
