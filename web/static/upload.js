// The staff upload page: sign in with the admin token, send a document to POST /api/documents,
// follow its index rebuild through GET /api/jobs/{id}, and remove documents with
// DELETE /api/documents/{id}. The token lives in this tab's sessionStorage only and leaves the
// page only in the Authorization header of those two write requests.
// Everything from the server goes into the page through textContent, never as HTML.

import { applyStrings, ready, t } from "./i18n.js";

const TOKEN_KEY = "healthqa.adminToken";
const POLL_FIRST_MS = 300;
const POLL_MAX_MS = 2000;
const POLL_FAILURES_ALLOWED = 5; // network blips while the server is busy rebuilding
const EXPLAINED_STATUSES = [401, 403, 404, 409, 413, 415, 422]; // write_error_<status> strings

const staff = document.getElementById("staff");
const writesEnabled = staff.dataset.writesEnabled === "true";
const maxUploadBytes = Number(staff.dataset.maxUploadBytes) || Infinity;
const signinForm = document.getElementById("signin-form");
const tokenInput = document.getElementById("admin-token");
const signedIn = document.getElementById("signed-in");
const signOutButton = document.getElementById("sign-out");
const uploadForm = document.getElementById("upload-form");
const fileInput = document.getElementById("upload-file");
const uploadButton = document.getElementById("upload-button");
const statusRegion = document.getElementById("upload-status");
const list = document.getElementById("managed-list");
const emptyNote = document.getElementById("managed-empty");

// Also kept here, so the page still works for this visit when storage is disabled.
let token = loadToken();
let busy = false; // one write and its job at a time

// The token

function loadToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return "";
  }
}

function keepToken(value) {
  token = value;
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lasts as long as this page
  }
  showSignedIn();
}

function authorization() {
  return { Authorization: `Bearer ${token}` };
}

function showSignedIn() {
  const on = writesEnabled && Boolean(token);
  signinForm.hidden = on;
  signedIn.hidden = !on;
  for (const button of list.querySelectorAll("[data-slot='delete']")) button.hidden = !on;
}

// The status region: a translated lead line, then the server's own words, a progress bar while
// a job runs, and a link to the new document once it is indexed.

function setTranslated(element, key) {
  element.dataset.i18n = key;
  element.textContent = t(key);
}

function showStatus({ tone, key, detail = "", progress = false, link = null }) {
  const nodes = [];
  const lead = document.createElement("p");
  lead.className = "upload-status__lead";
  setTranslated(lead, key);
  nodes.push(lead);
  if (detail) {
    const text = document.createElement("p");
    text.className = "upload-status__detail";
    text.textContent = detail;
    nodes.push(text);
  }
  if (progress) {
    const bar = document.createElement("progress");
    bar.className = "upload-status__progress";
    bar.setAttribute("aria-hidden", "true"); // the lead line says the same in words
    nodes.push(bar);
  }
  if (link) {
    const anchor = document.createElement("a");
    anchor.className = "upload-status__link";
    anchor.href = link.href;
    setTranslated(anchor, link.key);
    nodes.push(anchor);
  }
  statusRegion.dataset.tone = tone;
  statusRegion.replaceChildren(...nodes);
}

async function showRefusal(response) {
  const body = await response.json().catch(() => null);
  const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
  const explained = EXPLAINED_STATUSES.includes(response.status);
  showStatus({
    tone: "error",
    key: explained ? `write_error_${response.status}` : "write_error_other",
    detail,
  });
  if (response.status === 401) {
    keepToken(""); // a refused token is no use: ask for it again
    tokenInput.focus();
  }
}

function showNetworkError() {
  showStatus({ tone: "error", key: "error_network" });
}

function setBusy(value) {
  busy = value;
  uploadButton.disabled = value;
  for (const button of list.querySelectorAll("[data-slot='delete']")) button.disabled = value;
}

// Jobs

function pause(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

// Resolves with the finished job ("done" or "failed"), or null when it cannot be followed;
// calls onProgress each time its state or message changes.
async function followJob(jobId, onProgress) {
  let wait = POLL_FIRST_MS;
  let failures = 0;
  let seen = "";
  for (;;) {
    await pause(wait);
    wait = Math.min(wait * 1.5, POLL_MAX_MS);
    let job = null;
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(jobId)}`, { cache: "no-store" });
      if (response.status === 404) return null; // jobs are forgotten when the server restarts
      if (response.ok) job = await response.json();
    } catch {
      job = null;
    }
    if (!job) {
      failures += 1;
      if (failures > POLL_FAILURES_ALLOWED) return null;
      continue;
    }
    failures = 0;
    if (job.state === "done" || job.state === "failed") return job;
    const now = `${job.state}\n${job.message}`;
    if (now !== seen) {
      seen = now;
      onProgress(job);
    }
  }
}

function showProgress(job) {
  showStatus({
    tone: "progress",
    key: job.state === "queued" ? "job_queued" : "job_running",
    detail: job.message,
    progress: true,
  });
}

// Uploading

function filledFormData() {
  const data = new FormData(uploadForm);
  for (const [name, value] of Array.from(data.entries())) {
    if (typeof value === "string" && !value.trim()) data.delete(name);
  }
  return data;
}

async function upload() {
  if (busy) return;
  if (!token) {
    showStatus({ tone: "error", key: "upload_need_signin" });
    tokenInput.focus();
    return;
  }
  const file = fileInput.files[0];
  if (!file) {
    fileInput.focus();
    return;
  }
  if (file.size > maxUploadBytes) {
    showStatus({
      tone: "error",
      key: "write_error_413",
      detail: `${file.name}: ${file.size.toLocaleString()} > ${maxUploadBytes.toLocaleString()} B`,
    });
    return;
  }
  setBusy(true);
  showStatus({ tone: "progress", key: "upload_sending", detail: file.name, progress: true });
  try {
    const accepted = await sendWrite("/api/documents", { method: "POST", body: filledFormData() });
    if (!accepted) return;
    showStatus({ tone: "progress", key: "job_queued", detail: accepted.source, progress: true });
    if (await jobSucceeded(accepted)) {
      uploadForm.reset();
      showStatus({
        tone: "done",
        key: "job_done_added",
        detail: accepted.source,
        link: { href: `/documents/${encodeURIComponent(accepted.doc_id)}`, key: "open_new_document" },
      });
      await refreshList(accepted.doc_id);
    }
  } finally {
    setBusy(false);
  }
}

// One write (upload or delete): the token in the header, 202 or a shown refusal

async function sendWrite(url, options) {
  let response;
  try {
    response = await fetch(url, { ...options, headers: authorization(), cache: "no-store" });
  } catch {
    showNetworkError();
    return null;
  }
  if (response.status !== 202) {
    await showRefusal(response);
    return null;
  }
  return response.json();
}

async function jobSucceeded(accepted) {
  const job = await followJob(accepted.job_id, showProgress);
  if (!job) showStatus({ tone: "error", key: "job_lost" });
  else if (job.state === "failed") {
    showStatus({ tone: "error", key: "job_failed", detail: job.error || "" });
  }
  return Boolean(job) && job.state !== "failed";
}

// The documents in the collection, with a delete button for signed-in staff

async function remove(docId, title) {
  if (busy || !token) return;
  if (!window.confirm(`${t("delete_confirm")}\n\n${title}`)) return;
  setBusy(true);
  showStatus({ tone: "progress", key: "delete_sending", detail: title, progress: true });
  statusRegion.scrollIntoView({ block: "nearest" });
  try {
    const accepted = await sendWrite(`/api/documents/${encodeURIComponent(docId)}`, {
      method: "DELETE",
    });
    if (!accepted) return;
    if (await jobSucceeded(accepted)) {
      showStatus({ tone: "done", key: "job_done_removed", detail: title });
      await refreshList();
    }
  } finally {
    setBusy(false);
  }
}

function renderItem(summary, newDocId) {
  const node = document.getElementById("managed-item-template").content.firstElementChild.cloneNode(true);
  applyStrings(node);
  // its title, else type – issuer – place (the API's identity): never its file name
  const title = (summary.identity && summary.identity.title) || summary.attributes.title || summary.source;
  const slot = (name) => node.querySelector(`[data-slot="${name}"]`);
  const link = slot("link");
  link.href = `/documents/${encodeURIComponent(summary.doc_id)}`;
  link.textContent = title;
  const { doc_type: docType, number } = summary.attributes;
  slot("meta").textContent = [docType, number, summary.source].filter(Boolean).join(" · ");
  slot("delete-name").textContent = title;
  const button = slot("delete");
  button.disabled = busy;
  button.addEventListener("click", () => remove(summary.doc_id, title));
  if (summary.doc_id === newDocId) node.classList.add("managed-item--new");
  return node;
}

async function refreshList(newDocId = null) {
  list.setAttribute("aria-busy", "true");
  try {
    const response = await fetch("/api/documents", { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { documents } = await response.json();
    list.replaceChildren(...documents.map((summary) => renderItem(summary, newDocId)));
    setTranslated(emptyNote, "no_documents_yet");
    emptyNote.hidden = documents.length > 0;
  } catch {
    setTranslated(emptyNote, "documents_unavailable");
    emptyNote.hidden = false;
  } finally {
    list.setAttribute("aria-busy", "false");
    showSignedIn();
  }
}

// Wiring

function start() {
  showSignedIn();
  if (writesEnabled) {
    signinForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const given = tokenInput.value.trim();
      tokenInput.value = "";
      if (!given) return;
      keepToken(given);
      showStatus({ tone: "info", key: "signed_in" });
      fileInput.focus();
    });
    signOutButton.addEventListener("click", () => {
      keepToken("");
      showStatus({ tone: "info", key: "signed_out" });
      tokenInput.focus();
    });
    uploadForm.addEventListener("submit", (event) => {
      event.preventDefault();
      upload();
    });
  } else {
    // the server refuses every write: say so rather than send anything
    uploadForm.addEventListener("submit", (event) => event.preventDefault());
  }
  refreshList().then(() => {
    staff.dataset.ready = "true";
  });
}

// Without the strings file the page keeps the language it was rendered in.
ready.catch(() => {}).then(start);
