import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { ConvexAuthNextjsServerProvider } from "convex-auth-wasm/nextjs/server";
import { DemoProviders } from "./providers";
import { deploymentConfig } from "../../lib/config";
import { MODE_COOKIE, parseMode } from "../../lib/mode";

// The demo's pages run on ConvexReactClient. Cookie mode: the server provider hydrates the
// client with the JWT it verified (or with "no session"), so a page load makes no refresh call.
export default async function DemoLayout({ children }: { children: ReactNode }) {
  const mode = parseMode((await cookies()).get(MODE_COOKIE)?.value);
  const app = (
    <DemoProviders config={deploymentConfig()} mode={mode}>
      {children}
    </DemoProviders>
  );
  return mode === "cookie" ? <ConvexAuthNextjsServerProvider>{app}</ConvexAuthNextjsServerProvider> : app;
}
