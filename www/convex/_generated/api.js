/* Stands in for `convex codegen` output: untyped function references. */
import { anyApi } from "convex/server";
export const api = anyApi;
export const internal = anyApi;
export const components = {};
