// Another site for the browser: a page served as http://localhost:<port> while the demo app is
// http://127.0.0.1:<port>, so Chromium sees links from it as cross-site (Sec-Fetch-Site:
// cross-site, SameSite=Lax cookies sent on top-level navigations) — as from an email, a search
// engine or an OAuth provider.
import { createServer } from "node:http";

/** Serves one page whose only content is a link `#go` to `href`; resolves with `{ url, close }`. */
export async function foreignLinkPage(href) {
  const html = `<!doctype html><title>elsewhere</title><a id="go" href="${href.replace(/"/g, "&quot;")}">open the app</a>`;
  const server = createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://localhost:${server.address().port}/`, close: () => server.close() };
}

/** Opens `href` in `page` the way a user does from another site: by clicking a link there. */
export async function followLinkFromElsewhere(page, href) {
  const site = await foreignLinkPage(href);
  try {
    await page.goto(site.url);
    await Promise.all([page.waitForURL((url) => !url.href.startsWith(site.url)), page.click("#go")]);
  } finally {
    site.close();
  }
}
