// What each story of a generated showcase (bench/site) says, read from
// its source files, to check search results against: shared by the search
// test on 10,000 stories and the search benchmark (bench/search).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tokens } from "../../themes/postcard/assets/js/lib/fold.js";

// frontMatter reads the TOML keys the generator writes, one per line.
function frontMatter(src) {
  const [, fm, body] = src.split(/^\+\+\+$/m);
  const out = { body };
  for (const line of fm.split("\n")) {
    const m = line.match(/^(\w+) = (.*)$/);
    if (m) out[m[1]] = JSON.parse(m[2].replace(/^(\d{4}-\d\d-\d\d)$/, '"$1"'));
  }
  return out;
}

// showcase reads what each generated story says, to check the results.
export function showcase(dir) {
  const names = {};
  for (const f of readdirSync(join(dir, "content/ambassadors"))) {
    names[f.replace(/\.md$/, "")] = frontMatter(readFileSync(join(dir, "content/ambassadors", f), "utf8")).name;
  }
  const contests = {};
  for (const f of readdirSync(join(dir, "content/contests"))) {
    contests[f.replace(/\.md$/, "")] = frontMatter(readFileSync(join(dir, "content/contests", f), "utf8")).title;
  }
  return readdirSync(join(dir, "content/stories")).map((slug) => {
    const fm = frontMatter(readFileSync(join(dir, "content/stories", slug, "index.md"), "utf8"));
    const text = [fm.title, names[fm.ambassador], fm.place, ...(fm.tags || []), fm.kind, contests[fm.contest] || "", fm.body].join("\n");
    return { url: `/stories/${slug}/`, title: fm.title, kind: fm.kind, words: new Set(tokens(text)) };
  });
}

// matching lists the stories in which every word of q begins a word.
export const matching = (all, q) => {
  const words = tokens(q);
  return all.filter((s) => words.every((w) => [...s.words].some((x) => x.startsWith(w))));
};
