// Refreshes coordinated across server instances (opt-in): the instance that claims a refresh
// token's refresh in a store every instance reaches (Redis, …) makes the one call; the others
// wait there for its reply. Without it each instance refreshes once per race (README, "More than
// one server"), which Convex Auth 2 can take for reuse.
import type { DeploymentReply } from "../wire/index.js";

/** A store every instance of the app reaches. With Redis: `SET key value NX PX ttl`, `GET`,
 *  `SET key value PX ttl`, `DEL`. */
export interface RefreshStore {
  /** Sets `key` to `value` for `ttlMs` unless it is set: true when this call set it. */
  claim(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

const POLL_MS = 25;
/** How long one store operation may take before the store counts as down. */
const STORE_TIMEOUT_MS = 1_000;
const wait = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** `operation`, or a rejection once it takes longer than STORE_TIMEOUT_MS (a store that hangs). */
function bounded<T>(operation: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`the refresh store did not answer within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS);
  });
  return Promise.race([operation, late]).finally(() => clearTimeout(timer));
}

/** A refresh token's name in the store: its SHA-256 (the token itself is never a key). */
async function nameOf(refreshToken: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(refreshToken)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The reply to a refresh of `refreshToken`, made once across instances. The reply (new tokens
 * included) stays in the store `windowMs` for instances whose requests raced; a transient failure
 * only as long as its waiters need to see it. A store that fails or hangs (1 s per operation) is
 * bypassed: this instance calls.
 */
export async function coordinatedRefresh(
  store: RefreshStore,
  refreshToken: string,
  call: () => Promise<DeploymentReply>,
  { windowMs, timeoutMs, transient }: { windowMs: number; timeoutMs: number; transient: (reply: DeploymentReply) => boolean },
): Promise<DeploymentReply> {
  let keys: { claim: string; reply: string };
  let claimed: boolean;
  try {
    const name = await nameOf(refreshToken);
    keys = { claim: `convex-auth:refresh:${name}:claim`, reply: `convex-auth:refresh:${name}:reply` };
    claimed = await bounded(store.claim(keys.claim, "1", timeoutMs + 1_000));
  } catch (error) {
    console.warn("[convex-auth-wasm/ssr] refreshStore failed; refreshing on this instance:", error);
    return call();
  }
  if (claimed) {
    const reply = await call();
    const failed = transient(reply);
    await bounded(store.set(keys.reply, JSON.stringify(reply), failed ? POLL_MS * 8 : windowMs)).catch(() => {});
    // After a transient failure the next request may try again at once.
    if (failed) await bounded(store.delete(keys.claim)).catch(() => {});
    return reply;
  }
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await wait(POLL_MS)) {
    try {
      const text = await bounded(store.get(keys.reply));
      if (text !== null) return JSON.parse(text) as DeploymentReply;
    } catch {
      return call();
    }
  }
  return { failure: `no reply from the instance refreshing this session within ${timeoutMs} ms` };
}
