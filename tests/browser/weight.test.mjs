// Page-weight gate: what a page needs before it can be read (its HTML,
// stylesheets and scripts) stays small once compressed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { pages, publicDir } from "./pages.mjs";
import { requireSite } from "./browser.mjs";

const gz = (b) => gzipSync(b, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function weigh(path) {
  const file = join(publicDir, path, "index.html");
  const html = readFileSync(file);
  const text = html.toString();
  const refs = [
    ...[...text.matchAll(/<link[^>]+rel="?stylesheet"?[^>]*>/g)].map((m) => /href="?([^" >]+)/.exec(m[0])[1]),
    ...[...text.matchAll(/<script[^>]+src="?([^" >]+)/g)].map((m) => m[1]),
  ];
  const parts = { html: gz(html), css: 0, js: 0 };
  for (const ref of refs) {
    const size = gz(readFileSync(join(publicDir, ref)));
    parts[ref.endsWith(".css") ? "css" : "js"] += size;
  }
  return { ...parts, total: parts.html + parts.css + parts.js };
}

describe("page weight (gzip)", () => {
  requireSite();
  for (const [name, path] of Object.entries(pages)) {
    it(`${name}: HTML+CSS+JS ≤ 60 KB, JS ≤ 20 KB`, () => {
      const w = weigh(path);
      console.log(`# ${name.padEnd(10)} html ${kb(w.html)}  css ${kb(w.css)}  js ${kb(w.js)}  total ${kb(w.total)}`);
      assert.ok(w.total <= 60 * 1024, `${path} weighs ${kb(w.total)} compressed`);
      assert.ok(w.js <= 20 * 1024, `${path} loads ${kb(w.js)} of JavaScript compressed`);
    });
  }
});
