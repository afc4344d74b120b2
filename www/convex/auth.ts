import { convexAuth } from "@convex-dev/auth/server";
import { Password } from "@convex-dev/auth/providers/Password";

// AUTH_JWT_LIFETIME_SECONDS is a demo/test knob (e.g. 20 s to watch refreshes); 1 h by default.
const lifetimeSeconds = Number(process.env.AUTH_JWT_LIFETIME_SECONDS ?? 3600);

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
  providers: [Password],
  jwt: { durationMs: lifetimeSeconds * 1000 },
});
