// announce speaks a message to screen readers through one polite live
// region per page, created on first use.
let region;

export function announce(message) {
  if (!region) {
    region = document.createElement("p");
    region.className = "visually-hidden";
    region.setAttribute("aria-live", "polite");
    region.setAttribute("role", "status");
    document.body.append(region);
  }
  // Clearing first makes the same message announced twice in a row.
  region.textContent = "";
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}
