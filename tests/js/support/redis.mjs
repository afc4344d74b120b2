// Debian's redis-server for a test: no persistence, a free loopback port, in the foreground.
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { freePort } from "./ports.mjs";

const reachable = (port) =>
  new Promise((ok) => {
    const socket = createConnection({ port, host: "127.0.0.1" }, () => (socket.end(), ok(true)));
    socket.on("error", () => ok(false));
  });

/** Starts redis-server; resolves with `{ url, pause, resume, stop }` (pause: SIGSTOP, an outage). */
export async function startRedis() {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  for (let i = 0; !(await reachable(port)); i++) {
    if (child.exitCode !== null || i > 100) throw new Error(`redis-server did not start: ${output}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const exited = new Promise((ok) => child.once("exit", ok));
  return {
    url: `redis://127.0.0.1:${port}`,
    pause: async () => child.kill("SIGSTOP"),
    resume: async () => child.kill("SIGCONT"),
    stop: async () => (child.kill("SIGCONT"), child.kill(), await exited),
  };
}
