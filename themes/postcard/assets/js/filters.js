// Instant gallery filters. The filters are plain links to the kind, place
// and tag pages, which work without JavaScript; with it, the results are
// swapped in place (prefetched when a pointer or focus reaches a link),
// the address bar follows, and the new count is announced.
import { announce } from "./lib/live.js";

const nav = document.querySelector("[data-filters]");
const results = document.querySelector("[data-results]");

// "N stories shown", in the page's language: the plural forms come from the
// theme's translation strings in the nav's data-strings.
const shown = (n) => {
  let forms = {};
  try {
    forms = (JSON.parse((nav && nav.dataset.strings) || "{}").stories_shown) || {};
  } catch {
    forms = {};
  }
  const lang = document.documentElement.lang || "en";
  const text = forms[new Intl.PluralRules(lang).select(n)] || forms.other;
  return text ? text.replace("{count}", n.toLocaleString(lang)) : `${n} ${n === 1 ? "story" : "stories"} shown`;
};

if (nav && results && window.fetch && window.DOMParser && history.pushState) {
  const cache = new Map();
  const load = (url) => {
    if (!cache.has(url)) {
      cache.set(
        url,
        fetch(url, { credentials: "same-origin" })
          .then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.status))))
          .then((html) => new DOMParser().parseFromString(html, "text/html"))
          .catch((e) => {
            cache.delete(url);
            throw e;
          }),
      );
    }
    return cache.get(url);
  };

  const swappable = (a) =>
    a && a.origin === location.origin && !a.hasAttribute("data-no-filter") && !a.target && a.closest("[data-filters], [data-results] .pager");

  const go = async (url, push) => {
    const cur = document.querySelector("[data-results]");
    cur.setAttribute("aria-busy", "true");
    let doc;
    try {
      doc = await load(url);
    } catch {
      location.href = url;
      return;
    }
    const next = doc.querySelector("[data-results]");
    const nextNav = doc.querySelector("[data-filters]");
    const head = doc.querySelector("[data-page-head]");
    if (!next || !nextNav) {
      location.href = url;
      return;
    }
    cur.replaceWith(next);
    nav.replaceChildren(...nextNav.childNodes);
    const curHead = document.querySelector("[data-page-head]");
    if (head && curHead) curHead.replaceWith(head);
    document.title = doc.title;
    if (push) history.pushState({ filters: true }, "", url);
    const h1 = document.querySelector("h1");
    if (h1) {
      h1.tabIndex = -1;
      h1.focus({ preventScroll: true });
    }
    const n = next.querySelectorAll(".card").length;
    announce(`${h1 ? h1.textContent.trim() + ": " : ""}${shown(n)}`);
  };

  document.addEventListener("click", (e) => {
    const a = e.target.closest("a");
    if (!swappable(a) || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    const menu = a.closest("details");
    if (menu) menu.open = false;
    go(a.href, true);
  });

  const prefetch = (e) => {
    const a = e.target.closest && e.target.closest("a");
    if (swappable(a)) load(a.href).catch(() => {});
  };
  document.addEventListener("pointerover", prefetch, { passive: true });
  document.addEventListener("focusin", prefetch);
  document.addEventListener("touchstart", prefetch, { passive: true });

  history.replaceState({ filters: true }, "");
  window.addEventListener("popstate", (e) => {
    if (e.state && e.state.filters) go(location.href, false);
  });
}
