// The list of conversations kept in this browser (_saved_conversations.html): open one, rename
// it in place, delete it after a question asked in the page (never a browser dialog).

import * as conversations from "./conversations.js";
import { applyStrings, format, formatDateTime, t } from "./i18n.js";

function slot(root, name) {
  return root.querySelector(`[data-slot="${name}"]`);
}

export function setupSaved({ list, count, empty, announce, openedId, onOpen, onDeleted }) {
  function titleFor(conversation) {
    return conversations.titleOf(conversation) || t("saved_untitled");
  }

  function item(conversation) {
    const node = document.getElementById("saved-item-template").content.firstElementChild.cloneNode(true);
    applyStrings(node);
    node.dataset.id = conversation.id;
    const title = titleFor(conversation);
    const open = slot(node, "open");
    open.textContent = title;
    const isOpen = conversation.id === openedId();
    if (isOpen) open.setAttribute("aria-current", "true");
    const questions = conversation.entries.length;
    const when = formatDateTime(conversation.updated_at);
    slot(node, "meta").textContent =
      format("saved_meta", { count: questions, time: when }) + (isOpen ? ` · ${t("saved_open_now")}` : "");
    open.addEventListener("click", () => onOpen(conversation.id));

    const actions = slot(node, "actions");
    const renameForm = slot(node, "rename-form");
    const input = slot(node, "rename-input");
    input.id = `rename-${conversation.id}`;
    slot(node, "rename-label").htmlFor = input.id;
    const confirm = slot(node, "confirm");
    const show = (part) => {
      actions.hidden = part !== actions;
      renameForm.hidden = part !== renameForm;
      confirm.hidden = part !== confirm;
    };

    node.querySelector('[data-action="rename"]').addEventListener("click", () => {
      input.value = conversations.titleOf(conversation);
      show(renameForm);
      input.focus();
      input.select();
    });
    node.querySelector('[data-action="rename-cancel"]').addEventListener("click", () => {
      show(actions);
      node.querySelector('[data-action="rename"]').focus();
    });
    renameForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const renamed = conversations.rename(conversation.id, input.value);
      render();
      if (renamed) announce(format("conversation_renamed", { title: titleFor(renamed) }));
      focusItem(conversation.id, '[data-action="rename"]');
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") node.querySelector('[data-action="rename-cancel"]').click();
    });

    node.querySelector('[data-action="delete"]').addEventListener("click", () => {
      slot(node, "confirm-text").textContent = format("delete_question", { title });
      show(confirm);
      node.querySelector('[data-action="delete-cancel"]').focus();
    });
    node.querySelector('[data-action="delete-cancel"]').addEventListener("click", () => {
      show(actions);
      node.querySelector('[data-action="delete"]').focus();
    });
    node.querySelector('[data-action="delete-confirm"]').addEventListener("click", () => {
      const position = Array.from(list.children).indexOf(node);
      conversations.remove(conversation.id);
      announce(format("conversation_deleted", { title }));
      onDeleted(conversation.id);
      render();
      const next = list.children[Math.min(position, list.children.length - 1)];
      if (next) slot(next, "open").focus();
      else list.closest("details").querySelector("summary").focus();
    });
    return node;
  }

  function focusItem(id, selector) {
    const node = Array.from(list.children).find((child) => child.dataset.id === id);
    if (node) node.querySelector(selector).focus();
  }

  function render() {
    const kept = conversations.all();
    list.replaceChildren(...kept.map(item));
    count.textContent = `(${kept.length})`;
    empty.hidden = kept.length > 0;
    list.hidden = kept.length === 0;
  }

  // another tab kept, renamed or deleted one
  window.addEventListener("storage", (event) => {
    if (event.key === conversations.STORAGE_KEY) render();
  });

  return { render };
}
