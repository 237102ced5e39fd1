// Interface language: Vietnamese by default, English on request. The choice comes from ?lang=,
// else from localStorage, and switching swaps every [data-i18n] string in place, so a
// conversation on the page survives the switch.

const STORAGE_KEY = "healthqa.lang";
const LANGUAGES = ["vi", "en"];
const listeners = [];
let strings = null;
let current = LANGUAGES.includes(document.documentElement.lang) ? document.documentElement.lang : "vi";

function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage can be disabled; the page still works in the rendered language
  }
}

function storeLanguage(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // nothing to do: the choice then lasts for this page only
  }
}

export function language() {
  return current;
}

export function t(key) {
  const table = strings && strings[current];
  return table && Object.hasOwn(table, key) ? table[key] : key;
}

// t(key) with {name} placeholders filled from `values` (numbers in the interface's own way).
export function format(key, values = {}) {
  const locale = current === "vi" ? "vi-VN" : "en-US";
  return t(key).replace(/\{(\w+)\}/g, (placeholder, name) => {
    if (!Object.hasOwn(values, name)) return placeholder;
    const value = values[name];
    return typeof value === "number" ? new Intl.NumberFormat(locale).format(value) : String(value);
  });
}

// A date and time as the interface writes them: 25/06/2025 14:03 (vi), 06/25/2025, 2:03 PM (en).
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const locale = current === "vi" ? "vi-VN" : "en-US";
  return new Intl.DateTimeFormat(locale, {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

export function applyStrings(root) {
  const all = (selector) => {
    const found = Array.from(root.querySelectorAll(selector));
    return root.matches && root.matches(selector) ? [root, ...found] : found;
  };
  for (const element of all("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of all("[data-i18n-placeholder]")) {
    element.setAttribute("placeholder", t(element.dataset.i18nPlaceholder));
  }
  for (const element of all("[data-i18n-aria-label]")) {
    element.setAttribute("aria-label", t(element.dataset.i18nAriaLabel));
  }
  for (const element of all("[data-i18n-title]")) {
    element.setAttribute("title", t(element.dataset.i18nTitle));
  }
}

export function onLanguageChange(listener) {
  listeners.push(listener);
}

function updateSwitch(lang) {
  const other = lang === "vi" ? "en" : "vi";
  for (const link of document.querySelectorAll("[data-lang-switch]")) {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("lang", other);
    link.href = url.pathname + url.search;
    link.dataset.langSwitch = other;
    link.lang = other;
    link.hreflang = other;
  }
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  storeLanguage(lang);
  document.documentElement.lang = lang;
  applyStrings(document);
  for (const template of document.querySelectorAll("template")) applyStrings(template.content);
  updateSwitch(lang);
  const url = new URL(window.location.href);
  url.searchParams.set("lang", lang);
  window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  for (const listener of listeners) listener(lang);
}

async function loadStrings() {
  const response = await fetch(document.body.dataset.i18nSrc, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`interface strings: HTTP ${response.status}`);
  strings = await response.json();
}

// Resolves once the strings are loaded and the preferred language applied.
export const ready = loadStrings().then(() => {
  const fromQuery = new URL(window.location.href).searchParams.get("lang");
  if (document.body.dataset.langSource === "query" && LANGUAGES.includes(fromQuery)) {
    storeLanguage(fromQuery);
  } else {
    const stored = storedLanguage();
    if (LANGUAGES.includes(stored) && stored !== current) setLanguage(stored);
  }
  for (const link of document.querySelectorAll("[data-lang-switch]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      setLanguage(link.dataset.langSwitch);
    });
  }
});
