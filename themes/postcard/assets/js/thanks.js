// The thank-you page after a submission: shows the receipt the submission
// function gave (?receipt=…), so the contributor can keep it. Without
// JavaScript the page says thank you without it.
const place = document.querySelector("[data-receipt]");
const receipt = new URLSearchParams(location.search).get("receipt") || "";
if (place && /^[A-Za-z0-9_-]{1,64}$/.test(receipt)) {
  place.textContent = place.dataset.receipt.replace("{receipt}", receipt);
  place.hidden = false;
}
