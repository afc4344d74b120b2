"use client";
// convex-auth-wasm/nextjs: the client half of Convex Auth for Next.js (cookie mode), on top of
// `convex-auth-wasm/react`. Hydrated by `ConvexAuthNextjsServerProvider` with what the server
// saw, so loading a page with a fresh JWT makes no refresh call, and an anonymous one none at all.
import { createContext, useContext, type ReactNode } from "react";
import type { ConvexReactClient } from "convex/react";
import { ConvexAuthProvider, type ConvexAuthProviderProps } from "convex-auth-wasm/react";

/** What the server provider hands the client. */
export interface ServerState {
  /** The verified JWT; `null`: no session; `undefined`: refresh to find out. */
  token: string | null | undefined;
  apiRoute: string;
  storageNamespace?: string;
  shouldHandleCode: boolean;
}

const ServerStateContext = createContext<ServerState | null>(null);

/** @internal Rendered by `ConvexAuthNextjsServerProvider`. */
export function ConvexAuthNextjsServerStateProvider({ state, children }: { state: ServerState; children: ReactNode }) {
  return <ServerStateContext.Provider value={state}>{children}</ServerStateContext.Provider>;
}

/** Props of {@link ConvexAuthNextjsProvider}. */
export type ConvexAuthNextjsProviderProps = Omit<ConvexAuthProviderProps, "client" | "children" | "nextjsApiRoute" | "token"> & {
  client: ConvexReactClient;
  children: ReactNode;
};

/**
 * In a client component inside `ConvexAuthNextjsServerProvider`:
 * `<ConvexAuthNextjsProvider client={convex}>{children}</ConvexAuthNextjsProvider>`.
 */
export function ConvexAuthNextjsProvider({ client, children, ...rest }: ConvexAuthNextjsProviderProps) {
  const server = useContext(ServerStateContext);
  return (
    <ConvexAuthProvider
      client={client}
      nextjsApiRoute={server?.apiRoute ?? "/api/auth"}
      {...(server ? { token: server.token } : {})}
      {...(server?.storageNamespace ? { storageNamespace: server.storageNamespace } : {})}
      shouldHandleCode={server?.shouldHandleCode ?? false}
      {...rest}
    >
      {children}
    </ConvexAuthProvider>
  );
}
