// Convex Auth 2's server half for the demo's v2 pages, set up once when the server starts: the
// routes (/auth/refresh, /auth/signout, /auth/signin) and the Next.js glue (the proxy guarding
// /v2/ssr/dashboard, the server provider, the local checks).
import { setupConvexAuthServer } from "convex-auth-wasm/ssr";
import { setupConvexAuthNextjs } from "convex-auth-wasm/ssr/nextjs";
import { apiV2 as api } from "./api-v2";
import { v2DeploymentConfig } from "./config";

const { convexUrl } = v2DeploymentConfig();
// http://localhost in the demo; production sets `secure` by default (NODE_ENV).
const cookieOptions = { secure: convexUrl.startsWith("https:") };

export const v2Routes = setupConvexAuthServer({
  convexUrl,
  refreshSession: api.auth.refreshSession,
  signOut: api.auth.signOut,
  signIn: [api.auth.signInWithUsernamePassword, api.auth.signUpWithUsernamePassword],
  cookieOptions,
});

export const v2 = setupConvexAuthNextjs({
  convexUrl,
  refreshSession: api.auth.refreshSession,
  isAuthenticated: api.auth.isAuthenticated,
  cookieOptions,
});
