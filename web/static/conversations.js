// The conversations kept in this browser's localStorage: each with its questions and answers,
// its filters, a title (its first question until renamed) and when it was last used. Which one
// is open is remembered per tab (sessionStorage), so the viewer and back, or a reload, return to
// it. Nothing here touches the page; chat.js and saved.js do.

const STORE_KEY = "healthqa.conversations";
const OPEN_KEY = "healthqa.openConversation";
const LEGACY_KEY = "healthqa.conversation"; // this tab's conversation, before they were kept
const MAX_CONVERSATIONS = 50;
const MAX_ENTRIES = 50; // a conversation keeps its latest 50 questions
const MAX_TITLE_CHARS = 120;

// Storage can be switched off, and then even naming it throws.
function storageNamed(name) {
  try {
    return window[name];
  } catch {
    return null;
  }
}

function readJson(name, key, fallback) {
  try {
    const value = JSON.parse(storageNamed(name).getItem(key) || "null");
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

function newId() {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `c${Date.now().toString(36)}${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function isConversation(value) {
  return value && typeof value.id === "string" && Array.isArray(value.entries);
}

export function newConversation() {
  const now = new Date().toISOString();
  return { id: newId(), title: "", created_at: now, updated_at: now, entries: [], filters: {} };
}

// Every kept conversation, the most recently used first.
export function all() {
  const stored = readJson("localStorage", STORE_KEY, []);
  const list = Array.isArray(stored) ? stored.filter(isConversation) : [];
  return list.sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
}

export function find(id) {
  return all().find((conversation) => conversation.id === id) || null;
}

export function titleOf(conversation) {
  if (conversation.title) return conversation.title;
  const first = conversation.entries.find((entry) => entry.question);
  return first ? first.question.slice(0, MAX_TITLE_CHARS) : "";
}

// Writes the list; when storage is full, the oldest conversations other than `keep` go first.
// Returns false when something had to be left out.
function write(list, keep) {
  let kept = list.slice(0, MAX_CONVERSATIONS);
  let complete = kept.length === list.length;
  for (;;) {
    try {
      storageNamed("localStorage").setItem(STORE_KEY, JSON.stringify(kept));
      return complete;
    } catch {
      const oldest = kept.map((c) => c.id !== keep).lastIndexOf(true);
      if (oldest < 0) return false; // not even this one fits: it lives on the page only
      kept = kept.filter((_, index) => index !== oldest);
      complete = false;
    }
  }
}

// Keeps (or updates) a conversation that has at least one question; returns false when storage
// could not hold everything.
export function save(conversation) {
  if (!conversation.entries.length) return true;
  conversation.entries = conversation.entries.slice(-MAX_ENTRIES);
  conversation.updated_at = new Date().toISOString();
  const others = all().filter((c) => c.id !== conversation.id);
  return write([conversation, ...others], conversation.id);
}

export function rename(id, title) {
  const list = all();
  const conversation = list.find((c) => c.id === id);
  if (!conversation) return null;
  conversation.title = title.trim().slice(0, MAX_TITLE_CHARS);
  write(list, id);
  return conversation;
}

export function remove(id) {
  write(all().filter((c) => c.id !== id), null);
}

export function openId() {
  try {
    return storageNamed("sessionStorage").getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

export function setOpenId(id) {
  try {
    storageNamed("sessionStorage").setItem(OPEN_KEY, id);
  } catch {
    // storage disabled: the page keeps the conversation while it is open
  }
}

// The conversation this tab had open, else a new one. A conversation this tab kept in
// sessionStorage before conversations were saved is kept now, once.
export function opened() {
  const legacy = readJson("sessionStorage", LEGACY_KEY, null);
  if (Array.isArray(legacy) && legacy.length) {
    const conversation = { ...newConversation(), entries: legacy };
    save(conversation);
    setOpenId(conversation.id);
    try {
      storageNamed("sessionStorage").removeItem(LEGACY_KEY);
    } catch {
      // nothing to clean
    }
    return conversation;
  }
  const id = openId();
  const found = id ? find(id) : null;
  if (found) return found;
  const fresh = newConversation();
  setOpenId(fresh.id);
  return fresh;
}

export const STORAGE_KEY = STORE_KEY; // for listening to other tabs' changes
