// Shared set-up for the browser tests: the built site, served on
// 127.0.0.1, and Debian's chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { publicDir, chromiumPath } from "./pages.mjs";

export function requireSite() {
  if (!existsSync(join(publicDir, "index.html"))) {
    throw new Error(`no built site in ${publicDir}: build the example first (go run ./cmd/postcard build)`);
  }
}

export async function start(opts) {
  requireSite();
  const srv = await serve(publicDir, opts);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  return { srv, browser, close: async () => { await browser.close(); await srv.close(); } };
}

// startServe runs `bin serve ...args` (postcard serve on 127.0.0.1:0) and
// resolves with its base URL once it says where it listens, and a stop
// function that ends it and waits for it to exit.
export async function startServe(bin, args, timeoutMs = 120000) {
  const server = spawn(bin, ["serve", ...args, "--addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
  const base = await new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`postcard serve did not start:\n${out}`)), timeoutMs);
    const read = (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    server.stdout.on("data", read);
    server.stderr.on("data", read);
    server.on("exit", (code) => fail(new Error(`postcard serve exited (${code}):\n${out}`)));
  });
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((ok) => server.once("exit", ok));
    server.kill("SIGTERM");
    await exited;
  };
  return { base, stop };
}
