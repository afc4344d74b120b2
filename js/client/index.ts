// convex-auth-wasm/client: the browser session manager and the helpers around it.
export { SessionManager } from "./session.js";
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
} from "./session.js";
export {
  decodeToken,
  errorCodes,
  isSameOrigin,
  normalizeSiteUrl,
  readStoredSession,
  resolveDeployment,
  resolveSiteRequest,
  siteUrlFromConvexUrl,
  storageKeys,
  version,
} from "./convex_auth_client.js";
export type {
  ConvexAuthError,
  ConvexAuthErrorCode,
  DecodedToken,
  DeploymentUrls,
  StorageKeys,
  StoredSession,
} from "./convex_auth_client.js";
