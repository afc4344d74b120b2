"use client";
// Convex Auth 2 in spa mode: the React provider with the `api` prop (tokens in localStorage under
// the official keys), on its own ConvexReactClient.
import { useState, type ReactNode } from "react";
import { ConvexReactClient } from "convex/react";
import { ConvexAuthProvider } from "convex-auth-wasm/react";
import type { DeploymentConfig } from "../../lib/config";
import { apiV2 as api } from "../../lib/api-v2";

export function V2SpaProvider({ config, children }: { config: DeploymentConfig; children: ReactNode }) {
  const [client] = useState(() => new ConvexReactClient(config.convexUrl));
  return (
    <ConvexAuthProvider
      client={client}
      siteUrl={config.siteUrl}
      api={{ refreshSession: api.auth.refreshSession, signOut: api.auth.signOut, isAuthenticated: api.auth.isAuthenticated }}
    >
      {children}
    </ConvexAuthProvider>
  );
}
