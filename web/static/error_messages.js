// An error from the API (its stable `code`, service/errors.py) or from the page itself (network,
// client_timeout, cancelled) in the interface's language, with its numbers.

import { format, t } from "./i18n.js";

function hasString(key) {
  return t(key) !== key;
}

// 45 → "45 giây", 600 → "10 phút", 7200 → "2 giờ"
export function waitText(seconds) {
  const wait = Math.max(1, Math.ceil(Number(seconds) || 1));
  if (wait < 120) return format("wait_seconds", { n: wait });
  if (wait < 2 * 3600) return format("wait_minutes", { n: Math.ceil(wait / 60) });
  return format("wait_hours", { n: Math.ceil(wait / 3600) });
}

export function errorText(error) {
  if (!error) return "";
  if (error.key) return t(error.key); // kept before errors had codes
  const key = `error_${error.code}`;
  if (!error.code || !hasString(key)) return t("error_internal_error");
  return format(key, {
    length: error.length ?? "?",
    limit: error.limit ?? "?",
    wait: waitText(error.retry_after),
  });
}
