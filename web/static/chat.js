// The chat: asks POST /api/ask with the conversation so far, shows the answer with its figure and
// numbered citations, and records thumbs up/down through POST /api/feedback.
// Everything from the server or the user goes into the page through textContent, never as HTML.

import { applyStrings, language, onLanguageChange, ready, t } from "./i18n.js";

const STORAGE_KEY = "healthqa.conversation";
const MAX_HISTORY_TURNS = 20; // AskRequest.history takes at most 20 turns
const MAX_STORED_ENTRIES = 50;

const chat = document.querySelector(".chat");
const form = document.getElementById("ask-form");
const questionBox = document.getElementById("question");
const askButton = document.getElementById("ask-button");
const newConversationButton = document.getElementById("new-conversation");
const conversation = document.getElementById("conversation");
const announcer = document.getElementById("announcer");
const examples = document.getElementById("examples");

// One entry per question: {question, response} or {question, error: {key | detail}},
// plus feedback ("up" | "down") once sent. Kept in sessionStorage so opening a source and coming
// back does not lose the conversation.
let entries = loadConversation();
let pending = false;

function loadConversation() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "[]");
    return Array.isArray(stored) ? stored : [];
  } catch {
    return [];
  }
}

function saveConversation() {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(entries.slice(-MAX_STORED_ENTRIES)));
  } catch {
    // storage full or disabled: the conversation still lives on this page
  }
}

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
  return node;
}

// Citations

function documentLink(citation) {
  const quoted = citation.quote_end > citation.quote_start;
  const params = new URLSearchParams({
    start: String(quoted ? citation.quote_start : citation.start),
    end: String(quoted ? citation.quote_end : citation.end),
  });
  return `/documents/${encodeURIComponent(citation.doc_id)}?${params}#cited`;
}

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
}

function renderCitation(citation, number, elementId) {
  const node = cloneTemplate("citation-template");
  node.id = elementId;
  slot(node, "number").textContent = `[${number}]`;
  slot(node, "title").textContent = citation.title || citation.source;
  const section = slot(node, "section");
  if (citation.section) section.textContent = citation.section;
  else section.parentElement.hidden = true;
  fillPassage(slot(node, "passage"), citation);
  slot(node, "open").href = documentLink(citation);
  return node;
}

// Messages

function renderUser(question) {
  const node = cloneTemplate("message-template");
  node.classList.add("message--user");
  setTranslated(slot(node, "who"), "you");
  slot(node, "text").textContent = question;
  return node;
}

function renderPending() {
  const node = cloneTemplate("message-template");
  node.classList.add("message--assistant", "message--pending");
  node.setAttribute("aria-busy", "true");
  setTranslated(slot(node, "who"), "assistant");
  setTranslated(slot(node, "text"), "thinking");
  return node;
}

function renderError(entry) {
  const node = cloneTemplate("message-template");
  node.classList.add("message--assistant", "message--error");
  setTranslated(slot(node, "who"), "assistant");
  const text = slot(node, "text");
  if (entry.error.key) setTranslated(text, entry.error.key);
  else text.textContent = entry.error.detail;
  return node;
}

function renderAnswer(entry, index) {
  const response = entry.response;
  const node = cloneTemplate("message-template");
  node.classList.add("message--assistant", response.answerable ? "message--answer" : "message--not-found");
  setTranslated(slot(node, "who"), "assistant");
  slot(node, "badge").hidden = response.answerable;
  slot(node, "text").textContent = response.answer;

  if (response.resolved_question && response.resolved_question.trim() !== entry.question.trim()) {
    slot(node, "resolved").hidden = false;
    slot(node, "resolved-text").textContent = response.resolved_question;
  }

  const prefix = `answer-${index}-source-`;
  const numbers = new Map(response.citations.map((citation, i) => [citation.id, i + 1]));
  const figures = slot(node, "figures");
  for (const figure of response.figures) figures.append(renderFigure(figure, numbers, prefix));

  if (response.citations.length) {
    slot(node, "citations-section").hidden = false;
    setTranslated(slot(node, "citations-title"), response.answerable ? "sources" : "closest_passages");
    const list = slot(node, "citations");
    response.citations.forEach((citation, i) => {
      list.append(renderCitation(citation, i + 1, `${prefix}${i + 1}`));
    });
  }
  wireFeedback(node, entry, index);
  return node;
}

function renderEntry(entry, index) {
  const nodes = [renderUser(entry.question)];
  nodes.push(entry.response ? renderAnswer(entry, index) : renderError(entry));
  return nodes;
}

// Feedback

function wireFeedback(node, entry, index) {
  const box = slot(node, "feedback");
  const feedbackForm = slot(node, "feedback-form");
  const more = slot(node, "feedback-more");
  const comment = slot(node, "comment");
  const status = slot(node, "feedback-status");
  const send = more.querySelector("button[type=submit]");
  const buttons = Array.from(feedbackForm.querySelectorAll("[data-rating]"));
  box.hidden = false;
  comment.id = `answer-${index}-comment`;
  slot(node, "comment-label").htmlFor = comment.id;
  status.tabIndex = -1;

  if (entry.feedback) {
    feedbackForm.hidden = true;
    setTranslated(status, "feedback_thanks");
    return;
  }
  let rating = null;
  for (const button of buttons) {
    button.addEventListener("click", () => {
      rating = button.dataset.rating;
      for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
      more.hidden = false;
      comment.focus();
    });
  }
  feedbackForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!rating) return;
    send.disabled = true;
    try {
      const response = await fetch(chat.dataset.feedbackUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          question: entry.question,
          answer: entry.response.answer,
          citations: entry.response.citations.map((citation) => citation.id),
          rating,
          comment: comment.value.trim() || null,
        }),
      });
      if (!response.ok) throw new Error(`feedback: HTTP ${response.status}`);
      entry.feedback = rating;
      saveConversation();
      feedbackForm.hidden = true;
      setTranslated(status, "feedback_thanks");
    } catch {
      send.disabled = false;
      setTranslated(status, "feedback_error");
    }
    status.focus();
  });
}

// Asking

function historyFor(previous) {
  const turns = [];
  for (const entry of previous) {
    if (!entry.response) continue;
    turns.push({ role: "user", content: entry.question });
    turns.push({ role: "assistant", content: entry.response.answer });
  }
  return turns.slice(-MAX_HISTORY_TURNS);
}

function errorFrom(body, status) {
  const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${status}`;
  return { detail: `${t("error_title")}: ${detail}` };
}

function announce(entry) {
  let text;
  if (entry.error) text = entry.error.key ? t(entry.error.key) : entry.error.detail;
  else if (entry.response.answerable) text = entry.response.answer;
  else text = `${t("not_found_badge")}. ${entry.response.answer}`;
  announcer.textContent = "";
  // a fresh text node after a tick makes screen readers announce even a repeated answer
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function setBusy(busy) {
  pending = busy;
  askButton.disabled = busy;
  conversation.setAttribute("aria-busy", String(busy));
}

async function ask(rawQuestion) {
  const question = rawQuestion.trim();
  if (pending) return;
  if (!question) {
    questionBox.focus();
    return;
  }
  setBusy(true);
  await stringsLoaded;
  examples.hidden = true;
  const history = historyFor(entries);
  const userNode = renderUser(question);
  const waiting = renderPending();
  conversation.append(userNode, waiting);
  questionBox.value = "";
  const entry = { question };
  try {
    const response = await fetch(chat.dataset.askUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, history }),
    });
    const body = await response.json().catch(() => null);
    if (response.ok && body) entry.response = body;
    else entry.error = errorFrom(body, response.status);
  } catch {
    entry.error = { key: "error_network" };
  }
  entries.push(entry);
  saveConversation();
  const index = entries.length - 1;
  const answerNode = entry.response ? renderAnswer(entry, index) : renderError(entry);
  waiting.replaceWith(answerNode);
  if (entry.error) questionBox.value = question; // let the official retry without retyping
  setBusy(false);
  announce(entry);
  // show the new answer from its question down, and keep typing focus for a follow-up
  userNode.scrollIntoView({ block: "start" });
  questionBox.focus({ preventScroll: true });
}

function startOver() {
  entries = [];
  saveConversation();
  conversation.replaceChildren();
  announcer.textContent = "";
  examples.hidden = false;
  questionBox.value = "";
  questionBox.focus();
}

function restore() {
  entries.forEach((entry, index) => conversation.append(...renderEntry(entry, index)));
  examples.hidden = entries.length > 0;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  ask(questionBox.value);
});

questionBox.addEventListener("keydown", (event) => {
  // Enter sends; Shift+Enter is a new line; an input method composing Vietnamese keeps its Enter
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  form.requestSubmit();
});

for (const button of examples.querySelectorAll(".example")) {
  button.addEventListener("click", () => {
    questionBox.value = button.textContent;
    questionBox.focus(); // the examples hide while the answer comes: keep focus somewhere useful
    ask(button.textContent);
  });
}

newConversationButton.addEventListener("click", startOver);

onLanguageChange(() => {
  for (const element of conversation.querySelectorAll(".figure__number")) formatFigureValue(element);
});

// Without the strings file the page keeps the language it was rendered in.
const stringsLoaded = ready.catch(() => {});

stringsLoaded.then(() => {
  restore();
  chat.dataset.ready = "true";
});
