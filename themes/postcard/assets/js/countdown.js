// Countdowns: each empty <span class="countdown" data-countdown="RFC 3339"
// data-countdown-label="Voting ends"> beside a contest's dates says how
// long is left, updated every minute. Without JavaScript the dates alone
// are shown.
const nodes = [...document.querySelectorAll("[data-countdown]")];

// The time left is written in the page's language by the browser's own
// Intl.RelativeTimeFormat: "in 2 days", "2 päivän päästä". It is made when
// a countdown first comes into view: the first Intl object loads the
// browser's locale data, a long task on a slow phone that a countdown
// below the fold should not cost while the page loads.
let relative;

function left(ms) {
  relative ??= new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "always" });
  const min = Math.floor(ms / 60000);
  const d = Math.floor(min / 1440);
  const h = Math.floor(min / 60);
  if (d >= 1) return relative.format(d, "day");
  if (h >= 1) return relative.format(h, "hour");
  return relative.format(Math.max(min, 1), "minute");
}

function tick() {
  const now = Date.now();
  for (const el of nodes) {
    const end = Date.parse(el.dataset.countdown);
    if (Number.isNaN(end)) continue;
    const label = el.dataset.countdownLabel || "";
    el.textContent = end > now ? `${label} ${left(end - now)}`.trim() : "";
  }
}

function start() {
  tick();
  setInterval(tick, 60000);
}

if (nodes.length) {
  if ("IntersectionObserver" in window) {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        start();
      }
    });
    for (const el of nodes) seen.observe(el.parentElement || el);
  } else {
    start();
  }
}
