// Entry for workerd: bundled by wrangler (conditions workerd/worker/browser; .wasm imports kept as
// compiled wasm modules), served by Miniflare. The inputs arrive as the request's JSON body.
import * as edge from "convex-auth-wasm/edge";
import * as client from "convex-auth-wasm/client";
import { probe } from "./probe.mjs";

export default {
  async fetch(request) {
    const result = await probe(edge, client, await request.json());
    result.runtime = `workerd (${navigator.userAgent})`;
    result.hasProcess = typeof globalThis.process;
    result.hasGetBuiltinModule = typeof globalThis.process?.getBuiltinModule;
    return Response.json(result);
  },
};
