// The theme's scripts, as a visitor uses them: instant filters, the
// keyboard lightbox, the video facade; and every page works without them.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { start } from "./browser.mjs";
import { pages } from "./pages.mjs";

describe("theme features", () => {
  let env;
  before(async () => (env = await start()));
  after(async () => env && env.close());

  async function open(path, opts = {}) {
    const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, ...opts });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(env.srv.url + path);
    return { ctx, page, errors };
  }

  it("filters the gallery in place and keeps the address in step", async () => {
    const { ctx, page, errors } = await open("/stories/");
    try {
      const requests = [];
      page.on("request", (r) => r.resourceType() === "document" && requests.push(r.url()));
      await page.getByRole("link", { name: /^Poems/ }).click();
      await page.waitForURL("**/kinds/poem/");
      await page.locator("h1", { hasText: "Poems" }).waitFor();
      assert.equal(requests.length, 0, "no full page load");
      const kinds = await page.locator("[data-results] .card-title").count();
      assert.ok(kinds > 0);
      assert.equal(await page.locator(".chip[aria-current=page]").innerText().then((t) => t.startsWith("Poems")), true);
      await page.goBack();
      await page.locator("h1", { hasText: "All stories" }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });

  it("opens photos in a lightbox that works from the keyboard", async () => {
    const { ctx, page, errors } = await open("/stories/stars-underfoot/");
    try {
      const items = page.locator("[data-lightbox-item]");
      const n = await items.count();
      assert.ok(n >= 2, "the story has a gallery");
      await items.first().focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Photo viewer" });
      await dialog.waitFor();
      assert.match(await dialog.locator(".lightbox-count").innerText(), new RegExp(`Photo 1 of ${n}`));
      await page.keyboard.press("ArrowRight");
      assert.match(await dialog.locator(".lightbox-count").innerText(), new RegExp(`Photo 2 of ${n}`));
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      assert.equal(await page.evaluate(() => document.activeElement.hasAttribute("data-lightbox-item")), true, "focus returns to the photo");
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });

  it("loads the video player only on click", async () => {
    const { ctx, page } = await open(pages.video);
    try {
      const thirdParty = [];
      await page.route(/youtube|vimeo/, (route) => {
        thirdParty.push(route.request().url());
        route.abort();
      });
      assert.equal(await page.locator("iframe").count(), 0);
      await page.locator(".video-play").click();
      const frame = page.locator("iframe");
      await frame.waitFor({ state: "attached" });
      assert.match(await frame.getAttribute("src"), /^https:\/\/www\.youtube-nocookie\.com\/embed\//);
      assert.ok((await frame.getAttribute("title")).length > 0);
    } finally {
      await ctx.close();
    }
  });

  for (const [name, path] of Object.entries(pages)) {
    it(`${name} reads without JavaScript`, async () => {
      const { ctx, page } = await open(path, { javaScriptEnabled: false });
      try {
        assert.ok((await page.locator("main h1").count()) === 1);
        assert.equal(await page.locator("main img:not([alt])").count(), 0, "every image has alt text");
      } finally {
        await ctx.close();
      }
    });
  }
});
