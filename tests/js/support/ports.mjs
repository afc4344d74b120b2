// A free loopback port (bound, read, released).
import { createServer } from "node:net";

export async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Two free loopback ports, `port` and `port + 1`: a local Convex deployment's cloud and site
 *  origins, by the Convex CLI's convention (which the package relies on when only the cloud URL is given). */
export async function freePortPair() {
  for (;;) {
    const port = await freePort();
    const next = createServer();
    const bound = await new Promise((ok) => {
      next.once("error", () => ok(false));
      next.listen(port + 1, "127.0.0.1", () => ok(true));
    });
    if (bound) {
      await new Promise((ok) => next.close(ok));
      return [port, port + 1];
    }
  }
}
