// The browser's WebAuthn ceremonies for Convex Auth 2's username + passkey method: the deployment's
// options (JSON, binary fields as unpadded base64url) to `navigator.credentials`, the credential
// back to the exact JSON shape the deployment's validators take, and the browser's errors to the
// method's codes. The platform's own JSON conversion (WebAuthn Level 3) is used where it exists.

/** What the client itself can fail with (the deployment's codes come from its functions). */
export type PasskeyClientError =
  | { error: "CEREMONY_ABORTED" }
  | { error: "PASSKEY_ALREADY_REGISTERED" }
  | { error: "WEBAUTHN_UNSUPPORTED" }
  | { error: "OTHER_ERROR"; cause: unknown };
export type PasskeyClientFailure = { success: false; userError: PasskeyClientError };

/** The deployment's creation and request options (binary fields base64url). */
export type WireCreationOptions = Record<string, unknown> & { challenge: string; user: { id: string; name: string; displayName: string } };
export type WireRequestOptions = Record<string, unknown> & { challenge: string; allowCredentials?: { id: string; type: "public-key"; transports?: string[] }[] };

export type PasskeyRegistrationResponse = {
  id: string;
  rawId: string;
  response: { clientDataJSON: string; attestationObject: string; transports?: string[] | null };
  type: "public-key";
};
export type PasskeyAuthenticationResponse = {
  id: string;
  rawId: string;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string | null };
  type: "public-key";
};

/** 2.0.0's names for the JSON the deployment's validators take (its `@simplewebauthn` types). */
export type WireRegistrationResponse = PasskeyRegistrationResponse & { clientExtensionResults: Record<string, never> };
export type WireAuthenticationResponse = PasskeyAuthenticationResponse & { clientExtensionResults: Record<string, never> };
export type RegistrationResponseJSON = WireRegistrationResponse;
export type AuthenticationResponseJSON = WireAuthenticationResponse;
export type PublicKeyCredentialCreationOptionsJSON = WireCreationOptions;
export type PublicKeyCredentialRequestOptionsJSON = WireRequestOptions;

type Outcome<R> = Promise<{ success: true; response: R } | PasskeyClientFailure>;

/** The ceremonies an app may supply instead of the browser's (`react-custom`). */
export interface PasskeyCeremonies {
  isSupported(): boolean;
  register(options: WireCreationOptions): Outcome<PasskeyRegistrationResponse>;
  authenticate(options: WireRequestOptions): Outcome<PasskeyAuthenticationResponse>;
  autofill?: {
    isAvailable(): Promise<boolean>;
    authenticate(options: WireRequestOptions, signal: AbortSignal): Outcome<PasskeyAuthenticationResponse>;
    /** Calls `listener` when the user comes back to the page (a stale autofill challenge is renewed then). */
    onResume?(listener: () => void): () => void;
  };
}

/** A thrown value as the method's error: the user cancelled, timed out or was displaced by
 *  another ceremony → `CEREMONY_ABORTED`; anything else is `OTHER_ERROR` with its `cause`. */
export function foldClientError(cause: unknown): PasskeyClientError {
  const name = (cause as { name?: unknown } | null)?.name;
  if (name === "NotAllowedError" || name === "AbortError") return { error: "CEREMONY_ABORTED" };
  return { error: "OTHER_ERROR", cause };
}

const fromBase64Url = (text: string): ArrayBuffer => {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "="));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer as ArrayBuffer;
};
const toBase64Url = (bytes: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

type WithJson = typeof PublicKeyCredential & {
  parseCreationOptionsFromJSON?(options: unknown): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON?(options: unknown): PublicKeyCredentialRequestOptions;
};
const platform = () => PublicKeyCredential as WithJson;
const descriptors = (list: WireRequestOptions["allowCredentials"]) =>
  list?.map((d) => ({ ...d, id: fromBase64Url(d.id) })) as PublicKeyCredentialDescriptor[] | undefined;

function creationOptions(options: WireCreationOptions): PublicKeyCredentialCreationOptions {
  if (platform().parseCreationOptionsFromJSON) return platform().parseCreationOptionsFromJSON!(options);
  const { challenge, user, excludeCredentials, ...rest } = options as WireCreationOptions & { excludeCredentials?: WireRequestOptions["allowCredentials"] };
  return { ...rest, challenge: fromBase64Url(challenge), user: { ...user, id: fromBase64Url(user.id) }, excludeCredentials: descriptors(excludeCredentials) } as unknown as PublicKeyCredentialCreationOptions;
}

function requestOptions(options: WireRequestOptions): PublicKeyCredentialRequestOptions {
  if (platform().parseRequestOptionsFromJSON) return platform().parseRequestOptionsFromJSON!(options);
  const { challenge, allowCredentials, ...rest } = options;
  return { ...rest, challenge: fromBase64Url(challenge), allowCredentials: descriptors(allowCredentials) } as unknown as PublicKeyCredentialRequestOptions;
}

/** The registration as the deployment's validator takes it (exactly these fields). */
function pruneRegistration({ id, rawId, response }: PasskeyRegistrationResponse): PasskeyRegistrationResponse {
  const { clientDataJSON, attestationObject, transports } = response;
  const kept = { clientDataJSON, attestationObject, ...(transports ? { transports } : {}) };
  return { id, rawId, response: kept, clientExtensionResults: {}, type: "public-key" } as PasskeyRegistrationResponse;
}

/** The assertion as the deployment's validator takes it (exactly these fields). */
function pruneAssertion({ id, rawId, response }: PasskeyAuthenticationResponse): PasskeyAuthenticationResponse {
  const { clientDataJSON, authenticatorData, signature, userHandle } = response;
  const kept = { clientDataJSON, authenticatorData, signature, ...(userHandle ? { userHandle } : {}) };
  return { id, rawId, response: kept, clientExtensionResults: {}, type: "public-key" } as PasskeyAuthenticationResponse;
}

function registrationJson(credential: PublicKeyCredential): PasskeyRegistrationResponse {
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    response: {
      clientDataJSON: toBase64Url(response.clientDataJSON),
      attestationObject: toBase64Url(response.attestationObject),
      transports: response.getTransports?.() ?? null,
    },
    type: "public-key",
  };
}

function assertionJson(credential: PublicKeyCredential): PasskeyAuthenticationResponse {
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    response: {
      clientDataJSON: toBase64Url(response.clientDataJSON),
      authenticatorData: toBase64Url(response.authenticatorData),
      signature: toBase64Url(response.signature),
      userHandle: response.userHandle ? toBase64Url(response.userHandle) : null,
    },
    type: "public-key",
  };
}

/** One modal ceremony at a time on the page: a new one ends the one before (as the browser
 *  allows only one). */
let modal: AbortController | null = null;
function nextModalSignal(): AbortSignal {
  modal?.abort(Object.assign(new Error("another passkey ceremony started"), { name: "AbortError" }));
  modal = new AbortController();
  return modal.signal;
}

async function authenticateWith(options: WireRequestOptions, init: CredentialRequestOptions): Outcome<PasskeyAuthenticationResponse> {
  try {
    const credential = (await navigator.credentials.get({ ...init, publicKey: requestOptions(options) })) as PublicKeyCredential | null;
    if (!credential) return { success: false, userError: { error: "CEREMONY_ABORTED" } };
    return { success: true, response: assertionJson(credential) };
  } catch (e) {
    return { success: false, userError: foldClientError(e) };
  }
}

/** The browser's ceremonies (a secure context with WebAuthn). */
export const browserCeremonies: PasskeyCeremonies = {
  isSupported: () => typeof window !== "undefined" && typeof PublicKeyCredential !== "undefined" && window.isSecureContext,
  async register(options) {
    try {
      const credential = (await navigator.credentials.create({ publicKey: creationOptions(options), signal: nextModalSignal() })) as PublicKeyCredential | null;
      if (!credential) return { success: false, userError: { error: "CEREMONY_ABORTED" } };
      return { success: true, response: registrationJson(credential) };
    } catch (e) {
      // The authenticator already holds one of the user's passkeys (`excludeCredentials`).
      if ((e as { name?: unknown })?.name === "InvalidStateError") return { success: false, userError: { error: "PASSKEY_ALREADY_REGISTERED" } };
      return { success: false, userError: foldClientError(e) };
    }
  },
  authenticate: (options) => authenticateWith(options, { signal: nextModalSignal() }),
  autofill: {
    async isAvailable() {
      try {
        return browserCeremonies.isSupported() && (await PublicKeyCredential.isConditionalMediationAvailable?.()) === true;
      } catch {
        return false;
      }
    },
    authenticate: (options, signal) => authenticateWith({ ...options, allowCredentials: [] }, { mediation: "conditional", signal }),
    onResume(listener) {
      const events: [EventTarget, string][] = [
        [window, "focus"],
        [window, "pageshow"],
        [document, "visibilitychange"],
        [document, "focusin"],
      ];
      for (const [target, name] of events) target.addEventListener(name, listener);
      return () => events.forEach(([target, name]) => target.removeEventListener(name, listener));
    },
  },
};

/** An app's ceremonies (or the browser's), every call folded — a throw is a failure, never a
 *  rejection — and every response pruned to the deployment's shape. */
export function resolveCeremonies(ceremonies: PasskeyCeremonies): Required<Omit<PasskeyCeremonies, "autofill">> & { autofill: Required<NonNullable<PasskeyCeremonies["autofill"]>> } {
  const folded =
    <A extends unknown[], R>(fn: (...args: A) => Outcome<R>, prune: (response: R) => R) =>
    async (...args: A): Outcome<R> => {
      try {
        const outcome = await fn(...args);
        return outcome.success ? { success: true, response: prune(outcome.response) } : outcome;
      } catch (e) {
        return { success: false, userError: foldClientError(e) };
      }
    };
  const supported = () => {
    try {
      return ceremonies.isSupported();
    } catch {
      return false;
    }
  };
  const autofill = ceremonies.autofill;
  return {
    isSupported: supported,
    register: folded((o: WireCreationOptions) => ceremonies.register(o), pruneRegistration),
    authenticate: folded((o: WireRequestOptions) => ceremonies.authenticate(o), pruneAssertion),
    autofill: {
      async isAvailable() {
        try {
          return (await autofill?.isAvailable()) === true;
        } catch {
          return false;
        }
      },
      authenticate: autofill
        ? folded((o: WireRequestOptions, s: AbortSignal) => autofill.authenticate(o, s), pruneAssertion)
        : async () => ({ success: false, userError: { error: "WEBAUTHN_UNSUPPORTED" } }),
      onResume(listener) {
        try {
          return autofill?.onResume?.(listener) ?? (() => {});
        } catch {
          return () => {}; // no resume events: the periodic check still renews the challenge
        }
      },
    },
  };
}
