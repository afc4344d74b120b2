/* Stands in for `convex codegen` output (it needs a deployment): function and component references. */
import { anyApi, componentsGeneric } from "convex/server";
export const api = anyApi;
export const internal = anyApi;
export const components = componentsGeneric();
