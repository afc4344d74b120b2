// A real OpenID Connect provider on loopback for the OAuth tests: panva's `oidc-provider` (a
// certified OP) with its development login and consent pages, served on 127.0.0.2 — another
// site than the app (127.0.0.1:<port> is the same site for every port, localhost another) as far
// as the browser is concerned. Any login name signs in as `<login>@oidc.test`.
import { createServer } from "node:http";
import { Provider } from "oidc-provider";

export const OIDC_HOST = "127.0.0.2";
const CLIENT_ID = "convex-auth-demo";
const CLIENT_SECRET = "a-test-only-client-secret";

/** Binds the provider's port now (its issuer goes into the backend's environment); the
 *  provider itself starts with `configure(redirectUri)` once the deployment's site is known. */
export async function startOidcProvider() {
  let handle = (req, res) => res.writeHead(503).end("not configured yet");
  const server = createServer((req, res) => handle(req, res));
  await new Promise((ok) => server.listen(0, OIDC_HOST, ok));
  const issuer = `http://${OIDC_HOST}:${server.address().port}`;
  return {
    issuer,
    /** What the deployment's `auth.ts` needs (AUTH_OIDC_*). */
    env: { AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_ID: CLIENT_ID, AUTH_OIDC_SECRET: CLIENT_SECRET },
    configure(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [{
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [redirectUri],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        }],
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        findAccount: (_ctx, sub) => ({
          accountId: sub,
          claims: () => ({ sub, email: `${sub}@oidc.test`, email_verified: true, name: sub }),
        }),
        cookies: { keys: ["a-test-only-cookie-key"] },
        // The scopes' claims in the ID token, which is what Auth.js reads an OIDC profile from.
        conformIdTokenClaims: false,
      });
      provider.on("server_error", (_ctx, error) => console.error("oidc-provider:", error));
      provider.on("grant.error", (_ctx, error) => console.error("oidc-provider grant error:", error.message, error.error_description));
      handle = provider.callback();
    },
    close: () => server.close(),
  };
}

/** Only loopback leaves the browser: the provider's development pages link a web font. */
export async function loopbackOnly(context) {
  await context.route((url) => !["127.0.0.1", "127.0.0.2", "localhost"].includes(url.hostname), (route) => route.abort());
}

/** Signs in on the provider's development pages as `login` (any password), then consents. */
export async function signInAtProvider(page, login) {
  await page.waitForURL((url) => url.hostname === OIDC_HOST);
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", "any password");
  await page.click("button[type=submit]");
  await page.waitForSelector("button[type=submit]:text('Continue')");
  await page.click("button[type=submit]");
}
