// The edge verifier from the installed tarball, against tokens made the way Convex Auth makes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KeyObject, createVerify, generateKeyPairSync, randomBytes, sign as nodeSign } from "node:crypto";
import { SignJWT } from "jose";
import { importInScratch } from "../support/package.mjs";
import { flipRandomBit, makeIssuer, SITE } from "../support/convex-tokens.mjs";

const { edge } = await importInScratch("imports-edge.mjs", `export * as edge from "convex-auth-wasm/edge";\n`);
const { createVerifier } = edge;
const issuer = await makeIssuer();
const other = await makeIssuer();
const now = Math.floor(Date.now() / 1000);
const verifier = createVerifier({ siteUrl: SITE, jwks: issuer.jwks });
const b64 = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

async function rejectsWith(token, code, v = verifier) {
  await assert.rejects(v.verify(token), (err) => {
    assert.ok(err instanceof Error, "a real Error");
    assert.equal(err.name, "ConvexAuthError");
    assert.equal(err.code, code, `${err.code}: ${err.message}`);
    return true;
  });
}

test("accepts a Convex Auth token and returns the identity", async () => {
  const token = await issuer.sign({ claims: { role: "admin" } });
  const id = await verifier.verify(token);
  assert.equal(id.userId, "user123");
  assert.equal(id.sessionId, "session456");
  assert.equal(id.subject, "user123|session456");
  assert.equal(id.issuer, SITE);
  assert.equal(id.audience, "convex");
  assert.equal(id.claims.role, "admin");
  assert.equal(id.expiresAt - id.issuedAt, 3600);
  // Only the documented fields: the cache's bookkeeping is a non-enumerable symbol.
  assert.deepEqual(Object.keys(id), ["userId", "sessionId", "subject", "issuer", "audience", "issuedAt", "expiresAt", "claims"]);
  assert.equal(JSON.stringify(id), JSON.stringify({ ...id }));
});

test("a token string that is not ASCII: measured in UTF-8 bytes, lone surrogates refused", async () => {
  // Token text enters wasm through TextEncoder.encodeInto (src/web/interop/strings.rs): three
  // bytes per "€", so 2731 of them are 8193 bytes, one over the limit, and 2730 are under it.
  for (const verify of [(t) => verifier.verify(t), async (t) => verifier.verifySync(t)]) {
    await assert.rejects(verify("€".repeat(2731)), (err) => {
      assert.equal(err.code, "ERR_JWT_TOO_LARGE");
      assert.equal(err.size, 8193);
      assert.equal(err.limit, 8192);
      return true;
    });
    for (const token of ["€".repeat(2730), `${"é".repeat(10)}.${"😀".repeat(10)}.x`, "a.\uD800.b", "\uDFFF.a.b"]) {
      await assert.rejects(verify(token), (err) => err.code === "ERR_JWT_MALFORMED");
    }
  }
  // A valid token with a stray non-ASCII character anywhere is malformed, not a crash.
  const good = await issuer.sign();
  await assert.rejects(verifier.verify(`${good}\u00e9`), (err) => err.code === "ERR_JWT_MALFORMED");
});

test("every field survives as signed: escapes, Unicode, audience lists, missing iat, every crypto", async () => {
  const sub = 'us"er\\\u2028\u00e9|se\nss\u{1F600}ion';
  const claims = { sub, aud: ["other", "convex"], iat: undefined, deep: { "k\"ey": ["\u0000", 1.5, null, true] } };
  const token = await issuer.sign({ claims });
  for (const crypto of ["node", "webcrypto", "wasm"]) {
    const id = await createVerifier({ siteUrl: SITE, jwks: issuer.jwks, crypto }).verify(token);
    assert.deepEqual(
      { ...id, claims: undefined },
      {
        userId: 'us"er\\\u2028\u00e9',
        sessionId: "se\nss\u{1F600}ion",
        subject: sub,
        issuer: SITE,
        audience: ["other", "convex"],
        issuedAt: null,
        expiresAt: id.claims.exp,
        claims: undefined,
      },
      crypto,
    );
    assert.deepEqual(id.claims.deep, claims.deep);
    assert.equal(id.claims.iat, undefined);
  }
  // A subject without a session id; a fractional exp is checked (and reported) in whole seconds,
  // while the claim keeps its literal; a second "|" belongs to the session id.
  const plain = await issuer.sign({ claims: { sub: "\u{1F600}solo", exp: now + 600.75, iat: now - 0.5 } });
  const solo = await verifier.verify(plain);
  assert.deepEqual([solo.userId, solo.sessionId, solo.subject], ["\u{1F600}solo", null, "\u{1F600}solo"]);
  assert.deepEqual([solo.expiresAt, solo.claims.exp, solo.issuedAt, solo.claims.iat], [now + 600, now + 600.75, now - 1, now - 0.5]);
  const piped = await verifier.verify(await issuer.sign({ claims: { sub: "\u00e9u|s|t" } }));
  assert.deepEqual([piped.userId, piped.sessionId], ["\u00e9u", "s|t"]);
});

test("cached results are frozen and identical; the caller cannot corrupt them", async () => {
  const token = await issuer.sign({ claims: { nested: { a: [1] } } });
  const first = await verifier.verify(token);
  const second = await verifier.verify(token);
  assert.equal(first, second, "a hit returns the cached object");
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.claims) && Object.isFrozen(first.claims.nested.a));
  assert.throws(() => { "use strict"; first.userId = "attacker"; }, TypeError);
  assert.equal((await verifier.verify(token)).userId, "user123");
  const uncached = createVerifier({ siteUrl: SITE, jwks: issuer.jwks, cacheSize: 0 });
  assert.notEqual(await uncached.verify(token), await uncached.verify(token));
  assert.equal(uncached.cachedTokens, 0);
});

test("the JS-side copy of cache hits follows the wasm cache: clears, expiry, verifySync, verifyRequest", async () => {
  const v = createVerifier({ siteUrl: SITE, jwks: issuer.jwks, clockTolerance: 0 });
  const token = await issuer.sign({ claims: { exp: now + 2 } });
  const first = v.verifySync(token);
  assert.equal(await v.verify(token), first, "a hit from either method");
  const request = new Request("https://app.example/", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(await v.verifyRequest(request), first);
  assert.equal(await v.verifyRequest(new Request("https://app.example/")), null);
  v.clearCache();
  const again = v.verifySync(token);
  assert.notEqual(again, first, "cleared: verified anew");
  // Time passes (a fake clock for this check only): past exp, no copy serves it.
  const realNow = Date.now;
  Date.now = () => realNow() + 5_000;
  try {
    assert.throws(() => v.verifySync(token), { code: "ERR_JWT_EXPIRED" });
    await assert.rejects(v.verify(token), { code: "ERR_JWT_EXPIRED" });
  } finally {
    Date.now = realNow;
  }
  // A forged token is never served from a copy, however often it is tried.
  const [h, , sig] = token.split(".");
  const forged = `${h}.${b64({ sub: "admin|x", iss: SITE, aud: "convex", iat: now, exp: now + 3600 })}.${sig}`;
  for (let i = 0; i < 3; i++) await rejectsWith(forged, "ERR_JWT_SIGNATURE_INVALID", v);
});

test("the cache is bounded", async () => {
  const v = createVerifier({ siteUrl: SITE, jwks: issuer.jwks, cacheSize: 3 });
  for (let i = 0; i < 5; i++) await v.verify(await issuer.sign({ claims: { i } }));
  assert.equal(v.cachedTokens, 3);
  v.clearCache();
  assert.equal(v.cachedTokens, 0);
});

test("verifyRequest: bearer first, then the Convex Auth Next.js cookie by host", async () => {
  const token = await issuer.sign();
  const req = (url, headers) => new Request(url, { headers });
  assert.equal(await verifier.verifyRequest(req("https://app.example/", {})), null);
  assert.equal((await verifier.verifyRequest(req("https://app.example/", { authorization: `Bearer ${token}` }))).userId, "user123");
  assert.equal((await verifier.verifyRequest(req("https://app.example/", { cookie: `a=1; __Host-__convexAuthJWT=${token}` }))).userId, "user123");
  assert.equal(await verifier.verifyRequest(req("https://app.example/", { cookie: `__convexAuthJWT=${token}` })), null,
    "off localhost only the __Host- cookie counts (a sibling subdomain cannot set it)");
  assert.equal((await verifier.verifyRequest(req("http://localhost:3000/", { cookie: `__convexAuthJWT=${token}` }))).userId, "user123");
  assert.equal(await verifier.verifyRequest(req("https://app.example/", { authorization: "Basic dTpw" })), null);
  await assert.rejects(verifier.verifyRequest(req("https://app.example/", { authorization: "Bearer x.y.z" })), { code: "ERR_JWT_MALFORMED" });
});

test("construction refuses bad options with corrective errors", () => {
  const cases = [
    [{ siteUrl: "https://happy-otter-123.convex.cloud", jwks: issuer.jwks }, "ERR_CONFIG_INVALID", /happy-otter-123\.convex\.site.*as convexUrl/],
    [{ siteUrl: SITE, jwks: issuer.jwks, issuer: "https://happy-otter-123.convex.cloud" }, "ERR_CONFIG_INVALID", /convex\.site/],
    [{ siteUrl: SITE, jwks: issuer.jwks, jwksUrl: `${SITE}/.well-known/jwks.json` }, "ERR_CONFIG_INVALID", /one of them/],
    [{ siteUrl: SITE, jwksUrl: "https://happy-otter-123.convex.cloud/.well-known/jwks.json" }, "ERR_CONFIG_INVALID", /happy-otter-123\.convex\.site\/\.well-known/],
    [{ siteUrl: SITE, jwksUrl: "http://keys.example.com/jwks" }, "ERR_CONFIG_INVALID", /loopback/],
    [{ siteUrl: SITE, jwksUrl: "/jwks" }, "ERR_CONFIG_INVALID", /absolute URL/],
    [{ siteUrl: SITE, jwksTimeout: 0 }, "ERR_CONFIG_INVALID", /jwksTimeout/],
    [{ siteUrl: SITE, jwks: issuer.jwks, crypto: "gpu" }, "ERR_CONFIG_INVALID", /crypto/],
    [{ siteUrl: SITE, jwks: issuer.jwks, onJwksError: "log" }, "ERR_CONFIG_INVALID", /onJwksError/],
    [{ siteUrl: SITE, jwks: 42 }, "ERR_CONFIG_INVALID", /jwks/],
    [{ siteUrl: SITE, jwks: issuer.jwks, algorithms: [] }, "ERR_CONFIG_INVALID", /algorithms/],
    [{ siteUrl: SITE, jwks: issuer.jwks, algorithms: ["none"] }, "ERR_CONFIG_INVALID", /never accepted/],
    [{ siteUrl: SITE, jwks: issuer.jwks, algorithms: ["HS256"] }, "ERR_CONFIG_INVALID", /never accepted/],
    [{ siteUrl: SITE, jwks: issuer.jwks, clockTolerance: -1 }, "ERR_CONFIG_INVALID", /clockTolerance/],
    [{ siteUrl: SITE, jwks: issuer.jwks, cacheSize: "big" }, "ERR_CONFIG_INVALID", /cacheSize/],
    [{ siteUrl: SITE, jwks: issuer.jwks, audience: [] }, "ERR_CONFIG_INVALID", /audience/],
    [{ siteUrl: SITE, jwks: "" }, "ERR_JWKS_INVALID", /JWKS/],
    [{ siteUrl: SITE, jwks: "garbage" }, "ERR_JWKS_INVALID", /JWKS/],
    [{ siteUrl: SITE, jwks: { keys: [] } }, "ERR_JWKS_INVALID", /no RSA signing key/],
    [{ siteUrl: SITE, jwks: { keys: {} } }, "ERR_JWKS_INVALID", /keys/],
    [{ siteUrl: SITE, jwks: { keys: [1] } }, "ERR_JWKS_INVALID", /keys\[0\]/],
    [{ siteUrl: SITE, jwks: { keys: [{ kty: "RSA", e: "AQAB" }] } }, "ERR_JWKS_INVALID", /"n"/],
    [{ siteUrl: SITE, jwks: { keys: [{ kty: "RSA", n: "!!", e: "AQAB" }] } }, "ERR_JWKS_INVALID", /base64url/],
    [{ siteUrl: SITE, jwks: { keys: [{ kty: "RSA", n: b64("x".repeat(128)), e: "AQAB" }] } }, "ERR_JWKS_INVALID", /1023-bit RSA key|bit RSA key/],
    [{ siteUrl: SITE, jwks: { keys: [{ ...issuer.jwk, e: "AQAA" }] } }, "ERR_JWKS_INVALID", /exponent/],
    [{ siteUrl: SITE, jwks: { keys: [{ kty: "EC", crv: "P-256", x: "a", y: "b" }] } }, "ERR_JWKS_INVALID", /no RSA signing key/],
    [{ siteUrl: SITE, jwks: { keys: [{ ...issuer.jwk, use: "enc" }] } }, "ERR_JWKS_INVALID", /no RSA signing key/],
  ];
  for (const [options, code, message] of cases) {
    assert.throws(() => createVerifier(options), (err) => {
      assert.equal(err.code, code, `${JSON.stringify(options).slice(0, 120)} → ${err.code}: ${err.message}`);
      assert.match(err.message, message);
      return true;
    });
  }
});

/** The bad-input suite: [name, token (or async factory), expected code, verifier options?]. */
async function badInputs() {
  const good = await issuer.sign();
  const [h, p, s] = good.split(".");
  const hs256 = await new SignJWT({ sub: "u|s", iat: now, exp: now + 60, iss: SITE, aud: "convex" })
    .setProtectedHeader({ alg: "HS256" })
    .sign(Buffer.from(issuer.jwks));
  const rs = (claims, header) => issuer.sign({ claims, header });
  // Signed with the real key by node:crypto, for headers jose refuses to produce.
  const signRaw = (header) => {
    const input = `${b64(header)}.${p}`;
    const signature = nodeSign("sha256", Buffer.from(input), KeyObject.from(issuer.privateKey));
    return `${input}.${signature.toString("base64url")}`;
  };
  const cases = [
    ["empty", "", "ERR_JWT_MALFORMED"],
    ["one segment", "abc", "ERR_JWT_MALFORMED"],
    ["two segments", `${h}.${p}`, "ERR_JWT_MALFORMED"],
    ["four segments", `${good}.x`, "ERR_JWT_MALFORMED"],
    ["trailing dot", `${good}.`, "ERR_JWT_MALFORMED"],
    ["empty header", `.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["empty payload", `${h}..${s}`, "ERR_JWT_MALFORMED"],
    ["empty signature", `${h}.${p}.`, "ERR_JWT_MALFORMED"],
    ["padded header", `${h}=.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["standard-alphabet signature", `${h}.${p}.${s.replace(/-/g, "+").replace(/_/g, "/")}${s.includes("-") || s.includes("_") ? "" : "+"}`, "ERR_JWT_MALFORMED"],
    ["whitespace inside", `${h}.${p} .${s}`, "ERR_JWT_MALFORMED"],
    ["leading space", ` ${good}`, "ERR_JWT_MALFORMED"],
    // A 256-byte signature ends in a character carrying 2 data bits and 4 zero bits: A, Q, g or w.
    ["non-canonical base64 (trailing bits set)", `${h}.${p}.${s.slice(0, -1)}B`, "ERR_JWT_MALFORMED"],
    ["last signature bits changed", `${h}.${p}.${s.slice(0, -1)}${s.at(-1) === "w" ? "A" : "w"}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["header not JSON", `${b64("{alg")}.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["header is array", `${b64([])}.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["header without alg", `${b64({ typ: "JWT" })}.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["alg not string", `${b64({ alg: 256 })}.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["duplicate alg in header", `${b64('{"alg":"RS256","alg":"none"}')}.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["payload not JSON", `${h}.${b64("nope")}.${s}`, "ERR_JWT_MALFORMED"],
    ["payload is string", `${h}.${b64('"x"')}.${s}`, "ERR_JWT_MALFORMED"],
    ["duplicate exp", `${h}.${b64(`{"exp":1,"exp":${now + 60}}`)}.${s}`, "ERR_JWT_MALFORMED"],
    ["duplicate sub", `${h}.${b64('{"sub":"a","sub":"b"}')}.${s}`, "ERR_JWT_MALFORMED"],
    ["payload not UTF-8", `${h}.${Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")}.${s}`, "ERR_JWT_MALFORMED"],
    ["exp is string", await rs({ exp: String(now + 60) }), "ERR_JWT_CLAIM_INVALID"],
    ["exp is null", await rs({ exp: null }), "ERR_JWT_CLAIM_INVALID"],
    // Claim types are judged only once the signature holds: a forged token's claims are never
    // interpreted, nor echoed back in `actual`.
    ["forged, exp is null", `${h}.${b64({ sub: "u|s", exp: null })}.${s}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["forged, exp is a string", `${h}.${b64({ sub: "u|s", exp: "<script>" })}.${s}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["crit header (RFC 7515 §4.1.11)", signRaw({ alg: "RS256", crit: ["exp"], exp: 1 }), "ERR_JWT_CRIT_UNSUPPORTED"],
    ["crit header, empty list", signRaw({ alg: "RS256", crit: [] }), "ERR_JWT_CRIT_UNSUPPORTED"],
    ["exp negative", await rs({ exp: -5 }), "ERR_JWT_CLAIM_INVALID"],
    ["exp huge", await rs({ exp: 1e20 }), "ERR_JWT_CLAIM_INVALID"],
    ["iat is bool", await rs({ iat: true }), "ERR_JWT_CLAIM_INVALID"],
    ["nbf is array", await rs({ nbf: [1] }), "ERR_JWT_CLAIM_INVALID"],
    ["sub is number", await rs({ sub: 7 }), "ERR_JWT_CLAIM_INVALID"],
    ["sub is empty", await rs({ sub: "" }), "ERR_JWT_CLAIM_INVALID"],
    ["iss is object", await rs({ iss: {} }), "ERR_JWT_CLAIM_INVALID"],
    ["aud is number", await rs({ aud: 1 }), "ERR_JWT_CLAIM_INVALID"],
    ["aud has a number", await rs({ aud: ["convex", 1] }), "ERR_JWT_CLAIM_INVALID"],
    ["1 MB token", "a".repeat(1 << 20), "ERR_JWT_TOO_LARGE"],
    ["8 KB + 1", `${h}.${p}.${"A".repeat(8193 - h.length - p.length - 2)}`, "ERR_JWT_TOO_LARGE"],
    ["huge custom claims", await rs({ blob: "x".repeat(9000) }), "ERR_JWT_TOO_LARGE"],
    ["alg none", `${b64({ alg: "none" })}.${p}.`, "ERR_JWT_MALFORMED"],
    ["alg none with signature", `${b64({ alg: "none" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["alg NONE", `${b64({ alg: "NONE" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["HS256 signed with the public JWKS (alg confusion)", hs256, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["HS384", `${b64({ alg: "HS384" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["HS512", `${b64({ alg: "HS512" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["ES256", `${b64({ alg: "ES256" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["PS256", `${b64({ alg: "PS256" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["EdDSA", `${b64({ alg: "EdDSA" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["RS384 not in allow-list", `${b64({ alg: "RS384" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["rs256 lower case", `${b64({ alg: "rs256" })}.${p}.${s}`, "ERR_JWT_ALG_NOT_ALLOWED"],
    ["kid not in JWKS", await rs({}, { alg: "RS256", kid: "rotated" }), "ERR_JWKS_NO_MATCHING_KEY"],
    ["kid not a string", `${b64({ alg: "RS256", kid: 1 })}.${p}.${s}`, "ERR_JWT_MALFORMED"],
    ["signed by another key", await other.sign(), "ERR_JWT_SIGNATURE_INVALID"],
    ["payload swapped", `${h}.${(await other.sign({ claims: { sub: "admin|x" } })).split(".")[1]}.${s}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["header swapped", `${b64({ alg: "RS256", typ: "JWT" })}.${p}.${s}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["signature missing its first 3 bytes", `${h}.${p}.${s.slice(4)}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["signature extended", `${h}.${p}.${s}AAAA`, "ERR_JWT_SIGNATURE_INVALID"],
    ["signature all zero", `${h}.${p}.${Buffer.alloc(256).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["signature all 0xff (≥ n)", `${h}.${p}.${Buffer.alloc(256, 0xff).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["signature random", `${h}.${p}.${randomBytes(256).toString("base64url")}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["signature one byte", `${h}.${p}.AA`, "ERR_JWT_SIGNATURE_INVALID"],
    ["signature of another token", `${h}.${p}.${(await issuer.sign({ claims: { x: 1 } })).split(".")[2]}`, "ERR_JWT_SIGNATURE_INVALID"],
    ["expired by 1 s past tolerance", await rs({ iat: now - 100, exp: now - 5 }), "ERR_JWT_EXPIRED"],
    ["expired long ago", await rs({ iat: now - 7200, exp: now - 3600 }), "ERR_JWT_EXPIRED"],
    ["exp zero", await rs({ iat: undefined, exp: 0 }), "ERR_JWT_EXPIRED"],
    ["no exp", await rs({ exp: undefined }), "ERR_JWT_CLAIM_MISSING"],
    ["no sub", await rs({ sub: undefined }), "ERR_JWT_CLAIM_MISSING"],
    ["no iss", await rs({ iss: undefined }), "ERR_JWT_CLAIM_MISSING"],
    ["no aud", await rs({ aud: undefined }), "ERR_JWT_CLAIM_MISSING"],
    ["nbf in the future", await rs({ nbf: now + 60 }), "ERR_JWT_NOT_YET_VALID"],
    ["iat in the future", await rs({ iat: now + 60, exp: now + 3660 }), "ERR_JWT_NOT_YET_VALID"],
    [".convex.cloud issuer", await rs({ iss: "https://happy-otter-123.convex.cloud" }), "ERR_JWT_ISSUER_MISMATCH"],
    ["another deployment's issuer", await rs({ iss: "https://sad-cat-1.convex.site" }), "ERR_JWT_ISSUER_MISMATCH"],
    ["issuer with path", await rs({ iss: `${SITE}/x` }), "ERR_JWT_ISSUER_MISMATCH"],
    ["issuer http", await rs({ iss: SITE.replace("https", "http") }), "ERR_JWT_ISSUER_MISMATCH"],
    ["issuer upper case", await rs({ iss: SITE.toUpperCase() }), "ERR_JWT_ISSUER_MISMATCH"],
    ["issuer suffix attack", await rs({ iss: `${SITE}.evil.com` }), "ERR_JWT_ISSUER_MISMATCH"],
    ["issuer empty", await rs({ iss: "" }), "ERR_JWT_ISSUER_MISMATCH"],
    ["wrong audience", await rs({ aud: "not-convex" }), "ERR_JWT_AUDIENCE_MISMATCH"],
    ["audience list without convex", await rs({ aud: ["a", "b"] }), "ERR_JWT_AUDIENCE_MISMATCH"],
    ["audience empty list", await rs({ aud: [] }), "ERR_JWT_AUDIENCE_MISMATCH"],
    ["audience case", await rs({ aud: "Convex" }), "ERR_JWT_AUDIENCE_MISMATCH"],
  ];
  // Random garbage and every truncation of a good token: never a panic, always a typed code.
  for (let cut = 1; cut < good.length; cut += Math.ceil(good.length / 20)) {
    cases.push([`truncated at ${cut}`, good.slice(0, cut), null]);
  }
  for (let i = 0; i < 10; i++) cases.push([`garbage ${i}`, randomBytes(40 + i * 13).toString("latin1"), null]);
  return cases;
}

test("the bad-input suite: every case rejected with its code, and the verifier keeps working", async () => {
  const cases = await badInputs();
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  const known = new Set(edge.errorCodes());
  for (const [name, token, code] of cases) {
    await assert.rejects(verifier.verify(token), (err) => {
      assert.equal(err.name, "ConvexAuthError", name);
      if (code) assert.equal(err.code, code, `${name}: got ${err.code}: ${err.message}`);
      else assert.ok(known.has(err.code), `${name}: ${err.code}`);
      return true;
    });
  }
  assert.equal((await verifier.verify(await issuer.sign())).userId, "user123", "still works after 100+ failures");
});

test("policy options: tolerance, maxTokenAge, audiences, issuer trailing slash", async () => {
  const now = Math.floor(Date.now() / 1000);
  const lenient = createVerifier({ siteUrl: SITE, jwks: issuer.jwks, clockTolerance: 30 });
  await lenient.verify(await issuer.sign({ claims: { iat: now - 100, exp: now - 10 } }));
  await rejectsWith(await issuer.sign({ claims: { iat: now - 100, exp: now - 5 } }), "ERR_JWT_EXPIRED");
  await verifier.verify(await issuer.sign({ claims: { iat: now - 100, exp: now - 3 } }), "within the 5 s tolerance");
  const young = createVerifier({ siteUrl: SITE, jwks: issuer.jwks, maxTokenAge: 60 });
  await young.verify(await issuer.sign({ claims: { iat: now - 30 } }));
  await rejectsWith(await issuer.sign({ claims: { iat: now - 120 } }), "ERR_JWT_TOO_OLD", young);
  await rejectsWith(await issuer.sign({ claims: { iat: undefined } }), "ERR_JWT_CLAIM_MISSING", young);
  const multi = createVerifier({ siteUrl: SITE, jwks: issuer.jwks, audience: ["a", "convex"] });
  await multi.verify(await issuer.sign({ claims: { aud: ["x", "a"] } }));
  const slash = createVerifier({ siteUrl: SITE + "/", jwks: issuer.jwks });
  await slash.verify(await issuer.sign({ claims: { iss: SITE + "/" } }));
  await slash.verify(await issuer.sign());
  const err = await verifier.verify(await issuer.sign({ claims: { iss: "https://happy-otter-123.convex.cloud" } })).catch((e) => e);
  assert.match(err.message, /the issuer is always the \.convex\.site URL/);
  assert.equal(err.expected, SITE);
  assert.equal(err.actual, "https://happy-otter-123.convex.cloud");
});

test("kid: honoured when present, absent kids try every key, rotation picks the right key", async () => {
  const a = await makeIssuer({ kid: "a" });
  const b = await makeIssuer({ kid: "b" });
  const both = createVerifier({ siteUrl: SITE, jwks: { keys: [a.jwk, b.jwk] } });
  assert.equal((await both.verify(await b.sign({ header: { alg: "RS256", kid: "b" } }))).userId, "user123");
  assert.equal((await both.verify(await b.sign())).userId, "user123", "no kid: every key is tried");
  await rejectsWith(await b.sign({ header: { alg: "RS256", kid: "a" } }), "ERR_JWT_SIGNATURE_INVALID", both);
  const noKids = createVerifier({ siteUrl: SITE, jwks: { keys: [other.jwk, issuer.jwk] } });
  await noKids.verify(await issuer.sign());
  await rejectsWith(await issuer.sign({ header: { alg: "RS256", kid: "x" } }), "ERR_JWKS_NO_MATCHING_KEY", noKids);
});

test("RSA key sizes: 2048 to 4096 accepted, 1024 refused", async () => {
  const big = await makeIssuer({ modulusLength: 4096 });
  await createVerifier({ siteUrl: SITE, jwks: big.jwks }).verify(await big.sign());
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const small = { keys: [{ use: "sig", ...publicKey.export({ format: "jwk" }) }] };
  assert.throws(() => createVerifier({ siteUrl: SITE, jwks: small }), { code: "ERR_JWKS_INVALID" });
});

test("every signature path (node:crypto, WebCrypto, wasm) agrees with a direct node:crypto check on thousands of random and tampered tokens", async () => {
  const make = (crypto) => createVerifier({ siteUrl: SITE, jwks: issuer.jwks, cacheSize: 0, clockTolerance: 600, crypto });
  const [node, web, wasm] = [make("node"), make("webcrypto"), make("wasm")];
  assert.deepEqual([node.crypto, web.crypto, wasm.crypto], ["node", "webcrypto", "wasm"]);
  assert.equal(verifier.crypto, "node", "auto picks node:crypto on Node");
  let accepted = 0;
  for (let i = 0; i < 2000; i++) {
    let token = await issuer.sign({ claims: { n: i, r: randomBytes(8).toString("hex") } });
    if (i % 2) token = flipRandomBit(token);
    const [h, p, s] = token.split(".");
    let reference = false;
    try {
      reference = createVerify("RSA-SHA256").update(`${h}.${p}`).verify(issuer.publicKey, Buffer.from(s, "base64url"))
        && Buffer.from(s, "base64url").toString("base64url") === s;
      JSON.parse(Buffer.from(p, "base64url").toString());
    } catch { reference = false; }
    const outcome = (promise) => promise.then(() => true, (e) => { assert.ok(e.code, String(e)); return false; });
    const results = {
      node: await outcome(node.verify(token)),
      webcrypto: await outcome(web.verify(token)),
      wasm: await outcome(Promise.resolve().then(() => wasm.verifySync(token))),
    };
    assert.deepEqual(results, { node: reference, webcrypto: reference, wasm: reference }, `token ${i}: ${token}`);
    accepted += reference;
  }
  assert.ok(accepted >= 1000 && accepted < 2000, `accepted ${accepted}`);
});

test("crafted PKCS#1 v1.5 blocks, raw-signed with the real key, are refused by every signature path", async () => {
  const { privateEncrypt, constants, createHash } = await import("node:crypto");
  const make = (crypto) => createVerifier({ siteUrl: SITE, jwks: issuer.jwks, cacheSize: 0, crypto });
  const paths = { node: make("node"), webcrypto: make("webcrypto"), wasm: make("wasm") };
  const input = (await issuer.sign()).split(".").slice(0, 2).join(".");
  const sha256 = createHash("sha256").update(input).digest();
  const sha256Info = Buffer.from("3031300d060960864801650304020105000420", "hex");
  const block = (...parts) => {
    const tail = Buffer.concat(parts);
    return Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.alloc(256 - 3 - tail.length, 0xff), Buffer.from([0x00]), tail]);
  };
  const cases = {
    "the correct encoding (control)": [block(sha256Info, sha256), true],
    "DigestInfo without the NULL parameter": [block(Buffer.from("302f300b0609608648016503040201", "hex"), Buffer.from([0x04, 0x20]), sha256), false],
    "the SHA-1 OID with a SHA-1 digest": [block(Buffer.from("3021300906052b0e03021a05000414", "hex"), createHash("sha1").update(input).digest()), false],
    "fewer than 8 bytes of padding": [Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.alloc(7, 0xff), Buffer.from([0x00]), Buffer.alloc(256 - 10 - 51, 0x42), sha256Info, sha256]), false],
    "garbage after the digest": [block(sha256Info, sha256.subarray(0, 28), Buffer.from("deadbeef", "hex")), false],
    "block type 2 (encryption padding)": [Buffer.concat([Buffer.from([0x00, 0x02]), block(sha256Info, sha256).subarray(2)]), false],
    "a longer digest length byte": [block(Buffer.from("3032300d060960864801650304020105000421", "hex"), sha256, Buffer.from([0])), false],
  };
  for (const [name, [em, valid]] of Object.entries(cases)) {
    assert.equal(em.length, 256, name);
    const signature = privateEncrypt({ key: issuer.privateKey, padding: constants.RSA_NO_PADDING }, em);
    const token = `${input}.${signature.toString("base64url")}`;
    for (const [path, v] of Object.entries(paths)) {
      const ok = await Promise.resolve().then(() => (path === "wasm" ? v.verifySync(token) : v.verify(token))).then(() => true, (e) => {
        assert.equal(e.code, "ERR_JWT_SIGNATURE_INVALID", `${name} (${path}): ${e.message}`);
        return false;
      });
      assert.equal(ok, valid, `${name} (${path})`);
    }
  }
});

test("the JWT cookie is named for the request's Host exactly as the official package names it", async () => {
  const token = await issuer.sign();
  const seen = async (url, host, name) => {
    const headers = { cookie: `${name}=${token}`, ...(host ? { host } : {}) };
    return (await verifier.verifyRequest(new Request(url, { headers })))?.userId ?? null;
  };
  for (const [url, host, local] of [
    ["http://localhost:3000/", null, true],
    ["http://127.0.0.1:3000/", null, true],
    ["http://localhost/", null, false],
    ["http://[::1]:3000/", null, false],
    ["http://127.0.0.2:3000/", null, false],
    ["http://app.internal/", "localhost:8080", true],
    ["http://localhost:3000/", "app.example.com", false],
  ]) {
    assert.equal(await seen(url, host, local ? "__convexAuthJWT" : "__Host-__convexAuthJWT"), "user123", `${url} ${host}`);
    assert.equal(await seen(url, host, local ? "__Host-__convexAuthJWT" : "__convexAuthJWT"), null, `${url} ${host}`);
  }
});
