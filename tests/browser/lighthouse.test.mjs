// Lighthouse gate: each page type scores at least 95 in performance,
// accessibility, best practices and SEO with the mobile preset (a
// mid-range phone on a slow network, simulated), in Debian's chromium.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lighthouse from "lighthouse";
import { pages, publicDir, chromiumPath } from "./pages.mjs";
import { serve } from "./server.mjs";
import { requireSite } from "./browser.mjs";

const MIN = Number(process.env.LIGHTHOUSE_MIN || 95);
const categories = ["performance", "accessibility", "best-practices", "seo"];

// launch starts chromium headless with a fresh profile and returns its
// DevTools port.
function launch() {
  const profile = mkdtempSync(join(tmpdir(), "postcard-lh-"));
  const proc = spawn(chromiumPath, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const port = new Promise((ok, fail) => {
    let err = "";
    const timer = setTimeout(() => fail(new Error(`chromium did not start:\n${err}`)), 30000);
    proc.stderr.on("data", (d) => {
      err += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    proc.on("exit", (code) => fail(new Error(`chromium exited (${code}):\n${err}`)));
  });
  return {
    port,
    close: async () => {
      // Debian's chromium is a wrapper script: end its whole process group,
      // and wait for it to exit before removing the profile it writes to.
      const exited = proc.exitCode !== null ? Promise.resolve() : new Promise((ok) => proc.once("exit", ok));
      try {
        process.kill(-proc.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

describe(`Lighthouse (mobile) scores ≥ ${MIN}`, () => {
  let srv, chrome, port;
  const scores = {};
  before(async () => {
    requireSite();
    // The voting function's GET, so the vote script's count request succeeds.
    srv = await serve(publicDir, {
      votes: (req, body, url) => ({ status: 200, body: { contest: url.searchParams.get("contest"), entries: {} } }),
    });
    chrome = launch();
    port = await chrome.port;
  });
  after(async () => {
    if (chrome) await chrome.close();
    if (srv) await srv.close();
    console.log("# Lighthouse scores: page  perf a11y bp seo");
    for (const [name, s] of Object.entries(scores)) console.log(`# ${name.padEnd(10)} ${s.join("  ")}`);
  });

  for (const [name, path] of Object.entries(pages)) {
    it(`${name} (${path})`, async () => {
      const run = async () => {
        const r = (await lighthouse(srv.url + path, { port, output: "json", logLevel: process.env.LH_LOG || "error", onlyCategories: categories })).lhr;
        assert.equal(r.runtimeError, undefined, r.runtimeError && r.runtimeError.message);
        return r;
      };
      const perf = (r) => r.categories.performance.score ?? 0;
      let lhr = await run();
      // The performance score moves with the machine's load (its blocking
      // time is measured on a shared CPU); Lighthouse's advice on that
      // variance is the median of several runs. A page under the bar is
      // run twice more and judged on the median run, so one busy moment
      // does not fail it and a page that is really slow still does.
      if (Math.round(perf(lhr) * 100) < MIN) {
        const runs = [lhr, await run(), await run()].sort((a, b) => perf(a) - perf(b));
        lhr = runs[1];
      }
      const got = categories.map((c) => Math.round((lhr.categories[c].score ?? 0) * 100));
      scores[name] = got;
      const failing = [];
      categories.forEach((c, i) => {
        if (got[i] >= MIN) return;
        const audits = lhr.categories[c].auditRefs
          .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score < 1)
          .map((r) => `    ${r.id}: ${lhr.audits[r.id].score} ${lhr.audits[r.id].displayValue || ""}`);
        failing.push(`${c} ${got[i]}\n${audits.join("\n")}`);
      });
      assert.equal(failing.length, 0, `${path}:\n${failing.join("\n")}`);
    });
  }
});
