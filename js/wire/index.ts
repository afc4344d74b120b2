// How the server halves (`/nextjs/server`, `/ssr`) talk to the deployment and read requests:
// one call per request (never a queue shared with others), a timeout on each, bodies read no
// further than a limit, and refreshes shared by the requests that carry the same refresh token.

/** What a call to the deployment came back with: an HTTP answer, or why there was none. */
export type DeploymentReply = { status: number; body: string; failure?: undefined } | { status?: undefined; body?: undefined; failure: string };

/** `POST {convexUrl}/api/<kind>` with `body` (JSON text), given up after `timeoutMs`. Never rejects. */
export async function callDeployment(
  convexUrl: string,
  kind: "query" | "mutation" | "action",
  body: string,
  { token, timeoutMs, headers = {} }: { token?: string; timeoutMs: number; headers?: Record<string, string> },
): Promise<DeploymentReply> {
  try {
    const res = await fetch(`${convexUrl.replace(/\/$/, "")}/api/${kind}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    const error = e as Error & { cause?: { code?: string } };
    return { failure: error.name === "TimeoutError" ? `timeout after ${timeoutMs} ms` : (error.cause?.code ?? error.message) };
  }
}

/** The body as text, or `null` past `limit` bytes (read no further than that). */
export async function cappedText(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Keys remembered at once: beyond, the oldest are forgotten (a request carrying a forgotten
 *  one makes its own call; memory stays bounded whatever cookies are sent). */
const MAX_SHARED = 1000;

/**
 * Single flight per key and isolate: the requests carrying the same refresh token share one
 * call, and its result for `windowMs` after it settled (they raced the browser storing the new
 * cookies). A result `keep` refuses (a transient failure) is not shared past its own requests.
 */
export class SharedResults<T> {
  readonly #entries = new Map<string, { result: Promise<T>; settledAt?: number }>();
  constructor(
    private readonly windowMs: number,
    private readonly keep: (result: T) => boolean,
  ) {}

  get(key: string, call: () => Promise<T>): Promise<T> {
    const now = Date.now();
    for (const [k, entry] of this.#entries) {
      if (entry.settledAt !== undefined && now - entry.settledAt > this.windowMs) this.#entries.delete(k);
    }
    const existing = this.#entries.get(key);
    if (existing) return existing.result;
    while (this.#entries.size >= MAX_SHARED) this.#entries.delete(this.#entries.keys().next().value as string);
    const entry: { result: Promise<T>; settledAt?: number } = { result: call() };
    void entry.result.then((result) => {
      entry.settledAt = Date.now();
      if (!this.keep(result) && this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    this.#entries.set(key, entry);
    return entry.result;
  }

  /** Forgets `key` (a sign-out: a refresh still in flight must not put the cookies back). */
  forget(key: string): void {
    this.#entries.delete(key);
  }
}
