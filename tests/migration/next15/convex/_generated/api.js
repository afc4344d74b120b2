// What `npx convex codegen` writes for the API object: references built from the path.
import { anyApi } from "convex/server";

export const api = anyApi;
