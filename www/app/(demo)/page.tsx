import { SignIn } from "./sign-in";

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const notice = params.rejected
    ? `proxy.ts rejected the session token: ${params.rejected}`
    : params.signin
      ? "Sign in to see the dashboard."
      : null;
  return (
    <>
      <h1>convex-auth-wasm demo</h1>
      <p className="muted">
        Convex Auth in WebAssembly: a session manager in the browser, a local JWT verifier in proxy.ts.
        The backend on this machine runs the real <code>@convex-dev/auth</code> server code.
      </p>
      <p className="muted">
        Convex Auth 2 (2.0.0, ES256 tokens, <code>refreshSession</code>): <a href="/v2">spa mode</a> ·{" "}
        <a href="/v2/ssr">ssr mode</a>
      </p>
      <SignIn notice={notice} />
    </>
  );
}
