// The submission form (/submit/). The form works without this script: a
// plain multipart post that the submission function answers with a
// redirect to the thank-you page, or back to the form with every message.
// With it, the form
//   - checks each field as the contributor types, by the function's rules,
//     with the page's translated messages (data-submit-strings);
//   - shows the video field for a video only, and a chosen contest's
//     categories only (?contest=slug chooses one);
//   - previews each photo, and resizes it in the browser before upload:
//     decoded upright, drawn on a canvas at most data-max-side pixels on
//     its longest side and re-encoded as JPEG, which drops every metadata
//     block of the original (GPS position, camera, owner), and keeps phone
//     photos under the function's request cap. A photo the browser cannot
//     decode (HEIC outside Safari) goes as it is when it fits, the function
//     accepts it, else the contributor is told;
//   - posts with fetch, Accept: application/json and the solved proof of
//     work (lib/proof.js) in Postcard-Proof, shows a 400's field errors
//     beside their fields, and on 201 opens the thank-you page with the
//     receipt.
import { solve } from "./lib/proof.js";

const form = document.getElementById("submit-form");
const summary = document.getElementById("form-errors");

const strings = (() => {
  try {
    const el = document.querySelector("[data-submit-strings]");
    return (el && JSON.parse(el.dataset.submitStrings || "{}")) || {};
  } catch {
    return {};
  }
})();
const t = (key, english) => (typeof strings[key] === "string" && strings[key]) || english;
const msg = (code, english) => t(`submit_error_${code}`, english);

const chars = (s) => [...s].length;
const value = (name) => {
  const el = form.elements.namedItem(name);
  if (!el) return "";
  if (el instanceof RadioNodeList) return el.value;
  if (el.type === "checkbox") return el.checked ? el.value : "";
  return el.value;
};

// The function's rules (docs/submissions.md), as the form can check them:
// never stricter than the function, which decides.
const emailRe = /^[^\s@<>()[\],;:]+@[^\s@<>()[\],;:]+$/;
const rawHTML = /<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>|<!--/;
const image = /!\[[^\]]*\]\(/;
const link = /\]\(\s*<?([^)\s>]+)/g;

// videoProvider names the provider of a video address as the function
// reads it (content.ParseVideoURL): "youtube", "vimeo" or "".
function videoProvider(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    return "";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return "";
  const host = u.hostname.toLowerCase().replace(/^www\./, "").replace(/^m\./, "");
  const last = u.pathname.slice(u.pathname.lastIndexOf("/") + 1);
  const youtube = (id) => /^[A-Za-z0-9_-]{11}$/.test(id);
  switch (host) {
    case "youtube.com":
    case "youtube-nocookie.com":
      if (u.pathname === "/watch") return youtube(u.searchParams.get("v") || "") ? "youtube" : "";
      return /^\/(embed|shorts|live)\//.test(u.pathname) && youtube(last) ? "youtube" : "";
    case "youtu.be":
      return youtube(u.pathname.slice(1)) ? "youtube" : "";
    case "vimeo.com":
    case "player.vimeo.com":
      return /^[0-9]{1,12}$/.test(last) ? "vimeo" : "";
  }
  return "";
}

function bodyError(body, kind) {
  if (!body.trim()) return kind === "story" || kind === "poem" ? msg("required", "This field is required.") : "";
  if (new TextEncoder().encode(body).length > 20000) return msg("too_long", "This is too long: at most %d.").replace("%d", "20000");
  if (image.test(body)) return msg("no_images", "Add photos with the photo fields, not inside the text.");
  if (rawHTML.test(body)) return msg("not_allowed", "Remove the raw HTML or the link whose address is not allowed (use http, https or mailto).");
  for (const m of body.matchAll(link)) {
    const u = m[1];
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(u) && !/^(https?|mailto):/i.test(u)) {
      return msg("not_allowed", "Remove the raw HTML or the link whose address is not allowed (use http, https or mailto).");
    }
  }
  return "";
}

function lengthError(v, max, required) {
  v = v.trim();
  if (required && !v) return msg("required", "This field is required.");
  if (chars(v) > max) return msg("too_long", "This is too long: at most %d.").replace("%d", String(max));
  return "";
}

// prepared holds, per photo field number, the file to send (resized) or an
// error found while preparing it.
const prepared = new Map();

// check returns the field's error message, "" when it is fine.
function check(name) {
  const kind = value("kind");
  let m;
  switch (name) {
    case "kind":
      return kind ? "" : msg("required", "This field is required.");
    case "title":
      if ((m = lengthError(value("title"), 120, true))) return m;
      return /[\r\n]/.test(value("title")) ? msg("invalid", "This value is not valid.") : "";
    case "body":
      return bodyError(value("body"), kind);
    case "place":
      return lengthError(value("place"), 80, false);
    case "video": {
      const v = value("video").trim();
      if (kind !== "video") return "";
      if (!v) return msg("required", "This field is required.");
      return videoProvider(v) ? "" : msg("video_provider", "Use a YouTube or Vimeo address.");
    }
    case "category":
      if (value("contest") && !value("category")) return msg("category", "Choose one of the contest's categories.");
      if (!value("contest") && value("category")) return msg("no_contest", "A category needs a contest.");
      return "";
    case "name":
      return lengthError(value("name"), 80, true);
    case "email": {
      const v = value("email").trim();
      if (!v) return "";
      if (chars(v) > 254) return msg("too_long", "This is too long: at most %d.").replace("%d", "254");
      return emailRe.test(v) ? "" : msg("email", "This is not an e-mail address.");
    }
    case "license":
      return value("license") ? "" : msg("licence", "Choose one of the licences offered.");
    case "consent":
      return value("consent") ? "" : msg("consent", "Please agree to the terms to send your story.");
  }
  let p;
  if ((p = /^photo_(\d+)$/.exec(name))) {
    const n = Number(p[1]);
    const got = prepared.get(n);
    if (got && got.error) return got.error;
    if (n === 1 && kind === "photo" && !hasPhotos()) return msg("photo_required", "A photo story needs at least one photo.");
    return "";
  }
  if ((p = /^alt_(\d+)$/.exec(name))) {
    const n = Number(p[1]);
    const alt = value(name);
    if (hasFile(n) && !alt.trim()) return msg("required", "This field is required.");
    if (!hasFile(n) && alt.trim()) return msg("no_photo", "There is no photo for this text.");
    return lengthError(alt, 300, false);
  }
  if ((p = /^caption_(\d+)$/.exec(name))) {
    const n = Number(p[1]);
    const c = value(name);
    if (!hasFile(n) && c.trim()) return msg("no_photo", "There is no photo for this text.");
    return lengthError(c, 300, false);
  }
  return "";
}

const photoNumbers = [...form.querySelectorAll("[data-photo]")].map((el) => Number(el.dataset.photo));
const fileInput = (n) => form.elements.namedItem(`photo_${n}`);
const hasFile = (n) => {
  const el = fileInput(n);
  return !!(el && el.files && el.files.length);
};
const hasPhotos = () => photoNumbers.some(hasFile);

// The fields in the form's order, as the function lists its errors.
function fieldNames() {
  const names = ["kind", "title", "body", "place", "video"];
  for (const n of photoNumbers) names.push(`photo_${n}`, `alt_${n}`, `caption_${n}`);
  if (form.elements.namedItem("contest")) names.push("category");
  names.push("name", "email", "license", "consent");
  return names;
}

// controls are the inputs a field's error describes.
function controls(name) {
  const el = form.elements.namedItem(name);
  if (!el) return [];
  return el instanceof RadioNodeList ? [...el] : [el];
}

// show puts message beside the field (or clears it), marking its inputs.
function show(name, message) {
  const slot = document.getElementById(`error-${name}`);
  for (const el of controls(name)) {
    const ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== `error-${name}`);
    if (message) {
      el.setAttribute("aria-invalid", "true");
      ids.push(`error-${name}`);
    } else {
      el.removeAttribute("aria-invalid");
    }
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  if (!slot) return !!message;
  slot.textContent = message || "";
  slot.hidden = !message;
  return !!message;
}

// touched fields are checked as the contributor types; the others only
// once they leave them or send the form, so nothing is red too early.
const touched = new Set();

function recheck(name) {
  if (touched.has(name)) show(name, check(name));
}

// fieldLabel is the name of a field as its label or legend says it, for
// the summary: "Title" in "Title: This field is required."
function fieldLabel(field) {
  const el = controls(field)[0];
  if (!el) return "";
  let label = el.id && el.type !== "radio" && el.type !== "checkbox" ? document.querySelector(`label[for="${el.id}"]`) : null;
  if (!label) label = el.closest("fieldset") && el.closest("fieldset").querySelector("legend");
  if (!label) return "";
  const first = label.firstChild;
  return (first && first.nodeType === Node.TEXT_NODE ? first.textContent : label.textContent).trim();
}

function summarise(errors) {
  summary.replaceChildren();
  if (!errors.length) {
    summary.hidden = true;
    return;
  }
  const title = document.createElement("p");
  title.textContent = t("submit_errors_title", "Please correct these fields:");
  const ul = document.createElement("ul");
  for (const { field, message } of errors) {
    const li = document.createElement("li");
    if (document.getElementById(`error-${field}`)) {
      const a = document.createElement("a");
      a.href = `#error-${field}`;
      const name = fieldLabel(field);
      a.textContent = name ? `${name}: ${message}` : message;
      a.addEventListener("click", (e) => {
        const target = controls(field)[0];
        if (target) {
          e.preventDefault();
          target.focus();
        }
      });
      li.append(a);
    } else {
      li.textContent = message;
    }
    ul.append(li);
  }
  summary.append(title, ul);
  summary.setAttribute("role", "alert");
  summary.hidden = false;
  summary.focus();
}

// Kind: the video field shows for a video only; for other kinds it is
// disabled, so it is not sent (the function refuses a video address on a
// photo).
function kindChanged() {
  const kind = value("kind");
  for (const el of form.querySelectorAll("[data-for-kind]")) {
    const on = el.dataset.forKind === kind;
    el.hidden = !on;
    for (const c of el.querySelectorAll("input")) c.disabled = !on;
  }
  for (const name of ["body", "video", "photo_1"]) recheck(name);
}

// Contest: the category list shows the chosen contest's categories only.
const contestSelect = form.elements.namedItem("contest");
const categorySelect = form.elements.namedItem("category");
function contestChanged() {
  if (!contestSelect || !categorySelect) return;
  const slug = contestSelect.value;
  for (const group of categorySelect.querySelectorAll("optgroup")) {
    const on = group.dataset.contest === slug;
    group.hidden = !on;
    group.disabled = !on;
  }
  const chosen = categorySelect.selectedOptions[0];
  if (chosen && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.disabled) categorySelect.value = "";
  categorySelect.disabled = !slug;
  recheck("category");
}

// Photos: each chosen file is decoded, previewed and resized at once, so
// that sending waits for nothing but the network.
const maxSide = Number(form.dataset.maxSide) || 2048;
const maxBytes = Number(form.dataset.maxBytes) || 50 << 20;
const maxRequest = Number(form.dataset.maxRequest) || 4 << 20;
const accepted = /^image\/(jpeg|png|webp|heic|heif)$/;
const heic = (f) => /^image\/hei[cf]$/.test(f.type) || /\.hei[cf]$/i.test(f.name);

async function resize(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return null; // the browser cannot decode it
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const blob = await new Promise((ok) => canvas.toBlob(ok, "image/jpeg", 0.85));
  if (!blob) return null;
  const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
  return { file: new File([blob], name || "photo.jpg", { type: "image/jpeg" }), url: URL.createObjectURL(blob) };
}

async function photoChanged(n) {
  const input = fileInput(n);
  const preview = input.closest(".field").querySelector(".preview");
  const old = prepared.get(n);
  if (old && old.url) URL.revokeObjectURL(old.url);
  prepared.delete(n);
  preview.replaceChildren();
  const file = input.files && input.files[0];
  if (file) {
    const job = { pending: null };
    prepared.set(n, job);
    job.pending = (async () => {
      if (file.type && !accepted.test(file.type) && !heic(file)) {
        job.error = t("submit_not_image_file", "This file is not a photo the site accepts (JPEG, PNG, WebP or HEIC).");
        return;
      }
      const out = await resize(file);
      if (out) {
        job.file = out.file;
        job.url = out.url;
        const img = document.createElement("img");
        img.src = out.url;
        img.alt = "";
        preview.append(img);
      } else if (heic(file) && file.size <= Math.min(maxBytes, maxRequest)) {
        job.file = file; // the function takes HEIC as it is
      } else if (heic(file)) {
        job.error = t("submit_heic_too_big", "This browser cannot make this photo smaller, and it is too large to send: save it as a JPEG and choose it again.");
      } else {
        job.error = t("submit_not_image_file", "This file is not a photo the site accepts (JPEG, PNG, WebP or HEIC).");
      }
    })();
    await job.pending;
    if (prepared.get(n) !== job) return;
  }
  touched.add(`photo_${n}`);
  show(`photo_${n}`, check(`photo_${n}`));
  for (const name of [`alt_${n}`, `caption_${n}`, "photo_1"]) recheck(name);
}

const status = form.querySelector(".submit-status");
const button = form.querySelector(".submit-actions button");
const say = (text) => {
  status.textContent = text;
};

// challenge asks the function for a submission's proof-of-work challenge
// and solves it; "" when none is needed (or none can be had: the function
// then decides).
async function challenge(contest) {
  const q = new URLSearchParams({ for: "submission" });
  if (contest) q.set("contest", contest);
  try {
    const res = await fetch(`${form.dataset.challenge}?${q}`, { credentials: "include" });
    if (!res.ok) return "";
    const body = await res.json();
    if (!body || typeof body.challenge !== "string" || !body.challenge) return "";
    return solve(body.challenge, Number(body.difficulty) || 0);
  } catch {
    return "";
  }
}

function validateAll() {
  const errors = [];
  for (const name of fieldNames()) {
    touched.add(name);
    const m = check(name);
    if (show(name, m)) errors.push({ field: name, message: m });
  }
  return errors;
}

let busy = false;
async function send(e) {
  e.preventDefault();
  if (busy) return;
  busy = true;
  button.setAttribute("aria-disabled", "true");
  try {
    say(t("submit_preparing", "Preparing your photos…"));
    await Promise.all([...prepared.values()].map((j) => j.pending));
    const errors = validateAll();
    if (errors.length) {
      say("");
      summarise(errors);
      return;
    }
    summarise([]);
    const data = new FormData(form);
    let total = 0;
    for (const n of photoNumbers) {
      data.delete(`photo_${n}`);
      const job = prepared.get(n);
      if (hasFile(n) && job && job.file) {
        data.set(`photo_${n}`, job.file, job.file.name);
        total += job.file.size;
      }
    }
    if (total > maxRequest) {
      summarise([{ field: "form", message: msg("request_too_large", "The photos are too large together; send smaller or fewer photos.") }]);
      say("");
      return;
    }
    say(t("submit_sending", "Sending your story…"));
    const headers = { Accept: "application/json" };
    const proof = await challenge(value("contest"));
    if (proof) headers["Postcard-Proof"] = proof;
    let res;
    try {
      res = await fetch(form.action, { method: "POST", body: data, headers, credentials: "include" });
    } catch {
      say("");
      summarise([{ field: "form", message: t("submit_unreachable", "Could not reach the site. Check your connection and try again.") }]);
      return;
    }
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    say("");
    if (res.status === 201 && body && typeof body.receipt === "string") {
      location.assign(`${form.dataset.thanks}?receipt=${encodeURIComponent(body.receipt)}`);
      return;
    }
    summarise(refusal(res.status, body));
  } finally {
    busy = false;
    button.removeAttribute("aria-disabled");
  }
}

// refusal turns a refused post's answer into the summary's messages, each
// field's also shown beside the field.
function refusal(status, body) {
  const code = (body && body.code) || "";
  switch (status) {
    case 400:
      if (body && Array.isArray(body.errors)) {
        const out = [];
        for (const e of body.errors) {
          if (!e || typeof e.field !== "string") continue;
          const message = typeof e.message === "string" && e.message ? e.message : msg(e.code, msg("invalid", "This value is not valid."));
          show(e.field, message);
          out.push({ field: e.field, message });
        }
        if (out.length) return out;
      }
      return [{ field: "form", message: msg("invalid", "This value is not valid.") }];
    case 403: {
      const said = (body && body.error) || "";
      if (/closed|window/i.test(said)) return [{ field: "contest", message: msg("closed", "This contest does not take entries now.") }];
      if (/challenge|proof|turnstile/i.test(said)) return [{ field: "form", message: msg("challenge", "The anti-robot check failed; try again.") }];
      return [{ field: "form", message: t("submit_forbidden", "The story could not be accepted: reload the page and try again.") }];
    }
    case 413:
      return [{ field: "form", message: msg("request_too_large", "The photos are too large together; send smaller or fewer photos.") }];
    case 429:
      if (code === "quota" || /today|tomorrow|quota/i.test((body && body.error) || "")) return [{ field: "form", message: msg("quota", "Too many stories from your network today; try again tomorrow.") }];
      return [{ field: "form", message: t("submit_rate", "Too many stories from your network just now: try again in a minute.") }];
    default:
      return [{ field: "form", message: msg("internal", "Something went wrong on our side; try again later.") }];
  }
}

if (form && summary) {
  form.noValidate = true;
  for (const el of form.querySelectorAll(".js-only")) el.hidden = false;
  form.addEventListener("input", (e) => {
    const name = e.target.name;
    if (!name || e.target.type === "file") return;
    recheck(name);
    if (name === "contest") contestChanged();
    if (/^alt_|^caption_/.test(name)) recheck(name);
  });
  form.addEventListener("change", (e) => {
    const name = e.target.name;
    if (!name) return;
    if (name === "kind") kindChanged();
    if (name === "contest") contestChanged();
    const p = /^photo_(\d+)$/.exec(name);
    if (p) {
      photoChanged(Number(p[1]));
      return;
    }
    touched.add(name);
    show(name, check(name));
  });
  form.addEventListener("focusout", (e) => {
    const name = e.target.name;
    if (!name || e.target.type === "file" || e.target.type === "radio") return;
    if (e.target.value) touched.add(name);
    recheck(name);
  });
  form.addEventListener("submit", send);
  const wanted = new URLSearchParams(location.search).get("contest");
  if (contestSelect && wanted && [...contestSelect.options].some((o) => o.value === wanted)) contestSelect.value = wanted;
  kindChanged();
  contestChanged();
  // A page the function filled in after a failed plain post: its summary
  // is shown; move the focus there.
  if (!summary.hidden) summary.focus();
}
