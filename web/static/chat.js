// The chat: asks POST /api/ask with the conversation so far and the chosen filters, shows the
// answer with its figure and numbered citations, and records thumbs up/down through
// /api/feedback. Conversations are kept in this browser (conversations.js), can be reopened,
// copied, downloaded as Markdown and printed. A question can be stopped while it waits, gives up
// after a time limit, and one that failed is tried again in place.
// Everything from the server or the user goes into the page through textContent, never as HTML.

import { canRetry, sendJson } from "./api.js";
import * as conversations from "./conversations.js";
import { errorText } from "./error_messages.js";
import {
  citationAddress,
  citationPath,
  conversationMarkdown,
  copyText,
  displayDate,
  documentTitle,
  download,
  entryMarkdown,
  filtersText,
  lookUpPath,
  markdownFileName,
  splitCitations,
} from "./export.js";
import { setupFilters } from "./filters.js";
import { applyStrings, format, formatDateTime, language, onLanguageChange, ready, t } from "./i18n.js";
import { setupSaved } from "./saved.js";

const RETURN_KEY = "healthqa.chatReturn"; // sessionStorage: where the reader was, to come back to
const MAX_HISTORY_TURNS = 20; // AskRequest.history takes at most 20 turns
const FEEDBACK_TURN_CHARS = 4000; // each earlier turn sent with a rating, at most
const FOCUS_MARGIN = 12; // px kept between a focused element and the question box

const chat = document.querySelector(".chat");
const form = document.getElementById("ask-form");
const questionBox = document.getElementById("question");
const askButton = document.getElementById("ask-button");
const cancelButton = document.getElementById("cancel-button");
const newConversationButton = document.getElementById("new-conversation");
const conversationList = document.getElementById("conversation");
const announcer = document.getElementById("announcer");
const examples = document.getElementById("examples");
const actions = document.getElementById("conversation-actions");
const toolsStatus = document.getElementById("tools-status");

// The open conversation: {id, title, entries, filters, …}. One entry per question:
// {id, question, asked_at, filters?, response | error, feedback?: {id, key, rating, comment}}.
let conversation = conversations.opened();
let pending = false;
let inFlight = null; // the AbortController of the question being asked
let lastOpened = null; // the id of the citation link followed out of the chat

function slot(root, name) {
  return root.querySelector(`[data-slot="${name}"]`);
}

function cloneTemplate(id) {
  const node = document.getElementById(id).content.firstElementChild.cloneNode(true);
  applyStrings(node);
  return node;
}

function setTranslated(element, key) {
  element.dataset.i18n = key;
  element.textContent = t(key);
}

function hasString(key) {
  return t(key) !== key;
}

function newEntryId() {
  return `e${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

function entryId(entry) {
  if (!entry.id) entry.id = newEntryId(); // entries kept before they had ids
  return entry.id;
}

function say(text) {
  announcer.textContent = "";
  // a fresh text node after a tick makes screen readers announce even a repeated message
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function showStatus(text) {
  toolsStatus.textContent = text;
}

// Figures

function formatNumber(value) {
  const locale = language() === "vi" ? "vi-VN" : "en-US";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

function formatFigureValue(element) {
  const { value, valueHigh, denominator } = element.dataset;
  let text = formatNumber(Number(value));
  if (valueHigh) text += `–${formatNumber(Number(valueHigh))}`;
  if (denominator) text += `/${formatNumber(Number(denominator))}`;
  element.textContent = text;
}

function renderFigure(figure, citationNumbers, citationIdPrefix) {
  const node = cloneTemplate("figure-template");
  slot(node, "label").textContent = figure.label;
  slot(node, "comparator").textContent = figure.comparator ? `${figure.comparator} ` : "";
  const value = slot(node, "value");
  value.classList.add("figure__number");
  value.dataset.value = String(figure.value);
  if (figure.value_high !== null && figure.value_high !== undefined) {
    value.dataset.valueHigh = String(figure.value_high);
  }
  if (figure.denominator !== null && figure.denominator !== undefined) {
    value.dataset.denominator = String(figure.denominator);
  }
  formatFigureValue(value);
  const unit = figure.unit || "";
  slot(node, "unit").textContent = unit === "%" || unit === "" ? unit : ` ${unit}`;

  const facts = {
    kind: figure.kind && hasString(`kind_${figure.kind}`) ? `kind_${figure.kind}` : null,
    year: figure.year,
    scope: figure.scope,
    comparator: figure.comparator,
  };
  for (const [fact, shown] of Object.entries(facts)) {
    const row = node.querySelector(`[data-fact="${fact}"]`);
    if (shown === null || shown === undefined || shown === "") {
      row.hidden = true;
    }
  }
  if (facts.kind) setTranslated(slot(node, "kind"), facts.kind);
  if (figure.year) slot(node, "year").textContent = String(figure.year);
  if (figure.scope) slot(node, "scope").textContent = figure.scope;
  if (figure.comparator) {
    const words = slot(node, "comparator-words");
    const key = `comparator_${figure.comparator}`;
    if (hasString(key)) setTranslated(words, key);
    else words.textContent = figure.comparator;
  }

  const source = slot(node, "source");
  const number = citationNumbers.get(figure.citation);
  if (number) {
    source.href = `#${citationIdPrefix}${number}`;
    slot(node, "source-number").textContent = `[${number}]`;
  } else {
    source.hidden = true;
  }
  const indicator = slot(node, "indicator");
  if (figure.indicator_url) indicator.href = figure.indicator_url;
  else indicator.hidden = true;
  return node;
}

// Citations

function fillPassage(element, citation) {
  const text = citation.text;
  const from = Math.min(Math.max(citation.quote_start - citation.start, 0), text.length);
  const to = Math.min(Math.max(citation.quote_end - citation.start, from), text.length);
  element.replaceChildren();
  element.append(document.createTextNode(text.slice(0, from)));
  if (to > from) {
    const mark = document.createElement("mark");
    mark.textContent = text.slice(from, to);
    element.append(mark);
  }
  element.append(document.createTextNode(text.slice(to)));
  // a cited table row, read with its column headers ("Chỉ tiêu — Năm 2022: 30,4 · …")
  if (citation.table_row && citation.table_row.text) {
    const row = document.createElement("p");
    row.className = "citation__table-row";
    row.textContent = citation.table_row.text;
    element.append(row);
  }
}

// A field of the source's document, or why it has none: "không ghi" for a number, date or issuer
// the document leaves blank or does not state.
function fillField(element, value, missingKey) {
  if (value) {
    element.textContent = value;
    return;
  }
  element.classList.add("unknown");
  setTranslated(element, missingKey);
}

function fillDocument(node, citation) {
  const identity = citation.document;
  if (!identity) {
    node.querySelector(".citation__document").hidden = true; // kept from before the API said
    return;
  }
  const blank = new Set(identity.left_blank || []);
  const missing = (field) => (blank.has(field) ? "not_written" : "not_stated");
  fillField(slot(node, "doc-type"), identity.doc_type, "unknown");
  fillField(slot(node, "doc-number"), identity.number, missing("number"));
  fillField(slot(node, "doc-issuer"), identity.issuing_body, missing("issuer"));
  // a place of before the 2025 reorganisation says which unit of today it lies in
  const today = identity.place_today;
  const note = today ? (language() === "vi" ? today.note : today.note_en) : "";
  fillField(slot(node, "doc-place"), identity.place && note ? `${identity.place} — ${note}` : identity.place, "unknown");
  fillField(slot(node, "doc-date"), displayDate(identity.issued_date), missing("date"));
  // the stored PDF (the browser's own viewer) or DOCX; a text file's original is the viewer's text
  if (identity.original_url && ["pdf", "docx"].includes(identity.original_type)) {
    const original = slot(node, "original");
    original.hidden = false;
    original.href = identity.original_url;
    slot(node, "original-type").textContent = identity.original_type.toUpperCase();
    // a PDF opens at the page where the quoted span starts (the viewer's #page=N)
    const page = citation.original_page;
    if (identity.original_type === "pdf" && Number.isInteger(page) && page > 0) {
      original.href = `${identity.original_url}#page=${page}`;
      slot(node, "original-page").hidden = false;
      slot(node, "original-page-number").textContent = String(page);
    }
  }
}

function renderCitation(citation, number, elementId) {
  const node = cloneTemplate("citation-template");
  node.id = elementId;
  slot(node, "number").textContent = `[${number}]`;
  slot(node, "title").textContent = documentTitle(citation);
  fillDocument(node, citation);
  const section = slot(node, "section");
  if (citation.section) section.textContent = citation.section;
  else section.parentElement.hidden = true;
  fillPassage(slot(node, "passage"), citation);
  slot(node, "address").textContent = citationAddress(citation);
  const open = slot(node, "open");
  open.href = citationPath(citation);
  open.id = `${elementId}-open`;
  return node;
}

// The answer text with each document code it writes linked to that code's look-up page
// (`codes` comes from the API, found with the indexer's own pattern; offsets count characters).
function fillAnswerText(element, text, codes) {
  element.replaceChildren();
  const characters = Array.from(text);
  let at = 0;
  for (const code of codes || []) {
    if (code.start < at || code.end > characters.length) continue;
    element.append(characters.slice(at, code.start).join(""));
    const link = document.createElement("a");
    link.className = "code-link";
    link.href = lookUpPath(code.code);
    link.textContent = characters.slice(code.start, code.end).join("");
    link.title = format("look_up_code", { code: link.textContent });
    element.append(link);
    at = code.end;
  }
  element.append(characters.slice(at).join(""));
}

// [1] [2] after the answer, each leading to its numbered source.
function renderMarkers(element, count, prefix) {
  element.replaceChildren();
  for (let number = 1; number <= count; number += 1) {
    const link = document.createElement("a");
    link.className = "message__marker";
    link.href = `#${prefix}${number}`;
    link.textContent = `[${number}]`;
    link.setAttribute("aria-label", format("source_number", { n: number }));
    element.append(" ", link);
  }
  element.hidden = count === 0;
}

// A legal-basis answer: its document's legal bases, each once with its mentions, as the
// document's page lists them, each leading to its look-up.
function renderBases(node, bases) {
  if (!bases || !bases.length) return;
  slot(node, "bases-section").hidden = false;
  const list = slot(node, "bases");
  for (const basis of bases) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.className = "code-link";
    link.href = lookUpPath(basis.code);
    link.textContent = basis.raw || basis.written_code;
    item.append(link);
    if (basis.mentions > 1) {
      const mentions = document.createElement("span");
      mentions.className = "answer-bases__mentions";
      mentions.textContent = ` · ${basis.mentions} ${t("mentions_count")}`;
      item.append(mentions);
    }
    list.append(item);
  }
}

// Messages

function describeFilter(name, value) {
  return filterControls.describeText(name, value);
}

function renderUser(entry) {
  const node = cloneTemplate("message-template");
  node.classList.add("message--user");
  node.dataset.entry = entryId(entry);
  setTranslated(slot(node, "who"), "you");
  slot(node, "text").textContent = entry.question;
  if (entry.asked_at) {
    const time = slot(node, "time");
    time.dateTime = entry.asked_at;
    time.textContent = formatDateTime(entry.asked_at);
    time.hidden = false;
  }
  const used = filtersText(entry.filters, describeFilter);
  if (used) {
    slot(node, "filters").hidden = false;
    slot(node, "filters-text").textContent = used;
  }
  return node;
}

function renderPending(entry) {
  const node = cloneTemplate("message-template");
  node.classList.add("message--assistant", "message--pending");
  node.dataset.entry = entryId(entry);
  node.setAttribute("aria-busy", "true");
  setTranslated(slot(node, "who"), "assistant");
  setTranslated(slot(node, "text"), "thinking");
  return node;
}

function renderError(entry) {
  const node = cloneTemplate("message-template");
  node.classList.add("message--assistant", "message--error");
  node.dataset.entry = entryId(entry);
  node.dataset.errorCode = entry.error.code || "";
  setTranslated(slot(node, "who"), "assistant");
  slot(node, "text").textContent = errorText(entry.error);
  if (entry.error.key || canRetry(entry.error)) {
    slot(node, "actions").hidden = false;
    const retryButton = node.querySelector('[data-action="retry"]');
    retryButton.hidden = false;
    retryButton.addEventListener("click", () => retry(entry));
  }
  return node;
}

function renderAnswer(entry) {
  const response = entry.response;
  const node = cloneTemplate("message-template");
  node.classList.add("message--assistant", response.answerable ? "message--answer" : "message--not-found");
  node.dataset.entry = entryId(entry);
  setTranslated(slot(node, "who"), "assistant");
  slot(node, "badge").hidden = response.answerable;
  fillAnswerText(slot(node, "text"), response.answer, response.codes);

  if (response.resolved_question && response.resolved_question.trim() !== entry.question.trim()) {
    slot(node, "resolved").hidden = false;
    slot(node, "resolved-text").textContent = response.resolved_question;
  }

  // the sources the answer rests on first, numbered as its [n]; the passages retrieved beside it
  // after them, apart and closed. An abstention rests on none: its closest passages are shown.
  const prefix = `answer-${entryId(entry)}-source-`;
  const { support, related, marked } = splitCitations(response);
  const shown = support.length ? support : related;
  const apart = support.length ? related : [];
  const numbers = new Map([...shown, ...apart].map((citation, i) => [citation.id, i + 1]));
  const figures = slot(node, "figures");
  for (const figure of response.figures) figures.append(renderFigure(figure, numbers, prefix));
  renderMarkers(slot(node, "markers"), marked ? support.length : 0, prefix);

  if (shown.length) {
    slot(node, "citations-section").hidden = false;
    setTranslated(slot(node, "citations-title"), support.length ? "sources" : "closest_passages");
    const list = slot(node, "citations");
    shown.forEach((citation, i) => list.append(renderCitation(citation, i + 1, `${prefix}${i + 1}`)));
  }
  if (apart.length) {
    slot(node, "related-section").hidden = false;
    slot(node, "related-count").textContent = String(apart.length);
    const list = slot(node, "related");
    apart.forEach((citation, i) => {
      const number = shown.length + i + 1;
      list.append(renderCitation(citation, number, `${prefix}${number}`));
    });
  }
  renderBases(node, response.legal_bases);
  wireCopy(node, entry);
  wireFeedback(node, entry);
  return node;
}

function renderEntry(entry) {
  const nodes = [renderUser(entry)];
  if (entry.response) nodes.push(renderAnswer(entry));
  else if (entry.error) nodes.push(renderError(entry));
  return nodes;
}

function renderConversation() {
  conversationList.replaceChildren(...conversation.entries.flatMap(renderEntry));
  examples.hidden = conversation.entries.length > 0;
  updateTools();
}

// Copy

function wireCopy(node, entry) {
  slot(node, "actions").hidden = false;
  const button = node.querySelector('[data-action="copy"]');
  const status = slot(node, "action-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    const copied = await copyText(entryMarkdown(entry, { describeFilter }));
    button.focus({ preventScroll: true });
    setTranslated(status, copied ? "copied" : "copy_failed");
  });
}

// Feedback: stored on the thumb click, with the conversation's earlier turns; the comment and
// the rating can be changed afterwards (PATCH with the edit key the first POST gave).

function historyFor(previous) {
  const turns = [];
  for (const entry of previous) {
    if (!entry.response) continue;
    turns.push({ role: "user", content: entry.question });
    turns.push({ role: "assistant", content: entry.response.answer });
  }
  return turns.slice(-MAX_HISTORY_TURNS);
}

function earlierEntries(entry) {
  const at = conversation.entries.indexOf(entry);
  return at < 0 ? conversation.entries.slice() : conversation.entries.slice(0, at);
}

function newFeedback(entry, fields) {
  const body = {
    question: entry.question,
    answer: entry.response.answer,
    citations: entry.response.citations.map((citation) => citation.id).slice(0, 50),
    rating: fields.rating,
    comment: fields.comment || null,
    history: historyFor(earlierEntries(entry)).map((turn) => ({
      role: turn.role,
      content: turn.content.slice(0, FEEDBACK_TURN_CHARS),
    })),
  };
  // the oldest turns go first when the whole would be over the service's feedback size limit
  const limit = (Number(chat.dataset.feedbackMaxBytes) || 32000) - 512;
  const size = () => new TextEncoder().encode(JSON.stringify(body)).length;
  while (body.history.length && size() > limit) body.history.shift();
  return body;
}

async function sendFeedback(entry, fields) {
  const url = chat.dataset.feedbackUrl;
  const timeoutMs = Number(chat.dataset.timeoutMs) || 0;
  const kept = entry.feedback && typeof entry.feedback === "object" ? entry.feedback : null;
  if (kept && kept.id && kept.key) {
    const result = await sendJson(`${url}/${kept.id}`, { edit_key: kept.key, ...fields }, { method: "PATCH", timeoutMs });
    if (!result.ok) return false;
    kept.rating = result.body.rating;
    kept.comment = result.body.comment;
  } else {
    const result = await sendJson(url, newFeedback(entry, fields), { timeoutMs });
    if (!result.ok) return false;
    entry.feedback = {
      id: result.body.id,
      key: result.body.edit_key,
      rating: fields.rating,
      comment: fields.comment || null,
    };
  }
  keep();
  return true;
}

function wireFeedback(node, entry) {
  const box = slot(node, "feedback");
  const feedbackForm = slot(node, "feedback-form");
  const more = slot(node, "feedback-more");
  const comment = slot(node, "comment");
  const status = slot(node, "feedback-status");
  const buttons = Array.from(feedbackForm.querySelectorAll("[data-rating]"));
  box.hidden = false;
  comment.id = `answer-${entryId(entry)}-comment`;
  slot(node, "comment-label").htmlFor = comment.id;
  status.tabIndex = -1;

  if (typeof entry.feedback === "string") {
    // rated before ratings could be changed: it stays as it was sent
    feedbackForm.hidden = true;
    setTranslated(status, "feedback_thanks");
    return;
  }
  const press = (rating) => {
    for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.rating === rating));
  };
  if (entry.feedback) {
    press(entry.feedback.rating);
    more.hidden = false;
    comment.value = entry.feedback.comment || "";
  }
  // one change at a time, in the order made: a comment sent right after the click waits for it
  let saving = Promise.resolve(true);
  const change = (fields) => {
    saving = saving.then(() => sendFeedback(entry, fields));
    return saving;
  };

  for (const button of buttons) {
    button.addEventListener("click", async () => {
      const rating = button.dataset.rating;
      press(rating);
      more.hidden = false;
      comment.focus();
      const fields = entry.feedback ? { rating } : { rating, comment: comment.value.trim() || null };
      const stored = await change(fields);
      setTranslated(status, stored ? "feedback_recorded" : "feedback_error");
    });
  }
  feedbackForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const rating = buttons.find((button) => button.getAttribute("aria-pressed") === "true")?.dataset.rating;
    if (!rating) return;
    const send = more.querySelector("button[type=submit]");
    send.disabled = true;
    const stored = await change({ rating, comment: comment.value.trim() || null });
    send.disabled = false;
    setTranslated(status, stored ? "feedback_thanks" : "feedback_error");
    status.focus();
  });
}

// Keeping the conversation

function keep() {
  conversation.filters = filterControls.value();
  if (!conversations.save(conversation)) showStatus(t("saved_storage_full"));
  conversations.setOpenId(conversation.id);
  savedList.render();
  updateTools();
}

function titleOf(current) {
  return conversations.titleOf(current) || t("saved_untitled");
}

function updateTools() {
  const any = conversation.entries.length > 0;
  actions.hidden = !any;
  document.getElementById("print-title").textContent = any ? titleOf(conversation) : "";
  document.getElementById("print-time").textContent = formatDateTime(new Date().toISOString());
}

function openConversation(id) {
  if (pending) return;
  const found = conversations.find(id);
  if (!found) return;
  conversation = found;
  conversations.setOpenId(id);
  filterControls.set(conversation.filters || {});
  renderConversation();
  savedList.render();
  showStatus("");
  say(format("conversation_opened", { title: titleOf(conversation) }));
  conversationList.scrollIntoView({ block: "start" });
  conversationList.focus({ preventScroll: true });
}

function startOver({ quietly = false } = {}) {
  if (pending) return;
  const hadEntries = conversation.entries.length > 0;
  conversation = conversations.newConversation();
  conversations.setOpenId(conversation.id);
  filterControls.set({});
  renderConversation();
  savedList.render();
  announcer.textContent = "";
  questionBox.value = "";
  showStatus(hadEntries && !quietly ? t("conversation_started") : "");
  if (!quietly) questionBox.focus();
}

// Asking

function announce(entry) {
  let text;
  if (entry.error) text = errorText(entry.error);
  else if (entry.response.answerable) text = entry.response.answer;
  else text = `${t("not_found_badge")}. ${entry.response.answer}`;
  say(text);
}

function setBusy(busy) {
  pending = busy;
  askButton.disabled = busy;
  newConversationButton.disabled = busy;
  cancelButton.hidden = !busy;
  conversationList.setAttribute("aria-busy", String(busy));
}

function nodesOf(entry) {
  return Array.from(conversationList.querySelectorAll(`[data-entry="${entryId(entry)}"]`));
}

// Sends the entry's question and puts the answer (or the error) where `waiting` stands.
async function run(entry, waiting) {
  setBusy(true);
  inFlight = new AbortController();
  const body = { question: entry.question, history: historyFor(earlierEntries(entry)) };
  if (entry.filters && Object.keys(entry.filters).length) body.filters = entry.filters;
  const result = await sendJson(chat.dataset.askUrl, body, {
    signal: inFlight.signal,
    timeoutMs: Number(chat.dataset.timeoutMs) || 0,
  });
  inFlight = null;
  delete entry.response;
  delete entry.error;
  if (result.ok) entry.response = result.body;
  else entry.error = result.error;
  keep();
  const answerNode = entry.response ? renderAnswer(entry) : renderError(entry);
  waiting.replaceWith(answerNode);
  setBusy(false);
  announce(entry);
  // a question the server refused as it stands goes back into the box, to be changed
  if (entry.error && !canRetry(entry.error)) questionBox.value = entry.question;
  // show the answer from its question down, and keep typing focus for a follow-up
  const [userNode] = nodesOf(entry);
  if (userNode) userNode.scrollIntoView({ block: "start" });
  questionBox.focus({ preventScroll: true });
}

// The same question again, in place: its bubble stays, its error becomes the answer.
function retry(entry) {
  if (pending) return;
  const answerNode = nodesOf(entry).find((node) => node.classList.contains("message--assistant"));
  const waiting = renderPending(entry);
  if (answerNode) answerNode.replaceWith(waiting);
  else conversationList.append(waiting);
  run(entry, waiting);
}

async function ask(rawQuestion) {
  const question = rawQuestion.trim();
  if (pending) return;
  if (!question) {
    questionBox.focus();
    return;
  }
  await stringsLoaded;
  const last = conversation.entries.at(-1);
  if (last && last.error && last.question === question) {
    questionBox.value = "";
    retry(last); // sent again as it failed: no second bubble
    return;
  }
  examples.hidden = true;
  const entry = { id: newEntryId(), question, asked_at: new Date().toISOString() };
  const filters = filterControls.value();
  if (Object.keys(filters).length) entry.filters = filters;
  conversation.entries.push(entry);
  const waiting = renderPending(entry);
  conversationList.append(renderUser(entry), waiting);
  questionBox.value = "";
  await run(entry, waiting);
}

function cancel() {
  if (inFlight) inFlight.abort();
}

// Coming back from the viewer (its link, or the browser's back) to where the reader was.

function rememberPlace() {
  try {
    sessionStorage.setItem(
      RETURN_KEY,
      JSON.stringify({ conversation: conversation.id, scrollY: window.scrollY, focus: lastOpened }),
    );
  } catch {
    // storage disabled: the chat opens at the top
  }
}

function restorePlace() {
  let place = null;
  try {
    place = JSON.parse(sessionStorage.getItem(RETURN_KEY) || "null");
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    return;
  }
  if (!place || place.conversation !== conversation.id) return;
  window.scrollTo(0, Number(place.scrollY) || 0);
  const link = place.focus ? document.getElementById(place.focus) : null;
  if (link) link.focus({ preventScroll: true });
}

// Keyboard focus never hides under the question box that stays at the bottom of the screen.

function keepFocusInSight(event) {
  const target = event.target;
  if (!(target instanceof Element) || form.contains(target)) return;
  // after the browser's own scrolling to the newly focused element
  window.requestAnimationFrame(() => {
    if (document.activeElement !== target || getComputedStyle(form).position !== "sticky") return;
    const box = target.getBoundingClientRect();
    const formTop = form.getBoundingClientRect().top;
    if (box.bottom > formTop - FOCUS_MARGIN && box.top < formTop + form.offsetHeight) {
      window.scrollBy(0, box.bottom - formTop + FOCUS_MARGIN);
    }
  });
}

function trackFormHeight() {
  const update = () => document.documentElement.style.setProperty("--ask-form-height", `${form.offsetHeight}px`);
  update();
  if ("ResizeObserver" in window) new ResizeObserver(update).observe(form);
}

// Wiring

const filterControls = setupFilters({
  root: form.querySelector(".chat-filters"),
  chips: document.getElementById("filter-chips"),
  announce: say,
  onChange: (filters) => {
    conversation.filters = filters;
    if (conversation.entries.length) keep();
  },
});

const savedList = setupSaved({
  list: document.getElementById("saved-list"),
  count: document.getElementById("saved-count"),
  empty: document.getElementById("saved-empty"),
  announce: (text) => {
    say(text);
    showStatus(text);
  },
  openedId: () => conversation.id,
  onOpen: openConversation,
  onDeleted: (id) => {
    if (id === conversation.id) startOver({ quietly: true });
  },
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  ask(questionBox.value);
});

questionBox.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && pending) {
    event.preventDefault();
    cancel();
    return;
  }
  // Enter sends; Shift+Enter is a new line; an input method composing Vietnamese keeps its Enter
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  form.requestSubmit();
});

cancelButton.addEventListener("click", cancel);

for (const button of examples.querySelectorAll(".example")) {
  button.addEventListener("click", () => {
    questionBox.value = button.textContent;
    questionBox.focus(); // the examples hide while the answer comes: keep focus somewhere useful
    ask(button.textContent);
  });
}

newConversationButton.addEventListener("click", () => startOver());

document.getElementById("export-markdown").addEventListener("click", () => {
  const fileName = markdownFileName();
  download(fileName, conversationMarkdown(conversation, titleOf(conversation), { describeFilter }));
  showStatus(format("exported", { file: fileName }));
});

document.getElementById("print-conversation").addEventListener("click", () => {
  updateTools();
  window.print();
});
window.addEventListener("beforeprint", updateTools);

conversationList.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a.citation__open") : null;
  if (link) lastOpened = link.id;
});
window.addEventListener("pagehide", rememberPlace);
window.addEventListener("pageshow", (event) => {
  // restored whole from the back/forward cache: the page is already where it was
  if (event.persisted) {
    try {
      sessionStorage.removeItem(RETURN_KEY);
    } catch {
      // nothing to clean
    }
  }
});
document.addEventListener("focusin", keepFocusInSight);
if ("scrollRestoration" in window.history) window.history.scrollRestoration = "manual";

onLanguageChange(() => {
  // times, error texts, chips and the list are written in the interface's language
  const { scrollY } = window;
  renderConversation();
  window.scrollTo(0, scrollY);
  filterControls.render();
  savedList.render();
});

// Without the strings file the page keeps the language it was rendered in.
const stringsLoaded = ready.catch(() => {});

stringsLoaded.then(() => {
  trackFormHeight();
  filterControls.set(conversation.filters || {});
  renderConversation();
  savedList.render();
  restorePlace();
  chat.dataset.ready = "true";
});
