// Convex Auth 2: the session functions of the core, and four sign-in methods: username +
// password, email + password (its emails go to the Resend stub: see ../deployment.ts), username +
// passkey (WebAuthn, relying party `localhost`), and GitHub (OAuth; GitHub's side is played
// locally: ../fake-github.ts).
import { setupConvexAuth } from "@convex-dev/auth/server";
import { setupUsernamePassword } from "@convex-dev/auth/methods/username-password/server";
import { setupEmailPassword } from "@convex-dev/auth/methods/email-password/server";
import { setupUsernamePasskey } from "@convex-dev/auth/methods/username-passkey/server";
import { setupGithub } from "@convex-dev/auth/methods/github/server";
import { components, internal } from "./_generated/api";
import { SITE_URL, siteOrigins } from "./siteOrigins";

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
  origin: siteOrigins(), // exact origins; WebAuthn takes no IP address as relying party
}).attachUserCallbacks({ createUser: internal.users.createUser });

export const { startSignInWithGithub, completeSignInWithGithub } = setupGithub(auth, {
  component: components.authGithub,
  allowedRedirectOrigins: siteOrigins(),
}).attachUserCallbacks({ createUser: internal.users.createUser });
