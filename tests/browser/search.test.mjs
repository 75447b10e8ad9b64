// The search page of the example showcase: with JavaScript, results as one
// types (accents ignored, every word must match the beginning of a word),
// the count announced, the address keeping the query and the filters;
// without it, the places, tags and kinds to browse instead of a list of
// every story.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { start } from "./browser.mjs";

describe("search", () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => env && env.close());

  it("shows results as one types", async () => {
    const ctx = await env.browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(env.srv.url + "/search/");
      const box = page.getByRole("searchbox", { name: "Search stories" });
      const status = page.locator("[data-search-status]");
      assert.equal(await status.getAttribute("aria-live"), "polite");
      await box.focus();
      await page.keyboard.type("cafe laituri");
      await status.filter({ hasText: /match(es)? “cafe laituri”/ }).waitFor();
      const shown = await page.locator("[data-search-list] li > a").count();
      assert.ok(shown > 0, `${shown} results for "cafe laituri"`);
      assert.match(page.url(), /\?q=cafe\+laituri$/);
      assert.equal(await page.locator("[data-search-browse]").isVisible(), false);
      // Keyboard: the first result is the next stop after the filters.
      await box.fill("zzzz nothing");
      await status.filter({ hasText: /No story matches “zzzz nothing”/ }).waitFor();
      assert.equal(await page.locator("[data-search-list] li").count(), 0);
      assert.equal(await page.locator("[data-search-browse]").isVisible(), true);
      // A shared link opens with the query applied; a prefix matches.
      await page.goto(env.srv.url + "/search/?q=saun");
      await status.filter({ hasText: /match(es)? “saun”/ }).waitFor();
      assert.ok((await page.locator("[data-search-list] li > a").count()) > 0);
    } finally {
      await ctx.close();
    }
  });

  it("filters by kind", async () => {
    const ctx = await env.browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(env.srv.url + "/search/");
      await page.getByLabel("Kind").selectOption({ label: "Poem" });
      const status = page.locator("[data-search-status]", { hasText: /\d/ });
      await status.waitFor();
      const metas = await page.locator("[data-search-list] .search-meta").allTextContents();
      assert.ok(metas.length > 0, "no poem listed");
      for (const m of metas) assert.match(m, /^Poem/);
      assert.match(page.url(), /kind=\d+/);
    } finally {
      await ctx.close();
    }
  });

  it("offers places, tags and kinds without JavaScript", async () => {
    const ctx = await env.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(env.srv.url + "/search/");
      assert.equal(await page.locator("form[role=search]").isVisible(), false);
      assert.equal(await page.locator("[data-search-list] li").count(), 0);
      const browse = page.locator("[data-search-browse]");
      for (const name of ["Places", "Tags", "Kinds"]) {
        assert.ok(await browse.getByRole("link", { name, exact: true }).isVisible(), `no link to ${name}`);
      }
      assert.ok((await browse.locator("a.chip").count()) >= 6);
    } finally {
      await ctx.close();
    }
  });
});
