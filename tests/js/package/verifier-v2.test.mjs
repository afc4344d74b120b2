// The edge verifier on Convex Auth 2 tokens (ES256, issued by the deployment), from the installed
// tarball: the generation comes from the options (`convexUrl`), never from the token.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync, randomBytes, verify as nodeVerify } from "node:crypto";
import { importInScratch } from "../support/package.mjs";
import { CLOUD, SITE, flipRandomBit, makeIssuer, makeV2Issuer } from "../support/convex-tokens.mjs";

const { edge } = await importInScratch("imports-edge.mjs", `export * as edge from "convex-auth-wasm/edge";\n`);
const { createVerifier } = edge;
const v2 = await makeV2Issuer();
const v0 = await makeIssuer();
const CRYPTOS = ["node", "webcrypto", "wasm"];
const verifierFor = (crypto, extra = {}) => createVerifier({ convexUrl: CLOUD, jwks: v2.jwks, crypto, ...extra });

/** Resolves with the error code of `promise`, or "ok". */
const outcome = (promise) =>
  Promise.resolve(promise).then(
    () => "ok",
    (e) => {
      assert.equal(e.name, "ConvexAuthError", String(e));
      return e.code;
    },
  );
/** The outcome of `token` on every signature path, `verify` and `verifySync` alike. */
async function outcomes(token, extra) {
  const all = {};
  for (const crypto of CRYPTOS) {
    const verifier = verifierFor(crypto, { cacheSize: 0, ...extra });
    all[crypto] = await outcome(verifier.verify(token));
    all[`${crypto}Sync`] = await outcome(Promise.resolve().then(() => verifier.verifySync(token)));
  }
  return all;
}
const everywhere = (code) => Object.fromEntries(CRYPTOS.flatMap((c) => [[c, code], [`${c}Sync`, code]]));

test("a Convex Auth 2 token verifies with { convexUrl } on every signature path: the session id, no user id", async () => {
  const token = await v2.sign();
  assert.deepEqual(await outcomes(token), everywhere("ok"));
  for (const crypto of CRYPTOS) {
    const id = await verifierFor(crypto).verify(token);
    assert.equal(id.userId, null, "Convex Auth 2 tokens carry no user id");
    assert.equal(id.sessionId, "session456");
    assert.equal(id.subject, "session456");
    assert.equal(id.issuer, `${CLOUD}/components/auth`);
    assert.equal(id.audience, "convex-auth");
    assert.equal(id.expiresAt - id.issuedAt, 60);
    assert.match(id.claims.jti, /^[0-9a-f-]{36}$/);
  }
});

test("the other generation's token is refused with ERR_JWT_GENERATION_MISMATCH, naming the option to use", async () => {
  const v2Token = await v2.sign({ claims: { sub: "secret-session-id" } });
  const v0Token = await v0.sign({ claims: { sub: "secret-user|secret-session" } });
  const v0Verifier = createVerifier({ siteUrl: SITE, jwks: v0.jwks });
  const v2Verifier = createVerifier({ convexUrl: CLOUD, jwks: v2.jwks });
  for (const [verifier, token, option] of [
    [v0Verifier, v2Token, "convexUrl"],
    [v2Verifier, v0Token, "siteUrl"],
  ]) {
    for (const run of [() => verifier.verify(token), async () => verifier.verifySync(token)]) {
      await assert.rejects(run(), (e) => {
        assert.equal(e.code, "ERR_JWT_GENERATION_MISMATCH", e.message);
        assert.equal(e.option, option);
        assert.match(e.message, new RegExp(`\\{ ${option}: `));
        assert.ok(!e.message.includes("secret"), "nothing from the token is reported back");
        return true;
      });
    }
  }
  // Allowing the other algorithm is a decision the configuration makes: then the usual checks run.
  const both = createVerifier({ siteUrl: SITE, jwks: v0.jwks, algorithms: ["RS256", "ES256"] });
  await assert.rejects(both.verify(v2Token), { code: "ERR_JWKS_NO_MATCHING_KEY" });
});

test("options: convexUrl and siteUrl never together; convexUrl is the .convex.cloud URL; defaults follow the generation", async () => {
  assert.throws(() => createVerifier({ convexUrl: CLOUD, siteUrl: SITE, jwks: v2.jwks }), (e) => e.code === "ERR_CONFIG_INVALID" && e.option === "convexUrl");
  assert.throws(() => createVerifier({ convexUrl: SITE, jwks: v2.jwks }), (e) => e.code === "ERR_CONFIG_INVALID" && e.option === "convexUrl");
  assert.throws(() => createVerifier({ siteUrl: CLOUD, jwks: v0.jwks }),
    (e) => e.code === "ERR_CONFIG_INVALID" && e.option === "siteUrl" && e.suggestion === SITE && /as convexUrl/.test(e.message));
  // Neither option: the message names both, with the generation each one configures.
  assert.throws(() => createVerifier({ jwks: v2.jwks }),
    (e) => e.code === "ERR_CONFIG_INVALID" && /siteUrl \(Convex Auth 0\.x.*convexUrl \(Convex Auth 2/.test(e.message));
  const remote = createVerifier({ convexUrl: CLOUD });
  assert.equal(remote.jwksStatus.url, `${CLOUD}/.well-known/jwks.json`, "the JWKS is on the cloud origin");
  // The mirror of 0.x's classic mistake: Convex Auth 2's JWKS is not on .convex.site.
  assert.throws(
    () => createVerifier({ convexUrl: CLOUD, jwksUrl: `${SITE}/.well-known/jwks.json` }),
    (e) => e.code === "ERR_CONFIG_INVALID" && e.suggestion === `${CLOUD}/.well-known/jwks.json`,
  );
  // An issuer override on .convex.site, or the bare cloud origin (every token the app's own
  // functions sign), is refused with Convex Auth 2's issuer suggested.
  for (const issuer of [SITE, CLOUD]) {
    assert.throws(
      () => createVerifier({ convexUrl: CLOUD, issuer }),
      (e) => e.code === "ERR_CONFIG_INVALID" && e.option === "issuer" && e.suggestion === `${CLOUD}/components/auth`,
      issuer,
    );
  }
  // issuer / audience / algorithms still override.
  const token = await v2.sign({ claims: { iss: "https://auth.example/issuer", aud: "mine" } });
  await assert.rejects(verifierFor("wasm").verify(token), { code: "ERR_JWT_ISSUER_MISMATCH" });
  const custom = verifierFor("wasm", { issuer: "https://auth.example/issuer", audience: "mine" });
  assert.equal((await custom.verify(token)).sessionId, "session456");
});

test("forged, expired and misdirected Convex Auth 2 tokens are refused with stable codes on every path", async () => {
  const token = await v2.sign();
  const [h, p, s] = token.split(".");
  const payload = JSON.parse(Buffer.from(p, "base64url").toString());
  const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: "someone-else" })).toString("base64url");
  const sig = Buffer.from(s, "base64url");
  const n = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  const asBytes = (v) => Buffer.from(v.toString(16).padStart(64, "0"), "hex");
  const r = BigInt(`0x${sig.subarray(0, 32).toString("hex")}`);
  const der = (bytes) => {
    const int = (b) => {
      const trimmed = b.subarray(b.findIndex((x) => x !== 0));
      const body = trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
      return Buffer.concat([Buffer.from([0x02, body.length]), body]);
    };
    const seq = Buffer.concat([int(bytes.subarray(0, 32)), int(bytes.subarray(32))]);
    return Buffer.concat([Buffer.from([0x30, seq.length]), seq]);
  };
  const cases = [
    ["(r, n - s), the malleated twin: valid ECDSA, accepted alike", `${h}.${p}.${Buffer.concat([sig.subarray(0, 32), asBytes(n - BigInt(`0x${sig.subarray(32).toString("hex")}`))]).toString("base64url")}`, "ok"],
    ["payload changed", `${h}.${forgedPayload}.${s}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["r = s = 0 (psychic signature)", `${h}.${p}.${Buffer.alloc(64).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["r = 0", `${h}.${p}.${Buffer.concat([Buffer.alloc(32), sig.subarray(32)]).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["s = n", `${h}.${p}.${Buffer.concat([sig.subarray(0, 32), asBytes(n)]).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["r + n (out of range)", `${h}.${p}.${Buffer.concat([asBytes(r + n).subarray(-32), sig.subarray(32)]).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["the same signature DER-encoded", `${h}.${p}.${der(sig).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["63 bytes", `${h}.${p}.${sig.subarray(1).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["expired", await v2.sign({ now: Math.floor(Date.now() / 1000) - 120 }), "ERR_JWT_EXPIRED"],
    ["another kid", await v2.sign({ header: { alg: "ES256", typ: "JWT", kid: "rotated-away" } }), "ERR_JWKS_NO_MATCHING_KEY"],
    ["audience of 0.x", await v2.sign({ claims: { aud: "convex" } }), "ERR_JWT_AUDIENCE_MISMATCH"],
    ["alg none", `${b64({ alg: "none", kid: v2.kid })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["HS256 with the public key as secret", `${b64({ alg: "HS256", kid: v2.kid })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
  ];
  for (const [name, bad, code] of cases) assert.deepEqual(await outcomes(bad), everywhere(code), name);
});

test("an RSA key never verifies an ES256 token, nor an EC key an RS256 one", async () => {
  const both = { keys: [JSON.parse(v0.jwks).keys[0], JSON.parse(v2.jwks).keys[0]] };
  // The EC key's kid on an RS256 token, and an ES256 token with no kid against the RSA key alone.
  const rsOnEc = await v0.sign({ header: { alg: "RS256", kid: v2.kid } });
  const esNoKid = await v2.sign({ header: { alg: "ES256", typ: "JWT" } });
  // (any issuer: no key is found, so the claims are never reached)
  const config = { jwks: both, algorithms: ["RS256", "ES256"], issuer: "https://auth.example/issuer" };
  assert.deepEqual(await outcomes(rsOnEc, config), everywhere("ERR_JWKS_NO_MATCHING_KEY"));
  const rsaOnly = { jwks: v0.jwks, algorithms: ["ES256"] };
  assert.deepEqual(await outcomes(esNoKid, rsaOnly), everywhere("ERR_JWKS_NO_MATCHING_KEY"));
});

test("EC keys that are not P-256 points are refused; other curves are skipped", () => {
  const jwk = JSON.parse(v2.jwks).keys[0];
  const y = Buffer.from(jwk.y, "base64url");
  y[31] ^= 1;
  for (const bad of [{ ...jwk, y: y.toString("base64url") }, { ...jwk, x: jwk.x.slice(2) }]) {
    assert.throws(() => createVerifier({ convexUrl: CLOUD, jwks: { keys: [bad] } }), (e) => e.code === "ERR_JWKS_INVALID" && /P-256/.test(e.message));
  }
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const p384 = { ...publicKey.export({ format: "jwk" }), kid: "p384" };
  assert.throws(() => createVerifier({ convexUrl: CLOUD, jwks: { keys: [p384] } }), { code: "ERR_JWKS_INVALID" });
  assert.ok(createVerifier({ convexUrl: CLOUD, jwks: { keys: [p384, jwk] } }), "a set with one usable key serves");
});

test("verifyRequest reads the Bearer token, else Convex Auth 2's unprefixed __convexAuthJWT cookie", async () => {
  const token = await v2.sign();
  const verifier = createVerifier({ convexUrl: CLOUD, jwks: v2.jwks });
  const request = (headers) => new Request("https://app.example/dashboard", { headers });
  assert.equal((await verifier.verifyRequest(request({ cookie: `__convexAuthJWT=${token}` }))).sessionId, "session456");
  assert.equal(await verifier.verifyRequest(request({ cookie: `__Host-__convexAuthJWT=${token}` })), null);
  assert.equal((await verifier.verifyRequest(request({ authorization: `Bearer ${token}` }))).sessionId, "session456");
});

test("every ES256 path (node:crypto, WebCrypto, wasm) agrees with a direct node:crypto check on thousands of random and tampered tokens", async () => {
  const publicKey = createPublicKey({ key: JSON.parse(v2.jwks).keys[0], format: "jwk" });
  const make = (crypto) => verifierFor(crypto, { cacheSize: 0, clockTolerance: 600 });
  const [node, web, wasm] = CRYPTOS.map(make);
  assert.deepEqual([node.crypto, web.crypto, wasm.crypto], CRYPTOS);
  let accepted = 0;
  for (let i = 0; i < 2000; i++) {
    let token = await v2.sign({ claims: { n: i, r: randomBytes(8).toString("hex") } });
    if (i % 2) token = flipRandomBit(token);
    const [h, p, s] = token.split(".");
    let reference = false;
    try {
      const signature = Buffer.from(s, "base64url");
      reference =
        signature.length === 64 &&
        signature.toString("base64url") === s &&
        nodeVerify("sha256", Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, signature);
      JSON.parse(Buffer.from(h, "base64url").toString());
      JSON.parse(Buffer.from(p, "base64url").toString());
    } catch {
      reference = false;
    }
    const results = {
      node: (await outcome(node.verify(token))) === "ok",
      webcrypto: (await outcome(web.verify(token))) === "ok",
      wasm: (await outcome(Promise.resolve().then(() => wasm.verifySync(token)))) === "ok",
    };
    assert.deepEqual(results, { node: reference, webcrypto: reference, wasm: reference }, `token ${i}: ${token}`);
    accepted += reference;
  }
  assert.ok(accepted >= 1000 && accepted < 2000, `accepted ${accepted}`);
});

const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
