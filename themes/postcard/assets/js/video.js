// Video facades: the provider's player (YouTube's privacy-enhanced domain,
// Vimeo with do-not-track) is loaded only when the visitor presses play.
// Without JavaScript the play link opens the video on the provider's site.
const allowed = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/;

for (const facade of document.querySelectorAll(".video-facade[data-embed]")) {
  const play = facade.querySelector(".video-play");
  const src = facade.dataset.embed;
  if (!play || !allowed.test(src)) continue;
  play.addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = facade.dataset.title || "Video";
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    facade.replaceWith(frame);
    frame.focus();
  });
}
