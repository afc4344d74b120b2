// The deployment this app talks to. NEXT_PUBLIC_* values are inlined at build time.
export const convexUrl = process.env.NEXT_PUBLIC_CONVEX_URL ?? "http://127.0.0.1:3210";
export const siteUrl = process.env.NEXT_PUBLIC_CONVEX_SITE_URL ?? "http://127.0.0.1:3211";
