"use client";
// convex-auth-wasm/nextjs: the client half of Convex Auth for Next.js (cookie mode), on top of
// `convex-auth-wasm/react`. `ConvexAuthNextjsServerProvider` hydrates it with what the server saw
// (so loading a page with a fresh JWT makes no refresh call, and an anonymous one none at all)
// and starts the page's one session, as the official server provider does: `useAuthActions()`
// works under it alone, and `ConvexAuthNextjsProvider` attaches its Convex client to it.
import type { ReactNode } from "react";
import type { ConvexReactClient } from "convex/react";
import {
  ConvexAuthAttachClient,
  ConvexAuthProvider,
  ConvexAuthSessionProvider,
  useHasSharedSession,
  type ConvexAuthProviderProps,
} from "convex-auth-wasm/react";

/** What the server provider hands the client. */
export interface ServerState {
  /** The verified JWT; `null`: no session; `undefined`: refresh to find out. */
  token: string | null | undefined;
  apiRoute: string;
  /** The deployment, as the server resolved it (its environment, the site URL derived or given). */
  convexUrl: string;
  siteUrl: string;
  storageNamespace?: string;
  shouldHandleCode: boolean;
  verbose: boolean;
  /** A sign-in that failed on the way in (a refused code, an OAuth return without one). */
  signInError: { code: string; message: string } | null;
}

/** @internal Rendered by `ConvexAuthNextjsServerProvider`: the page's session, cookie mode. */
export function ConvexAuthNextjsServerStateProvider({ state, children }: { state: ServerState; children: ReactNode }) {
  const options = {
    convexUrl: state.convexUrl,
    siteUrl: state.siteUrl,
    nextjsApiRoute: state.apiRoute,
    storageNamespace: state.storageNamespace ?? state.convexUrl,
    ...(state.token !== undefined ? { token: state.token } : {}),
    ...(state.signInError ? { signInError: state.signInError } : {}),
  };
  return (
    <ConvexAuthSessionProvider options={options} shouldHandleCode={state.shouldHandleCode} verbose={state.verbose} shared>
      {children}
    </ConvexAuthSessionProvider>
  );
}

/** Props of {@link ConvexAuthNextjsProvider}. */
export type ConvexAuthNextjsProviderProps = Omit<ConvexAuthProviderProps, "client" | "children" | "nextjsApiRoute" | "token"> & {
  client: ConvexReactClient;
  children: ReactNode;
};

/**
 * In a client component inside `ConvexAuthNextjsServerProvider`:
 * `<ConvexAuthNextjsProvider client={convex}>{children}</ConvexAuthNextjsProvider>`. Without the
 * server provider it starts a cookie-mode session of its own on the route "/api/auth".
 */
export function ConvexAuthNextjsProvider({ client, children, ...rest }: ConvexAuthNextjsProviderProps) {
  if (useHasSharedSession()) return <ConvexAuthAttachClient client={client}>{children}</ConvexAuthAttachClient>;
  return (
    <ConvexAuthProvider client={client} nextjsApiRoute="/api/auth" shouldHandleCode={false} {...rest}>
      {children}
    </ConvexAuthProvider>
  );
}

