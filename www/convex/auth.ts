import { convexAuth } from "@convex-dev/auth/server";
import { Password } from "@convex-dev/auth/providers/Password";
import { Email } from "@convex-dev/auth/providers/Email";
import type { OIDCConfig } from "@auth/core/providers";
import { deliver } from "./mailbox";

// AUTH_JWT_LIFETIME_SECONDS is a demo/test knob (e.g. 20 s to watch refreshes); 1 h by default.
const lifetimeSeconds = Number(process.env.AUTH_JWT_LIFETIME_SECONDS ?? 3600);

/** Magic links: the emailed link carries a one-time `?code=` that the app exchanges. */
const MagicLink = Email({
  id: "magic-link",
  authorize: undefined, // the code alone signs in (no email to re-enter)
  sendVerificationRequest: async ({ identifier, url }) => deliver({ to: identifier, url }),
});

/** A generic OpenID Connect provider (as an app adds GitHub or Google), when AUTH_OIDC_ISSUER
 *  names one: the tests run a real one on loopback. */
const env = process.env;
const openIdProviders: OIDCConfig<Record<string, unknown>>[] = env.AUTH_OIDC_ISSUER
  ? [
      {
        id: "oidc",
        name: "Local OpenID provider",
        type: "oidc",
        issuer: env.AUTH_OIDC_ISSUER,
        clientId: env.AUTH_OIDC_ID,
        clientSecret: env.AUTH_OIDC_SECRET,
        checks: ["pkce", "state"],
      },
    ]
  : [];

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
  providers: [Password, MagicLink, ...openIdProviders],
  jwt: { durationMs: lifetimeSeconds * 1000 },
});
