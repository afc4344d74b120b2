// Checks an access token as Convex does for the app's auth.config.ts providers: signature
// against the deployment's JWKS, issuer, audience (`applicationID`), algorithm, expiry. The
// identity is what Convex gives functions for a customJwt token: subject = `sub`, issuer,
// tokenIdentifier = `${issuer}|${sub}`, plus any non-registered claims.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type { Identity } from "./deployment";

type CustomJwtProvider = { type: "customJwt"; issuer: string; applicationID?: string; algorithm: string };

const REGISTERED = new Set(["iss", "sub", "aud", "exp", "iat", "nbf", "jti"]);

export type Verify = (token: string) => Promise<{ identity: Identity; exp: number }>;

/** Load auth.config.ts only after CONVEX_CLOUD_URL is set: `convexAuthProvider()` reads it. */
export async function createVerify(jwks: JSONWebKeySet): Promise<Verify> {
  const { default: config } = await import("./convex/auth.config");
  const providers = config.providers as CustomJwtProvider[];
  const keys = createLocalJWKSet(jwks);
  return async (token) => {
    let lastError: unknown = new Error("no auth provider is configured");
    for (const provider of providers) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: provider.issuer,
          audience: provider.applicationID,
          algorithms: [provider.algorithm],
        });
        const subject = String(payload.sub);
        const custom = Object.fromEntries(Object.entries(payload).filter(([claim]) => !REGISTERED.has(claim)));
        const identity = { ...custom, subject, issuer: provider.issuer, tokenIdentifier: `${provider.issuer}|${subject}` };
        return { identity, exp: Number(payload.exp) };
      } catch (e) {
        lastError = e;
      }
    }
    throw lastError;
  };
}
