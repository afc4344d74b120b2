// The deployment itself: the app's functions in ./convex and the published components of
// @convex-dev/auth 2.0.0 (their compiled code, unmodified) run in-process by convex-test, with
// an in-memory database. Calls are serialised, as a deployment's transactions would be.
import { convexTest } from "convex-test";
import { componentsGeneric, makeFunctionReference, type AnyDataModel, type GenericMutationCtx } from "convex/server";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { componentDir, modulesIn, packageDir } from "./modules";
import schema from "./convex/schema";
import { components } from "./convex/_generated/api.js";

export type Identity = { subject: string; issuer: string; tokenIdentifier: string; [claim: string]: unknown };
export type Kind = "query" | "mutation" | "action";
export type SentEmail = { to: string[]; subject: string; text: string };
/** convex-test runs a handler inside a component at run time without declaring it. */
type InComponent = { runInComponent<T>(path: string, run: (ctx: GenericMutationCtx<AnyDataModel>) => Promise<T>): Promise<T> };

const appDir = join(fileURLToPath(new URL(".", import.meta.url)), "convex");

/** Mount path → the package export of its convex.config.js; the same tree as convex/convex.config.ts
 *  (the password component mounts a rate limiter of its own). */
const mounts: Record<string, string> = {
  auth: "@convex-dev/auth/convex.config.js",
  authPassword: "@convex-dev/auth/components/password/convex.config.js",
  "authPassword/rateLimiter": "@convex-dev/rate-limiter/convex.config.js",
  authUsername: "@convex-dev/auth/components/username/convex.config.js",
  authEmail: "@convex-dev/auth/components/email/convex.config.js",
  "authEmail/rateLimiter": "@convex-dev/rate-limiter/convex.config.js",
  "authEmail/batchWorker": "@convex-dev/batch-worker/convex.config.js",
  authPasskey: "@convex-dev/auth/components/passkey/convex.config.js",
  "authPasskey/batchWorker": "@convex-dev/batch-worker/convex.config.js",
  authGithub: "@convex-dev/auth/components/github/convex.config.js",
};

export async function createDeployment() {
  const t = convexTest(schema, modulesIn(appDir));
  for (const [path, config] of Object.entries(mounts)) {
    const dir = componentDir(config);
    const { default: componentSchema } = await import(join(dir, "schema.js"));
    t.registerComponent(path, componentSchema, modulesIn(dir));
  }
  // No email leaves this machine: `resend` is the Resend stub that ships with @convex-dev/auth
  // (src/testing/resendStub), which records each email in its `emails` table (see `mailbox`).
  const resendStub = join(packageDir("@convex-dev/auth"), "src", "testing", "resendStub");
  const { default: resendSchema } = await import(join(resendStub, "schema.ts"));
  t.registerComponent("resend", resendSchema, modulesIn(resendStub));

  // Every client of this deployment is on loopback: its calls come from that address (the email
  // method rate-limits by client IP and refuses a call without one).
  const client = t.withRequestMetadata({ ip: "127.0.0.1" });
  const as = (identity: Identity | null) => (identity ? client.withIdentity(identity as never) : client);
  /** Unserialised operations, for use inside `transaction`. */
  const direct = {
    call(kind: Kind, path: string, args: Record<string, unknown>, identity: Identity | null) {
      const ref = makeFunctionReference<typeof kind>(path.replace(/\.js:/, ":")) as never;
      return (as(identity)[kind] as (r: never, a: unknown) => Promise<unknown>)(ref, args);
    },
    /** Whether the auth component still has this session (the test controls count revocations). */
    async sessionExists(sessionId: string): Promise<boolean> {
      const session = await t.run((ctx) => ctx.runQuery(components.auth.public.getSession, { sessionId }));
      return session !== null;
    },
    /** Calls `path` ("module:function", internal ones included) of the component mounted as `component`. */
    callInComponent(kind: Kind, component: string, path: string, args: Record<string, unknown>) {
      const [module, name] = path.split(":");
      let ref = (componentsGeneric() as Record<string, any>)[component];
      for (const part of [...module.split("/"), name ?? "default"]) ref = ref[part];
      return (client[kind] as (r: never, a: unknown) => Promise<unknown>)(ref as never, args);
    },
    /** The emails sent so far, oldest first (what the Resend stub recorded). */
    mailbox: (): Promise<SentEmail[]> =>
      (t as unknown as InComponent).runInComponent("resend", async (ctx) => {
        const rows = await ctx.db.query("emails").collect();
        return rows.map(({ to, subject, text }) => ({ to: to as string[], subject: subject as string, text: text as string }));
      }),
  };

  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `work` alone: no other call starts before it ends. */
  const transaction = <T>(work: (d: typeof direct) => Promise<T>): Promise<T> => {
    const run = queue.then(() => work(direct), () => work(direct));
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    transaction,
    call: (kind: Kind, path: string, args: Record<string, unknown>, identity: Identity | null) =>
      transaction((d) => d.call(kind, path, args, identity)),
    fetch: (path: string, init: RequestInit, identity: Identity | null) =>
      transaction(() => as(identity).fetch(path, init)),
    mailbox: () => transaction((d) => d.mailbox()),
    callInComponent: (kind: Kind, component: string, path: string, args: Record<string, unknown>) =>
      transaction((d) => d.callInComponent(kind, component, path, args)),
    /** The public keys of the key `ctx.auth.signJwt` signs with (convex-test makes one per instance). */
    jwks: () => t.jwks(),
  };
}

export type Deployment = Awaited<ReturnType<typeof createDeployment>>;
