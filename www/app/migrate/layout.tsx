import type { ReactNode } from "react";
import { ConvexAuthNextjsServerProvider } from "convex-auth-wasm/nextjs/server";

// An app laid out as the official templates do: the server provider in an outer layout, the
// Convex client's provider in a section's layout. useAuthActions() works under the server
// provider alone, and the section joins the outer layout's session (signed in after a client
// navigation from the sign-in page, with no reload).
export default function MigrateLayout({ children }: { children: ReactNode }) {
  return <ConvexAuthNextjsServerProvider>{children}</ConvexAuthNextjsServerProvider>;
}
