// Tokens made the way Convex Auth makes them: jose SignJWT, header exactly {"alg":"RS256"},
// claims sub/iat/iss/aud/exp, keys from generateKeyPair("RS256"), JWKS {"keys":[{"use":"sig",…}]}.
// Generated per test run: no secret is committed.
import { randomUUID } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, generateKeyPair, exportJWK } from "jose";

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

export const CLOUD = "https://happy-otter-123.convex.cloud";

/**
 * Tokens made the way a Convex Auth 2 deployment makes them (`ctx.auth.signJwt`): header
 * {"alg":"ES256","typ":"JWT","kid":<RFC 7638 thumbprint>}, claims sub (the session id), aud
 * "convex-auth", a random jti, iss `${CLOUD}/components/auth`, iat, exp (60 s); JWKS with the EC
 * P-256 key and its kid. Generated per test run.
 */
export async function makeV2Issuer() {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const key = { ...jwk, kid, alg: "ES256", use: "sig" };
  const jwks = JSON.stringify({ keys: [key] });
  async function sign({ claims = {}, header = { alg: "ES256", typ: "JWT", kid }, now = Math.floor(Date.now() / 1000), ttl = 60 } = {}) {
    const base = {
      sub: "session456",
      aud: "convex-auth",
      jti: randomUUID(),
      iss: `${CLOUD}/components/auth`,
      iat: now,
      exp: now + ttl,
    };
    const payload = { ...base, ...claims };
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
    return new SignJWT(payload).setProtectedHeader(header).sign(privateKey);
  }
  return { privateKey, publicKey, jwk: key, kid, jwks, sign };
}

/** `token` with one random bit flipped somewhere in its signed input or signature (a `.` is left
 *  as it is, so the token may come back unchanged). */
export function flipRandomBit(token) {
  const bytes = Buffer.from(token);
  const at = Math.floor(Math.random() * bytes.length);
  if (bytes[at] !== 0x2e) bytes[at] = bytes[at] ^ (1 << Math.floor(Math.random() * 6));
  return bytes.toString();
}
