// Countdowns: each empty <span class="countdown" data-countdown="RFC 3339"
// data-countdown-label="Voting ends"> beside a contest's dates says how
// long is left, updated every minute. Without JavaScript the dates alone
// are shown.
const nodes = [...document.querySelectorAll("[data-countdown]")];

function left(ms) {
  const min = Math.floor(ms / 60000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  const unit = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`;
  if (d >= 2) return unit(d, "day");
  if (d === 1) return `${unit(1, "day")} ${unit(h, "hour")}`;
  if (h > 0) return `${unit(h, "hour")} ${unit(m, "minute")}`;
  return unit(Math.max(m, 1), "minute");
}

function tick() {
  const now = Date.now();
  for (const el of nodes) {
    const end = Date.parse(el.dataset.countdown);
    if (Number.isNaN(end)) continue;
    const label = el.dataset.countdownLabel || "Ends";
    el.textContent = end > now ? `${label} in ${left(end - now)}` : "";
  }
}

if (nodes.length) {
  tick();
  setInterval(tick, 60000);
}
