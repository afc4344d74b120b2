import type { AnyApi } from "convex/server";

export declare const api: AnyApi;
