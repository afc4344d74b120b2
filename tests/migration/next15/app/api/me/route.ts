import { convexAuthNextjsToken, isAuthenticatedNextjs } from "@convex-dev/auth/nextjs/server";
import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function GET() {
  if (!(await isAuthenticatedNextjs())) return Response.json({ signedIn: false }, { status: 401 });
  const me = await fetchQuery(api.users.me, {}, { token: await convexAuthNextjsToken() });
  return Response.json({ signedIn: true, email: me?.email ?? null });
}
