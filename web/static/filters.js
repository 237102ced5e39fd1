// The chat's filters: place, year, document type and document, chosen in the selects of
// _chat_filters.html, sent as `filters` with each question (POST /api/ask) and shown as chips,
// each a button that removes its filter.

import { format, t } from "./i18n.js";

const NAMES = ["place", "year", "type", "document"];
const LABEL_KEYS = { place: "filter_place", year: "filter_year", type: "filter_type", document: "filter_document" };

export function setupFilters({ root, chips, announce, onChange }) {
  const selects = Object.fromEntries(
    NAMES.map((name) => [name, root.querySelector(`select[data-filter="${name}"]`)]),
  );

  // {place, year, type, document} with only the chosen ones; year as a number
  function value() {
    const chosen = {};
    for (const [name, select] of Object.entries(selects)) {
      if (!select.value) continue;
      chosen[name] = name === "year" ? Number(select.value) : select.value;
    }
    return chosen;
  }

  // How a chosen filter reads: "Địa phương: Bến Tre"; a document by its title.
  function describe(name, chosen) {
    const select = selects[name];
    const option = select ? Array.from(select.options).find((o) => o.value === String(chosen)) : null;
    const label = t(LABEL_KEYS[name] || name);
    return { label, value: option ? option.textContent.trim() : String(chosen) };
  }

  function render() {
    const chosen = value();
    chips.replaceChildren();
    for (const [name, picked] of Object.entries(chosen)) {
      const { label, value: shown } = describe(name, picked);
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.dataset.filter = name;
      button.setAttribute("aria-label", format("filter_remove", { label, value: shown }));
      const text = document.createElement("span");
      text.textContent = `${label}: ${shown}`;
      const cross = document.createElement("span");
      cross.className = "chip__remove";
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      button.append(text, cross);
      button.addEventListener("click", () => remove(name));
      item.append(button);
      chips.append(item);
    }
    chips.hidden = chips.children.length === 0;
  }

  function remove(name) {
    const buttons = Array.from(chips.querySelectorAll("button"));
    const at = buttons.findIndex((button) => button.dataset.filter === name);
    const { label } = describe(name, selects[name].value);
    selects[name].value = "";
    render();
    onChange(value());
    announce(format("filter_removed", { label }));
    // focus stays among the chips, else goes back to where filters are chosen
    const left = Array.from(chips.querySelectorAll("button"));
    const next = left[Math.min(at, left.length - 1)];
    if (next) next.focus();
    else root.querySelector("summary").focus();
  }

  function set(filters) {
    for (const [name, select] of Object.entries(selects)) {
      const wanted = filters && filters[name] !== undefined && filters[name] !== null ? String(filters[name]) : "";
      const known = Array.from(select.options).some((option) => option.value === wanted);
      select.value = known ? wanted : "";
    }
    render();
  }

  for (const select of Object.values(selects)) {
    select.addEventListener("change", () => {
      render();
      onChange(value());
    });
  }

  return {
    value,
    set,
    render, // again after a language change: the chips' words
    describeText: (name, chosen) => {
      const { label, value: shown } = describe(name, chosen);
      return `${label}: ${shown}`;
    },
  };
}
