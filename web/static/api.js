// Talking to the JSON API from the chat: every request carries this browser's session id (the
// rate limits count per browser, not per office address), has a time limit and can be cancelled,
// and comes back as {ok, body} or {ok: false, error}, where error is the API's stable `code`
// (service/errors.py) with its numbers, never the server's English text.

const SESSION_KEY = "healthqa.session";
const SESSION_HEADER = "X-Healthqa-Session";

// What an error means when the body carries no code (a proxy's page, an old server).
const CODE_BY_STATUS = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "body_too_large",
  415: "unsupported_file",
  422: "bad_request",
  429: "rate_limited",
  503: "timeout",
};
// The numbers an error body may carry for the page's own message.
const ERROR_NUMBERS = ["length", "limit", "retry_after"];

let session = null;

function newSessionId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// One id per browser, kept in localStorage; without storage, one per page.
export function sessionId() {
  if (session) return session;
  try {
    session = localStorage.getItem(SESSION_KEY);
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(session || "")) {
      session = newSessionId();
      localStorage.setItem(SESSION_KEY, session);
    }
  } catch {
    session = session && /^[A-Za-z0-9_-]{16,64}$/.test(session) ? session : newSessionId();
  }
  return session;
}

function errorOf(body, response) {
  const code =
    body && typeof body.code === "string"
      ? body.code
      : CODE_BY_STATUS[response.status] || (response.status >= 500 ? "internal_error" : "bad_request");
  const error = { code, status: response.status };
  for (const name of ERROR_NUMBERS) {
    if (body && Number.isFinite(body[name])) error[name] = body[name];
  }
  const retryAfter = Number(response.headers.get("Retry-After"));
  if (error.retry_after === undefined && Number.isFinite(retryAfter) && retryAfter > 0) {
    error.retry_after = retryAfter;
  }
  return error;
}

// `signal` cancels (error code "cancelled"); past `timeoutMs` the request is given up
// ("client_timeout", with the wait in seconds); no answer at all is "network".
export async function sendJson(url, body, { method = "POST", signal, timeoutMs = 0 } = {}) {
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs > 0
      ? window.setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : null;
  const cancel = () => controller.abort();
  if (signal) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener("abort", cancel, { once: true });
  }
  try {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", [SESSION_HEADER]: sessionId() },
      body: JSON.stringify(body),
      credentials: "same-origin",
      signal: controller.signal,
    });
    const parsed = await response.json().catch(() => null);
    if (response.ok && parsed) return { ok: true, body: parsed };
    return { ok: false, error: errorOf(parsed, response) };
  } catch {
    if (timedOut) return { ok: false, error: { code: "client_timeout", retry_after: timeoutMs / 1000 } };
    if (controller.signal.aborted) return { ok: false, error: { code: "cancelled" } };
    return { ok: false, error: { code: "network" } };
  } finally {
    if (timer !== null) window.clearTimeout(timer);
    if (signal) signal.removeEventListener("abort", cancel);
  }
}

// Worth sending again as it was: the server or the network may do better next time.
export function canRetry(error) {
  return ["network", "client_timeout", "timeout", "rate_limited", "internal_error", "cancelled"].includes(
    error.code,
  );
}
