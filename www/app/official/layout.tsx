import type { ReactNode } from "react";
import { OfficialProviders } from "./providers";
import { deploymentConfig } from "../../lib/config";

// The same live notes on the official @convex-dev/auth/react provider (localStorage, the same
// keys as the demo's localStorage mode): for side-by-side counts, and to show switching
// libraries signs nobody out.
export default function OfficialLayout({ children }: { children: ReactNode }) {
  return <OfficialProviders convexUrl={deploymentConfig().convexUrl}>{children}</OfficialProviders>;
}
