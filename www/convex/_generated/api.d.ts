/* Stands in for `convex codegen` output (it needs a deployment): the same typed references. */
import type { ApiFromModules, FilterApi, FunctionReference } from "convex/server";
import type * as auth from "../auth.js";
import type * as http from "../http.js";
import type * as mailbox from "../mailbox.js";
import type * as notes from "../notes.js";
import type * as users from "../users.js";

declare const fullApi: ApiFromModules<{
  auth: typeof auth;
  http: typeof http;
  mailbox: typeof mailbox;
  notes: typeof notes;
  users: typeof users;
}>;
export declare const api: FilterApi<typeof fullApi, FunctionReference<any, "public">>;
export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, "internal">>;
export declare const components: Record<string, never>;
