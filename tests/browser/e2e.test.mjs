// End to end: the vote button on the example showcase, served by the real
// `postcard serve` with the voting function in-process on SQLite. A click
// counts a vote, a second visitor's click counts another, and the first
// visitor cannot vote twice.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServe } from "./browser.mjs";
import { repoRoot, chromiumPath } from "./pages.mjs";

const contestPath = "/contests/four-seasons-2027/";
const entry = "the-november-swimmers";

describe("voting end to end with postcard serve", () => {
  let dir, stopServer, base, browser;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "postcard-e2e-"));
    const bin = join(dir, "postcard");
    execFileSync("go", ["build", "-o", bin, "./cmd/postcard"], { cwd: repoRoot, stdio: "inherit" });
    ({ base, stop: stopServer } = await startServe(bin, ["--source", repoRoot, "--votes-db", join(dir, "votes.db")]));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  });
  after(async () => {
    if (browser) await browser.close();
    if (stopServer) await stopServer();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // vote opens the contest as a visitor and clicks the entry's button.
  async function vote(ctx) {
    const page = await ctx.newPage();
    await page.goto(base + contestPath);
    const place = page.locator(`.vote[data-entry="${entry}"]`).first();
    const button = place.getByRole("button");
    await button.waitFor();
    await button.click();
    return { page, place };
  }

  it("counts one vote per visitor and entry", async () => {
    const first = await browser.newContext();
    const second = await browser.newContext();
    try {
      let { place } = await vote(first);
      await place.locator(".vote-message", { hasText: "counted" }).waitFor({ timeout: 10000 });
      await place.locator(".vote-count", { hasText: /^1 vote$/ }).waitFor({ timeout: 10000 });

      ({ place } = await vote(second));
      await place.locator(".vote-count", { hasText: /^2 votes$/ }).waitFor({ timeout: 10000 });

      // The first visitor's page remembers the vote; the server refuses a
      // second one for the same entry all the same.
      const page = await first.newPage();
      await page.goto(base + contestPath);
      const again = page.locator(`.vote[data-entry="${entry}"] button`).first();
      await again.waitFor();
      assert.match(await again.innerText(), /Voted/);
      const res = await page.evaluate(async ([contest, entry]) => {
        const r = await fetch("/api/votes", {
          method: "POST",
          credentials: "include",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ contest, entry }),
        });
        return r.status;
      }, ["four-seasons-2027", entry]);
      assert.equal(res, 409);

      const counts = await (await fetch(`${base}/api/votes?contest=four-seasons-2027`)).json();
      assert.equal(counts.entries[entry], 2);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
