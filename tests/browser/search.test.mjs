// The search page: with JavaScript, typing filters the list of stories
// (accents ignored, every word must match) and the address keeps the query;
// without it, the page lists every story.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { start } from "./browser.mjs";

describe("search", () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => env && env.close());

  it("filters as one types", async () => {
    const ctx = await env.browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(env.srv.url + "/search/");
      const box = page.getByRole("searchbox", { name: "Search stories" });
      const all = await page.locator("[data-search-list] li:visible").count();
      assert.ok(all >= 12, `${all} stories listed`);
      await box.fill("cafe laituri");
      await page.locator("[data-search-status]", { hasText: /match/ }).waitFor();
      const shown = await page.locator("[data-search-list] li:visible").count();
      assert.ok(shown > 0 && shown < all, `${shown} of ${all} shown for "cafe laituri"`);
      assert.match(page.url(), /\?q=cafe%20laituri$/);
      await box.fill("zzzz nothing");
      await page.locator("[data-search-empty]").waitFor();
      assert.equal(await page.locator("[data-search-list] li:visible").count(), 0);
      // A shared link opens with the query applied.
      await page.goto(env.srv.url + "/search/?q=sauna");
      await page.locator("[data-search-status]", { hasText: /match “sauna”/ }).waitFor();
    } finally {
      await ctx.close();
    }
  });

  it("lists every story without JavaScript", async () => {
    const ctx = await env.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(env.srv.url + "/search/");
      assert.ok((await page.locator("[data-search-list] li").count()) >= 12);
      assert.equal(await page.locator("form[role=search]").isVisible(), false);
    } finally {
      await ctx.close();
    }
  });
});
