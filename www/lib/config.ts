// The deployment this app talks to, read on the server at request time (not inlined at build
// time), so one build serves any deployment: CONVEX_URL / CONVEX_SITE_URL, else the
// NEXT_PUBLIC_ names, else the local backend's defaults.
export type DeploymentConfig = { convexUrl: string; siteUrl: string };

export function deploymentConfig(): DeploymentConfig {
  const env = process.env;
  return {
    convexUrl: env.CONVEX_URL ?? env.NEXT_PUBLIC_CONVEX_URL ?? "http://127.0.0.1:3210",
    siteUrl: env.CONVEX_SITE_URL ?? env.NEXT_PUBLIC_CONVEX_SITE_URL ?? "http://127.0.0.1:3211",
  };
}

/** The Convex Auth 2 deployment beside it (`make demo` starts one on :3220/:3221). */
export function v2DeploymentConfig(): DeploymentConfig {
  const env = process.env;
  return {
    convexUrl: env.CONVEX_V2_URL ?? "http://127.0.0.1:3220",
    siteUrl: env.CONVEX_V2_SITE_URL ?? "http://127.0.0.1:3221",
  };
}
