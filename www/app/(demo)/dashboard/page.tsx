import { fetchAuthQuery, isAuthenticatedNextjs } from "convex-auth-wasm/nextjs/server";
import { api } from "@/convex/_generated/api";
import { Dashboard } from "../dashboard-view";

// Guarded by proxy.ts (cookie mode). Rendered on the server with the request's verified JWT:
// the auth check is local; the query is the only call to the deployment.
export default async function DashboardPage() {
  const signedIn = await isAuthenticatedNextjs();
  const me = signedIn ? await fetchAuthQuery(api.users.me) : null;
  return (
    <>
      <h1>Dashboard</h1>
      <p className="muted">
        Server-rendered for <code id="server-user">{me?.email ?? "nobody"}</code> (isAuthenticatedNextjs + fetchAuthQuery)
      </p>
      <Dashboard />
    </>
  );
}
