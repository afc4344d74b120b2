// Accept the access tokens the auth component signs with the deployment's key. ../verify.ts
// reads this provider (issuer, audience, algorithm) to check Bearer and WebSocket tokens.
import type { AuthConfig } from "convex/server";
import { convexAuthProvider } from "@convex-dev/auth/server";

export default {
  providers: [convexAuthProvider()],
} satisfies AuthConfig;
