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
      <SignIn notice={notice} />
    </>
  );
}
