// The checks every runtime runs, given both entries of the installed package and the inputs made
// by the Node test process ({ siteUrl, jwks, tokens: { good, tampered, wrongAudience } }).
// Returns plain JSON: what happened, never a verdict; the test asserts.

const outcome = async (run) => {
  try {
    const value = await run();
    return { ok: true, value };
  } catch (error) {
    return { ok: false, isError: error instanceof Error, name: error?.name, code: error?.code, message: String(error?.message ?? error) };
  }
};

const identity = (id) => ({ userId: id.userId, sessionId: id.sessionId, issuer: id.issuer, audience: id.audience });

export async function probe(edge, client, { siteUrl, jwks, tokens }) {
  const verifier = edge.createVerifier({ siteUrl, jwks });
  const result = {
    edgeExports: Object.keys(edge).sort(),
    clientExports: Object.keys(client).sort(),
    crypto: verifier.crypto,
    good: await outcome(async () => identity(await verifier.verify(tokens.good))),
    goodSync: await outcome(() => identity(verifier.verifySync(tokens.good))),
    tampered: await outcome(async () => identity(await verifier.verify(tokens.tampered))),
    wrongAudience: await outcome(async () => identity(await verifier.verify(tokens.wrongAudience))),
    request: await outcome(async () =>
      identity(await verifier.verifyRequest(new Request("https://app.example/", { headers: { authorization: `Bearer ${tokens.good}` } }))),
    ),
    forced: {},
    client: await outcome(() => ({
      version: client.version(),
      jwtKey: client.storageKeys("https://a-1.convex.cloud").jwt,
      siteUrl: client.siteUrlFromConvexUrl("https://happy-otter-123.convex.cloud"),
      decodedUser: client.decodeToken(tokens.good).userId,
      sessionManager: typeof client.SessionManager,
    })),
  };
  // Each crypto the package can pick, forced: who verifies, and whether it accepts and refuses.
  for (const crypto of ["node", "webcrypto", "wasm"]) {
    const forced = await outcome(() => edge.createVerifier({ siteUrl, jwks, crypto }));
    if (!forced.ok) {
      result.forced[crypto] = { created: forced };
      continue;
    }
    const v = edge.createVerifier({ siteUrl, jwks, crypto });
    result.forced[crypto] = {
      crypto: v.crypto,
      good: await outcome(async () => (await v.verify(tokens.good)).userId),
      tampered: await outcome(async () => (await v.verify(tokens.tampered)).userId),
    };
  }
  return result;
}
