// The deployment itself: the real Convex functions in ../convex (schema, Convex Auth, http
// router) run in-process by convex-test, with an in-memory database. Calls are serialised, as a
// deployment's transactions would be.
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import schema from "../convex/schema";

const modules = {
  "../convex/_generated/api.js": () => import("../convex/_generated/api.js"),
  "../convex/_generated/server.js": () => import("../convex/_generated/server.js"),
  "../convex/auth.ts": () => import("../convex/auth"),
  "../convex/auth.config.ts": () => import("../convex/auth.config"),
  "../convex/http.ts": () => import("../convex/http"),
  "../convex/schema.ts": () => import("../convex/schema"),
  "../convex/users.ts": () => import("../convex/users"),
  "../convex/mailbox.ts": () => import("../convex/mailbox"),
  "../convex/notes.ts": () => import("../convex/notes"),
};

export type Identity = { subject: string; issuer: string; tokenIdentifier: string; [claim: string]: unknown };
export type Kind = "query" | "mutation" | "action";

export function createDeployment() {
  const t = convexTest(schema, modules);
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const as = (identity: Identity | null) => (identity ? t.withIdentity(identity as never) : t);
  return {
    call(kind: Kind, path: string, args: Record<string, unknown>, identity: Identity | null) {
      const ref = makeFunctionReference<typeof kind>(path.replace(/\.js:/, ":")) as never;
      return serialised(() => (as(identity)[kind] as (r: never, a: unknown) => Promise<unknown>)(ref, args));
    },
    fetch(path: string, init: RequestInit, identity: Identity | null) {
      return serialised(() => as(identity).fetch(path, init));
    },
  };
}
