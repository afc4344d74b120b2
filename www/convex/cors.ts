// CORS for the app's origin only (SITE_URL, the Next.js app), shared by both demo deployments'
// HTTP actions: the browser sends a preflight OPTIONS before a request with an Authorization
// header, and refuses the answer unless Access-Control-Allow-Origin names the page's origin.
export function corsHeaders(request: Request, methods = "GET, POST, OPTIONS"): Record<string, string> {
  const appOrigin = new URL(process.env.SITE_URL ?? "http://localhost:3000").origin;
  if (request.headers.get("origin") !== appOrigin) return {};
  return {
    "Access-Control-Allow-Origin": appOrigin,
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Allow-Methods": methods,
    "Access-Control-Max-Age": "86400",
    Vary: "Origin",
  };
}
