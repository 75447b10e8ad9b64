// Every JSON Feed of a built site against the JSON Feed 1.1 schema in this
// folder (written from https://www.jsonfeed.org/version/1.1/), validated
// with Ajv; the sample feeds in testdata/jsonfeed/ prove the schema: pass.json
// must pass, and each fail-*.json, one mistake apiece, must fail. A site's
// feed must also carry, per item, the title, link and date a reader lists.
// Usage: node tests/validate/jsonfeed.mjs public
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { walk } from "./walk.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// strictRequired off: it cannot see that the names anyOf requires are the
// properties defined beside it.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(here, "jsonfeed-1.1.schema.json"), "utf8")));

const problems = [];
const check = (file) => {
  let feed;
  try {
    feed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return [`does not parse: ${e.message}`];
  }
  if (validate(feed)) return [];
  return validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
};

// The schema, on the samples.
const samples = join(here, "testdata", "jsonfeed");
for (const name of readdirSync(samples).sort()) {
  const errs = check(join(samples, name));
  if (name.startsWith("fail-") && errs.length === 0) problems.push(`${relative(process.cwd(), join(samples, name))}: passes the schema, but must fail`);
  if (!name.startsWith("fail-") && errs.length > 0) problems.push(`${relative(process.cwd(), join(samples, name))}: ${errs.join("; ")}`);
}

// The site's feeds.
const dir = process.argv[2] || "public";
const feeds = walk(dir, ".json").filter((f) => f.endsWith("/feed.json"));
if (feeds.length === 0) problems.push(`no feed.json under ${dir}/; build the site first`);
let items = 0;
for (const file of feeds) {
  const at = relative(process.cwd(), file);
  const errs = check(file);
  for (const e of errs) problems.push(`${at}: ${e}`);
  if (errs.length > 0) continue;
  const feed = JSON.parse(readFileSync(file, "utf8"));
  feed.items.forEach((it, i) => {
    for (const k of ["title", "url", "date_published"]) {
      if (!it[k]) problems.push(`${at}: item ${i + 1} has no ${k}`);
    }
  });
  items += feed.items.length;
}
if (feeds.length > 0 && items === 0) problems.push(`the feeds under ${dir}/ have no items`);

for (const p of problems) console.error(p);
console.log(`jsonfeed: ${feeds.length} feeds (${items} items) and ${readdirSync(samples).length} samples checked, ${problems.length} problems`);
process.exit(problems.length > 0 ? 1 : 0);
