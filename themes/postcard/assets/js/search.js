// Search as one types, over the index the build writes (generator/search):
// the manifest when the page opens, then, for each query, the term shards
// of its words' first two letters and the document shards of the hits
// shown; the facets file only when a filter is used. Every word of the
// query must match the beginning of a word of the story (accents ignored);
// titles rank above tellers, places and tags, which rank above the text.
//
// Without JavaScript the page offers the places, tags and kinds instead.
// The visible texts come from the form's data-text-* attributes, so the
// script holds none of its own.
import { tokens } from "./lib/fold.js";

const form = document.querySelector("[data-search-form]");
const list = document.querySelector("[data-search-list]");
const status = document.querySelector("[data-search-status]");
const more = document.querySelector("[data-search-more]");
const browse = document.querySelector("[data-search-browse]");
const pageSize = 10;
const maxWords = 8;

if (form && form.dataset.index && list && status && window.fetch) {
  const input = form.querySelector("input[type=search]");
  const filters = [...form.querySelectorAll("[data-search-filter]")];
  const base = form.dataset.index.slice(0, form.dataset.index.lastIndexOf("/") + 1);
  const text = (name, n, q) => (form.dataset["text" + name] || "").replace("{n}", String(n)).replace("{q}", q);
  const cache = new Map();
  const load = (file, kind) => {
    if (!cache.has(file)) {
      cache.set(file, fetch(base + file).then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${file}`);
        return kind === "json" ? r.json() : r.arrayBuffer().then((b) => new Uint8Array(b));
      }));
    }
    return cache.get(file);
  };
  const manifest = load(form.dataset.index.slice(base.length), "json");

  // varint reads an unsigned LEB128 number at b[pos.i].
  const varint = (b, pos) => {
    let v = 0;
    for (let shift = 1; ; shift *= 128) {
      const x = b[pos.i++];
      if (x === undefined) throw new Error("truncated index");
      v += (x & 127) * shift;
      if (x < 128) return v;
    }
  };
  const dec = new TextDecoder();
  // shard lists a term shard's words; postings are decoded on use.
  const shards = new Map();
  const shard = async (hash) => {
    if (!shards.has(hash)) {
      shards.set(hash, load("t." + hash + ".bin").then((b) => {
        const pos = { i: 0 };
        const terms = [];
        for (let n = varint(b, pos); n > 0; n--) {
          const len = varint(b, pos);
          const word = dec.decode(b.subarray(pos.i, pos.i + len));
          pos.i += len;
          const group = varint(b, pos);
          const count = varint(b, pos);
          terms.push({ word, group, count, at: pos.i });
          for (let k = 0; k < count; k++) varint(b, pos);
        }
        return { b, terms };
      }));
    }
    return shards.get(hash);
  };

  // matches scores the documents that match word: the best score over the
  // terms it begins, and over its stem group when it is a whole word,
  // times the word's inverse document frequency.
  const matches = async (m, word) => {
    const best = new Map();
    const hash = m.terms[[...word].slice(0, 2).join("")];
    if (!hash) return best;
    const { b, terms } = await shard(hash);
    const exact = terms.find((t) => t.word === word);
    const group = exact ? exact.group : 0;
    for (const t of terms) {
      if (!t.word.startsWith(word) && !(group && t.group === group)) continue;
      const pos = { i: t.at };
      let doc = -1;
      for (let k = 0; k < t.count; k++) {
        const v = varint(b, pos);
        doc += Math.floor(v / 16);
        const s = v % 16;
        if (!(best.get(doc) >= s)) best.set(doc, s);
      }
    }
    const idf = Math.log(1 + (m.docs - best.size + 0.5) / (best.size + 0.5));
    for (const [d, s] of best) best.set(d, s * idf);
    return best;
  };

  let facets;
  const facetsOf = async (m) => {
    if (!facets) {
      facets = load("f." + m.facets + ".bin").then((b) => {
        const out = [new Int32Array(m.docs), new Int32Array(m.docs), new Int32Array(m.docs)];
        const pos = { i: 0 };
        for (let d = 0; d < m.docs; d++) for (const f of out) f[d] = varint(b, pos) - 1;
        return out;
      });
    }
    return facets;
  };

  const run = async (q) => {
    const m = await manifest;
    const words = tokens(q).slice(0, maxWords);
    const chosen = filters.map((s) => (s.value === "" ? null : Number(s.value)));
    let hits = null;
    if (words.length) {
      const scored = await Promise.all(words.map((w) => matches(m, w)));
      let total = scored[0];
      for (const s of scored.slice(1)) {
        const next = new Map();
        for (const [d, v] of total) if (s.has(d)) next.set(d, v + s.get(d));
        total = next;
      }
      hits = [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((h) => h[0]);
    } else if (chosen.some((c) => c !== null)) {
      hits = Array.from({ length: m.docs }, (_, i) => i);
    }
    if (hits && chosen.some((c) => c !== null)) {
      const f = await facetsOf(m);
      hits = hits.filter((d) => chosen.every((c, i) => c === null || f[i][d] === c));
    }
    return { hits, q: q.trim(), m };
  };

  const row = async (m, doc) => {
    const rows = await load("d." + m.docs_files[Math.floor(doc / m.per)] + ".json", "json");
    return rows[doc % m.per];
  };

  let shown = [];
  let current = { hits: null };
  const render = async (res, from) => {
    const { hits, m } = res;
    const page = hits.slice(from, from + pageSize);
    const rows = await Promise.all(page.map((d) => row(m, d)));
    if (current !== res) return;
    const items = rows.map(([url, title, kind, place, contest, excerpt, thumb, teller]) => {
      const li = document.createElement("li");
      if (thumb) {
        const img = document.createElement("img");
        Object.assign(img, { src: thumb, alt: "", loading: "lazy", decoding: "async", className: "search-thumb" });
        li.append(img);
      }
      const a = document.createElement("a");
      a.href = url;
      a.textContent = title;
      const meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = [m.kinds[kind], teller, m.places[place], m.contests[contest]].filter(Boolean).join(" · ");
      const p = document.createElement("p");
      p.textContent = excerpt;
      li.append(a, meta, p);
      return li;
    });
    if (from === 0) list.replaceChildren(...items);
    else list.append(...items);
    shown = hits.slice(0, from + page.length);
    if (more) more.hidden = shown.length >= hits.length;
  };

  let seq = 0;
  const update = async () => {
    const q = input.value;
    const id = ++seq;
    status.textContent = text("Loading", 0, q.trim());
    let res;
    try {
      res = await run(q);
    } catch {
      if (id === seq) status.textContent = text("Error", 0, q.trim());
      return;
    }
    // Typed on meanwhile: the newer query's results will be shown instead,
    // so fetch no documents for these.
    if (id !== seq || input.value !== q) return;
    current = res;
    const params = new URLSearchParams();
    if (q.trim()) params.set("q", q.trim());
    filters.forEach((s) => s.value !== "" && params.set(s.name, s.value));
    const qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
    if (!res.hits) {
      list.replaceChildren();
      status.textContent = "";
      if (more) more.hidden = true;
      if (browse) browse.hidden = false;
      return;
    }
    try {
      await render(res, 0);
    } catch {
      if (id === seq) status.textContent = text("Error", 0, res.q);
      return;
    }
    if (id !== seq) return;
    // The count is announced once the results it counts are on the page.
    const n = res.hits.length;
    status.textContent = text(!res.q ? "Filtered" : n === 0 ? "None" : n === 1 ? "One" : "Many", n, res.q);
    if (browse) browse.hidden = n > 0;
  };

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
  filters.forEach((s) => s.addEventListener("change", update));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    update();
  });
  if (more) {
    more.addEventListener("click", () => {
      const first = list.children.length;
      render(current, shown.length).then(
        () => list.children[first]?.querySelector("a")?.focus(),
        () => (status.textContent = text("Error", 0, current.q || "")),
      );
    });
  }

  const params = new URLSearchParams(location.search);
  manifest.then((m) => {
    filters.forEach((s) => {
      const names = m[s.dataset.searchFilter] || [];
      const order = names.map((name, i) => [name, i]).sort((a, b) => a[0].localeCompare(b[0]));
      for (const [name, i] of order) s.append(new Option(name, String(i)));
      if (params.has(s.name)) s.value = params.get(s.name);
    });
    if (params.get("q") || filters.some((s) => s.value !== "")) update();
  }, () => {
    status.textContent = text("Error", 0, "");
  });
  input.value = params.get("q") || "";
}
