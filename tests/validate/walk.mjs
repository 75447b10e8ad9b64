// The files of a built site the validators read: every file under public/
// (every language's folder included) whose name ends as asked.
import { readdirSync } from "node:fs";
import { join } from "node:path";

export function walk(dir, suffix) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, suffix));
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}
