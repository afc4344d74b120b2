// convex-auth-wasm/client: the browser session manager and the helpers around it.
import * as glue from "./convex_auth_client.js";
import { isReady } from "./module.js";

export { LOADING_STATE, SessionManager, functionPath } from "./session.js";
export { ready } from "./module.js";
export type {
  AccessTokenFetcher,
  ConvexConnection,
  FunctionRef,
  FunctionReturnType,
  OptionalRestArgs,
  SessionManagerOptions,
  SessionState,
  SignInResult,
  TokenStorage,
  V2AuthApi,
  V2Session,
} from "./session.js";
export type {
  ConvexAuthError,
  ConvexAuthErrorCode,
  DecodedToken,
  DeploymentUrls,
  StorageKeys,
  StoredSession,
} from "./convex_auth_client.js";

/** `fn`, refusing with `ERR_MODULE_NOT_READY` while a browser is still loading the wasm module
 *  (`await ready()` first; `SessionManager` needs no wait). */
function once<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  return ((...args: Parameters<F>) => {
    if (!isReady()) {
      const message = `convex-auth-wasm: ${name}() was called before the wasm module loaded; await ready() from "convex-auth-wasm/client" first`;
      throw Object.assign(new Error(message), { name: "ConvexAuthError", code: "ERR_MODULE_NOT_READY" });
    }
    return fn(...args);
  }) as F;
}

export const decodeToken = once("decodeToken", glue.decodeToken);
export const errorCodes = once("errorCodes", glue.errorCodes);
export const isSameOrigin = once("isSameOrigin", glue.isSameOrigin);
export const normalizeSiteUrl = once("normalizeSiteUrl", glue.normalizeSiteUrl);
export const readStoredSession = once("readStoredSession", glue.readStoredSession);
export const resolveDeployment = once("resolveDeployment", glue.resolveDeployment);
export const resolveSiteRequest = once("resolveSiteRequest", glue.resolveSiteRequest);
export const siteUrlFromConvexUrl = once("siteUrlFromConvexUrl", glue.siteUrlFromConvexUrl);
export const storageKeys = once("storageKeys", glue.storageKeys);
export const storageKey = once("storageKey", glue.storageKey);
export const version = once("version", glue.version);
