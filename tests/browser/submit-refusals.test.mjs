// The submission form's script against answers of the submission function
// (routed in the browser): a 400's field errors beside their fields and in
// the summary, and 403, 413, 429 explained in plain words; the keyboard
// reaches each error from the summary.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start } from "./browser.mjs";
import { repoRoot } from "./pages.mjs";

const photo = join(repoRoot, "generator/images/testdata/exif-rotated-gps.jpg");

describe("submission form refusals", () => {
  let env;
  before(async () => (env = await start()));
  after(async () => env && env.close());

  // open fills the form completely and answers its post with status and body.
  async function open(status, body) {
    const ctx = await env.browser.newContext();
    const page = await ctx.newPage();
    await page.route("**/api/votes/challenge?*", (route) => route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ challenge: "c", difficulty: 0 }) }));
    await page.route("**/api/submissions", (route) => route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) }));
    await page.goto(env.srv.url + "/submit/?contest=four-seasons-2027");
    await page.getByLabel(/^Title/).fill("A title");
    await page.getByLabel("Photo 1", { exact: true }).setInputFiles(photo);
    await page.getByLabel("Description of photo 1").fill("A pier");
    await page.getByLabel(/^Category/).selectOption("lake");
    await page.getByLabel(/^Your name as credited/).fill("Ilona");
    await page.getByRole("radio", { name: /CC0-1\.0/ }).check();
    await page.getByRole("checkbox", { name: /I agree/ }).check();
    await page.locator('[data-photo="1"] .preview img').waitFor();
    await page.getByRole("button", { name: "Send your story" }).click();
    return { ctx, page };
  }

  it("shows a 400's field errors beside their fields, reachable from the summary by keyboard", async () => {
    const { ctx, page } = await open(400, {
      errors: [
        { field: "alt_1", code: "too_long", message: "This is too long: at most 300." },
        { field: "category", code: "category", message: "Choose one of the contest's categories." },
      ],
    });
    try {
      const summary = page.locator("#form-errors");
      await summary.locator("li", { hasText: "at most 300" }).waitFor();
      assert.equal(await page.locator("#error-alt_1").innerText(), "This is too long: at most 300.");
      assert.equal(await page.getByLabel("Description of photo 1").getAttribute("aria-invalid"), "true");
      assert.match(await page.locator("#error-category").innerText(), /categories/);
      assert.equal(await page.evaluate(() => document.activeElement.id), "form-errors");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => document.activeElement.id), "f-alt_1", "the summary's link moves to the field");
    } finally {
      await ctx.close();
    }
  });

  it("checks as you type, never more strictly than the function", async () => {
    const ctx = await env.browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(env.srv.url + "/submit/");
      const video = page.getByLabel(/^Video address/);
      assert.equal(await video.isHidden(), true, "no video address for a photo");
      await page.getByLabel("Video", { exact: true }).check();
      await video.fill("https://example.org/clip.mp4");
      await video.blur();
      await page.locator("#error-video", { hasText: "YouTube or Vimeo" }).waitFor();
      for (const ok of ["https://youtu.be/dQw4w9WgXcQ", "http://www.youtube.com/live/dQw4w9WgXcQ", "https://vimeo.com/76979871"]) {
        await video.fill(ok);
        assert.equal(await page.locator("#error-video").isHidden(), true, `${ok} is a video address`);
      }
      const body = page.getByLabel(/^Text/);
      await body.fill("Cold: temperatures <zero, and a <b>bold</b> word.");
      await body.blur();
      await page.locator("#error-body", { hasText: "raw HTML" }).waitFor();
      await body.fill("Cold: temperatures <zero, and [a link](https://example.org).");
      assert.equal(await page.locator("#error-body").isHidden(), true, "a < alone is text");
      await body.fill("See [this](javascript:alert(1)).");
      await page.locator("#error-body", { hasText: "not allowed" }).waitFor();
      const title = page.getByLabel(/^Title/);
      await title.fill("x".repeat(121));
      assert.equal((await title.inputValue()).length, 120, "a title stops at 120 characters");
      await title.fill(" ");
      await title.blur();
      await page.locator("#error-title", { hasText: "required" }).waitFor();
      assert.equal(await title.getAttribute("aria-invalid"), "true");
    } finally {
      await ctx.close();
    }
  });

  const refusals = [
    [403, { error: "foreign origin", code: "forbidden" }, /reload the page/],
    [403, { error: "the contest's window is closed", code: "forbidden" }, /does not take entries now/],
    [413, { error: "too large", code: "too_large" }, /too large together/],
    [429, { error: "quota for today used", code: "quota" }, /try again tomorrow/],
    [429, { error: "slow down", code: "rate_limited" }, /try again in a minute/],
    [500, { error: "internal", code: "internal" }, /try again later/],
  ];
  for (const [status, body, want] of refusals) {
    it(`explains ${status} ${body.error}`, async () => {
      const { ctx, page } = await open(status, body);
      try {
        const summary = page.locator("#form-errors");
        await summary.locator("li").first().waitFor();
        assert.match(await summary.innerText(), want);
        assert.match(page.url(), /\/submit\//, "the contributor stays on the form");
      } finally {
        await ctx.close();
      }
    });
  }
});
