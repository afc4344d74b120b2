// GitHub's servers are not reachable from this machine: the local deployment answers the three
// GitHub endpoints the OAuth component calls from its callback (the token exchange and the user's
// profile and emails) itself. Every other request goes out unchanged. The browser's own step at
// GitHub (the authorize page) is the tests' to play (it redirects to the callback with a code).
// A code names the user: `code=octocat` signs in GitHub user "octocat"; `code=refused` makes the
// token endpoint answer an error.
const TOKEN = "https://github.com/login/oauth/access_token";
const USER = "https://api.github.com/user";
const EMAILS = "https://api.github.com/user/emails";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
/** A stable numeric id per login. */
const idOf = (login: string) => [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000_007, 7);

async function answer(url: string, init: RequestInit | undefined): Promise<Response | null> {
  if (url === TOKEN) {
    const code = new URLSearchParams(String(init?.body ?? "")).get("code") ?? "";
    if (code === "refused" || !/^[a-z0-9-]+$/.test(code)) return json({ error: "bad_verification_code" });
    return json({ access_token: `gho_${code}`, token_type: "bearer", scope: "read:user,user:email" });
  }
  if (url === USER || url === EMAILS) {
    const login = (new Headers(init?.headers).get("authorization") ?? "").replace(/^Bearer gho_/, "");
    if (!login) return json({ message: "Requires authentication" }, 401);
    if (url === USER) return json({ id: idOf(login), login, name: `GitHub user ${login}`, avatar_url: null, email: null });
    return json([{ email: `${login}@users.github.invalid`, primary: true, verified: true }]);
  }
  return null;
}

export function installFakeGithub(): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return (await answer(url.split("?")[0], init)) ?? realFetch(input, init);
  };
}
