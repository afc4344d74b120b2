/* Stands in for `convex codegen` output: function references (typed in api.d.ts). */
import { anyApi } from "convex/server";
export const api = anyApi;
export const internal = anyApi;
export const components = {};
