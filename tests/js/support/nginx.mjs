// Debian's nginx as a round-robin load balancer in front of several app servers, for a test:
// its own config, pid and logs in a temporary directory, in the foreground, on a free port.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.mjs";

/** Starts nginx balancing round-robin over `upstreams` (base URLs); resolves with `{ url, stop }`. */
export async function startLoadBalancer(upstreams) {
  const dir = mkdtempSync(join(tmpdir(), "nginx-"));
  const port = await freePort();
  const servers = upstreams.map((u) => `    server ${new URL(u).host};`).join("\n");
  writeFileSync(join(dir, "nginx.conf"), `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header Connection "";
    }
  }
}
`);
  const child = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(url);
      break;
    } catch (e) {
      if (child.exitCode !== null || i > 100) throw new Error(`nginx did not start: ${output}`, { cause: e });
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
  const exited = new Promise((ok) => child.once("exit", ok));
  return { url, stop: async () => (child.kill(), await exited) };
}
