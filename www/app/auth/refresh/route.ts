// Convex Auth 2's /auth/refresh route (ssr mode), from convex-auth-wasm/ssr.
import { v2Routes } from "../../../lib/auth-v2";

export const POST = v2Routes.refreshHandler;
