// Convex Auth 2's ambient sign-ins: methods that finish on a page load rather than on a call (OAuth
// comes back to the app with `?convexAuthCode=`). Each registers once with the session's host
// (the React provider or the AuthClient), keeps values the hooks read, its own keys in the
// session's storage, and an `onInit` run once when the host starts.
import { ready, storageKey, type FunctionRef, type V2Session } from "convex-auth-wasm/client";

/** A method's keys in the session's storage (under the official names of its namespace). */
export interface SignInStorage {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** How a method's completing call reaches the deployment (the host's `/auth/signin` in ssr mode). */
export interface AuthSignInApi {
  mutation(fn: FunctionRef<"mutation">, args: Record<string, unknown>): Promise<any>;
  action(fn: FunctionRef<"action">, args: Record<string, unknown>): Promise<any>;
}

/** What a method gets at setup. */
export interface AmbientSignInContext {
  client: { setSession(session: V2Session): Promise<void>; withSignInPending<T>(fn: () => Promise<T>): Promise<T> };
  values: { get(key: string): unknown; set(key: string, value: unknown): void };
  storage: SignInStorage;
  signInApi: AuthSignInApi;
  convex: { mutation(fn: FunctionRef<"mutation">, args: Record<string, unknown>): Promise<any> };
  replaceUrl(url: string): void;
}

/** A method that finishes on page load (2.0.0's `AmbientSignInClient`). */
export interface AmbientSignInClient {
  id: string;
  setup(context: AmbientSignInContext): void | { onInit?(): void };
}

export type AmbientHost = Omit<AmbientSignInContext, "values" | "storage"> & { storage(id: string): SignInStorage };

function refused(message: string): Error {
  return Object.assign(new Error(`convex-auth-wasm: ${message}`), { name: "ConvexAuthError", code: "ERR_CONFIG_INVALID", option: "ambientSignIns" });
}

/** The registered methods of one session: their values (observable) and their `onInit`s. */
export class AmbientSignIns {
  readonly #values = new Map<string, unknown>();
  readonly #listeners = new Set<() => void>();
  readonly #inits: [string, () => void][] = [];
  #initialized = false;

  constructor(signIns: readonly AmbientSignInClient[], host: AmbientHost) {
    const ids = new Set<string>();
    for (const signIn of signIns) {
      if (typeof signIn?.setup !== "function") throw refused("an ambient sign-in is { id, setup } (e.g. oauth() from convex-auth-wasm/methods/oauth/react)");
      if (typeof signIn.id !== "string" || !/^[a-zA-Z0-9]+$/.test(signIn.id)) throw refused(`the ambient sign-in id ${JSON.stringify(signIn.id)} is not alphanumeric`);
      if (ids.has(signIn.id)) throw refused(`the ambient sign-in ${JSON.stringify(signIn.id)} is registered twice`);
      ids.add(signIn.id);
      const values = {
        get: (key: string) => this.#values.get(`${signIn.id}/${key}`),
        set: (key: string, value: unknown) => {
          this.#values.set(`${signIn.id}/${key}`, value);
          for (const listener of [...this.#listeners]) listener();
        },
      };
      const hooks = signIn.setup({ ...host, values, storage: host.storage(signIn.id) });
      if (hooks?.onInit) this.#inits.push([signIn.id, hooks.onInit]);
    }
  }

  /** Runs every `onInit` once (a second call, StrictMode's second effect, does nothing). */
  init(): void {
    if (this.#initialized) return;
    this.#initialized = true;
    for (const [id, onInit] of this.#inits) {
      try {
        onInit();
      } catch (error) {
        console.error(`[convex-auth-wasm] onInit of the ambient sign-in "${id}" threw:`, error);
      }
    }
  }

  value(id: string, key: string): unknown {
    return this.#values.get(`${id}/${key}`);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };
}

/** Replaces the address bar's URL, keeping the history entry's state (the official default). */
export function replaceUrlKeepingState(url: string): void {
  history.replaceState(history.state, "", url);
}

export type KeyValueStore = {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
};

/** `store()` seen through `toKey` (a method's name for a key → the key it is stored under). */
export function keyedStorage<Name extends string>(store: () => KeyValueStore, toKey: (name: Name) => string): {
  get(name: Name): Promise<string | null>;
  set(name: Name, value: string): Promise<void>;
  remove(name: Name): Promise<void>;
} {
  const key = async (name: Name) => {
    await ready(); // the keys are named by the wasm core
    return toKey(name);
  };
  return {
    get: async (name) => (await store().getItem(await key(name))) ?? null,
    set: async (name, value) => void (await store().setItem(await key(name), value)),
    remove: async (name) => void (await store().removeItem(await key(name))),
  };
}

/** Method `id`'s keys in `store()` under the official names: `__convexAuthProvider_<id>_<key>_<ns>`. */
export function signInStorage(store: () => KeyValueStore, namespace: string, id: string): SignInStorage {
  return keyedStorage(store, (name: string) => storageKey(`Provider_${id}_${name}`, namespace));
}
