/* Stands in for `convex codegen` output (it needs a deployment): the same typed references. */
import type { ApiFromModules, FilterApi, FunctionReference } from "convex/server";
import type { ComponentApi as AuthApi } from "@convex-dev/auth/_generated/component.js";
import type { ComponentApi as PasswordApi } from "@convex-dev/auth/components/password/_generated/component.js";
import type { ComponentApi as UsernameApi } from "@convex-dev/auth/components/username/_generated/component.js";
import type { ComponentApi as EmailApi } from "@convex-dev/auth/components/email/_generated/component.js";
import type { ComponentApi as PasskeyApi } from "@convex-dev/auth/components/passkey/_generated/component.js";
import type { ComponentApi as GithubApi } from "@convex-dev/auth/components/github/_generated/component.js";
import type * as auth from "../auth.js";
import type * as http from "../http.js";
import type * as notes from "../notes.js";
import type * as users from "../users.js";

declare const fullApi: ApiFromModules<{ auth: typeof auth; http: typeof http; notes: typeof notes; users: typeof users }>;
export declare const api: FilterApi<typeof fullApi, FunctionReference<any, "public">>;
export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, "internal">>;
export declare const components: {
  auth: AuthApi<"auth">;
  authPassword: PasswordApi<"authPassword">;
  authUsername: UsernameApi<"authUsername">;
  authEmail: EmailApi<"authEmail">;
  authPasskey: PasskeyApi<"authPasskey">;
  authGithub: GithubApi<"authGithub">;
  /** `@convex-dev/resend` in a real deployment; the package's Resend stub here (same function). */
  resend: { lib: { sendEmail: FunctionReference<"mutation", "internal", any, string> } };
};
