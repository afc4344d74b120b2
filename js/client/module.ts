// Whether this runtime's wasm module is ready. The Node and edge loaders compile it before
// anything imports the package; the browser loader starts loading it and lets the page go on —
// a top-level await there held up the page's whole module graph, hydration included.

let pending: Promise<void> | null = null;

/** @internal The browser loader hands over its promise of the module. */
export function moduleLoading(loading: Promise<unknown>): void {
  const settled: Promise<void> = loading.then(() => {
    if (pending === settled) pending = null;
  });
  pending = settled;
}

/** Resolves once the wasm module is ready (at once where it already is); rejects if it could not
 *  be loaded. `SessionManager` needs no wait (it starts when the module does); the functions
 *  exported beside it (`decodeToken`, `storageKeys`, …) do, in a browser. */
export function ready(): Promise<void> {
  return pending ?? Promise.resolve();
}

/** @internal True once the module can be called. */
export function isReady(): boolean {
  return pending === null;
}
