// The app this deployment serves: SITE_URL (the emailed links' pages, http://localhost:3000 by
// default) and AUTH_ORIGINS (more origins, comma-separated: the tests' pages) — where passkey
// ceremonies may run and who may read the local mailbox.
export const SITE_URL = process.env.SITE_URL ?? "http://localhost:3000";

export const siteOrigins = (): string[] =>
  [SITE_URL, ...(process.env.AUTH_ORIGINS ?? "").split(",").filter(Boolean)].map((url) => new URL(url).origin);
