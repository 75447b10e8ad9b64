// The browser half of the search benchmark (main.go runs it): serves the
// built showcase on 127.0.0.1, runs the three test queries in Chromium
// against Postcard's search page and against Pagefind's JavaScript API,
// each from an empty cache, and prints a Markdown table of the bytes each
// downloads (decoded sizes of the search script and index files, as the
// browser test measures them) and of the results' quality.
//
//	node bench/search/queries.mjs SITE   (SITE holds content/ and public/)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../tests/browser/server.mjs";
import { chromiumPath } from "../../tests/browser/pages.mjs";
import { matching, showcase } from "../../tests/browser/showcase.mjs";

const site = process.argv[2];
const all = showcase(site);
const target = all[Math.floor(all.length * 0.4321)];
const queries = ["jarvi", target.title, "boathou"];

writeFileSync(join(site, "public", "pagefind-bench.html"),
  `<!doctype html><meta charset="utf-8"><title>Pagefind</title><script type="module">window.pf = await import("/pagefind/pagefind.js"); window.ready = true;</script>`);

const srv = await serve(join(site, "public"));
const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });

async function measure(fn, prefix) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const bodies = [];
    page.on("response", (r) => {
      const path = new URL(r.url()).pathname;
      if (prefix.test(path)) bodies.push(r.body().then((b) => b.length, () => 0));
    });
    const res = await fn(page);
    res.bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
    res.files = bodies.length;
    return res;
  } finally {
    await ctx.close();
  }
}

const postcard = (q) => measure(async (page) => {
  await page.goto(srv.url + "/search/");
  await page.getByRole("searchbox").fill(q);
  const status = page.locator("[data-search-status]", { hasText: q });
  await status.waitFor();
  const count = Number(((await status.textContent()).match(/\d+/) || ["0"])[0]);
  const urls = await page.locator("[data-search-list] li > a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  return { count, urls };
}, /^\/search\/.+|^\/js\/search\./);

const pagefind = (q) => measure(async (page) => {
  await page.goto(srv.url + "/pagefind-bench.html");
  await page.waitForFunction(() => window.ready);
  return page.evaluate(async (q) => {
    const r = await window.pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return { count: r.results.length, urls: data.map((d) => new URL(d.url, location.href).pathname) };
  }, q);
}, /^\/pagefind\//);

function quality(q, urls, i) {
  const ok = new Set(matching(all, q).map((s) => s.url));
  const p5 = urls.slice(0, 5).filter((u) => ok.has(u)).length;
  if (i !== 1) return `${p5}/5 right`;
  const same = new Set(all.filter((s) => s.title === target.title).map((s) => s.url));
  const rank = urls.findIndex((u) => same.has(u));
  return `${p5}/5 right, the story ${rank < 0 ? "not in the top 10" : "at rank " + (rank + 1)}`;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log("| query | stories that match | Postcard: bytes (files) | results | top 5 | Pagefind: bytes (files) | results | top 5 |");
console.log("|---|---:|---:|---:|---|---:|---:|---|");
try {
  for (const [i, q] of queries.entries()) {
    const runs = [];
    for (let k = 0; k < 3; k++) runs.push([await postcard(q), await pagefind(q)]);
    const [p, f] = runs[1]; // bytes do not vary between runs; the middle one
    console.log(`| ${q} | ${matching(all, q).length} | ${kb(p.bytes)} (${p.files}) | ${p.count} | ${quality(q, p.urls, i)} | ${kb(f.bytes)} (${f.files}) | ${f.count} | ${quality(q, f.urls, i)} |`);
  }
} finally {
  await browser.close();
  await srv.close();
}
