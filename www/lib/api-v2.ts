// The Convex Auth 2 deployment's function references, typed by its generated API (a type-only
// import: the references themselves come from this app's own `convex`).
import { anyApi } from "convex/server";
import type { api as generated } from "../backend-v2/convex/_generated/api";

export const apiV2 = anyApi as unknown as typeof generated;
