// Search on a showcase of 10,000 stories: the synthetic showcase of the
// build benchmark (bench/site, generated once per run in a temporary
// folder), built by the real `postcard build --no-function` and served on
// 127.0.0.1. Three queries typed in Chromium must find the right stories
// (one typed without, then with, its accent), and each query, from an empty
// cache, may download at most 300 KB of search script and index files.
//
// Bytes are the decoded sizes of the response bodies (what the files weigh
// on disk, before any compression the server adds), measured through
// Playwright's network events: a bound on the transfer that holds whatever
// the host compresses.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { chromiumPath, repoRoot } from "./pages.mjs";
import { matching, showcase } from "./showcase.mjs";

const stories = 10000;
const budget = 300 * 1024;

describe("search on 10,000 stories", { timeout: 30 * 60 * 1000 }, () => {
  let dir, site, srv, browser, all;
  before(async () => {
    // POSTCARD_SEARCH_SITE names a showcase generated and built before
    // (bench/site -generate, then postcard build), to rerun the checks.
    site = process.env.POSTCARD_SEARCH_SITE;
    if (!site) {
      dir = mkdtempSync(join(tmpdir(), "postcard-search-"));
      site = join(dir, "site");
      const bin = join(dir, "postcard");
      const run = (cmd, args) => execFileSync(cmd, args, { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
      run("go", ["run", "./bench/site", "-generate", site, "-sizes", String(stories)]);
      // This test is about the search index: the site shares its covers'
      // crops instead of composing 10,000 social cards, which would take
      // most of the run on two cores (a destination can choose the same).
      appendFileSync(join(site, "site.toml"), "\n[social]\ncards = false\n");
      run("go", ["build", "-o", bin, "./cmd/postcard"]);
      run(bin, ["build", "--quiet", "--no-function", "--source", site, "--destination", join(site, "public")]);
    }
    all = showcase(site);
    srv = await serve(join(site, "public"));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  }, { timeout: 30 * 60 * 1000 });
  after(async () => {
    await browser?.close();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // query types (or pastes) q in a fresh browser (empty cache), after
  // picking a kind when asked, and returns the count announced, the result links shown and the
  // bytes of search script and index files downloaded.
  async function query(q, { kind, paste } = {}) {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      const bodies = [];
      page.on("response", (r) => {
        const path = new URL(r.url()).pathname;
        if ((path.startsWith("/search/") && path !== "/search/") || /^\/js\/search\./.test(path)) {
          bodies.push(r.body().then((b) => [path, b.length], () => [path, 0]));
        }
      });
      await page.goto(srv.url + "/search/");
      if (kind) await page.getByLabel("Kind").selectOption({ label: kind });
      const box = page.getByRole("searchbox", { name: "Search stories" });
      // Typed key by key, or pasted (a title).
      if (paste) await box.fill(q);
      else await box.pressSequentially(q, { delay: 30 });
      const status = page.locator("[data-search-status]", { hasText: q.trim() });
      await status.waitFor();
      const text = await status.textContent();
      const links = await page.locator("[data-search-list] li > a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
      const files = await Promise.all(bodies);
      const bytes = files.reduce((n, [, b]) => n + b, 0);
      return { count: Number((text.match(/\d+/) || ["0"])[0]), text, links, bytes, files };
    } finally {
      await ctx.close();
    }
  }

  function report(name, r) {
    const list = r.files.map(([p, b]) => `${p.replace(/^\/search\//, "")} ${b}`).join(", ");
    console.log(`# ${name}: ${r.bytes} bytes in ${r.files.length} files (${list})`);
    assert.ok(r.bytes <= budget, `${name}: ${r.bytes} bytes fetched, more than ${budget}`);
  }

  it("finds a teller's name typed without and with its accent", async () => {
    const want = matching(all, "järvi");
    assert.ok(want.length > 50, `${want.length} stories by a Järvinen`);
    const plain = await query("jarvi");
    report("jarvi", plain);
    assert.equal(plain.count, want.length, plain.text);
    assert.equal(plain.links.length, 10);
    const urls = new Set(want.map((s) => s.url));
    for (const u of plain.links) assert.ok(urls.has(u), `${u} does not match "jarvi"`);
    const accented = await query("Järvi");
    report("Järvi", accented);
    assert.equal(accented.count, want.length);
    assert.deepEqual(accented.links, plain.links);
  });

  it("puts the story whose title is typed in the top five", async () => {
    const target = all[Math.floor(all.length * 0.4321)];
    const r = await query(target.title, { paste: true });
    report("title", r);
    const top = r.links.slice(0, 5);
    const same = new Set(all.filter((s) => s.title === target.title).map((s) => s.url));
    assert.ok(top.some((u) => same.has(u)), `"${target.title}" (${target.url}) not in the top five: ${top.join(" ")}`);
  });

  it("matches the beginning of a word, within a kind", async () => {
    const want = matching(all, "boathou").filter((s) => s.kind === "poem");
    assert.ok(want.length > 10, `${want.length} poems of boathouses`);
    const r = await query("boathou", { kind: "Poem" });
    report("boathou, poems", r);
    assert.match(r.text, new RegExp(`^${want.length} `), r.text);
    const urls = new Set(want.map((s) => s.url));
    for (const u of r.links) assert.ok(urls.has(u), `${u} is not a poem about a boathouse`);
  });
});
