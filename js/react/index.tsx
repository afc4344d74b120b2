"use client";
// convex-auth-wasm/react: Convex Auth for React with the official names — migrating from
// `@convex-dev/auth/react` is an import-path change. The session is a `SessionManager` (every
// decision in the wasm core); this file only adapts it to React and to `ConvexProviderWithAuth`.
import { ConvexProviderWithAuth, useConvexAuth, useQuery, type ConvexReactClient } from "convex/react";
import { ConvexError, convexToJson, jsonToConvex, type Value } from "convex/values";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
// The package's own client entry (its loader initialises the wasm for this runtime).
import {
  LOADING_STATE,
  SessionManager,
  functionPath,
  storageKeys,
  type FunctionRef,
  type SessionManagerOptions,
  type V2Session,
  type SessionState,
  type TokenStorage,
} from "convex-auth-wasm/client";
import {
  AmbientSignIns,
  keyedStorage,
  replaceUrlKeepingState,
  signInStorage,
  type AmbientSignInClient,
  type AuthSignInApi,
  type SignInStorage,
} from "../methods/ambient.js";
import { oauth } from "../methods/oauth/client.js";

export { useConvexAuth } from "convex/react";
export type { SessionState, TokenStorage } from "convex-auth-wasm/client";

/** Convex Auth 2's `api` prop: the app's session functions (`api.auth.*`). */
export interface ConvexAuthApi {
  refreshSession: FunctionRef<"mutation">;
  signOut: FunctionRef<"mutation">;
  isAuthenticated: FunctionRef<"query">;
}

/** Props of {@link ConvexAuthProvider}. */
export interface ConvexAuthProviderProps {
  /** Your `ConvexReactClient`. */
  client: ConvexReactClient;
  /** Convex Auth 2: the app's `refreshSession`, `signOut` and `isAuthenticated`. Its presence is
   *  how the provider knows the generation: with it, Convex Auth 2 (sessions set by the sign-in
   *  methods through `setSession`); without it, Convex Auth 0.x (`signIn`). */
  api?: ConvexAuthApi;
  /** Convex Auth 2: the methods that finish on page load (default `[oauth()]`; `[]`: none). Read once. */
  ambientSignIns?: readonly AmbientSignInClient[];
  /** @internal Convex Auth 2, ssr mode (the Next.js server provider): the prefix of the host's
   *  `/refresh` and `/signout` routes, its `/signin` route, and the JWT the server verified. */
  ssr?: { route: string; signInRoute: string; token: string | null | undefined };
  /** Where tokens live: `localStorage` (default, the official keys), `sessionStorage`, "memory", or a synchronous store. */
  storage?: TokenStorage | "localStorage" | "sessionStorage" | "memory";
  /** Storage key namespace; default: the client's deployment URL (as the official provider). */
  storageNamespace?: string;
  /** Called with the relative URL ("/path?query#hash") when the `?code=` leaves the address bar. */
  replaceURL?: (relativeUrl: string) => void | Promise<void>;
  /** When false (or a function returning false), a `?code=` in the URL is left alone. */
  shouldHandleCode?: (() => boolean) | boolean;
  /** The deployment's `.convex.site` URL; derived from a Convex Cloud URL, required for self-hosted/local backends. */
  siteUrl?: string;
  /** Cookie mode: the app's Convex Auth route (e.g. "/api/auth"); the refresh token stays in an httpOnly cookie. */
  nextjsApiRoute?: string;
  /** Cookie mode, what the server saw: the JWT it verified (no refresh call to load the page), or `null` for no session (no call at all). */
  token?: string | null;
  children: ReactNode;
}

/** The official name of {@link ConvexAuthActions}. */
export type ConvexAuthActionsContext = ConvexAuthActions;

/** What `signIn` resolves with. */
export interface SignInResult {
  /** True when the user is signed in now. */
  signingIn: boolean;
  /** OAuth: where the browser is being sent. */
  redirect?: URL;
}

/** The result of {@link useAuthActions}. */
export interface ConvexAuthActions {
  /** Signs in with a provider; OAuth redirects the browser (as the official provider does). */
  signIn(this: void, provider: string, params?: FormData | Record<string, unknown>): Promise<SignInResult>;
  /** Signs out here, in the other tabs, and on the server. */
  signOut(this: void): Promise<void>;
  /** Convex Auth 2: adopts the session a sign-in method returned (its `TokenBundle`; ssr:
   *  `{ accessToken }`). The methods' hooks call it. */
  setSession(this: void, session: V2Session): Promise<void>;
}

type Context = {
  session: SessionManager | null;
  client: ConvexReactClient | null;
  /** Resolves with the session once the provider's effect has started it. */
  started: (() => Promise<SessionManager>) | null;
  /** The session belongs to a provider above (the Next.js server provider's): a
   *  `ConvexAuthNextjsProvider` inside attaches its client to it instead of starting another. */
  shared: boolean;
};
const SessionContext = createContext<Context>({ session: null, client: null, started: null, shared: false });

/** A promise and its resolver. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const noSubscription = () => () => {};
/** Runs before the browser paints the hydrated page, so the session's first state is in the
 *  same frame; on the server (no layout), as a plain effect — which never runs there. */
const useStartEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;
const noToken = async () => null;

function sessionOptions(props: ConvexAuthProviderProps): SessionManagerOptions {
  const address: string = (props.client as unknown as { address: string }).address;
  const storage = props.storage ?? "localStorage";
  const { replaceURL, api } = props;
  return {
    convexUrl: address,
    ...(api ? { v2Api: { refreshSession: functionPath(api.refreshSession), signOut: functionPath(api.signOut) } } : {}),
    ...(props.siteUrl ? { siteUrl: props.siteUrl } : {}),
    ...(props.ssr ? { mode: "ssr" as const, ssrRoute: props.ssr.route, ...(props.ssr.token !== undefined ? { token: props.ssr.token } : {}) } : props.nextjsApiRoute ? { nextjsApiRoute: props.nextjsApiRoute } : { storage }),
    ...(props.nextjsApiRoute && props.token !== undefined ? { token: props.token } : {}),
    storageNamespace: props.storageNamespace ?? address,
    ...(replaceURL
      ? {
          replaceURL: (absolute: string) => {
            const url = new URL(absolute);
            void replaceURL(url.pathname + url.search + url.hash);
          },
        }
      : {}),
  };
}

/**
 * Replace your `ConvexProvider` with this component to enable authentication.
 *
 * ```tsx
 * const convex = new ConvexReactClient(process.env.NEXT_PUBLIC_CONVEX_URL!);
 * <ConvexAuthProvider client={convex}>{children}</ConvexAuthProvider>
 * ```
 */
export function ConvexAuthProvider(props: ConvexAuthProviderProps) {
  if (!props.api && props.ambientSignIns && props.ambientSignIns.length > 0) {
    throw Object.assign(new Error("convex-auth-wasm: ambientSignIns are Convex Auth 2's (give the `api` prop too)"), { name: "ConvexAuthError", code: "ERR_CONFIG_INVALID", option: "ambientSignIns" });
  }
  const { client, api, ssr } = props;
  const [signInsPending, setSignInsPending] = useState(0);
  const withSignInPending = useCallback(async <T,>(fn: () => Promise<T>): Promise<T> => {
    setSignInsPending((n) => n + 1);
    try {
      return await fn();
    } finally {
      setSignInsPending((n) => n - 1);
    }
  }, []);
  const store = useMemo(
    () => methodStore(props.storage ?? "localStorage", props.storageNamespace ?? (client as unknown as { address: string }).address),
    // A custom store changing identity is ignored, as for the session.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [typeof props.storage === "object" ? "custom" : props.storage, props.storageNamespace, client],
  );
  return (
    <ConvexAuthSessionProvider options={sessionOptions(props)} shouldHandleCode={api ? false : props.shouldHandleCode} client={client}>
      <SignInsPendingContext.Provider value={signInsPending > 0}>
        <ConvexProviderWithAuth client={client} useAuth={useAuthForConvex}>
          {api ? (
            <V2Methods
              client={client}
              signInRoute={ssr?.signInRoute}
              isAuthenticated={api.isAuthenticated}
              store={store}
              withSignInPending={withSignInPending}
              ambientSignIns={props.ambientSignIns ?? [oauth()]}
            >
              {props.children}
            </V2Methods>
          ) : (
            props.children
          )}
        </ConvexProviderWithAuth>
      </SignInsPendingContext.Provider>
    </ConvexAuthSessionProvider>
  );
}

/** True while a sign-in method completes (an emailed link being redeemed): reported as loading,
 *  so a page does not show its signed-out view for that moment. */
const SignInsPendingContext = createContext(false);

/** The keys a method keeps in the browser besides the session (the official names). */
export type MethodStoreKey = "emailSignUpSecret" | "emailChangeSecret" | "emailRecoverySecret";

/** @internal Where Convex Auth 2's methods keep their state between pages: the provider's storage,
 *  under the official keys of its namespace. */
export interface MethodStore {
  get(key: MethodStoreKey): Promise<string | null>;
  set(key: MethodStoreKey, value: string): Promise<void>;
  remove(key: MethodStoreKey): Promise<void>;
  /** An ambient sign-in's keys: `__convexAuthProvider_<id>_<key>_<namespace>`. */
  forSignIn(id: string): SignInStorage;
}

function methodStore(storage: TokenStorage | "localStorage" | "sessionStorage" | "memory", namespace: string): MethodStore {
  const memory = new Map<string, string>();
  const inMemory = { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v), removeItem: (k: string) => void memory.delete(k) };
  const target = (): Pick<TokenStorage, "getItem" | "setItem" | "removeItem"> => {
    if (typeof storage === "object") return storage;
    if (storage === "memory" || typeof window === "undefined") return inMemory;
    try {
      return window[storage];
    } catch {
      return inMemory; // A sandboxed frame throws on access.
    }
  };
  return {
    ...keyedStorage(target, (name: MethodStoreKey) => (storageKeys(namespace) as unknown as Record<MethodStoreKey, string>)[name]),
    forSignIn: (id) => signInStorage(target, namespace, id),
  };
}

/** Convex Auth 2's children: the sign-in API the methods' hooks use, and the session watcher. */
function V2Methods(props: {
  client: ConvexReactClient;
  signInRoute?: string;
  isAuthenticated: FunctionRef<"query">;
  store: MethodStore;
  withSignInPending: <T>(fn: () => Promise<T>) => Promise<T>;
  ambientSignIns: readonly AmbientSignInClient[];
  children: ReactNode;
}) {
  const { client, signInRoute } = props;
  const session = useSessionManager();
  const signInApi = useMemo<AuthSignInApi>(() => {
    if (!signInRoute) {
      return { mutation: (fn, args) => client.mutation(fn as never, args as never), action: (fn, args) => client.action(fn as never, args as never) };
    }
    // ssr: through the host's route, which keeps the refresh token in its cookie.
    const call = (kind: "mutation" | "action") => async (fn: FunctionRef, args: Record<string, unknown>) => {
      const token = session?.getToken();
      // The route is a path on this page's site: credentials and the JWT never leave it.
      const url = new URL(`${signInRoute}?path=/api/${kind}`, location.origin);
      if (url.origin !== location.origin) throw new Error(`convex-auth-wasm: the sign-in route ${signInRoute} is not on this site`);
      const res = await fetch(url, {
        method: "POST",
        redirect: "manual",
        credentials: "same-origin",
        signal: AbortSignal.timeout(20_000),
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ path: functionPath(fn), format: "convex_encoded_json", args: [convexToJson(args as Value)] }),
      });
      const body = await res.json().catch(() => null);
      if (body?.status === "success") return jsonToConvex(body.value);
      // A function's ConvexError keeps its data, as over the Convex client (spa mode).
      if (body?.errorData !== undefined) throw new ConvexError(jsonToConvex(body.errorData));
      throw new Error(`${functionPath(fn)} through ${signInRoute}: ${body?.errorMessage ?? `HTTP ${res.status}`}`);
    };
    return { mutation: call("mutation"), action: call("action") };
  }, [client, signInRoute, session]);
  const { store, withSignInPending } = props;
  const methods = useMemo(() => ({ store, withSignInPending }), [store, withSignInPending]);
  // The ambient sign-ins live as long as the provider; their calls take the latest session and API.
  const { setSession } = useAuthActions();
  const latest = useRef({ signInApi, setSession });
  latest.current = { signInApi, setSession };
  const [ambient] = useState(
    () =>
      new AmbientSignIns(props.ambientSignIns, {
        client: { setSession: (session) => latest.current.setSession(session), withSignInPending },
        signInApi: { mutation: (fn, args) => latest.current.signInApi.mutation(fn, args), action: (fn, args) => latest.current.signInApi.action(fn, args) },
        convex: { mutation: (fn, args) => client.mutation(fn as never, args as never) },
        replaceUrl: signInRoute ? replaceUrlForNextRouter : replaceUrlKeepingState,
        storage: (id) => store.forSignIn(id),
      }),
  );
  useEffect(() => ambient.init(), [ambient]);
  return (
    <AuthSignInApiProvider value={signInApi}>
      <MethodsContext.Provider value={methods}>
        <AmbientContext.Provider value={ambient}>
          <SessionWatcher isAuthenticated={props.isAuthenticated} />
          {props.children}
        </AmbientContext.Provider>
      </MethodsContext.Provider>
    </AuthSignInApiProvider>
  );
}

/** Next.js' router follows the address bar only after its own history entry is replaced too. */
function replaceUrlForNextRouter(url: string): void {
  replaceUrlKeepingState(url);
  setTimeout(() => history.replaceState(null, "", location.href));
}

const AmbientContext = createContext<AmbientSignIns | null>(null);

/** @internal A value an ambient sign-in published (`useOauth` reads OAuth's), live. */
export function useAmbientSignInValue(id: string, key: string): unknown {
  const ambient = useContext(AmbientContext);
  if (!ambient) throw new Error("convex-auth-wasm: useAmbientSignInValue must be used within a Convex Auth 2 <ConvexAuthProvider api={…}>");
  const read = () => ambient.value(id, key);
  return useSyncExternalStore(ambient.subscribe, read, read);
}

const MethodsContext = createContext<{ store: MethodStore; withSignInPending: <T>(fn: () => Promise<T>) => Promise<T> } | null>(null);

/** @internal For the methods' hooks: their store and `withSignInPending` (reports loading while
 *  a sign-in completes). */
export function useAuthMethods() {
  const methods = useContext(MethodsContext);
  if (!methods) throw new Error("convex-auth-wasm: a sign-in hook must be used inside <ConvexAuthProvider api={…}> (or ConvexAuthNextjsServerProvider)");
  return methods;
}

/** How the sign-in methods' hooks run their functions (Convex Auth 2): over the Convex client
 *  (spa), or through the host's `/auth/signin` route (ssr, which keeps the refresh token). */
export type { AuthSignInApi } from "../methods/ambient.js";
const SignInApiContext = createContext<AuthSignInApi | null>(null);
/** @internal Provided by the Convex Auth 2 providers. */
export const AuthSignInApiProvider = SignInApiContext.Provider;

/** The {@link AuthSignInApi} of the Convex Auth 2 provider above (for the methods' hooks). */
export function useAuthSignInApi(): AuthSignInApi {
  const api = useContext(SignInApiContext);
  if (!api) throw new Error("convex-auth-wasm: a sign-in hook must be used inside <ConvexAuthProvider api={…}> (or ConvexAuthNextjsServerProvider)");
  return api;
}

/**
 * @internal Convex Auth 2: watches the app's `isAuthenticated` query while the Convex client is
 * authenticated, and signs out when it turns false — a session revoked at the deployment (another
 * device signed it out, reuse detection) ends in this tab at once, not at the token's expiry.
 */
export function SessionWatcher({ isAuthenticated }: { isAuthenticated: FunctionRef<"query"> }) {
  const { isAuthenticated: clientAuthenticated } = useConvexAuth();
  const live = useQuery(isAuthenticated as never, clientAuthenticated ? {} : "skip");
  const { signOut } = useAuthActions();
  useEffect(() => {
    // An unconfirmed sign-out of a session the deployment already ended is expected.
    if (live === false) signOut().catch(() => {});
  }, [live, signOut]);
  return null;
}

/** Props of {@link ConvexAuthSessionProvider}. */
export interface ConvexAuthSessionProviderProps {
  options: SessionManagerOptions;
  /** When false (or a function returning false), a `?code=` in the URL is left alone. */
  shouldHandleCode?: (() => boolean) | boolean;
  /** The Convex client its children use, if one is known here. */
  client?: ConvexReactClient;
  /** Shared with the `ConvexAuthNextjsProvider`s inside (which then start no session of their own). */
  shared?: boolean;
  /** Logs each change of the session's state (`console.debug`). */
  verbose?: boolean;
  children: ReactNode;
}

/**
 * @internal The session behind `useAuthActions()` and the hooks: started in an effect (never
 * during SSR or twice under StrictMode), disposed with the provider. Inside another shared
 * session (a Next.js server provider in a section layout) it reuses that one: a page has one
 * session, whichever layouts render a provider.
 */
export function ConvexAuthSessionProvider(props: ConvexAuthSessionProviderProps) {
  const outer = useContext(SessionContext);
  if (outer.shared && props.shared) return <>{props.children}</>;
  return <OwnSession {...props} />;
}

function OwnSession({ options, shouldHandleCode, client, shared, verbose, children }: ConvexAuthSessionProviderProps) {
  // The server's token only seeds the session: a new one on navigation must not restart it.
  const key = JSON.stringify({ ...options, token: undefined, replaceURL: undefined, storage: typeof options.storage === "object" ? "custom" : options.storage });
  const [session, setSession] = useState<SessionManager | null>(null);
  // Calls made before the session starts (a click right after hydration) wait for it.
  const start = useRef(deferred<SessionManager>());
  const started = useCallback(() => start.current.promise, []);
  useStartEffect(() => {
    // In a browser the wasm module may still be loading: the session starts when it arrives,
    // and the Convex client opens its socket meanwhile (it authenticates once the session answers).
    const created = new SessionManager(options);
    client?.connectionState();
    setSession(created);
    start.current.resolve(created);
    const handle = typeof shouldHandleCode === "function" ? shouldHandleCode() : shouldHandleCode ?? true;
    if (handle) void created.handleCodeFromUrl();
    const unsubscribe = verbose ? created.subscribe(logState) : undefined;
    return () => {
      unsubscribe?.();
      created.dispose();
      start.current = deferred<SessionManager>();
    };
    // `key` stands for the options (a custom store or replaceURL changing identity is ignored).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const value = useMemo(
    () => ({ session, client: client ?? null, started, shared: shared === true }),
    [session, client, started, shared],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

function logState(state: SessionState) {
  const { isLoading, isAuthenticated, hasToken, isRefreshing, refreshFailures, lastError } = state;
  console.debug("[convex-auth-wasm] session", { isLoading, isAuthenticated, hasToken, isRefreshing, refreshFailures, lastError: lastError?.code ?? null });
}

/** @internal True inside a session shared by a provider above (the Next.js server provider). */
export function useHasSharedSession(): boolean {
  return useContext(SessionContext).shared;
}

/** @internal Attaches `client` to the shared session above: its calls carry that session's JWT. */
export function ConvexAuthAttachClient({ client, children }: { client: ConvexReactClient; children: ReactNode }) {
  const outer = useContext(SessionContext);
  // The socket opens while the session starts (it authenticates once the session answers).
  useEffect(() => void client.connectionState(), [client]);
  const value = useMemo(() => ({ ...outer, client }), [outer, client]);
  return (
    <SessionContext.Provider value={value}>
      <ConvexProviderWithAuth client={client} useAuth={useAuthForConvex}>
        {children}
      </ConvexProviderWithAuth>
    </SessionContext.Provider>
  );
}

/** The `useAuth` that `ConvexProviderWithAuth` calls: authenticated while the session lives.
 *  A token that expires during an outage does not detach the client (it would show signed-out
 *  data until the next token): its `fetchAccessToken` waits for the next token instead. */
function useAuthForConvex() {
  const { session, client } = useContext(SessionContext);
  const state = useSession();
  const signInPending = useContext(SignInsPendingContext);
  const fetchAccessToken = session && client ? session.fetchAccessTokenFor(client) : noToken;
  return useMemo(
    () => ({
      isLoading: state.isLoading || signInPending,
      isAuthenticated: state.isAuthenticated,
      fetchAccessToken: fetchAccessToken as (args: { forceRefreshToken: boolean }) => Promise<string | null>,
    }),
    [state.isLoading, signInPending, state.isAuthenticated, fetchAccessToken],
  );
}

/** The session's richer state: loading, refreshing, failures, storage fallback, expiry. */
export function useSession(): SessionState {
  const { session } = useContext(SessionContext);
  return useSyncExternalStore(
    session?.subscribe ?? noSubscription,
    session?.getState ?? (() => LOADING_STATE),
    () => LOADING_STATE,
  );
}

/** The `SessionManager` behind the provider (for `session.fetch` to HTTP actions, say); `null` before it starts. */
export function useSessionManager(): SessionManager | null {
  return useContext(SessionContext).session;
}

/** The current JWT, or `null` (for HTTP actions: prefer `useSessionManager().fetch`, which pins the origin). */
export function useAuthToken(): string | null {
  const { session } = useContext(SessionContext);
  useSession(); // re-render on every change
  return session?.getToken() ?? null;
}

function whenStarted(started: (() => Promise<SessionManager>) | null): Promise<SessionManager> {
  if (!started) throw new Error("convex-auth-wasm: useAuthActions() must be called inside <ConvexAuthProvider>");
  return started();
}

/** `{ signIn, signOut }`, stable while the session lives; calls made before it starts wait for it. */
export function useAuthActions(): ConvexAuthActions {
  const { session: current, started } = useContext(SessionContext);
  const signIn = useCallback<ConvexAuthActions["signIn"]>(
    async (provider, params) => {
      const session = current ?? (await whenStarted(started));
      const result = await session.signIn(provider, params);
      if (result.redirect !== undefined) {
        const url = new URL(result.redirect);
        window.location.href = url.toString();
        return { signingIn: false, redirect: url };
      }
      return { signingIn: result.signingIn };
    },
    [current, started],
  );
  const signOut = useCallback(async () => {
    const session = current ?? (await whenStarted(started));
    await session.signOut();
  }, [current, started]);
  const setSession = useCallback(
    async (tokens: V2Session) => {
      const session = current ?? (await whenStarted(started));
      await session.setSession(tokens);
    },
    [current, started],
  );
  return useMemo(() => ({ signIn, signOut, setSession }), [signIn, signOut, setSession]);
}
