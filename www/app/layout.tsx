import type { ReactNode } from "react";
import { connection } from "next/server";
import "./style.css";

export const metadata = { title: "convex-auth-wasm demo" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection(); // render per request: the deployment URLs come from the server's environment
  return (
    <html lang="en">
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}
