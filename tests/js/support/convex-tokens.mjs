// Tokens made the way Convex Auth makes them: jose SignJWT, header exactly {"alg":"RS256"},
// claims sub/iat/iss/aud/exp, keys from generateKeyPair("RS256"), JWKS {"keys":[{"use":"sig",…}]}.
// Generated per test run: no secret is committed.
import { SignJWT, generateKeyPair, exportJWK } from "jose";

export const SITE = "https://happy-otter-123.convex.site";

export async function makeIssuer({ modulusLength = 2048, kid } = {}) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true, modulusLength });
  const jwk = await exportJWK(publicKey);
  const key = { use: "sig", ...jwk, ...(kid ? { kid } : {}) };
  const jwks = JSON.stringify({ keys: [key] });
  /** Signs a token; `claims` overrides or adds claims, `header` replaces the header. */
  async function sign({ claims = {}, header = { alg: "RS256" }, now = Math.floor(Date.now() / 1000), ttl = 3600 } = {}) {
    const jwt = new SignJWT({ ...claims });
    jwt.setProtectedHeader(header);
    const base = { sub: "user123|session456", iat: now, iss: SITE, aud: "convex", exp: now + ttl };
    const payload = { ...base, ...claims };
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
    return new SignJWT(payload).setProtectedHeader(header).sign(privateKey);
  }
  return { privateKey, publicKey, jwk: key, jwks, sign };
}
