import { convexAuth } from "@convex-dev/auth/server";
import { Password } from "@convex-dev/auth/providers/Password";
import { Email } from "@convex-dev/auth/providers/Email";
import { deliver } from "./mailbox";

// AUTH_JWT_LIFETIME_SECONDS is a demo/test knob (e.g. 20 s to watch refreshes); 1 h by default.
const lifetimeSeconds = Number(process.env.AUTH_JWT_LIFETIME_SECONDS ?? 3600);

/** Magic links: the emailed link carries a one-time `?code=` that the app exchanges. */
const MagicLink = Email({
  id: "magic-link",
  authorize: undefined, // the code alone signs in (no email to re-enter)
  sendVerificationRequest: async ({ identifier, url }) => deliver({ to: identifier, url }),
});

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
  providers: [Password, MagicLink],
  jwt: { durationMs: lifetimeSeconds * 1000 },
});
