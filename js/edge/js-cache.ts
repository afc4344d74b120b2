// A copy of the verifier's cache hits on the JS side, so a repeat check of the same token makes
// no trip into wasm (the token string is not copied, nothing is hashed twice). Every decision
// stays the wasm's: an entry is taken only with the validity instant and the cache generation
// wasm reported for it, and served only while that generation is current (same key set, not
// cleared) and the instant has not passed.

type Verified = object;

/** The wasm verifier's members this layer uses. */
export interface WasmVerifier {
  verify(token: any): Promise<any>;
  verifySync(token: any): any;
  verifyRequest(request: any): Promise<any>;
  tokenFromRequest(request: any): string | null | undefined;
  clearCache(): void;
  readonly cacheCapacity: number;
  cacheEpoch(): number;
}

/** Where wasm puts a result's cache terms, `[validUntil, generation]` (src/web/edge/verified.rs). */
const CACHE_TERMS = Symbol.for("convex-auth-wasm.cacheTerms");

type Entry = { result: Verified; until: number; epoch: number };

/** Adds the JS-side copy to `verifier` (own properties over its methods), as large as its own cache. */
export function withJsCache<V extends WasmVerifier>(verifier: V): V {
  const capacity = verifier.cacheCapacity;
  if (!(capacity > 0)) return verifier;
  const entries = new Map<string, Entry>();
  const wasm = {
    verify: verifier.verify.bind(verifier),
    verifySync: verifier.verifySync.bind(verifier),
    clearCache: verifier.clearCache.bind(verifier),
  };
  const hit = (token: unknown): Verified | undefined => {
    if (typeof token !== "string") return undefined;
    const entry = entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.epoch === verifier.cacheEpoch() && Date.now() / 1000 < entry.until) return entry.result;
    entries.delete(token);
    return undefined;
  };
  const keep = (token: string, result: Verified): Verified => {
    const terms = (result as { [CACHE_TERMS]?: readonly number[] })[CACHE_TERMS];
    if (terms && terms[1] >= 0) {
      if (entries.size >= capacity) entries.delete(entries.keys().next().value as string);
      entries.set(token, { result, until: terms[0], epoch: terms[1] });
    }
    return result;
  };
  const verify = (token: unknown) => {
    const cached = hit(token);
    if (cached !== undefined) return Promise.resolve(cached);
    return wasm.verify(token).then((result: Verified) => keep(token as string, result));
  };
  Object.defineProperties(verifier, {
    verify: { value: verify, configurable: true },
    verifySync: {
      value: (token: unknown) => hit(token) ?? keep(token as string, wasm.verifySync(token)),
      configurable: true,
    },
    verifyRequest: {
      value: (request: unknown) => {
        let token: string | null | undefined;
        try {
          token = verifier.tokenFromRequest(request);
        } catch (error) {
          return Promise.reject(error);
        }
        return token ? verify(token) : Promise.resolve(null);
      },
      configurable: true,
    },
    clearCache: {
      value: () => {
        entries.clear();
        wasm.clearCache();
      },
      configurable: true,
    },
  });
  return verifier;
}
