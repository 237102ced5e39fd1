// A conversation as text to keep: one answer with its sources for the clipboard, the whole
// conversation as a Markdown file, each source with its document (type, number, issuer, place,
// date), section and address, the passages the answer does not rest on apart.

import { format, formatDateTime, t } from "./i18n.js";
import { errorText } from "./error_messages.js";

const PASSAGE_CHARS = 300; // a source without a quoted span shows its passage's opening

// The viewer at the quoted span (else the whole passage).
export function citationPath(citation) {
  const quoted = citation.quote_end > citation.quote_start;
  const params = new URLSearchParams({
    start: String(quoted ? citation.quote_start : citation.start),
    end: String(quoted ? citation.quote_end : citation.end),
  });
  return `/documents/${encodeURIComponent(citation.doc_id)}?${params}#cited`;
}

export function citationAddress(citation) {
  return new URL(citationPath(citation), window.location.origin).href;
}

// The look-up page of a document code ("31-CT/TW": who cites it, and how).
export function lookUpPath(code) {
  return `/references?${new URLSearchParams({ code })}`;
}

// "2022-03-18" → "18/03/2022", "2022-03" → "03/2022": how the documents write dates.
export function displayDate(iso) {
  return iso ? iso.split("-").reverse().join("/") : "";
}

// The source's document by its title, never by a file name while anything else is known.
export function documentTitle(citation) {
  return (citation.document && citation.document.title) || citation.title || citation.source;
}

// The sources an answer rests on (role "support": numbered as the answer's [n]) and the passages
// retrieved beside it. An answer kept from before the API said which is which rests on all its
// citations, or on none when it was not an answer.
export function splitCitations(response) {
  const citations = response.citations || [];
  if (!citations.some((citation) => citation.role)) {
    return response.answerable
      ? { support: citations, related: [], marked: false }
      : { support: [], related: citations, marked: false };
  }
  return {
    support: citations.filter((citation) => citation.role === "support"),
    related: citations.filter((citation) => citation.role !== "support"),
    marked: true,
  };
}

// "Kế hoạch · Số hiệu: không ghi · Sở Y tế tỉnh Bến Tre · Bến Tre · 03/2022"
function documentLine(citation) {
  const identity = citation.document;
  if (!identity) return "";
  const blank = new Set(identity.left_blank || []);
  const missing = (field) => t(blank.has(field) ? "not_written" : "not_stated");
  const parts = [
    identity.doc_type,
    `${t("attr_number")}: ${identity.number || missing("number")}`,
    identity.issuing_body || `${t("attr_issuer")}: ${missing("issuer")}`,
    identity.place,
    `${t("attr_date")}: ${displayDate(identity.issued_date) || missing("date")}`,
  ];
  return parts.filter(Boolean).join(" · ");
}

function quoted(citation) {
  const text = citation.text || "";
  const from = Math.max(citation.quote_start - citation.start, 0);
  const to = Math.min(citation.quote_end - citation.start, text.length);
  if (to > from) return text.slice(from, to);
  return text.length > PASSAGE_CHARS ? `${text.slice(0, PASSAGE_CHARS)}…` : text;
}

function blockquote(text) {
  return text
    .split("\n")
    .map((line) => `   > ${line}`.trimEnd())
    .join("\n");
}

export function filtersText(filters, describe) {
  return Object.entries(filters || {})
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([name, value]) => describe(name, value))
    .join(", ");
}

// One question, its answer and its numbered sources, as Markdown.
export function entryMarkdown(entry, { describeFilter = (name, value) => String(value) } = {}) {
  const lines = [];
  const when = entry.asked_at ? formatDateTime(entry.asked_at) : "";
  const filters = filtersText(entry.filters, describeFilter);
  const meta = [when && `${t("asked_at")}: ${when}`, filters && `${t("filters_used")} ${filters}`];
  if (meta.some(Boolean)) lines.push(`_${meta.filter(Boolean).join(" · ")}_`, "");
  lines.push(`**${t("you")}:** ${entry.question}`, "");
  if (!entry.response) {
    lines.push(`**${t("answer")}:** _${errorText(entry.error)}_`);
    return lines.join("\n");
  }
  const response = entry.response;
  const { support, related, marked } = splitCitations(response);
  const markers = marked ? support.map((_, index) => ` [${index + 1}]`).join("") : "";
  const answer = response.answerable ? response.answer : `${t("not_found_badge")}. ${response.answer}`;
  lines.push(`**${t("answer")}:** ${answer}${markers}`);
  if (response.resolved_question && response.resolved_question.trim() !== entry.question.trim()) {
    lines.push("", `_${t("resolved_question")} ${response.resolved_question}_`);
  }
  const shown = support.length ? support : related;
  const apart = support.length ? related : [];
  const source = (citation, number) => {
    const section = citation.section ? ` — ${t("section")}: ${citation.section}` : "";
    lines.push(`${number}. **${documentTitle(citation)}**${section}`);
    const document = documentLine(citation);
    if (document) lines.push(`   ${document}`);
    lines.push(blockquote(quoted(citation)));
    lines.push(`   ${t("address")}: <${citationAddress(citation)}>`);
  };
  if (shown.length) {
    lines.push("", `**${t(support.length ? "sources" : "closest_passages")}**`, "");
    shown.forEach((citation, index) => source(citation, index + 1));
  }
  if (apart.length) {
    lines.push("", `**${t("related_passages")}**`, "");
    apart.forEach((citation, index) => source(citation, shown.length + index + 1));
  }
  return lines.join("\n");
}

export function conversationMarkdown(conversation, title, options = {}) {
  const parts = [
    `# ${t("app_name")} — ${title}`,
    "",
    `${t("exported_at")}: ${formatDateTime(new Date().toISOString())}`,
  ];
  conversation.entries.forEach((entry, index) => {
    parts.push("", `## ${format("question_number", { n: index + 1 })}`, "", entryMarkdown(entry, options));
  });
  return `${parts.join("\n")}\n`;
}

// hoi-dap-2025-06-25-1403.md
export function markdownFileName(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `${t("file_prefix")}-${stamp}.md`;
}

export function download(fileName, text, type = "text/markdown;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// The clipboard API where the page may use it, else the older copy command.
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    area.remove();
    return copied;
  }
}
