// Languages, as a visitor meets them: the switcher on a story page keeps
// them on the story, in its Finnish translation, and the page says it is
// Finnish so that a screen reader switches voice.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { start } from "./browser.mjs";

describe("languages", () => {
  let env;
  before(async () => (env = await start()));
  after(async () => env && env.close());

  it("switches a story page to its Finnish translation", async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(env.srv.url + "/stories/first-light-on-the-pier/");
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      const switcher = page.getByRole("navigation", { name: "Language" });
      assert.equal(await switcher.getByRole("link", { name: "English" }).getAttribute("aria-current"), "page");
      const suomi = switcher.getByRole("link", { name: "Suomi" });
      assert.equal(await suomi.getAttribute("lang"), "fi");
      assert.equal(await suomi.getAttribute("hreflang"), "fi");
      await suomi.click();
      await page.waitForURL("**/fi/stories/first-light-on-the-pier/");
      assert.equal(await page.locator("html").getAttribute("lang"), "fi");
      await page.locator("h1", { hasText: "Aamun ensi valo laiturilla" }).waitFor();
      const kieli = page.getByRole("navigation", { name: "Kieli" });
      assert.equal(await kieli.getByRole("link", { name: "Suomi" }).getAttribute("aria-current"), "page");
      assert.equal(await page.locator('link[rel=alternate][hreflang="x-default"]').getAttribute("href"), "https://stories.lumolahti.example/stories/first-light-on-the-pier/");
      // The theme's own words are Finnish too.
      assert.equal(await page.locator(".skip-link").innerText(), "Siirry sisältöön");
      // And back again.
      await kieli.getByRole("link", { name: "English" }).click();
      await page.waitForURL("**/stories/first-light-on-the-pier/");
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });

  it("takes a story without a translation to the Finnish home, and marks English text in Finnish lists", async () => {
    const ctx = await env.browser.newContext();
    const page = await ctx.newPage();
    try {
      await page.goto(env.srv.url + "/stories/the-old-boathouse/");
      await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Suomi" }).click();
      await page.waitForURL(/\/fi\/$/);
      assert.equal(await page.locator("html").getAttribute("lang"), "fi");
      await page.goto(env.srv.url + "/fi/stories/");
      // Untranslated stories are listed in English, at their English pages,
      // each card saying it is English; translated ones are Finnish.
      const english = page.locator('article.card[lang="en"]');
      assert.ok((await english.count()) > 0);
      assert.doesNotMatch(await english.first().locator(".card-link").getAttribute("href"), /^\/fi\//);
      const finnish = page.locator("article.card:not([lang])");
      assert.ok((await finnish.count()) > 0);
      assert.match(await finnish.first().locator(".card-link").getAttribute("href"), /^\/fi\/stories\//);
    } finally {
      await ctx.close();
    }
  });
});
