"use client";
// convex-auth-wasm/methods/username-passkey/react: Convex Auth 2's username + passkey hooks, with
// the official names, on the browser's WebAuthn (a secure context: https or localhost).
import { browserCeremonies } from "./ceremonies.js";
import { createUsernamePasskeyHooks } from "./react-custom.js";

export type {
  AddPasskeyApi,
  AddPasskeyResult,
  AlreadyPendingFailure,
  AuthenticationResponseJSON,
  PasskeyAutofillStatus,
  PasskeyClientError,
  PasskeyClientFailure,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  RemovePasskeyApi,
  RemovePasskeyResult,
  RenamePasskeyResult,
  SignInWithUsernamePasskeyResult,
  UsernamePasskeyApi,
  UsernamePasskeyAutofillError,
  WireAuthenticationResponse,
  WireCreationOptions,
  WireRegistrationResponse,
  WireRequestOptions,
} from "./react-custom.js";

export const { useSignInWithUsernamePasskey, useAddPasskey, useRemovePasskey } = createUsernamePasskeyHooks(browserCeremonies);
