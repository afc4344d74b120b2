// Both entry points imported from the installed tarball in plain Node (ESM), as a user would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import { importInScratch, installPackage, fakeToken } from "../support/package.mjs";

const { client, edge } = await importInScratch(
  "imports.mjs",
  `export * as client from "convex-auth-wasm/client";\nexport * as edge from "convex-auth-wasm/edge";\n`,
);

test("node resolves each entry to its own inlined-wasm loader", async () => {
  const dir = installPackage();
  const { resolved } = await importInScratch(
    "resolve.mjs",
    `export const resolved = ["client", "edge"].map((e) => import.meta.resolve("convex-auth-wasm/" + e));\n`,
  );
  assert.match(resolved[0], /convex-auth-wasm\/client\/node\.js$/);
  assert.match(resolved[1], /convex-auth-wasm\/edge\/node\.js$/);
  assert.ok(dir);
});

test("the Node entry is one file, and loads the inlined bytes when the .wasm file is missing", async () => {
  for (const entry of ["client", "edge"]) {
    const installed = join(installPackage(), "node_modules", "convex-auth-wasm", entry);
    assert.doesNotMatch(readFileSync(join(installed, "node.js"), "utf8"), /from "\.\/(index|convex_auth_)/);
    // A bundle that copied the entry but not the asset next to it.
    const lost = mkdtempSync(join(tmpdir(), `lost-wasm-${entry}-`));
    cpSync(installed, lost, { recursive: true });
    rmSync(join(lost, `convex_auth_${entry}_bg.wasm`));
    const mod = await import(pathToFileURL(join(lost, "node.js")).href);
    assert.equal(mod.siteUrlFromConvexUrl("https://a-1.convex.cloud"), "https://a-1.convex.site");
    rmSync(lost, { recursive: true, force: true });
  }
});

test("both modules export the shared deployment and token functions", () => {
  for (const mod of [client, edge]) {
    assert.deepEqual(mod.resolveDeployment({ convexUrl: "https://happy-otter-123.convex.cloud" }), {
      convexUrl: "https://happy-otter-123.convex.cloud",
      siteUrl: "https://happy-otter-123.convex.site",
    });
    assert.equal(mod.isSameOrigin("https://a.convex.site", "https://a.convex.site.evil.com"), false);
    const now = Math.floor(Date.now() / 1000);
    const decoded = mod.decodeToken(fakeToken({ sub: "u1|s1", iat: now, exp: now + 60, aud: "convex" }));
    assert.equal(decoded.userId, "u1");
    assert.equal(decoded.sessionId, "s1");
    assert.ok(decoded.remainingSeconds > 55 && decoded.remainingSeconds <= 60);
  }
});

test("errors are real Errors with name, code and fields", () => {
  for (const mod of [client, edge]) {
    assert.throws(
      () => mod.resolveDeployment({ convexUrl: "https://happy-otter-123.convex.site" }),
      (err) =>
        err instanceof Error &&
        err.name === "ConvexAuthError" &&
        err.code === "ERR_CONFIG_INVALID" &&
        err.suggestion === "https://happy-otter-123.convex.cloud" &&
        /functions and the HTTP API live on the\s+\.convex\.cloud URL/.test(err.message),
    );
    assert.throws(() => mod.decodeToken("x".repeat(10_000)), { code: "ERR_JWT_TOO_LARGE" });
    // A failed call leaves the module working.
    assert.equal(mod.siteUrlFromConvexUrl("https://a-1.convex.cloud"), "https://a-1.convex.site");
  }
});

test("the client module reports missing browser storage instead of crashing", () => {
  assert.throws(() => client.readStoredSession("https://a-1.convex.cloud"), { code: "ERR_STORAGE_UNAVAILABLE" });
  assert.equal(client.storageKeys("https://a-1.convex.cloud").jwt, "__convexAuthJWT_httpsa1convexcloud");
  assert.equal(typeof edge.readStoredSession, "undefined", "the edge module carries no storage code");
  assert.equal(typeof edge.SessionManager, "undefined");
  assert.equal(typeof client.createVerifier, "undefined", "the client module carries no verifier");
});

test("a SessionManager in Node (SSR) keeps tokens in memory and says why", async () => {
  const session = new client.SessionManager({ convexUrl: "https://happy-otter-123.convex.cloud" });
  const state = session.getState();
  assert.equal(state.storage, "memory");
  assert.equal(state.storageError.code, "ERR_STORAGE_UNAVAILABLE");
  assert.equal(state.isAuthenticated, false);
  assert.equal(state.crossTab, "in-tab", "Node has no Web Locks: said from the start");
  assert.equal(await session.fetchAccessToken({}), null);
  await assert.rejects(session.fetch("https://evil.com/"), { code: "ERR_FOREIGN_ORIGIN" });
  await assert.rejects(session.fetch("/whoami"), { code: "ERR_NOT_SIGNED_IN" });
  assert.throws(() => new client.SessionManager({ convexUrl: "https://happy-otter-123.convex.site" }), { code: "ERR_CONFIG_INVALID" });
  session.dispose();
});

test("Convex Auth 2's method entries (and AuthClient's ambientSignIns) type-check a consumer written against 2.0.0's names", () => {
  const dir = installPackage();
  const consumer = `
import {
  useSignInWithEmailPassword, useSignUpWithEmailPassword, useCompleteSignUpWithEmailPassword, useStartPasswordRecovery,
  useCompletePasswordRecovery, useStartChangeEmail, useCompleteChangeEmail,
  type SignInResult, type SignUpResult, type StartChangeEmailResult, type StartPasswordRecoveryResult,
  type CompletePasswordRecoveryResult, type CompleteSignUpState, type CompleteChangeEmailState, type PasswordRecoveryApi,
  type LinkFlowState, type CompletePasswordRecoveryState,
} from "convex-auth-wasm/methods/email-password/react";
import {
  useSignInWithUsernamePasskey, useAddPasskey, useRemovePasskey,
  type SignInWithUsernamePasskeyResult, type AddPasskeyResult, type RemovePasskeyResult, type RenamePasskeyResult,
  type UsernamePasskeyApi, type AddPasskeyApi, type RemovePasskeyApi, type PasskeyClientError, type PasskeyClientFailure,
  type AlreadyPendingFailure, type PasskeyAutofillStatus, type UsernamePasskeyAutofillError,
  type WireCreationOptions, type WireRequestOptions, type WireRegistrationResponse, type WireAuthenticationResponse,
  type RegistrationResponseJSON, type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON,
} from "convex-auth-wasm/methods/username-passkey/react";
import { createUsernamePasskeyHooks, type PasskeyCeremonies } from "convex-auth-wasm/methods/username-passkey/react-custom";
import { useSignInWithUsernamePassword, useSignUpWithUsernamePassword } from "convex-auth-wasm/methods/username-password/react";
import { oauth, useOauth, useOauthSignIn, type OauthFlowError, type OauthStartResult, type OauthCompleteResult, type SignInOptions, type OauthProviderRefs } from "convex-auth-wasm/methods/oauth/react";
import { useSignInWithGithub, type UseSignInWithGithubReturn } from "convex-auth-wasm/methods/github/react";
import { useSignInWithGoogle } from "convex-auth-wasm/methods/google/react";
import { useSignInWithApple } from "convex-auth-wasm/methods/apple/react";
import { AuthClient, type AmbientSignInClient } from "convex-auth-wasm/browser";
import { makeFunctionReference } from "convex/server";

const m = makeFunctionReference<"mutation">("auth:x");
export function OauthHooks() {
  const { flowError } = useOauth();
  const error: OauthFlowError | null = flowError;
  const refs: OauthProviderRefs = { providerName: "acme", startSignIn: m, completeSignIn: m };
  const started: Promise<OauthStartResult> = useOauthSignIn(refs).signIn();
  const completed: Promise<OauthCompleteResult> = useOauthSignIn(refs).signIn({ code: "c" } as SignInOptions & { code: string });
  const github: UseSignInWithGithubReturn = useSignInWithGithub({ startSignInWithGithub: m, completeSignInWithGithub: m });
  const google = useSignInWithGoogle({ startSignInWithGoogle: m, completeSignInWithGoogle: m });
  const apple = useSignInWithApple({ startSignInWithApple: m, completeSignInWithApple: m });
  return [error, started, completed, github, google, apple];
}
const ambient: AmbientSignInClient = oauth();
export const authClient = new AuthClient({
  mode: "spa", storage: localStorage, storageNamespace: "x",
  ambientSignIns: { signIns: [ambient], signInApi: { mutation: async () => null, action: async () => null }, convex: { mutation: async () => null } },
});
const q = makeFunctionReference<"query">("auth:y");
export function EmailHooks() {
  const { signIn, pending } = useSignInWithEmailPassword({ signInWithEmailPassword: m });
  const signedIn: Promise<SignInResult> = signIn({ email: "a@b.c", password: "p" });
  const up: (c: { email: string; password: string }) => Promise<SignUpResult> = useSignUpWithEmailPassword({ signUpWithEmailPassword: m }).signUp;
  const link: CompleteSignUpState = useCompleteSignUpWithEmailPassword({ completeSignUpWithEmailPassword: m }, { emailCode: "c" });
  const recover: (a: { email: string }) => Promise<StartPasswordRecoveryResult> = useStartPasswordRecovery({ startPasswordRecovery: m }).startPasswordRecovery;
  const api: PasswordRecoveryApi = { checkPasswordRecovery: q, completePasswordRecovery: m };
  const state: CompletePasswordRecoveryState = useCompletePasswordRecovery(api, { emailCode: "c" });
  if (state.status === "ready") { const done: Promise<CompletePasswordRecoveryResult> = state.completePasswordRecovery({ newPassword: "n" }); void done; }
  const change: (a: { newEmail: string; currentPassword: string }) => Promise<StartChangeEmailResult> = useStartChangeEmail({ startChangeEmail: m }).startChangeEmail;
  const changed: CompleteChangeEmailState = useCompleteChangeEmail({ completeChangeEmail: m }, { emailCode: "c" });
  const generic: LinkFlowState<{ error: "X" }> = { status: "error", userError: { error: "X" } };
  return [signedIn, pending, up, link, recover, change, changed, generic];
}
const passkeyApi: UsernamePasskeyApi & AddPasskeyApi & RemovePasskeyApi = {
  startSignInWithUsernamePasskey: m, startAutofillSignInWithUsernamePasskey: m, finishSignInWithUsernamePasskey: m,
  finishSignUpWithUsernamePasskey: m, startAddPasskey: m, verifyAddPasskey: m, finishAddPasskey: m, startRemovePasskey: m, finishRemovePasskey: m,
};
export function PasskeyHooks() {
  const { signIn, pending, autofill } = useSignInWithUsernamePasskey(passkeyApi);
  const result: Promise<SignInWithUsernamePasskeyResult> = signIn({ username: "u" });
  const status: PasskeyAutofillStatus = autofill.status;
  const lastError: UsernamePasskeyAutofillError | null = autofill.lastError;
  const added: () => Promise<AddPasskeyResult> = useAddPasskey(passkeyApi).addPasskey;
  const removed: (id: string) => Promise<RemovePasskeyResult> = useRemovePasskey(passkeyApi).removePasskey;
  return [result, pending, status, lastError, added, removed];
}
const ceremonies: PasskeyCeremonies = {
  isSupported: () => true,
  register: async (o: WireCreationOptions) => ({ success: false, userError: { error: "WEBAUTHN_UNSUPPORTED" } }),
  authenticate: async (o: WireRequestOptions) => ({ success: false, userError: { error: "CEREMONY_ABORTED" } }),
};
export const custom = createUsernamePasskeyHooks(ceremonies);
export type Names = [RenamePasskeyResult, PasskeyClientError, PasskeyClientFailure, AlreadyPendingFailure, WireRegistrationResponse,
  WireAuthenticationResponse, RegistrationResponseJSON, AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON, typeof useSignInWithUsernamePassword, typeof useSignUpWithUsernamePassword];
`;
  const file = join(dir, "methods-consumer.ts");
  writeFileSync(file, consumer);
  const tsc = join(dir, "..", "node_modules", ".bin", "tsc");
  try {
    execFileSync(tsc, ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "esnext,dom", file], { cwd: dir, stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc: ${e.stdout}${e.stderr}`);
  }
});

test("TypeScript declarations (with Next.js' default lib: esnext, dom) type-check a consumer and list every error code", () => {
  const dir = installPackage();
  const consumer = `
import { resolveDeployment, decodeToken, createVerifier, type ConvexAuthError, type ConvexAuthErrorCode, type VerifiedToken } from "convex-auth-wasm/edge";
import { readStoredSession, storageKeys, SessionManager, type StoredSession, type SessionState } from "convex-auth-wasm/client";
const urls: { convexUrl: string; siteUrl: string } = resolveDeployment({ convexUrl: "https://a.convex.cloud" });
const exp: number | null = decodeToken("a.b.c").expiresAt;
const s: StoredSession | null = readStoredSession("x");
const k: string = storageKeys("x").refreshToken;
const code: ConvexAuthErrorCode = "ERR_FOREIGN_ORIGIN";
function handle(e: ConvexAuthError) { return e.code === code; }
const verifier = createVerifier({ siteUrl: "https://a.convex.site", jwks: { keys: [] }, audience: ["convex"], clockTolerance: 5 });
async function who(req: Request): Promise<string | null> {
  const id: VerifiedToken | null = await verifier.verifyRequest(req);
  return id ? id.userId : null;
}
const session = new SessionManager({ convexUrl: "https://a.convex.cloud", storage: "memory" });
const state: SessionState = session.getState();
const token: Promise<string | null> = session.fetchAccessToken({ forceRefreshToken: false });
const forConvex: (args?: { forceRefreshToken?: boolean }) => Promise<string | null> = session.fetchAccessTokenFor({ connectionState: () => ({ isWebSocketConnected: true }) });
const unsubscribe: () => void = session.subscribe((s: SessionState) => void s.isAuthenticated);
export { urls, exp, s, k, handle, who, state, token, forConvex, unsubscribe };
`;
  const file = join(dir, "consumer.ts");
  writeFileSync(file, consumer);
  const tsc = join(dir, "..", "node_modules", ".bin", "tsc");
  execFileSync(tsc, ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "esnext,dom", file], {
    cwd: dir,
    stdio: "pipe",
  });
  for (const entry of ["client", "edge"]) {
    const dts = readFileSync(join(dir, "node_modules", "convex-auth-wasm", entry, `convex_auth_${entry}.d.ts`), "utf8");
    const mod = entry === "client" ? client : edge;
    for (const code of mod.errorCodes()) assert.ok(dts.includes(`"${code}"`), `${entry}.d.ts lists ${code}`);
  }
});
