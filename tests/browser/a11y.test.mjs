// Accessibility gate: axe-core finds no violations on each page type, in
// the light and the dark colour scheme, at phone and desktop widths.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pages } from "./pages.mjs";
import { start } from "./browser.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

describe("axe-core finds no accessibility violations", () => {
  let env;
  before(async () => (env = await start()));
  after(async () => env && env.close());

  for (const scheme of ["light", "dark"]) {
    for (const [name, path] of Object.entries(pages)) {
      it(`${name} (${path}), ${scheme} scheme`, async () => {
        const width = scheme === "light" ? 390 : 1280;
        const ctx = await env.browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, reducedMotion: "reduce" });
        try {
          const page = await ctx.newPage();
          const res = await page.goto(env.srv.url + path, { waitUntil: "load" });
          assert.equal(res.status(), 200);
          await page.addScriptTag({ content: axeSource });
          const result = await page.evaluate(() =>
            window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
          );
          const report = result.violations
            .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1, 2).join("")}`).join("\n"))
            .join("\n");
          assert.equal(result.violations.length, 0, `violations on ${path}:\n${report}`);
        } finally {
          await ctx.close();
        }
      });
    }
  }
});
