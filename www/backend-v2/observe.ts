// Runs function calls for the HTTP API and the sync socket, counting them for the test controls.
// Revocations are observed from the outside, as a client would see them plus one lookup: the
// refresh tokens handed out are mapped to their session (the access token's `sub`); a refresh
// that answers noSession while its session was live, and deletes it, revoked it — by reuse
// detection unless the token was past its `refreshTokenExpiresAt`.
import { decodeJwt } from "jose";
import { controls } from "./controls";
import type { Deployment, Identity, Kind } from "./deployment";

type Tokens = { accessToken: string; refreshToken: string; refreshTokenExpiresAt: number };

const REFRESH = "auth:refreshSession";
const SIGN_IN = /^auth:sign(In|Up)With/;

/** `auth.js:refreshSession` and `auth:refreshSession` are one function. */
export const canonicalPath = (path: string) => path.replace(/\.js(?=:|$)/, "");

export function createRunner(deployment: Deployment, afterCommit: () => void) {
  const issued = new Map<string, { sessionId: string; expiresAt: number }>();

  const remember = (value: unknown) => {
    const tokens = (value as { tokens?: Tokens } | null)?.tokens;
    if (!tokens?.refreshToken || !tokens.accessToken) return;
    const sessionId = String(decodeJwt(tokens.accessToken).sub);
    issued.set(tokens.refreshToken, { sessionId, expiresAt: tokens.refreshTokenExpiresAt });
  };

  /** One refresh, with the session looked up before and after in the same transaction. */
  const refresh = (args: Record<string, unknown>, identity: Identity | null) =>
    deployment.transaction(async (d) => {
      const known = issued.get(String(args.refreshToken));
      const liveBefore = known !== undefined && (await d.sessionExists(known.sessionId));
      const result = (await d.call("mutation", REFRESH, args, identity)) as { kind: string };
      if (known && liveBefore && result.kind === "noSession" && !(await d.sessionExists(known.sessionId))) {
        const reason = Date.now() >= known.expiresAt ? "expired" : "reuse";
        controls.revocations.push({ sessionId: known.sessionId, reason, at: Date.now() });
        if (reason === "reuse") controls.revokedSessions++;
      }
      return result;
    });

  return async function run(kind: Kind, rawPath: string, args: Record<string, unknown>, identity: Identity | null) {
    const path = canonicalPath(rawPath);
    controls.functionCalls[path] = (controls.functionCalls[path] ?? 0) + 1;
    if (SIGN_IN.test(path)) controls.signInCalls++;
    try {
      let value: unknown;
      if (path === REFRESH && kind === "mutation") {
        controls.refreshCalls++;
        controls.refreshLog.push(String(args.refreshToken));
        value = await refresh(args, identity);
      } else {
        value = await deployment.call(kind, path, args, identity);
      }
      remember(value);
      return value;
    } finally {
      if (kind !== "query") afterCommit(); // subscribed queries re-run after every commit
    }
  };
}
