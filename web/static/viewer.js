// The document viewer: bring the cited span (<mark id="cited">, rendered by the server from
// ?start=&end=) into view, a third of the way down (its scroll-margin in app.css) so the lines
// before it show too, and give it focus, so a keyboard or screen-reader user lands there.
// Tables the text flattened into lines are shown as tables: each <template class=
// "doc-table-source"> (_table.html) replaces the document offsets it covers, and the cells of the
// cited span are marked there (the first one becomes #cited).
// A tab that came from the chat gets a link back to its conversation, where the chat puts the
// reader back at the place and the source link they left from (chat.js).

const RETURN_KEY = "healthqa.chatReturn"; // written by chat.js when the chat page is left

function showCited() {
  const cited = document.getElementById("cited");
  if (!cited) return;
  // after the browser's own jump to #cited, for links that came without the fragment; a cited
  // cell brings its whole table into view when it fits, so its column headers show too
  const table = cited.closest(".doc-table-wrap");
  const fits = table && table.getBoundingClientRect().height < window.innerHeight * 0.9;
  (fits ? table : cited).scrollIntoView({ block: fits ? "center" : "start", behavior: "instant" });
  cited.focus({ preventScroll: true });
}

function offerWayBack() {
  const link = document.getElementById("back-to-chat");
  if (!link) return;
  let fromChat = false;
  try {
    fromChat = Boolean(sessionStorage.getItem(RETURN_KEY));
  } catch {
    fromChat = false;
  }
  if (!fromChat) return;
  const lang = document.documentElement.lang;
  link.href = lang === "en" ? "/?lang=en" : "/";
  link.hidden = false;
}

// The span the page was opened at (?start=&end=, as the server read it for <mark id="cited">).
function citedSpan() {
  const params = new URLSearchParams(window.location.search);
  const start = Number.parseInt(params.get("start") ?? "", 10);
  const end = Number.parseInt(params.get("end") ?? "", 10);
  return Number.isFinite(start) && Number.isFinite(end) && start < end ? { start, end } : null;
}

// A DOM range over document offsets start..end of the text container: its text content is the
// document's cleaned text (runs, marks and empty anchors), so offsets count its characters.
function textRange(container, start, end) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let offset = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.data.length;
    if (!started && start <= offset + length) {
      range.setStart(node, start - offset);
      started = true;
    }
    if (started && end <= offset + length) {
      range.setEnd(node, end - offset);
      return range;
    }
    offset += length;
  }
  return null;
}

function markCitedCells(wrap, cited) {
  if (!cited) return;
  for (const cell of wrap.querySelectorAll("[data-start][data-end]")) {
    const start = Number(cell.dataset.start);
    const end = Number(cell.dataset.end);
    if (start < end && start < cited.end && cited.start < end) cell.classList.add("cited");
  }
  const first = wrap.querySelector(".cited");
  if (first && !document.getElementById("cited")) {
    first.id = "cited";
    first.tabIndex = -1;
  }
}

function placeTables() {
  const container = document.querySelector(".document-text");
  const sources = [...document.querySelectorAll("template.doc-table-source")];
  if (!container || !sources.length) return;
  const cited = citedSpan();
  // last table first: the offsets of the ones before it still count the text as written
  sources.sort((a, b) => Number(b.dataset.start) - Number(a.dataset.start));
  for (const source of sources) {
    const start = Number(source.dataset.start);
    const end = Number(source.dataset.end);
    const wrap = source.content.querySelector(".doc-table-wrap");
    const text = container.textContent;
    if (!wrap || !(start < end) || end > text.length) continue;
    // the line break after the last row goes too: the table is a block of its own
    const range = textRange(container, start, text[end] === "\n" ? end + 1 : end);
    if (!range) continue;
    const table = wrap.cloneNode(true);
    range.deleteContents();
    markCitedCells(table, cited);
    range.insertNode(table);
  }
}

placeTables();
offerWayBack();
if (document.readyState === "complete") showCited();
else window.addEventListener("load", showCited, { once: true });
