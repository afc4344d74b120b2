import type { ReactNode } from "react";
import { SessionProvider } from "./session";
import "./style.css";

export const metadata = { title: "convex-auth-wasm demo" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SessionProvider>
          <main>{children}</main>
        </SessionProvider>
      </body>
    </html>
  );
}
