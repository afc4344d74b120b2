// Convex Auth 2 in ssr mode: the server provider starts the browser session from the JWT this
// request verified (the proxy refreshed it first when it was due).
import type { ReactNode } from "react";
import { v2 } from "../../../lib/auth-v2";
import { v2DeploymentConfig } from "../../../lib/config";

export default function V2SsrLayout({ children }: { children: ReactNode }) {
  return <v2.ConvexAuthNextjsServerProvider siteUrl={v2DeploymentConfig().siteUrl}>{children}</v2.ConvexAuthNextjsServerProvider>;
}
