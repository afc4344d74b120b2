// convex-auth-wasm/edge: local verification of Convex Auth JWTs. The wasm module does the work;
// `createVerifier` adds the JS-side copy of its cache hits (edge/js-cache.ts).
import { createVerifier as createWasmVerifier, type EdgeVerifier, type VerifierOptions } from "./convex_auth_edge.js";
import { withJsCache } from "./js-cache.js";

export * from "./convex_auth_edge.js";

/** Creates a verifier; throws `ERR_CONFIG_INVALID` or `ERR_JWKS_INVALID` on bad options. */
export function createVerifier(options: VerifierOptions): EdgeVerifier {
  return withJsCache(createWasmVerifier(options));
}
