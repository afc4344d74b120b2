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
  return { siteUrl: SITE, jwks, tokens: { good, tampered, wrongAudience } };
}
