// End to end: the submission form on the example showcase, served by the
// real `postcard serve` with the submission function in-process on its
// SQLite preview store. A contributor sends a photo that carries GPS
// metadata with JavaScript on (resized in the browser, proof of work
// solved) and once more with JavaScript off (a plain multipart post); a
// plain post that fails comes back with every message beside its field.
// Then the editor's side: `postcard submissions pull` writes bundles that
// `postcard check --drafts` accepts, whose photos carry no GPS and whose
// rights record the consent, and approving one publishes it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { startServe } from "./browser.mjs";
import { repoRoot, chromiumPath } from "./pages.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// accessible asserts that axe-core finds no violations on the page as it is.
async function accessible(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
  );
  const report = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")})`).join("\n");
  assert.equal(result.violations.length, 0, `axe on ${what}:\n${report}`);
}

const contestPath = "/contests/four-seasons-2027/";
const contest = "four-seasons-2027";
// A 1600x1000 JPEG stored with EXIF orientation 6, with EXIF and XMP GPS.
const gpsPhoto = join(repoRoot, "generator/images/testdata/exif-rotated-gps.jpg");
// A 2560x1600 HEIC as a phone sends it, with EXIF GPS.
const heicPhoto = join(repoRoot, "generator/images/testdata/phone-photo.heic");
const consentVersion = /^version = "([^"]+)"/m.exec(readFileSync(join(repoRoot, "site.toml"), "utf8").split("[submissions.consent]")[1] || "")[1];

describe("submissions end to end with postcard serve", () => {
  let dir, site, db, bin, stopServer, base, browser;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "postcard-submit-"));
    // A copy of the example, so that pulling writes into the copy's content/.
    site = join(dir, "site");
    mkdirSync(site);
    // A smaller max_side than the example's, so that the fixture photo is resized.
    writeFileSync(join(site, "site.toml"), readFileSync(join(repoRoot, "site.toml"), "utf8").replace(/^max_side = \d+$/m, "max_side = 800"));
    cpSync(join(repoRoot, "content"), join(site, "content"), { recursive: true });
    db = join(dir, "preview.db");
    bin = join(dir, "postcard");
    execFileSync(process.env.GO || "go", ["build", "-o", bin, "./cmd/postcard"], { cwd: repoRoot, stdio: "inherit" });
    ({ base, stop: stopServer } = await startServe(bin, ["--source", site, "--votes-db", db], 600000));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  });
  after(async () => {
    if (browser) await browser.close();
    if (stopServer) await stopServer();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // scripted opens a browser context with JavaScript that records what the
  // form's script hands to fetch: the photo as it leaves the browser.
  async function scripted() {
    const ctx = await browser.newContext();
    let sent = null;
    await ctx.exposeFunction("__sentPhoto", (info) => {
      sent = info;
    });
    await ctx.addInitScript(() => {
      const fetch = window.fetch;
      window.fetch = async function (input, init) {
        if (init && init.body instanceof FormData && init.body.get("photo_1") instanceof Blob) {
          const p = init.body.get("photo_1");
          const bytes = new Uint8Array(await p.arrayBuffer());
          let text = "";
          for (const b of bytes) text += String.fromCharCode(b);
          let dims = null;
          try {
            const bm = await createImageBitmap(p, { imageOrientation: "none" });
            dims = [bm.width, bm.height];
          } catch {
            dims = null;
          }
          const h = init.headers || {};
          await window.__sentPhoto({ type: p.type, size: p.size, dims, exif: text.includes("Exif\0"), gps: text.includes("GPS"), xmp: text.includes("ns.adobe.com/xap"), accept: h.Accept, proof: h["Postcard-Proof"] || "" });
        }
        return fetch.apply(this, arguments);
      };
    });
    return { ctx, sent: () => sent };
  }

  // fill types a complete submission into the form.
  async function fill(page, title, { alt = "A wooden pier in the morning fog", body = "The lake was *flat* at five." } = {}) {
    await page.getByLabel("Photo", { exact: true }).check();
    await page.getByLabel(/^Title/).fill(title);
    await page.getByLabel(/^Text/).fill(body);
    await page.getByLabel(/^Place/).fill("Old Harbour");
    await page.getByLabel("Photo 1", { exact: true }).setInputFiles(gpsPhoto);
    await page.getByLabel("Description of photo 1").fill(alt);
    await page.getByLabel("Caption of photo 1 (optional)").fill("Five o'clock");
    await page.getByLabel(/^Enter a contest/).selectOption(contest);
    await page.getByLabel(/^Category/).selectOption("lake");
    await page.getByLabel(/^Your name as credited/).fill("Ilona Testaaja");
    await page.getByLabel(/^E-mail/).fill("ilona@example.org");
    await page.getByRole("radio", { name: /CC-BY-4\.0/ }).check();
    await page.getByRole("checkbox", { name: /I agree/ }).check();
  }

  it("sends a photo with JavaScript: resized in the browser, without its GPS, to the thank-you page", async () => {
    const { ctx, sent: posted } = await scripted();
    let sent;
    try {
      const page = await ctx.newPage();
      await page.goto(base + contestPath);
      await page.getByRole("link", { name: "Enter this contest" }).first().click();
      await page.waitForURL(/\/submit\/\?contest=four-seasons-2027$/);
      assert.equal(await page.getByLabel(/^Enter a contest/).inputValue(), contest, "the contest is chosen");

      // Checked as you type: a wrong e-mail address is named beside the field.
      const email = page.getByLabel(/^E-mail/);
      await email.fill("not an address");
      await email.blur();
      const emailError = page.locator("#error-email");
      await emailError.waitFor();
      assert.match(await emailError.innerText(), /not an e-mail address/);
      assert.equal(await email.getAttribute("aria-invalid"), "true");
      assert.match(await email.getAttribute("aria-describedby"), /\berror-email\b/);

      // Sending an empty form lists every problem in a summary that takes the focus.
      await page.getByRole("button", { name: "Send your story" }).click();
      const summary = page.locator("#form-errors");
      await summary.waitFor();
      assert.equal(await summary.getAttribute("role"), "alert");
      assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), "form-errors");
      assert.match(await page.locator("#error-title").innerText(), /required/);
      assert.match(await page.locator("#error-consent").innerText(), /agree/);
      await accessible(page, "the form with the script's errors");

      await fill(page, "Pier at five, with JavaScript");
      await page.locator('[data-photo="1"] .preview img').waitFor();
      assert.equal(await page.locator("#error-email").isHidden(), true, "the corrected address is fine");
      // The video address is for videos only.
      assert.equal(await page.getByLabel(/^Video address/).isHidden(), true);

      await page.getByRole("button", { name: "Send your story" }).click();
      await page.waitForURL(/\/submit\/thanks\/\?receipt=[A-Za-z0-9_-]+$/);
      sent = posted();
      assert.ok(sent, "the script posted the form");
      assert.equal(sent.accept, "application/json");
      assert.match(sent.proof, /\.\d+$/, "the proof of work is solved");
      assert.equal(sent.type, "image/jpeg");
      assert.deepEqual(sent.dims, [500, 800], "resized upright to max_side (the file is 1600x1000 turned by its EXIF)");
      assert.equal(sent.exif, false, "no EXIF block is sent");
      assert.equal(sent.gps, false, "no GPS is sent");
      assert.equal(sent.xmp, false, "no XMP is sent");

      const receipt = new URL(page.url()).searchParams.get("receipt");
      await page.getByRole("heading", { name: "Thank you" }).waitFor();
      assert.match(await page.locator(".receipt").innerText(), new RegExp(`Your receipt is ${receipt}`));
    } finally {
      await ctx.close();
    }
  });

  it("sends a photo without JavaScript, as a plain form post, to the thank-you page", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(base + "/submit/");
      await fill(page, "Pier at five, without JavaScript");
      await page.getByRole("button", { name: "Send your story" }).click();
      await page.waitForURL(/\/submit\/thanks\/\?receipt=[A-Za-z0-9_-]+$/);
      await page.getByRole("heading", { name: "Thank you" }).waitFor();
      assert.match(await page.locator("main").innerText(), /Your story has arrived/);
    } finally {
      await ctx.close();
    }
  });

  it("shows a failed plain post's messages beside their fields, with what was typed", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(base + "/submit/");
      await fill(page, "Refused without JavaScript", { alt: "", body: "A <b>bold</b> claim." });
      await page.getByRole("button", { name: "Send your story" }).click();
      await page.waitForURL(/\/api\/submissions\/form\?t=/);
      const summary = page.locator("#form-errors");
      assert.equal(await summary.isVisible(), true);
      assert.equal(await summary.getAttribute("role"), "alert");
      const alt = page.getByLabel("Description of photo 1");
      assert.match(await page.locator("#error-alt_1").innerText(), /required/);
      assert.equal(await alt.getAttribute("aria-invalid"), "true");
      assert.match(await alt.getAttribute("aria-describedby"), /\berror-alt_1\b/);
      assert.match(await page.locator("#error-body").innerText(), /raw HTML/);
      assert.equal(await page.getByLabel(/^Title/).inputValue(), "Refused without JavaScript", "what was typed is kept");
      assert.equal(await page.getByLabel(/^Category/).inputValue(), "lake");
      assert.equal(await page.getByRole("checkbox", { name: /I agree/ }).isChecked(), true);
      // axe runs as a script: look at the same filled-in page with scripts on.
      const checker = await browser.newContext();
      try {
        const again = await checker.newPage();
        await again.goto(page.url());
        assert.match(await again.locator("#error-alt_1").innerText(), /required/);
        await accessible(again, "the form the function filled in");
      } finally {
        await checker.close();
      }
      // The page still has its stylesheet: it is the site's own form page.
      assert.notEqual(await page.locator("h1").evaluate((h) => getComputedStyle(h).fontFamily), "");
    } finally {
      await ctx.close();
    }
  });

  it("answers a refused plain post from the Finnish form in Finnish", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(base + "/fi/submit/");
      assert.equal(await page.locator("html").getAttribute("lang"), "fi");
      await page.locator('[name="title"]').fill("Laituri aamulla");
      await page.locator('[name="photo_1"]').setInputFiles(gpsPhoto);
      await page.locator('[name="name"]').fill("Ilona Testaaja");
      await page.locator('[name="license"][value="CC-BY-4.0"]').check();
      await page.locator('[name="consent"]').check();
      await page.getByRole("button", { name: "Lähetä tarinasi" }).click();
      await page.waitForURL(/\/api\/submissions\/form\?t=/);
      assert.equal(await page.locator("html").getAttribute("lang"), "fi", "the Finnish form comes back");
      assert.equal(await page.locator("#error-alt_1").innerText(), "Tämä kohta on pakollinen.");
      assert.equal(await page.locator('[name="title"]').inputValue(), "Laituri aamulla");
    } finally {
      await ctx.close();
    }
  });

  it("sends a HEIC photo the browser cannot decode as it is, under the cap", async () => {
    const { ctx, sent } = await scripted();
    try {
      const page = await ctx.newPage();
      await page.goto(base + "/submit/");
      await fill(page, "Phone photo");
      await page.getByLabel("Photo 1", { exact: true }).setInputFiles(heicPhoto);
      await page.getByRole("button", { name: "Send your story" }).click();
      await page.waitForURL(/\/submit\/thanks\/\?receipt=[A-Za-z0-9_-]+$/);
      const s = sent();
      assert.ok(s, "the script posted the form");
      // Chromium outside Apple's platforms decodes no HEIC: the original goes.
      if (s.type !== "image/jpeg") assert.equal(s.size, statSync(heicPhoto).size, "the original file is sent");
    } finally {
      await ctx.close();
    }
  });

  it("pulls them into bundles that check accepts, without GPS, with the consent; approving publishes", () => {
    const run = (...args) => {
      const r = spawnSync(bin, args, { cwd: site, encoding: "utf8" });
      assert.equal(r.status, 0, `postcard ${args.join(" ")}:\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    };
    const out = run("submissions", "pull", "--db", `sqlite:${db}`, "--source", site);
    for (const slug of ["pier-at-five-with-javascript", "pier-at-five-without-javascript", "phone-photo"]) {
      assert.match(out, new RegExp(`content/stories/${slug}/index.md`));
      const bundle = join(site, "content/stories", slug);
      const md = readFileSync(join(bundle, "index.md"), "utf8");
      for (const want of ['status = "submitted"', "[rights]", 'license = "CC-BY-4.0"', 'credit = "Ilona Testaaja"', `consent_version = "${consentVersion}"`, `contest = "${contest}"`, 'category = "lake"']) {
        assert.ok(md.includes(want), `${slug}/index.md lacks ${want}:\n${md}`);
      }
      assert.equal(md.includes("ilona@example.org"), false, "the contact stays out of content/");
      const photos = readdirSync(bundle).filter((f) => /\.(jpe?g|png|webp)$/i.test(f));
      assert.ok(photos.length >= 1, `${slug} has its photo`);
      for (const p of photos) {
        const data = readFileSync(join(bundle, p));
        assert.equal(data.includes("GPS"), false, `${slug}/${p} carries GPS`);
        const exif = spawnSync("exiftool", ["-a", "-G1", "-s", "-gps:all", "-xmp:all", join(bundle, p)], { encoding: "utf8" });
        if (exif.error && exif.error.code === "ENOENT") continue; // exiftool is not installed: the byte check above stands
        assert.equal(/GPS/i.test(exif.stdout), false, `exiftool finds GPS in ${slug}/${p}:\n${exif.stdout}`);
      }
    }
    run("check", "--drafts", "--source", site);

    // The editor approves one story; the build publishes it.
    const slug = "pier-at-five-with-javascript";
    const file = join(site, "content/stories", slug, "index.md");
    writeFileSync(file, readFileSync(file, "utf8").replace('status = "submitted"', 'status = "approved"'));
    run("build", "--quiet", "--no-function", "--source", site);
    const page = join(site, "public/stories", slug, "index.html");
    assert.ok(existsSync(page), "the approved story is published");
    const html = readFileSync(page, "utf8");
    assert.match(html, /Pier at five, with JavaScript/);
    assert.match(html, /Ilona Testaaja/);
    assert.equal(existsSync(join(site, "public/stories/pier-at-five-without-javascript/index.html")), false, "the submitted one is not");
  });
});
