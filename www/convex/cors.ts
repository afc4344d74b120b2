// CORS for the app's origin only (SITE_URL, the Next.js app), shared by both demo deployments'
// HTTP actions: the browser sends a preflight OPTIONS before a request with an Authorization
// header, and refuses the answer unless Access-Control-Allow-Origin names the page's origin.
export function corsHeaders(request: Request, methods = "GET, POST, OPTIONS"): Record<string, string> {
  const app = new URL(process.env.SITE_URL ?? "http://localhost:3000");
  // The app on loopback answers as localhost and as 127.0.0.1 (two cookie hosts: the demo's
  // Convex Auth 0.x and 2 cookie modes each keep their own on one of them).
  const loopback = ["localhost", "127.0.0.1"].includes(app.hostname);
  const origins = loopback ? ["localhost", "127.0.0.1"].map((host) => `${app.protocol}//${host}:${app.port}`) : [app.origin];
  const origin = request.headers.get("origin");
  if (origin === null || !origins.includes(origin)) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Allow-Methods": methods,
    "Access-Control-Max-Age": "86400",
    Vary: "Origin",
  };
}
