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
 * A key `end`ed (a sign-out) stays ended for `windowMs`: callers check `isEnded` once their
 * result arrives, so a refresh in flight cannot bring the session's cookies back.
 */
export class SharedResults<T> {
  readonly #entries = new Map<string, { result: Promise<T>; settledAt?: number }>();
  readonly #ended = new Map<string, number>();
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
    while (this.#entries.size >= MAX_SHARED) this.#evictOne();
    const entry: { result: Promise<T>; settledAt?: number } = { result: call() };
    const forget = () => this.#entries.get(key) === entry && this.#entries.delete(key);
    entry.result.then(
      (result) => {
        entry.settledAt = Date.now();
        if (!this.keep(result)) forget();
      },
      forget,
    );
    this.#entries.set(key, entry);
    return entry.result;
  }

  /** Ends `key` (a sign-out): its shared result is dropped, and `isEnded` says so for `windowMs`. */
  end(key: string): void {
    const now = Date.now();
    for (const [k, at] of this.#ended) if (now - at > this.windowMs) this.#ended.delete(k);
    while (this.#ended.size >= MAX_SHARED) this.#ended.delete(this.#ended.keys().next().value as string);
    this.#ended.set(key, now);
    this.#entries.delete(key);
  }

  isEnded(key: string): boolean {
    const at = this.#ended.get(key);
    return at !== undefined && Date.now() - at <= this.windowMs;
  }

  /** Makes room: the oldest settled result, else (every call in flight: a flood of unknown
   *  tokens) the oldest call — its requests still get their answer, later ones call again. */
  #evictOne(): void {
    for (const [key, entry] of this.#entries) {
      if (entry.settledAt !== undefined) {
        this.#entries.delete(key);
        return;
      }
    }
    this.#entries.delete(this.#entries.keys().next().value as string);
  }
}
