// The Nu HTML Checker (the W3C's, from npm's vnu-jar, run on the system's
// Java) over every HTML file of a built site, in one JVM: any error fails,
// warnings are printed, grouped by message, and do not. Usage:
// node tests/validate/html.mjs public [more folders]
import { spawnSync } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import vnuJar from "vnu-jar";
import { walk } from "./walk.mjs";

const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["public"];
const files = [];
for (const dir of dirs) {
  const found = walk(dir, ".html");
  if (found.length === 0) {
    console.error(`html: no HTML files under ${dir}/; build the site first`);
    process.exit(1);
  }
  files.push(...found);
}
// Pages with one mistake each, which the checker must find: proof that a
// run with no errors checked something.
const samples = walk(join(dirname(fileURLToPath(import.meta.url)), "testdata", "html"), ".html");
files.push(...samples);
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
  const file = relative(process.cwd(), fileOf(m));
  return `${file}:${m.firstLine ?? m.lastLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}`;
};
const isError = (m) => m.type === "error" || m.type === "non-document-error";
const fileOf = (m) => decodeURIComponent(new URL(m.url).pathname);
const problems = [];
for (const s of samples) {
  if (!report.messages.some((m) => isError(m) && fileOf(m) === s)) {
    problems.push(`${relative(process.cwd(), s)}: the checker found no error in a page made to have one`);
  }
}
const errors = report.messages.filter((m) => isError(m) && !samples.includes(fileOf(m)));
const warnings = new Map();
for (const m of report.messages) {
  if (m.type !== "info" || samples.includes(fileOf(m))) continue;
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
for (const p of problems) console.error(p);
console.log(`html: ${files.length - samples.length} pages and ${samples.length} samples checked, ${errors.length} errors, ${[...warnings.values()].reduce((n, a) => n + a.length, 0)} warnings`);
process.exit(errors.length + problems.length > 0 ? 1 : 0);
