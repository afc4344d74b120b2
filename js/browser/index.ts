// convex-auth-wasm/browser: Convex Auth 2's framework-agnostic `AuthClient`, with the official
// names, over the package's one session engine (every decision in the wasm core): refreshes are
// single-flight across tabs under the official Web Lock with compare-and-set, only
// `{kind:"noSession"}` signs out, a failed sign-out is reported, and `fetchAccessToken` never
// rejects into the Convex client.
import {
  SessionManager,
  storageKeys,
  ready,
  type SessionManagerOptions,
  type SessionState,
  type V2AuthApi,
  type V2Session,
} from "convex-auth-wasm/client";
import {
  AmbientSignIns,
  replaceUrlKeepingState,
  type AmbientSignInClient,
  type AmbientSignInContext,
  type AuthSignInApi,
  signInStorage,
} from "../methods/ambient.js";

export type { AmbientSignInClient, AuthSignInApi } from "../methods/ambient.js";

/** A token store, synchronous (`localStorage`) or asynchronous (React Native's secure stores). */
export interface TokenStorage {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** spa: the page holds the refresh token and passes it. */
export interface SpaAuthApi {
  refreshSession(refreshToken: string): Promise<unknown>;
  signOut(refreshToken: string): Promise<void>;
}

/** ssr: the refresh token is the host's httpOnly cookie. */
export interface SsrAuthApi {
  refreshSession(): Promise<{ accessToken: string } | null>;
  signOut(): Promise<void>;
}

interface AuthClientConfigBase {
  storage: TokenStorage;
  /** Namespace of the storage keys, typically the deployment URL. */
  storageNamespace: string;
  /** A token the SSR host verified: the session starts with it. `null`: the host saw none, and
   *  no stored token outlives that. */
  initialAccessToken?: string | null;
  /** The methods that finish on page load (OAuth's `?convexAuthCode=`: `oauth()` from
   *  `convex-auth-wasm/methods/oauth/react`), how their completing calls reach the deployment, and
   *  how the address bar is cleaned (default: `history.replaceState`, keeping its state). */
  ambientSignIns?: {
    signIns: ReadonlyArray<AmbientSignInClient>;
    signInApi: AuthSignInApi;
    convex: AmbientSignInContext["convex"];
    replaceUrl?: (url: string) => void;
  };
  /** Logs each change of state (`console.debug`). */
  verbose?: boolean;
  /** The deployment URL, when `storageNamespace` is not it (used to name the deployment only). */
  convexUrl?: string;
  /** ssr: the prefix of the host's routes when `authApi` is left out (default "/auth"). */
  ssrRoute?: string;
}

/** The configuration: `authApi` makes the calls (as the official client); ours may leave it
 *  out and name the functions (`v2Api`, spa) or the routes (`ssrRoute`, ssr) to call directly,
 *  with a timeout and no redirects. */
export type AuthClientConfig =
  | (AuthClientConfigBase & { mode: "spa"; authApi?: SpaAuthApi; v2Api?: { refreshSession?: string; signOut?: string } })
  | (AuthClientConfigBase & { mode: "ssr"; authApi?: SsrAuthApi });

/** What {@link AuthClient.getSnapshot} returns. */
export interface AuthState {
  isLoading: boolean;
  isAuthenticated: boolean;
  token: string | null;
}

/** The state before {@link AuthClient.init} has loaded the session. */
export const INITIAL_AUTH_STATE: AuthState = Object.freeze({ isLoading: true, isAuthenticated: false, token: null });

/** `localStorage` when there is one, else memory (as the official default). */
export function defaultStorage(): TokenStorage {
  try {
    if (typeof localStorage !== "undefined") return localStorage;
  } catch {
    // A sandboxed frame throws on access: memory.
  }
  const memory = new Map<string, string>();
  return {
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
}

const unregistered = async (): Promise<never> => {
  throw configError("an ambient sign-in called the deployment, but `ambientSignIns` gave no signInApi/convex", "ambientSignIns");
};

function configError(message: string, option: string): Error {
  return Object.assign(new Error(`convex-auth-wasm: ${message}`), { name: "ConvexAuthError", code: "ERR_CONFIG_INVALID", option });
}

/** Web Storage as the engine's named storage (its `storage` events keep tabs in step). */
function webStorageName(storage: TokenStorage): "localStorage" | "sessionStorage" | null {
  try {
    if (typeof localStorage !== "undefined" && storage === localStorage) return "localStorage";
    if (typeof sessionStorage !== "undefined" && storage === sessionStorage) return "sessionStorage";
  } catch {
    // No Web Storage here.
  }
  return null;
}

/**
 * The store the engine reads: a synchronous one as it is (read live, so the check under the
 * cross-tab lock sees what another tab wrote); an asynchronous one (React Native's secure stores)
 * read once at `init()` and then served from memory, its writes going through in order — one
 * runtime per store there, no other tab to race. A write that fails is logged (the session goes on
 * in memory).
 */
async function engineStorage(storage: TokenStorage, keys: string[]) {
  const first = storage.getItem(keys[0]);
  if (typeof (first as PromiseLike<unknown> | null)?.then !== "function") return storage as { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  const values = new Map<string, string>();
  for (const key of keys) {
    const value = key === keys[0] ? await first : await storage.getItem(key);
    if (typeof value === "string") values.set(key, value);
  }
  let writes = Promise.resolve();
  const write = (run: () => void | Promise<void>) => {
    writes = writes.then(run).catch((error) => console.error("[convex-auth-wasm] token storage write failed", error));
  };
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => {
      values.set(key, value);
      write(() => storage.setItem(key, value));
    },
    removeItem: (key: string) => {
      values.delete(key);
      write(() => storage.removeItem(key));
    },
  };
}

/** The deployment URL the engine is given: `convexUrl`, or the namespace when it is one. */
function deploymentUrl(config: AuthClientConfig): string {
  if (config.convexUrl) return config.convexUrl;
  try {
    const url = new URL(config.storageNamespace);
    if (url.protocol === "https:" || url.protocol === "http:") return config.storageNamespace;
  } catch {
    // Not a URL: a name.
  }
  // The engine needs a deployment to exist; an AuthClient only calls through its authApi or
  // routes, never this URL.
  return "https://unnamed-deployment.convex.cloud";
}

/**
 * Convex Auth 2's session in a browser (or React Native): the official `AuthClient`'s names.
 *
 * ```ts
 * const auth = new AuthClient({ mode: "spa", authApi, storage: localStorage, storageNamespace: convex.url });
 * await auth.init();
 * convex.setAuth(auth.fetchAccessToken);
 * ```
 */
export class AuthClient {
  readonly #config: AuthClientConfig;
  #manager: SessionManager | null = null;
  #initializing: Promise<SessionManager> | null = null;
  #snapshot: AuthState = INITIAL_AUTH_STATE;
  #pendingSignIns = 0;
  readonly #listeners = new Set<() => void>();
  #unsubscribe: (() => void) | null = null;
  readonly #ambient: AmbientSignIns;

  constructor(config: AuthClientConfig) {
    const mode: unknown = config.mode;
    if (mode !== "spa" && mode !== "ssr") throw configError(`mode must be "spa" or "ssr", not ${JSON.stringify(mode)}`, "mode");
    this.#config = config;
    const ambient = config.ambientSignIns;
    this.#ambient = new AmbientSignIns(ambient?.signIns ?? [], {
      client: { setSession: this.setSession, withSignInPending: this.withSignInPending },
      signInApi: ambient?.signInApi ?? { mutation: unregistered, action: unregistered },
      convex: ambient?.convex ?? { mutation: unregistered },
      replaceUrl: ambient?.replaceUrl ?? replaceUrlKeepingState,
      storage: (id) => signInStorage(() => config.storage, config.storageNamespace, id),
    });
  }

  /** The values an ambient sign-in published (`oauth`: `actions`, `flowError`), live (2.0.0's shape). */
  ambientSignInValues(id: string): { get<T = unknown>(key: string): T; subscribe(key: string, listener: () => void): () => void } {
    return { get: <T,>(key: string) => this.#ambient.value(id, key) as T, subscribe: (_key, listener) => this.#ambient.subscribe(listener) };
  }

  /** Loads the session (reading an asynchronous store first) and starts following other tabs.
   *  Repeatable; the session is created once. */
  init = async (): Promise<void> => {
    this.#ambient.init(); // once: a return from OAuth is redeemed before the session loads
    const manager = await this.#start();
    this.#unsubscribe ??= manager.subscribe(() => this.#update());
    this.#update();
  };

  /** Stops the session (its timers and cross-tab listeners); subscribers stay, and `init()`
   *  starts it again from storage. */
  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#manager?.dispose();
    this.#manager = null;
    this.#initializing = null;
    this.#update();
  }

  #start(): Promise<SessionManager> {
    this.#initializing ??= (async () => {
      await ready();
      const config = this.#config;
      const keys = storageKeys(config.storageNamespace) as { jwt: string; refreshToken: string };
      const named = config.mode === "spa" ? webStorageName(config.storage) : null;
      const storage = config.mode === "ssr" ? undefined : (named ?? (await engineStorage(config.storage, [keys.jwt, keys.refreshToken])));
      const options: SessionManagerOptions = {
        convexUrl: deploymentUrl(config),
        storageNamespace: config.storageNamespace,
        mode: config.mode,
        ...(storage ? { storage } : {}),
        ...(config.authApi ? { authApi: config.authApi as V2AuthApi } : { v2Api: ("v2Api" in config && config.v2Api) || {} }),
        ...(config.ssrRoute ? { ssrRoute: config.ssrRoute } : {}),
        ...(config.mode === "ssr" && config.initialAccessToken !== undefined ? { token: config.initialAccessToken } : {}),
      };
      const manager = new SessionManager(options);
      if (config.verbose) manager.subscribe((state) => console.debug("[convex-auth-wasm] session", state));
      this.#manager = manager;
      return manager;
    })();
    // A start that failed (an asynchronous store that threw) is tried again by the next call.
    const starting = this.#initializing;
    starting.catch(() => {
      if (this.#initializing === starting) this.#initializing = null;
    });
    return starting;
  }

  #update(): void {
    const state: SessionState | null = this.#manager?.getState() ?? null;
    const token = this.#manager?.getToken() ?? null;
    const isLoading = (state?.isLoading ?? true) || this.#pendingSignIns > 0;
    // Authenticated while the session lives, even when an outage outlasts its token.
    const isAuthenticated = state?.isAuthenticated ?? false;
    const previous = this.#snapshot;
    if (previous.isLoading === isLoading && previous.isAuthenticated === isAuthenticated && previous.token === token) return;
    this.#snapshot = Object.freeze({ isLoading, isAuthenticated, token });
    for (const listener of [...this.#listeners]) listener();
  }

  /** Calls `listener` after every change of {@link getSnapshot}. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** The current state (the same object until it changes). */
  getSnapshot = (): AuthState => this.#snapshot;

  /** The current access token if it is usable now, else `null`. */
  getAccessToken(): string | null {
    return this.#manager?.getToken() ?? null;
  }

  /** Adopts the session a sign-in method returned: the whole `TokenBundle` (spa) or
   *  `{ accessToken }` (ssr). Rejects with `ERR_SESSION_INVALID` for the other shape. */
  setSession = async (session: V2Session): Promise<void> => {
    await (await this.#start()).setSession(session);
    this.#update();
  };

  /** Runs a sign-in completion while reporting `isLoading`. */
  withSignInPending = async <T>(fn: () => Promise<T>): Promise<T> => {
    this.#pendingSignIns++;
    this.#update();
    try {
      return await fn();
    } finally {
      this.#pendingSignIns--;
      this.#update();
    }
  };

  /** Ends the session here and in other tabs at once, then on the server; rejects with
   *  `ERR_SIGN_OUT_UNCONFIRMED` when the deployment did not confirm. */
  signOut = async (): Promise<void> => {
    try {
      await (await this.#start()).signOut();
    } finally {
      this.#update();
    }
  };

  /** For `convex.setAuth` / `ConvexProviderWithAuth`: never rejects; `null` only when signed out. */
  fetchAccessToken = async ({ forceRefreshToken }: { forceRefreshToken: boolean }): Promise<string | null> => {
    const manager = await this.#start().catch(() => null);
    return manager ? manager.fetchAccessToken({ forceRefreshToken }) : null;
  };

  /** @internal The engine, for the React and Next.js layers (`fetchAccessTokenFor` a client). */
  started(): Promise<SessionManager> {
    return this.#start();
  }
}
