// The pages the quality gates look at: one of each type. ONLY=home,photo
// narrows a run to some of them.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const publicDir = process.env.POSTCARD_PUBLIC || join(repoRoot, "public");
export const chromiumPath = process.env.CHROME_PATH || "/usr/bin/chromium";

const all = {
  home: "/",
  gallery: "/stories/",
  photo: "/stories/first-light-on-the-pier/",
  video: "/stories/kites-over-kivisaari/",
  story: "/stories/the-old-boathouse/",
  poem: "/stories/blue-hour/",
  ambassador: "/ambassadors/aino/",
  contest: "/contests/four-seasons-2027/",
  search: "/search/",
  "photo-fi": "/fi/stories/first-light-on-the-pier/",
  "gallery-fi": "/fi/stories/",
  submit: "/submit/",
  "submit-fi": "/fi/submit/",
};

const only = process.env.ONLY ? process.env.ONLY.split(",") : null;
export const pages = only ? Object.fromEntries(Object.entries(all).filter(([k]) => only.includes(k))) : all;
