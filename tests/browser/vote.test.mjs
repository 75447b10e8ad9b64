// The vote button against a stub of the voting function: counts, a vote,
// remembering it, and every refusal explained in plain words. Also: the
// page without JavaScript shows no button and still lists the entries.
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { start } from "./browser.mjs";

const contestPath = "/contests/four-seasons-2027/";

describe("vote button", () => {
  let env;
  // next answers the next POST; posts records what the page sent.
  let next, posts, gets;
  before(async () => {
    env = await start({
      votes: (req, body, url) => {
        if (req.method === "GET") {
          gets.push({ contest: url.searchParams.get("contest"), cookie: req.headers.cookie || "" });
          return { status: 200, body: { contest: url.searchParams.get("contest"), entries: { "the-november-swimmers": 7 } } };
        }
        posts.push({ body: JSON.parse(body), type: req.headers["content-type"] });
        return next(JSON.parse(body));
      },
    });
  });
  after(async () => env && env.close());
  beforeEach(() => {
    posts = [];
    gets = [];
    next = (b) => ({ status: 201, body: { entry: b.entry, votes: 8 } });
  });

  async function open(path = contestPath, opts = {}) {
    const ctx = await env.browser.newContext(opts);
    const page = await ctx.newPage();
    await page.goto(env.srv.url + path);
    return { ctx, page };
  }

  it("shows counts from one GET, votes with a POST and remembers it", async () => {
    const { ctx, page } = await open();
    try {
      const place = page.locator('.vote[data-entry="the-november-swimmers"]').first();
      await assert.doesNotReject(place.locator(".vote-count", { hasText: "7 votes" }).waitFor());
      assert.equal(gets.length, 1, "one GET for the page's contest");
      assert.equal(gets[0].contest, "four-seasons-2027");
      const button = place.getByRole("button", { name: /Vote for “The November swimmers”/ });
      await button.click();
      await place.locator(".vote-count", { hasText: "8 votes" }).waitFor();
      const voted = place.getByRole("button", { name: /Voted for “The November swimmers”/ });
      assert.deepEqual(posts[0].body, { contest: "four-seasons-2027", entry: "the-november-swimmers" });
      assert.match(posts[0].type, /application\/json/);
      assert.equal(await voted.getAttribute("aria-pressed"), "true");
      assert.match(await place.locator(".vote-message").innerText(), /counted/);
      // Remembered across pages, on the story page too.
      await page.goto(env.srv.url + "/stories/the-november-swimmers/");
      const again = page.locator(".vote button");
      await again.waitFor();
      assert.match(await again.innerText(), /Voted/);
    } finally {
      await ctx.close();
    }
  });

  const refusals = [
    [409, { error: "you have already voted for this entry", code: "conflict" }, "You have already voted for this entry"],
    [409, { error: "you have used all 5 of your votes in this contest", code: "conflict" }, "You have used all your 5 votes in this contest"],
    [403, { error: "voting is closed", code: "forbidden" }, "Voting is closed"],
    [403, { error: "foreign origin", code: "forbidden" }, "only from this showcase"],
    [404, { error: "unknown entry", code: "not_found" }, "This entry is not in the contest"],
    [400, { error: "bad json", code: "invalid" }, "could not be read"],
    [413, { error: "too large", code: "too_large" }, "too large"],
    [429, { error: "slow down", code: "rate_limited" }, "Too many votes from your network: try again in a minute"],
    [500, { error: "internal error", code: "internal" }, "try again later"],
  ];
  for (const [status, body, want] of refusals) {
    it(`explains ${status} ${body.error}`, async () => {
      next = () => ({ status, body });
      const { ctx, page } = await open();
      try {
        const place = page.locator(".vote").first();
        await place.getByRole("button").click();
        const msg = place.locator(".vote-message");
        await msg.filter({ hasText: want }).waitFor({ timeout: 5000 });
        assert.equal(await msg.getAttribute("aria-live"), "polite");
      } finally {
        await ctx.close();
      }
    });
  }

  it("says so when the voting service cannot be reached", async () => {
    const { ctx, page } = await open();
    try {
      await page.route("**/api/votes", (route) => (route.request().method() === "POST" ? route.abort("connectionrefused") : route.continue()));
      const place = page.locator(".vote").first();
      await place.getByRole("button").click();
      await place.locator(".vote-message", { hasText: "Could not reach the voting service" }).waitFor({ timeout: 5000 });
    } finally {
      await ctx.close();
    }
  });

  it("shows nothing without JavaScript, and the entries are still listed", async () => {
    const { ctx, page } = await open(contestPath, { javaScriptEnabled: false });
    try {
      assert.equal(await page.locator(".vote button").count(), 0);
      assert.ok((await page.locator(".vote").count()) > 0);
      assert.ok((await page.locator(".category .card").count()) > 0);
      assert.equal(gets.length, 0);
    } finally {
      await ctx.close();
    }
  });
});
