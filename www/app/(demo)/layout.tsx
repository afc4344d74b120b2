import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { DemoProviders } from "./providers";
import { deploymentConfig } from "../../lib/config";
import { MODE_COOKIE, parseMode } from "../../lib/mode";

// The demo's pages run on ConvexReactClient under convex-auth-wasm/react's ConvexAuthProvider.
export default async function DemoLayout({ children }: { children: ReactNode }) {
  const mode = parseMode((await cookies()).get(MODE_COOKIE)?.value);
  return (
    <DemoProviders config={deploymentConfig()} mode={mode}>
      {children}
    </DemoProviders>
  );
}
