// Tokens made the way Convex Auth makes them (jose, RS256, header exactly {"alg":"RS256"}, claims
// sub/iat/iss/aud/exp, JWKS {"keys":[{"use":"sig",…}]}), fresh per run, plus two it must refuse.
import { SignJWT, exportJWK, generateKeyPair } from "jose";

export const SITE = "https://happy-otter-123.convex.site";

export async function makeInputs() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwks = JSON.stringify({ keys: [{ use: "sig", ...(await exportJWK(publicKey)) }] });
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims) =>
    new SignJWT({ sub: "user123|session456", iat: now, iss: SITE, aud: "convex", exp: now + 3600, ...claims })
      .setProtectedHeader({ alg: "RS256" })
      .sign(privateKey);
  const good = await sign({});
  // The same signature over a payload whose subject an attacker changed.
  const [header, , signature] = good.split(".");
  const forgedPayload = Buffer.from(JSON.stringify({ sub: "admin|session456", iat: now, iss: SITE, aud: "convex", exp: now + 3600 })).toString("base64url");
  const tampered = `${header}.${forgedPayload}.${signature}`;
  const wrongAudience = await sign({ aud: "not-convex" });
  return { siteUrl: SITE, jwks, tokens: { good, tampered, wrongAudience }, v2: await makeV2Inputs(good) };
}

export const CLOUD = "https://happy-otter-123.convex.cloud";

/** Convex Auth 2's tokens (ES256 with a kid, issuer `${CLOUD}/components/auth`, audience
 *  "convex-auth", the session id as `sub`), and ones it must refuse: tampered, the all-zero
 *  "psychic" signature, and `v0Token` (the other generation's). */
async function makeV2Inputs(v0Token) {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" }] });
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: "session456", aud: "convex-auth", jti: "j1", iss: `${CLOUD}/components/auth`, iat: now, exp: now + 60 };
  const good = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "k1" }).sign(privateKey);
  const [header, , signature] = good.split(".");
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
  const [, payload] = good.split(".");
  const tokens = {
    good,
    tampered: `${header}.${forged}.${signature}`,
    psychic: `${header}.${payload}.${Buffer.alloc(64).toString("base64url")}`,
    otherGeneration: v0Token,
  };
  return { convexUrl: CLOUD, jwks, tokens };
}
