"use client";
// One ConvexReactClient per page, authenticated by convex-auth-wasm: cookie mode (the Next.js
// provider; the refresh token in an httpOnly cookie set by /api/auth) or localStorage mode (the
// React provider; the official keys).
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { ConvexReactClient } from "convex/react";
import { ConvexAuthProvider, useSessionManager } from "convex-auth-wasm/react";
import { ConvexAuthNextjsProvider } from "convex-auth-wasm/nextjs";
import type { DeploymentConfig } from "../../lib/config";
import type { Mode } from "../../lib/mode";

const ModeContext = createContext<Mode>("cookie");

export const useMode = () => useContext(ModeContext);

export function DemoProviders({ config, mode, children }: { config: DeploymentConfig; mode: Mode; children: ReactNode }) {
  const [client] = useState(() => new ConvexReactClient(config.convexUrl));
  return (
    <ModeContext.Provider value={mode}>
      {mode === "cookie" ? (
        <ConvexAuthNextjsProvider client={client} siteUrl={config.siteUrl}>
          <ExposeForTests client={client} />
          {children}
        </ConvexAuthNextjsProvider>
      ) : (
        <ConvexAuthProvider client={client} siteUrl={config.siteUrl}>
          <ExposeForTests client={client} />
          {children}
        </ConvexAuthProvider>
      )}
    </ModeContext.Provider>
  );
}

/** The end-to-end tests read the session's state and the client's connection from the page. */
function ExposeForTests({ client }: { client: ConvexReactClient }) {
  const session = useSessionManager();
  useEffect(() => {
    Object.assign(window, { __session: session, __convex: client });
  }, [session, client]);
  return null;
}
