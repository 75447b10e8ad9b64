// The Nu HTML Checker (the W3C's, from npm's vnu-jar, run on the system's
// Java) over every HTML file of a built site, in one JVM: any error fails,
// warnings are printed, grouped by message, and do not. Usage:
// node tests/validate/html.mjs public
import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import vnuJar from "vnu-jar";
import { walk } from "./walk.mjs";

const dir = process.argv[2] || "public";
const files = walk(dir, ".html");
if (files.length === 0) {
  console.error(`html: no HTML files under ${dir}/; build the site first`);
  process.exit(1);
}
// The jar itself, on the system's java: the package's own launcher would
// download a Java runtime when it finds none, and nothing here downloads.
const run = spawnSync("java", ["-jar", String(vnuJar), "--format", "json", "--exit-zero-always", ...files], {
  encoding: "utf8",
  maxBuffer: 256 << 20,
});
if (run.error) {
  console.error(`html: cannot run java (${run.error.message}); install a Java runtime (Debian: default-jre-headless)`);
  process.exit(1);
}
let report;
try {
  report = JSON.parse(run.stderr);
} catch {
  console.error(`html: the checker's report does not parse:\n${run.stderr}${run.stdout}`);
  process.exit(1);
}

// No message is filtered out: every error fails the run. Warnings are
// shown, not failed: the theme's role="list" on lists styled without
// markers is deliberate (Safari's VoiceOver stops announcing such lists as
// lists without it), and the checker calls it unnecessary.
const place = (m) => {
  const file = relative(process.cwd(), decodeURIComponent(new URL(m.url).pathname));
  return `${file}:${m.firstLine ?? m.lastLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}`;
};
const errors = report.messages.filter((m) => m.type === "error" || m.type === "non-document-error");
const warnings = new Map();
for (const m of report.messages) {
  if (m.type !== "info") continue;
  const key = `${m.subType === "warning" ? "warning" : "info"}: ${m.message}`;
  if (!warnings.has(key)) warnings.set(key, []);
  warnings.get(key).push(place(m));
}
for (const [msg, at] of warnings) {
  console.log(`html: ${msg} (${at.length}×; first at ${at.slice(0, 3).join(", ")})`);
}
for (const m of errors) {
  console.error(`${place(m)}: ${m.message}${m.extract ? ` in “${m.extract}”` : ""}`);
}
console.log(`html: ${files.length} pages checked, ${errors.length} errors, ${[...warnings.values()].reduce((n, a) => n + a.length, 0)} warnings`);
process.exit(errors.length > 0 ? 1 : 0);
