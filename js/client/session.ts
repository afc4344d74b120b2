// SessionManager: the browser session of Convex Auth. A thin class over the wasm session (where
// every decision is made): it keeps listeners, binds the methods callers pass around, and types
// function references.
import type { ConvexAuthError } from "./convex_auth_client.js";
import { WasmSession } from "./convex_auth_client.js";
import { isReady, ready } from "./module.js";

/** A synchronous key-value store (the shape of `localStorage`). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of `new SessionManager(…)`. */
export interface SessionManagerOptions {
  /** The deployment's functions URL, e.g. "https://happy-otter-123.convex.cloud". */
  convexUrl: string;
  /** HTTP actions URL; derived from a Convex Cloud URL, required for self-hosted/local backends. */
  siteUrl?: string;
  /** Where tokens live; default "localStorage" (the official React client's keys). */
  storage?: "localStorage" | "sessionStorage" | "memory" | TokenStorage;
  /** Storage key namespace; default `convexUrl` (as the official client). */
  storageNamespace?: string;
  /** @deprecated use `storageNamespace`. */
  namespace?: string;
  /** Cookie mode: the app's Convex Auth route (e.g. "/api/auth"); the refresh token stays in an httpOnly cookie. */
  nextjsApiRoute?: string;
  /** Cookie mode, what the server saw: the JWT it verified (loading needs no refresh), or `null` for no session (no call). Omitted: refresh through the route to find out. */
  token?: string | null;
  /** Replaces `history.replaceState` when the `?code=` leaves the address bar (called with the absolute URL). */
  replaceURL?: (url: string) => void;
  /** Cookie mode, what the server saw: a sign-in that failed on the way to this page (a refused
   *  `?code=`, an OAuth return without one) — `getState().lastError` (the Next.js server provider sets it). */
  signInError?: { code: string; message: string } | null;
  /** Convex Auth 2, refreshing and signing out through the HTTP API: the app's `refreshSession`
   *  and `signOut` mutations by name (default "auth:refreshSession", "auth:signOut"). */
  v2Api?: { refreshSession?: string; signOut?: string };
  /** Convex Auth 2, refreshing and signing out through the app's own functions (the browser
   *  `AuthClient`'s `authApi`): spa, `refreshSession(refreshToken)` resolves `{kind:"rotated",tokens}`
   *  or `{kind:"noSession"}`; ssr, `refreshSession()` resolves `{accessToken}` or `null`. A
   *  rejection or a hang (past the refresh timeout) is transient: the session is kept. */
  authApi?: V2AuthApi;
  /** Convex Auth 2: "spa" (default; tokens in `storage`) or "ssr" (the refresh token in the
   *  httpOnly cookie of the app's routes, `<ssrRoute>/refresh` and `<ssrRoute>/signout`). */
  mode?: "spa" | "ssr";
  /** Convex Auth 2, ssr mode: the prefix of the app's routes; default "/auth". */
  ssrRoute?: string;
}

/** Convex Auth 2's session calls, made by the app (the official `AuthClient`'s `authApi`). */
export interface V2AuthApi {
  refreshSession(refreshToken?: string): Promise<unknown>;
  signOut(refreshToken?: string): Promise<void>;
}

/** A Convex Auth 2 session for `setSession`: the whole `TokenBundle` a sign-in returned (spa), or
 *  `{ accessToken }` (ssr: the route kept the refresh token in its cookie). */
export interface V2Session {
  accessToken: string;
  refreshToken?: string;
}

/** A snapshot of the session. */
export interface SessionState {
  /** Not known yet: a refresh is confirming the session. */
  isLoading: boolean;
  /** A session is held (it survives network failures; only the server can end it). */
  isAuthenticated: boolean;
  /** A JWT that has not expired is at hand (false while an outage outlasts the token). */
  hasToken: boolean;
  userId: string | null;
  sessionId: string | null;
  /** The JWT's `exp` (seconds since the epoch), as the server wrote it. */
  expiresAt: number | null;
  isRefreshing: boolean;
  /** Consecutive transient refresh failures (the session is kept; retries back off). */
  refreshFailures: number;
  /** The last transient refresh failure (cleared by the next success), or a sign-in that failed
   *  where nobody awaited it: a `?code=` exchanged at page load (`ERR_SIGN_IN_FAILED`), an OAuth
   *  sign-in that came back without a code (`ERR_SIGN_IN_INCOMPLETE`). */
  lastError: ConvexAuthError | null;
  /** Where tokens are kept now; "memory" after the requested storage failed. */
  storage: "localStorage" | "sessionStorage" | "memory" | "custom" | "cookie";
  /** Why the requested storage is not used, if it failed. */
  storageError: ConvexAuthError | null;
  /** How refreshes are kept to one across tabs: the Web Lock, or (without Web Locks) within this tab. */
  crossTab: "web-locks" | "in-tab";
}

/** What `signIn` resolves with. */
export interface SignInResult {
  /** True when the user is signed in now. */
  signingIn: boolean;
  /** OAuth / magic link: send the browser here. */
  redirect?: string;
  /** An OTP or magic-link email was sent. */
  started?: boolean;
}

/** The function `ConvexReactClient.setAuth` takes. */
export type AccessTokenFetcher = (args?: { forceRefreshToken?: boolean }) => Promise<string | null>;

/** What {@link SessionManager.fetchAccessTokenFor} reads of a Convex client (`ConvexReactClient`, `ConvexClient`). */
export interface ConvexConnection {
  connectionState(): { isWebSocketConnected: boolean };
}

type Kind = "query" | "mutation" | "action";

/**
 * A generated function reference (`api.messages.list` from `convex/_generated/api`), by its
 * shape — the same as convex's `FunctionReference`, so this package needs no type import.
 */
export interface FunctionRef<K extends Kind = Kind, Args = any, Result = any> {
  _type: K;
  _args: Args;
  _returnType: Result;
}
type AnyRef<K extends Kind> = FunctionRef<K>;
type EmptyObject = Record<string, never>;
/** The arguments of a call: optional when the function takes none (as in `convex/react`). */
export type OptionalRestArgs<F extends FunctionRef> = F["_args"] extends EmptyObject
  ? [args?: EmptyObject]
  : [args: F["_args"]];
/** What a call resolves with. */
export type FunctionReturnType<F extends FunctionRef> = F["_returnType"];

const FUNCTION_NAME = Symbol.for("functionName");

/** "dir/file:fn" from a generated reference (`api.dir.file.fn`) or a string. */
export function functionPath(fn: string | AnyRef<Kind>): string {
  if (typeof fn === "string") return fn;
  const name = (fn as unknown as Record<symbol, unknown>)[FUNCTION_NAME];
  if (typeof name !== "string") {
    throw new TypeError('expected a function reference such as api.messages.list, or a "messages:list" string');
  }
  return name;
}

/**
 * The browser session: sign-in, token storage and refresh, and authenticated requests.
 *
 * ```js
 * const session = new SessionManager({ convexUrl: process.env.NEXT_PUBLIC_CONVEX_URL });
 * convex.setAuth(session.fetchAccessTokenFor(convex));  // stable, callable unbound
 * await session.signIn("password", { email, password, flow: "signIn" });
 * const messages = await session.query(api.messages.list, { channel: "general" });
 * const res = await session.fetch("/whoami");         // → https://…convex.site/whoami with the JWT
 * ```
 */
/** The state of a session whose wasm module is still loading (a browser's first moments). */
export const LOADING_STATE: SessionState = Object.freeze({
  isLoading: true,
  isAuthenticated: false,
  hasToken: false,
  userId: null,
  sessionId: null,
  expiresAt: null,
  isRefreshing: false,
  refreshFailures: 0,
  lastError: null,
  storage: "memory",
  storageError: null,
  crossTab: "web-locks",
}) as SessionState;

/** The error of a session whose wasm module could not be loaded (`ERR_MODULE_LOAD_FAILED`). */
function loadFailed(cause: unknown): ConvexAuthError {
  const error = new Error(`convex-auth-wasm: the wasm module could not be loaded (${String(cause)}); reload the page`, { cause });
  return Object.assign(error, { name: "ConvexAuthError", code: "ERR_MODULE_LOAD_FAILED" }) as unknown as ConvexAuthError;
}

export class SessionManager {
  /** The session in wasm; `null` while the module loads (in a browser). */
  #wasm: WasmSession | null = null;
  /** Resolves with it (at once where the module was ready); rejects if it cannot be made. */
  readonly #started: Promise<WasmSession>;
  #failure: ConvexAuthError | null = null;
  #disposed = false;
  #creating = false;
  readonly #listeners = new Set<(state: SessionState) => void>();
  #state: SessionState | null = null;

  /** Throws `ERR_CONFIG_INVALID` for bad options — at once where the wasm module is ready (Node,
   *  edge); in a browser whose module is still loading, the session starts when it arrives, and
   *  bad options then show in `getState().lastError` and reject every call. */
  constructor(options: SessionManagerOptions) {
    if (isReady()) {
      this.#wasm = this.#create(options);
      this.#started = Promise.resolve(this.#wasm);
      return;
    }
    this.#started = ready().then(
      () => {
        const wasm = this.#create(options);
        if (this.#disposed) wasm.dispose();
        this.#wasm = wasm;
        this.#changed();
        return wasm;
      },
      (cause) => Promise.reject(loadFailed(cause)),
    );
    this.#started.catch((error: ConvexAuthError) => {
      this.#failure = error;
      this.#changed();
    });
  }

  #create(options: SessionManagerOptions): WasmSession {
    this.#creating = true;
    try {
      return new WasmSession(options, () => this.#changed());
    } finally {
      this.#creating = false;
    }
  }

  /** The session, once the module is ready. */
  #session(): Promise<WasmSession> {
    return this.#wasm ? Promise.resolve(this.#wasm) : this.#started;
  }

  /** The current JWT if it is usable now, without refreshing (`null` otherwise). */
  getToken = (): string | null => this.#wasm?.getToken() ?? null;

  /**
   * The current JWT for `ConvexReactClient.setAuth` / `ConvexProviderWithAuth`. With
   * `forceRefreshToken`, a token newer than the one it handed out last — without a network call
   * when this tab's timer or another tab already refreshed. Resolves `null` only when signed
   * out: while the session lives but has no usable token (a refresh in flight or backing off
   * through an outage) it waits for the next one, because a Convex client handed `null` drops
   * its authentication for good. Never rejects. Bound, with one identity for the manager's lifetime.
   */
  readonly fetchAccessToken: AccessTokenFetcher = (args) =>
    this.#session().then(
      (wasm) => wasm.fetchAccessToken(args?.forceRefreshToken === true, false),
      () => null,
    );

  readonly #fetchersByClient = new WeakMap<ConvexConnection, AccessTokenFetcher>();

  /**
   * `fetchAccessToken` for one Convex client: `convex.setAuth(session.fetchAccessTokenFor(convex))`.
   * While the client's socket is connected with the token it was given, a forced fetch (the
   * client asks right after the server confirms a token, and again before expiry) waits for the
   * session's own scheduled refresh instead of refreshing at once: one refresh per token
   * lifetime across tabs, however the client is configured. A client whose socket is down (after
   * an `AuthError`) gets a new token at once. The same function for the same client.
   */
  fetchAccessTokenFor(client: ConvexConnection): AccessTokenFetcher {
    let fetcher = this.#fetchersByClient.get(client);
    if (!fetcher) {
      fetcher = (args) => {
        const force = args?.forceRefreshToken === true;
        return this.#session().then(
          (wasm) => wasm.fetchAccessToken(force, force && client.connectionState().isWebSocketConnected),
          () => null,
        );
      };
      this.#fetchersByClient.set(client, fetcher);
    }
    return fetcher;
  }

  /** Signs in with a provider: `("password", { email, password, flow })`, OAuth, or a code flow. */
  signIn = (provider?: string, params?: Record<string, unknown> | FormData): Promise<SignInResult> =>
    this.#session().then((wasm) => wasm.signIn(provider, params instanceof FormData ? Object.fromEntries(params) : params));

  /** Signs out here, in the other tabs, and on the server. Convex Auth 2: the session ends in
   *  this browser at once; rejects with `ERR_SIGN_OUT_UNCONFIRMED` if the deployment did not
   *  confirm (it then lasts there until its refresh token expires). */
  signOut = (): Promise<void> => this.#session().then((wasm) => wasm.signOut());

  /** Convex Auth 2: adopts the session a sign-in method returned; `ERR_SESSION_INVALID` for a
   *  shape this mode cannot keep (a refresh token in ssr mode, none in spa mode). */
  setSession = (session: V2Session): Promise<void> => this.#session().then((wasm) => wasm.setSession(session));

  /** Completes an OAuth / magic-link sign-in when the page URL carries `?code=`; resolves `true` when signed in. */
  handleCodeFromUrl(location?: string): Promise<boolean> {
    return this.#session().then((wasm) => wasm.handleCode(location));
  }

  /**
   * `fetch` with the JWT, only ever to the deployment's site origin (HTTP actions). A path
   * resolves against the site URL; any other origin rejects with `ERR_FOREIGN_ORIGIN` before a
   * request is made. Redirects are not followed (`ERR_REDIRECT_REFUSED`) unless `init.redirect`
   * says so. A 401 refreshes the token once and retries, unless the body was a stream.
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response> {
    return this.#session().then((wasm) => wasm.fetch(String(input), init));
  }

  /** Runs a query over the HTTP API (with the JWT when signed in). */
  query<Query extends AnyRef<"query">>(fn: Query, ...args: OptionalRestArgs<Query>): Promise<FunctionReturnType<Query>>;
  query(fn: string, args?: Record<string, unknown>): Promise<any>;
  query(fn: string | AnyRef<"query">, args?: unknown): Promise<unknown> {
    return this.#call("query", fn, args);
  }

  /** Runs a mutation over the HTTP API (with the JWT when signed in). */
  mutation<Mutation extends AnyRef<"mutation">>(
    fn: Mutation,
    ...args: OptionalRestArgs<Mutation>
  ): Promise<FunctionReturnType<Mutation>>;
  mutation(fn: string, args?: Record<string, unknown>): Promise<any>;
  mutation(fn: string | AnyRef<"mutation">, args?: unknown): Promise<unknown> {
    return this.#call("mutation", fn, args);
  }

  /** Runs an action over the HTTP API (with the JWT when signed in). */
  action<Action extends AnyRef<"action">>(fn: Action, ...args: OptionalRestArgs<Action>): Promise<FunctionReturnType<Action>>;
  action(fn: string, args?: Record<string, unknown>): Promise<any>;
  action(fn: string | AnyRef<"action">, args?: unknown): Promise<unknown> {
    return this.#call("action", fn, args);
  }

  #call(kind: Kind, fn: string | AnyRef<Kind>, args: unknown): Promise<unknown> {
    const path = functionPath(fn);
    return this.#session().then((wasm) => wasm.call(kind, path, args));
  }

  /** A snapshot of the session (the same object until it changes). */
  getState = (): SessionState =>
    (this.#state ??= this.#wasm
      ? (this.#wasm.getState() as SessionState)
      : this.#failure
        ? Object.freeze({ ...LOADING_STATE, isLoading: false, lastError: this.#failure })
        : LOADING_STATE);

  /** Calls `listener(state)` on every change; returns the function that unsubscribes. */
  subscribe = (listener: (state: SessionState) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** Stops timers, listeners and the tab channel; later calls reject with `ERR_DISPOSED`. */
  dispose(): void {
    this.#disposed = true;
    this.#wasm?.dispose();
    this.#listeners.clear();
  }

  #changed() {
    this.#state = null;
    if (this.#creating) return; // the first call comes from inside the wasm session's constructor
    const state = this.getState();
    for (const listener of [...this.#listeners]) {
      try {
        listener(state);
      } catch (error) {
        // A throwing listener must not break the session or the other listeners.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
