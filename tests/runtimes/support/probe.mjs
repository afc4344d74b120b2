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

/** Convex Auth 2: each crypto the runtime has (auto, then each forced), on each v2 token. */
async function probeV2(edge, { convexUrl, jwks, tokens, session }) {
  const results = { session }; // echoed: the session id the deployment put in `sub`
  for (const crypto of ["auto", "node", "webcrypto", "wasm"]) {
    const created = await outcome(() => edge.createVerifier({ convexUrl, jwks, crypto }));
    if (!created.ok) continue;
    const v = edge.createVerifier({ convexUrl, jwks, crypto, cacheSize: 0 });
    const run = (token, sync) => outcome(async () => {
      const id = sync ? v.verifySync(token) : await v.verify(token);
      return { userId: id.userId, sessionId: id.sessionId };
    });
    results[crypto] = { crypto: v.crypto };
    for (const [name, token] of Object.entries(tokens)) {
      results[crypto][name] = await run(token, false);
      results[crypto][`${name}Sync`] = await run(token, true);
    }
  }
  return results;
}

export async function probe(edge, client, { siteUrl, jwks, tokens, v2 }) {
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
    v2: await probeV2(edge, v2),
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
