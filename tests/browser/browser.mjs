// Shared set-up for the browser tests: the built site, served on
// 127.0.0.1, and Debian's chromium driven by playwright-core.
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
