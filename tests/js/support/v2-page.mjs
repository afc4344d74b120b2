// A Convex Auth 2 React page for real Chromium: ConvexReactClient and the username + password,
// email + password, username + passkey and GitHub methods under a provider — ours (convex-auth-wasm/react
// with `api`) or the official 2.0.0 one — bundled by esbuild from the packed package and served on
// loopback. The page reads the deployment from `?cloud=` and exposes its state in the DOM (#auth,
// #me, #autofill: the passkey autofill's status, #oauth-error: `useOauth().flowError`) and its
// actions on `window.__auth` (`github()` leaves for GitHub). With
// `&flow=signUp|change|recover&code=…` it is an emailed link's page: the link's state in #link
// (recovery, once ready: `window.__recover(newPassword)`).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serveDirectory } from "./browser.mjs";
import { installPackage } from "./package.mjs";

const ours = {
  react: "convex-auth-wasm/react",
  methods: "convex-auth-wasm/methods/username-password/react",
  email: "convex-auth-wasm/methods/email-password/react",
  passkey: "convex-auth-wasm/methods/username-passkey/react",
  github: "convex-auth-wasm/methods/github/react",
};
const PROVIDERS = {
  ours,
  official: {
    react: "@convex-dev/auth-v2/react",
    methods: "@convex-dev/auth-v2/methods/username-password/react",
    email: "@convex-dev/auth-v2/methods/email-password/react",
    passkey: "@convex-dev/auth-v2/methods/username-passkey/react",
    github: "@convex-dev/auth-v2/methods/github/react",
  },
  // ssr mode: the browser half of ConvexAuthNextjsServerProvider, on the host's /auth routes.
  "ours-ssr": { ...ours, ssr: "convex-auth-wasm/ssr/nextjs/client" },
};

const page = ({ react, methods, email, passkey, github, ssr }) => `
import React from "react";
${ssr ? `import { ConvexAuthNextjsProvider } from "${ssr}";` : ""}
import { createRoot } from "react-dom/client";
import { ConvexReactClient, useConvexAuth, useQuery } from "convex/react";
import { anyApi as api } from "convex/server";
import { ConvexAuthProvider, useAuthActions, useAuthToken } from "${react}";
import { useSignInWithUsernamePassword, useSignUpWithUsernamePassword } from "${methods}";
import * as emailPassword from "${email}";
import * as usernamePasskey from "${passkey}";
import { useSignInWithGithub, useOauth } from "${github}";

const cloud = new URLSearchParams(location.search).get("cloud");
const convex = new ConvexReactClient(cloud, { unsavedChangesWarning: false });
window.__convex = convex;

function App() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const me = useQuery(api.users.me, isAuthenticated ? {} : "skip");
  const { signUp } = useSignUpWithUsernamePassword(api.auth);
  const { signIn } = useSignInWithUsernamePassword(api.auth);
  const actions = useAuthActions();
  const token = useAuthToken();
  const email = {
    signIn: emailPassword.useSignInWithEmailPassword(api.auth).signIn,
    signUp: emailPassword.useSignUpWithEmailPassword(api.auth).signUp,
    startPasswordRecovery: emailPassword.useStartPasswordRecovery(api.auth).startPasswordRecovery,
    startChangeEmail: emailPassword.useStartChangeEmail(api.auth).startChangeEmail,
  };
  // \`&autofill=0\`: ours without the passkey autofill (the official hook has no such option).
  const passkeySignIn = usernamePasskey.useSignInWithUsernamePasskey(api.auth, { autofill: link.autofill !== "0" });
  const passkey = {
    signIn: passkeySignIn.signIn,
    add: usernamePasskey.useAddPasskey(api.auth).addPasskey,
    remove: usernamePasskey.useRemovePasskey(api.auth).removePasskey,
  };
  const github = useSignInWithGithub(api.auth).signIn;
  const { flowError } = useOauth();
  window.__auth = { ...actions, signUp, signIn, email, passkey, github, token };
  return React.createElement("main", null,
    React.createElement("span", { id: "auth" }, isLoading ? "loading" : isAuthenticated ? "authenticated" : "unauthenticated"),
    React.createElement("span", { id: "me" }, me === undefined ? "-" : me === null ? "null" : me.username ?? me.email ?? me.method),
    React.createElement("span", { id: "oauth-error" }, flowError ? flowError.error : ""),
    React.createElement("span", { id: "autofill" }, passkeySignIn.autofill.status),
    link.flow ? React.createElement(Link) : null);
}

const link = Object.fromEntries(new URLSearchParams(location.search));
const completeLink = {
  signUp: () => emailPassword.useCompleteSignUpWithEmailPassword(api.auth, { emailCode: link.code }),
  change: () => emailPassword.useCompleteChangeEmail(api.auth, { emailCode: link.code }),
  recover: () => emailPassword.useCompletePasswordRecovery(api.auth, { emailCode: link.code }),
};
function Link() {
  const state = completeLink[link.flow]();
  if (state.status === "ready") window.__recover = (newPassword) => state.completePasswordRecovery({ newPassword });
  return React.createElement("span", { id: "link" }, state.status + (state.userError ? ":" + state.userError.error : ""));
}

// \`&strict=1\`: under React.StrictMode (its effects run twice in a development build).
const wrap = (element) => (link.strict === "1" ? React.createElement(React.StrictMode, null, element) : element);
createRoot(document.getElementById("root")).render(wrap(${ssr
  ? `React.createElement(ConvexAuthNextjsProvider, { client: convex, isAuthenticatedFunctionName: "auth:isAuthenticated" }, React.createElement(App))`
  : `React.createElement(ConvexAuthProvider, {
    client: convex,
    api: { refreshSession: api.auth.refreshSession, signOut: api.auth.signOut, isAuthenticated: api.auth.isAuthenticated },
  }, React.createElement(App))`}));
`;

/** Builds the page for `provider` ("ours" | "official" | "ours-ssr") into a directory of its own;
 *  `development`: React's development build (StrictMode's double effects). */
export async function buildV2Page(provider, { development = false } = {}) {
  const dir = installPackage();
  const www = join(dir, `v2-page-${provider}${development ? "-dev" : ""}`);
  mkdirSync(www, { recursive: true });
  await build({
    stdin: { contents: page(PROVIDERS[provider]), resolveDir: dir, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "browser",
    define: { "process.env.NODE_ENV": development ? '"development"' : '"production"' },
    logLevel: "error",
    outfile: join(www, "bundle.js"),
  });
  const wasmDir = join(dir, "node_modules", "convex-auth-wasm", "client");
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith(".wasm"))) copyFileSync(join(wasmDir, file), join(www, file));
  writeFileSync(join(www, "index.html"), `<!doctype html><div id="root"></div><script type="module" src="/bundle.js"></script>`);
  return www;
}

/** Builds the page for `provider` (`options` as buildV2Page's) and serves it: `{ url(cloudUrl), close }`. */
export async function serveV2Page(provider, options) {
  const server = await serveDirectory(await buildV2Page(provider, options));
  return { url: (cloudUrl) => `${server.url}/?cloud=${encodeURIComponent(cloudUrl)}`, close: server.close };
}

/** The address of each served page (and of an ssr host's page) for the deployment at `cloudUrl`,
 *  `extra` appended to the query: `{ [name]: (extra) => url }`. */
export function pageUrls(pages, cloudUrl, ssrOrigin) {
  const urls = {};
  for (const name of Object.keys(pages)) urls[name] = (extra = "") => pages[name].url(cloudUrl) + extra;
  urls.ssr = (extra = "") => `${ssrOrigin}/?cloud=${encodeURIComponent(cloudUrl)}${extra}`;
  return urls;
}
