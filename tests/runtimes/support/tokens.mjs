// Tokens made the way Convex Auth 0.x makes them (jose, RS256, header exactly {"alg":"RS256"},
// claims sub/iat/iss/aud/exp, JWKS {"keys":[{"use":"sig",…}]}), fresh per run, plus two it must
// refuse; and a Convex Auth 2 token minted by the local v2 deployment, plus three it must refuse.
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { mintedV2Token } from "../../js/support/backend-v2.mjs";

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

/** A token minted by the local Convex Auth 2 deployment (the real @convex-dev/auth 2.0.0: ES256
 *  with a kid, issuer `${cloudUrl}/components/auth`, audience "convex-auth", the session id as
 *  `sub`) with that deployment's JWKS, and ones it must refuse: tampered, the all-zero "psychic"
 *  signature, and `v0Token` (the other generation's). */
async function makeV2Inputs(v0Token) {
  const { convexUrl, jwks, token: good, session } = await mintedV2Token("runtime");
  const [header, payload, signature] = good.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
  const tokens = {
    good,
    tampered: `${header}.${forged}.${signature}`,
    psychic: `${header}.${payload}.${Buffer.alloc(64).toString("base64url")}`,
    otherGeneration: v0Token,
  };
  return { convexUrl, jwks, tokens, session };
}
