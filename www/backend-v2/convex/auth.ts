// Convex Auth 2: the session functions of the core, and three sign-in methods: username +
// password, email + password (its emails go to the Resend stub: see ../deployment.ts), and
// username + passkey (WebAuthn, relying party `localhost`).
import { setupConvexAuth } from "@convex-dev/auth/server";
import { setupUsernamePassword } from "@convex-dev/auth/methods/username-password/server";
import { setupEmailPassword } from "@convex-dev/auth/methods/email-password/server";
import { setupUsernamePasskey } from "@convex-dev/auth/methods/username-passkey/server";
import { components, internal } from "./_generated/api";

const auth = setupConvexAuth({
  component: components.auth,
  // Tests shorten or lengthen the access-token lifetime; the package's default is 60 s.
  accessTokenTtlSeconds: Number(process.env.AUTH_ACCESS_TOKEN_TTL_SECONDS || 60),
});

export const { refreshSession, signOut, isAuthenticated } = auth;

export const { signUpWithUsernamePassword, signInWithUsernamePassword, changePassword } =
  setupUsernamePassword(auth, {
    component: components.authPassword,
    usernameComponent: components.authUsername,
  }).attachUserCallbacks({ createUser: internal.users.createUser });

/** The app the emailed links open (the demo's pages under /v2/email). */
const SITE_URL = process.env.SITE_URL ?? "http://localhost:3000";

export const {
  signUpWithEmailPassword,
  completeSignUpWithEmailPassword,
  signInWithEmailPassword,
  changePassword: changeEmailPassword,
  startPasswordRecovery,
  checkPasswordRecovery,
  completePasswordRecovery,
  startChangeEmail,
  completeChangeEmail,
} = setupEmailPassword(auth, {
  component: components.authEmail,
  passwordComponent: components.authPassword,
  emailSender: {
    kind: "resend",
    sendEmail: components.resend.lib.sendEmail,
    apiKey: process.env.RESEND_API_KEY ?? "re_local_stub",
    from: "Convex Auth demo <auth@localhost>",
  },
  urls: {
    signUp: `${SITE_URL}/v2/email/validate`,
    changeEmail: `${SITE_URL}/v2/email/change`,
    recovery: `${SITE_URL}/v2/email/recover`,
  },
}).attachUserCallbacks({ createUser: internal.users.createUser });

/** The pages a passkey ceremony may run on (exact origins): SITE_URL and any in AUTH_ORIGINS
 *  (comma-separated; the tests' pages). WebAuthn takes no IP address as relying party. */
const origins = [SITE_URL, ...(process.env.AUTH_ORIGINS ?? "").split(",").filter(Boolean)];

export const {
  startSignInWithUsernamePasskey,
  startAutofillSignInWithUsernamePasskey,
  finishSignUpWithUsernamePasskey,
  finishSignInWithUsernamePasskey,
  listPasskeys,
  renamePasskey,
  startAddPasskey,
  verifyAddPasskey,
  finishAddPasskey,
  startRemovePasskey,
  finishRemovePasskey,
} = setupUsernamePasskey(auth, {
  component: components.authPasskey,
  usernameComponent: components.authUsername,
  rpId: "localhost",
  rpName: "convex-auth-wasm demo",
  origin: origins,
}).attachUserCallbacks({ createUser: internal.users.createUser });
