"use client";
import { useEffect, useState } from "react";
import { ConvexReactClient } from "convex/react";
import { SessionManager } from "convex-auth-wasm/client";
import { api } from "@/convex/_generated/api";

/** A Convex client wired to a session by hand: what its onChange reports, and who it is. */
export function PlainClient({ convexUrl, siteUrl }: { convexUrl: string; siteUrl: string }) {
  const [auth, setAuth] = useState("loading");
  const [me, setMe] = useState("…");
  useEffect(() => {
    const session = new SessionManager({ convexUrl, siteUrl }); // localStorage, the official keys
    const client = new ConvexReactClient(convexUrl);
    client.setAuth(session.fetchAccessTokenFor(client), (isAuthenticated) =>
      setAuth(isAuthenticated ? "authenticated" : "unauthenticated"),
    );
    const watch = client.watchQuery(api.users.me, {});
    const stop = watch.onUpdate(() => {
      const value = watch.localQueryResult();
      setMe(value === undefined ? "…" : JSON.stringify(value));
    });
    const addNote = (text: string) => client.mutation(api.notes.add, { text });
    Object.assign(window, { __session: session, __convex: client, __addNote: addNote });
    return () => {
      stop();
      void client.close();
      session.dispose();
    };
  }, [convexUrl, siteUrl]);
  return (
    <>
      <h1>The plain setAuth path</h1>
      <p>
        <code>convex.setAuth(session.fetchAccessTokenFor(convex), onChange)</code>, no provider. onChange:{" "}
        <strong id="plain-auth">{auth}</strong>
      </p>
      <pre id="plain-me">{me}</pre>
    </>
  );
}
