// Runs the demo for end-to-end tests: the local backend (real @convex-dev/auth server code, with
// its test-only controls: fault switch, counters, clock) and the www app's production build
// (made once by `scripts/www.sh build`) under `next start`, all on free loopback ports.
import { before, after } from "node:test";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./ports.mjs";
import { bin, spawnLogged, startBackend, waitFor, www } from "./backend.mjs";
import { launchChromium } from "./browser.mjs";
import { startBackendV2 } from "./backend-v2.mjs";

export { www };

/** Starts backend + app; `jwtLifetime` in seconds, `backendEnv` added to the backend's environment;
 *  `v2: true` starts the Convex Auth 2 deployment of the demo's /v2 pages beside it (`demo.v2`). */
export async function startDemo({ jwtLifetime = 3600, backendEnv = {}, v2 = false } = {}) {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const backend = await startBackend({ appUrl, jwtLifetime, env: backendEnv });
  const { cloudUrl, siteUrl } = backend;
  // WebAuthn takes no IP address as relying party: passkeys run on the app's localhost origin.
  const localhostUrl = appUrl.replace("127.0.0.1", "localhost");
  const backendV2 = v2 ? await startBackendV2({ env: { SITE_URL: appUrl, AUTH_ORIGINS: localhostUrl } }) : null;
  const v2Env = backendV2 ? { CONVEX_V2_URL: backendV2.cloudUrl, CONVEX_V2_SITE_URL: backendV2.siteUrl } : {};
  const publicEnv = { CONVEX_URL: cloudUrl, CONVEX_SITE_URL: siteUrl, NEXT_TELEMETRY_DISABLED: "1", ...v2Env };
  if (!existsSync(join(www, ".next", "BUILD_ID"))) {
    execFileSync("bash", [join(www, "..", "scripts", "www.sh"), "build"], { stdio: "pipe" });
  }
  const app = spawnLogged(bin("next"), ["start", "-p", String(appPort), "-H", "127.0.0.1"], publicEnv);
  await waitFor(async () => (await fetch(appUrl)).ok, "next start");
  const controls = async (change) => {
    const res = await fetch(`${cloudUrl}/__test/controls`, change ? { method: "POST", body: JSON.stringify(change) } : {});
    return res.json();
  };
  /** A browser context whose fake clock (Playwright's, test-only) reads the deployment's time. */
  const clockedContext = async (browser) => {
    const context = await browser.newContext();
    await context.clock.install({ time: (await controls()).now });
    return context;
  };
  /**
   * Moves time forward by `ms` in the deployment and in `contexts` together, one second at a
   * time, letting real network I/O complete between steps (the clocks are fakes; requests are real).
   */
  const advance = async (contexts, ms, { stepMs = 1000, onStep } = {}) => {
    for (let left = ms; left > 0; left -= stepMs) {
      const step = Math.min(stepMs, left);
      await controls({ advanceMs: step });
      for (const context of contexts) await context.clock.runFor(step);
      await new Promise((r) => setTimeout(r, 25));
      await onStep?.();
    }
  };
  /** Chooses the demo's storage mode for a browser context (the demo keeps it in a cookie). */
  const useMode = (context, mode) => context.addCookies([{ name: "demo-mode", value: mode, url: appUrl }]);
  /** Opens the home page in `page` and submits the sign-up form for `email`. */
  const signUp = async (page, email) => {
    await page.goto(appUrl + "/");
    await page.fill("#signin input[name=email]", email);
    await page.fill("#signin input[name=password]", PASSWORD);
    await page.click("#sign-up");
  };
  const mail = async () => (await fetch(`${cloudUrl}/__test/mail`)).json();
  return {
    appUrl,
    localhostUrl,
    cloudUrl,
    siteUrl,
    controls,
    clockedContext,
    advance,
    useMode,
    signUp,
    mail,
    logs: () => `--- backend ---\n${backend.logs()}\n--- app ---\n${app.output()}`,
    v2: backendV2,
    stop() {
      app.child.kill();
      backend.stop();
      backendV2?.stop();
    },
  };
}

/** The password every test user signs up with. */
export const PASSWORD = "correct horse battery";

/** A fresh email per call: `${prefix}<time>-<n>@example.com`. */
export function emails(prefix) {
  let counter = 0;
  return () => `${prefix}${Date.now()}-${counter++}@example.com`;
}

/**
 * Starts the demo and Chromium before a file's tests and stops them after; `use(demo, browser)`
 * receives them once started.
 */
export function withDemo(options, use) {
  let demo;
  let browser;
  before(async () => {
    demo = await startDemo(options);
    browser = await launchChromium();
    use(demo, browser);
  });
  after(async () => {
    await browser?.close();
    demo?.stop();
  });
}
