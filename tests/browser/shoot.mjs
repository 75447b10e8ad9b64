// Screenshots of each page type at phone and desktop widths, for a person
// to look at: node tests/browser/shoot.mjs [outdir]. Not a test.
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { pages, publicDir, chromiumPath } from "./pages.mjs";

const out = process.argv[2] || "screenshots";
const srv = await serve(publicDir);
const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
for (const scheme of (process.env.SCHEMES || "light").split(",")) {
  for (const width of [390, 1280]) {
    const ctx = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(srv.url + path, { waitUntil: "networkidle" });
      await page.screenshot({ path: `${out}/${name}-${width}-${scheme}.png`, fullPage: !process.env.VIEWPORT_ONLY });
    }
    await ctx.close();
  }
}
await browser.close();
await srv.close();
