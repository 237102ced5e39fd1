// The document viewer: bring the cited span (<mark id="cited">, rendered by the server from
// ?start=&end=) into view, a third of the way down (its scroll-margin in app.css) so the lines
// before it show too, and give it focus, so a keyboard or screen-reader user lands there.

function showCited() {
  const cited = document.getElementById("cited");
  if (!cited) return;
  // after the browser's own jump to #cited, for links that came without the fragment
  cited.scrollIntoView({ block: "start", behavior: "instant" });
  cited.focus({ preventScroll: true });
}

if (document.readyState === "complete") showCited();
else window.addEventListener("load", showCited, { once: true });
