// Signing keys the way `npx @convex-dev/auth` makes them: an RS256 pair, the private key as a
// PKCS#8 PEM on one line (newlines replaced by spaces), the public key as a JWKS with one
// `{"use":"sig",…}` key. Taken from JWT_PRIVATE_KEY / JWKS when both are set.
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";

export async function deploymentKeys(env: NodeJS.ProcessEnv): Promise<{ privateKey: string; jwks: string }> {
  if (env.JWT_PRIVATE_KEY && env.JWKS) return { privateKey: env.JWT_PRIVATE_KEY, jwks: env.JWKS };
  const keys = await generateKeyPair("RS256", { extractable: true });
  const privateKey = (await exportPKCS8(keys.privateKey)).trimEnd().replace(/\n/g, " ");
  const jwks = JSON.stringify({ keys: [{ use: "sig", ...(await exportJWK(keys.publicKey)) }] });
  return { privateKey, jwks };
}
