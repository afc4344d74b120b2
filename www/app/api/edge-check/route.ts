// An edge-runtime route handler that verifies the caller locally (Bearer or cookie).
import { createVerifier, type ConvexAuthError } from "convex-auth-wasm/edge";
import { deploymentConfig } from "../../../lib/config";

export const runtime = "edge";
export const dynamic = "force-dynamic";

const verifier = createVerifier({ siteUrl: deploymentConfig().siteUrl });

export async function GET(request: Request) {
  try {
    const identity = await verifier.verifyRequest(request);
    if (!identity) return Response.json({ authenticated: false }, { status: 401 });
    return Response.json({ authenticated: true, userId: identity.userId, crypto: verifier.crypto, runtime: "edge" });
  } catch (e) {
    return Response.json({ authenticated: false, error: (e as ConvexAuthError).code }, { status: 401 });
  }
}
