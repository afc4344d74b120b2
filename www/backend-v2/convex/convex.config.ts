// The app's components, as a real deployment mounts them. convex-test does not read this file:
// ../deployment.ts registers the same components under the same paths (keep them in step).
import { defineApp } from "convex/server";
import auth from "@convex-dev/auth/convex.config.js";
import authPassword from "@convex-dev/auth/components/password/convex.config.js";
import authUsername from "@convex-dev/auth/components/username/convex.config.js";
import authEmail from "@convex-dev/auth/components/email/convex.config.js";
import authPasskey from "@convex-dev/auth/components/passkey/convex.config.js";
import authGithub from "@convex-dev/auth/components/github/convex.config.js";

const app = defineApp();
app.use(auth); // must be mounted as `auth`: the token issuer is `${CONVEX_CLOUD_URL}/components/auth`
app.use(authPassword);
app.use(authUsername);
app.use(authEmail);
app.use(authPasskey);
// Its callback is <site>/oauth/github/callback; a real deployment also gives it
// `env: { CLIENT_ID, CLIENT_SECRET }` (the GitHub OAuth app's).
app.use(authGithub, { httpPrefix: "/oauth/github" } as never);
// A real deployment also mounts `@convex-dev/resend` as `resend` (the email method sends through
// it); this local one mounts the package's Resend stub under that name instead.
export default app;
