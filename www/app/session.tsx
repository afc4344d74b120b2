"use client";
// One SessionManager per page, exposed to React. Cookie mode by default (the refresh token stays
// in an httpOnly cookie set by /api/auth); localStorage mode when the demo's switch says so.
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from "react";
import { SessionManager, type SessionState } from "convex-auth-wasm/client";
import type { DeploymentConfig } from "../lib/config";

export type Mode = "cookie" | "localStorage";
export const MODE_KEY = "convex-auth-wasm-demo-mode";

type Store = { session: SessionManager; mode: Mode; subscribe: (l: () => void) => () => void; get: () => SessionState };
let store: Store | undefined;

function createStore({ convexUrl, siteUrl }: DeploymentConfig): Store {
  const mode: Mode = localStorage.getItem(MODE_KEY) === "localStorage" ? "localStorage" : "cookie";
  const session = new SessionManager({
    convexUrl,
    siteUrl,
    ...(mode === "cookie" ? { nextjsApiRoute: "/api/auth" } : { storage: "localStorage" }),
  });
  let snapshot = session.getState();
  const listeners = new Set<() => void>();
  session.subscribe((state: SessionState) => {
    snapshot = state;
    for (const l of listeners) l();
  });
  (window as unknown as { __session?: SessionManager }).__session = session; // for the e2e tests
  return {
    session,
    mode,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    get: () => snapshot,
  };
}

const Context = createContext<Store | null>(null);

export function SessionProvider({ config, children }: { config: DeploymentConfig; children: ReactNode }) {
  if (typeof window !== "undefined" && !store) store = createStore(config);
  useEffect(() => {
    // A magic link lands here with ?code= (localStorage mode; in cookie mode proxy.ts exchanges
    // it). After hydration, so the router does not put the single-use code back in the URL.
    if (store?.mode === "localStorage") void store.session.handleCodeFromUrl();
  }, []);
  return <Context.Provider value={store ?? null}>{children}</Context.Provider>;
}

const loading = { isLoading: true } as SessionState;

const never = () => () => {};

export function useSession(): { session: SessionManager | null; mode: Mode; state: SessionState } {
  const s = useContext(Context);
  const state = useSyncExternalStore(s?.subscribe ?? never, s?.get ?? (() => loading), () => loading);
  // The server cannot know the mode (it lives in localStorage): render the default until hydrated.
  const mode = useSyncExternalStore(never, () => s?.mode ?? "cookie", () => "cookie" as Mode);
  return { session: s?.session ?? null, mode, state };
}
