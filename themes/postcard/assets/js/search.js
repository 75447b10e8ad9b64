// Instant search over the stories listed on the search page. Without
// JavaScript the page is a list of every story; with it, a search box
// filters the list as one types (every word must match, accents ignored),
// the address keeps the query (?q=) and the count is announced.
import { announce } from "./lib/live.js";

const form = document.querySelector("[data-search-form]");
const list = document.querySelector("[data-search-list]");
const status = document.querySelector("[data-search-status]");
const empty = document.querySelector("[data-search-empty]");

if (form && list && status) {
  const input = form.querySelector("input[type=search]");
  const fold = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const items = [...list.children].map((li) => ({ li, text: li.dataset.search || "" }));
  const all = status.textContent;
  let timer;

  const run = (q) => {
    const terms = fold(q).split(/\s+/).filter(Boolean);
    let n = 0;
    for (const it of items) {
      const show = terms.every((t) => it.text.includes(t));
      it.li.hidden = !show;
      if (show) n++;
    }
    const msg = terms.length ? `${n} ${n === 1 ? "story matches" : "stories match"} “${q.trim()}”.` : all;
    status.textContent = msg;
    if (empty) empty.hidden = n > 0;
    clearTimeout(timer);
    timer = setTimeout(() => announce(msg), 400);
  };

  form.hidden = false;
  input.addEventListener("input", () => {
    run(input.value);
    const url = input.value.trim() ? `?q=${encodeURIComponent(input.value.trim())}` : location.pathname;
    history.replaceState(null, "", url);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run(input.value);
  });
  const q = new URLSearchParams(location.search).get("q");
  if (q) {
    input.value = q;
    run(q);
  }
}
