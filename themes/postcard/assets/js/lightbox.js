// The lightbox: links to full-size photos ([data-lightbox-item]) open in a
// modal dialog instead, with previous/next, arrow keys, Home/End, swipe,
// and Escape to close; focus returns to the photo that opened it. Without
// JavaScript the links open the image files.
const items = [...document.querySelectorAll("[data-lightbox-item]")];
// The viewer's words, in the page's language (the theme's translation strings).
const strings = (() => {
  try {
    const el = document.querySelector("[data-lightbox-strings]");
    return (el && JSON.parse(el.dataset.lightboxStrings || "{}")) || {};
  } catch {
    return {};
  }
})();
const t = (key, english) => (typeof strings[key] === "string" && strings[key]) || english;
const esc = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

if (items.length && typeof HTMLDialogElement === "function") {
  let dialog, stage, caption, count, index = 0, opener = null;

  const build = () => {
    dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", t("photo_viewer", "Photo viewer"));
    dialog.innerHTML =
      '<div class="lightbox-bar"><p class="lightbox-count" aria-live="polite"></p>' +
      `<button type="button" data-close>${esc(t("close", "Close"))}</button></div>` +
      '<figure class="lightbox-stage"><figcaption class="lightbox-caption"></figcaption></figure>' +
      `<div class="lightbox-bar lightbox-nav"><button type="button" data-prev>← ${esc(t("previous", "Previous"))}</button>` +
      `<button type="button" data-next>${esc(t("next", "Next"))} →</button></div>`;
    stage = dialog.querySelector(".lightbox-stage");
    caption = dialog.querySelector(".lightbox-caption");
    count = dialog.querySelector(".lightbox-count");
    if (items.length < 2) dialog.querySelector(".lightbox-nav").hidden = true;
    dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
    dialog.querySelector("[data-prev]").addEventListener("click", () => show(index - 1));
    dialog.querySelector("[data-next]").addEventListener("click", () => show(index + 1));
    dialog.addEventListener("keydown", (e) => {
      const to = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: items.length - 1 }[e.key];
      if (to !== undefined) {
        e.preventDefault();
        show(to);
      }
    });
    dialog.addEventListener("click", (e) => {
      if (e.target === stage || e.target === dialog) dialog.close();
    });
    let x0 = null;
    stage.addEventListener("pointerdown", (e) => (x0 = e.clientX));
    stage.addEventListener("pointerup", (e) => {
      if (x0 !== null && Math.abs(e.clientX - x0) > 50) show(index + (e.clientX < x0 ? 1 : -1));
      x0 = null;
    });
    dialog.addEventListener("close", () => {
      if (opener) opener.focus();
    });
    document.body.append(dialog);
  };

  const show = (i) => {
    index = (i + items.length) % items.length;
    const item = items[index];
    const pic = item.querySelector("picture, img");
    const old = stage.querySelector("picture, img");
    if (old) old.remove();
    if (pic) {
      const copy = pic.cloneNode(true);
      for (const el of copy.querySelectorAll("[sizes]")) el.sizes = "100vw";
      const img = copy.tagName === "IMG" ? copy : copy.querySelector("img");
      if (img) {
        img.sizes = "100vw";
        img.loading = "eager";
        img.removeAttribute("style");
      }
      stage.prepend(copy);
    }
    const fig = item.closest("figure");
    const cap = fig && fig.querySelector("figcaption");
    const img = item.querySelector("img");
    caption.textContent = (cap && cap.textContent.trim()) || (img ? img.alt : "");
    count.textContent = t("photo_n_of_total", "Photo {number} of {total}").replace("{number}", index + 1).replace("{total}", items.length);
  };

  items.forEach((item, i) => {
    item.addEventListener("click", (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      if (!dialog) build();
      opener = item;
      show(i);
      dialog.showModal();
      dialog.querySelector("[data-close]").focus();
    });
  });
}
