"""Service hardening as plain ASGI middleware: request ids and JSON access logs (no question
text unless enabled), security headers with a CSP the web UI passes and no caching of API
answers, a request body size limit (declared, streamed or chunked) and per-client rate limits
whose client is the peer address unless the peer is a configured proxy."""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_LOGGED_PATH = 200
access_log = logging.getLogger("healthqa.access")


class SecurityHeaders:
    """The headers above on every response; `Cache-Control: no-store` on every /api/ response
    (answers, documents and feedback are not for shared caches); `csp_by_path` relaxes the CSP
    for single pages (the API docs, when switched on)."""

    def __init__(self, app: ASGIApp, *, csp_by_path: dict[str, str] | None = None) -> None:
        self.app = app
        self.csp_by_path = {path: csp.encode() for path, csp in (csp_by_path or {}).items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        headers = SECURITY_HEADERS
        if path in self.csp_by_path:
            headers = [(b"content-security-policy", self.csp_by_path[path]), *headers[1:]]
        if path.startswith("/api/"):
            headers = [*headers, (b"cache-control", b"no-store")]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"cache-control" or not path.startswith("/api/")
                ]
                message["headers"] = own + headers
            await send(message)

        await self.app(scope, receive, with_headers)


class RequestLog:
    """Gives every request an id (kept from X-Request-ID when well formed), returns it, and logs
    one JSON line per request. The query string — the question — is logged only if enabled."""

    def __init__(self, app: ASGIApp, *, log_questions: bool = False) -> None:
        self.app = app
        self.log_questions = log_questions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = list(message.get("headers", [])) + [
                    (b"x-request-id", request_id.encode())
                ]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            record: dict[str, object] = {
                "request_id": request_id,
                "method": scope.get("method"),
                "path": (scope.get("path") or "")[:MAX_LOGGED_PATH],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            if self.log_questions and scope.get("query_string"):
                record["query"] = scope["query_string"].decode("utf-8", "replace")
            access_log.info(json.dumps(record, ensure_ascii=False))


class BodySizeLimit:
    """413 for a request body over the limit, by Content-Length, or as it streams in; a body
    without a length (chunked) is read up to the limit before the app sees it, so it too gets
    413 rather than a parse error. `per_path` gives single routes a limit of their own."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, per_path: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = dict(per_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.per_path.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await _json_error(send, 413, f"request body over {max_bytes} bytes")
            return
        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            buffered = await _read_body(receive, max_bytes)
            if buffered is None:
                await _json_error(send, 413, f"request body over {max_bytes} bytes")
                return
            receive = _replay(buffered, receive)
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _json_error(send, 413, f"request body over {max_bytes} bytes")


class BodyTooLarge(Exception):
    pass


async def _read_body(receive: Receive, max_bytes: int) -> list[Message] | None:
    """The request's messages up to the end of its body; None once it passes `max_bytes`."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages  # the client went away
        size += len(message.get("body", b""))
        if size > max_bytes:
            return None
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def client_address(scope: Scope, trusted_proxies: frozenset[str]) -> str:
    """Who sent the request: the peer, unless the peer is a trusted proxy, in which case the
    nearest address in X-Forwarded-For that is not itself a trusted proxy."""
    peer = (scope.get("client") or ("unknown", 0))[0]
    if peer not in trusted_proxies:
        return peer
    forwarded = [
        value.decode("latin-1")
        for key, value in scope.get("headers") or []
        if key.lower() == b"x-forwarded-for"
    ]
    hops = [hop.strip() for header in forwarded for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop in trusted_proxies:
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return peer  # a forged or garbled chain: limit the proxy, not a made-up address
    return peer


class RateLimit:
    """A token bucket per client address for the paths (and methods) given: `per_minute`
    requests a minute, bursts up to the same number, 429 with Retry-After beyond that. Exempt
    addresses (the machine itself, for evaluation and load scripts) are not limited. A bucket
    that has refilled is forgotten, so rotating addresses cannot grow memory without bound."""

    MAX_BUCKETS = 100_000

    def __init__(
        self,
        app: ASGIApp,
        *,
        paths: tuple[str, ...],
        per_minute: int,
        exempt: Iterable[str] = (),
        trusted_proxies: Iterable[str] = (),
        methods: Iterable[str] | None = None,
        message: str = "too many questions from this address; wait a moment and ask again",
    ) -> None:
        self.app = app
        self.paths = paths
        self.exempt = frozenset(exempt)
        self.trusted_proxies = frozenset(trusted_proxies)
        self.methods = frozenset(methods) if methods is not None else None
        self.message = message
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def allow(self, client: str, now: float) -> float:
        """0 when allowed, else seconds until a token is free."""
        with self._lock:
            if now >= self._next_sweep or len(self._buckets) >= self.MAX_BUCKETS:
                self._sweep(now)
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate

    def __len__(self) -> int:
        return len(self._buckets)

    def _sweep(self, now: float) -> None:
        """Forget buckets full again (as good as new); if still too many, the oldest."""
        refill = self.capacity / self.rate
        self._buckets = {
            client: (tokens, last)
            for client, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * self.rate < self.capacity
        }
        if len(self._buckets) >= self.MAX_BUCKETS:
            newest = sorted(self._buckets.items(), key=lambda item: item[1][1])
            self._buckets = dict(newest[len(newest) // 2 :])
        self._next_sweep = now + min(refill, 60.0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("path") in self.paths
            and (self.methods is None or scope.get("method") in self.methods)
            and self.rate > 0
        ):
            client = client_address(scope, self.trusted_proxies)
            wait = 0.0 if client in self.exempt else self.allow(client, time.monotonic())
            if wait:
                await _json_error(
                    send, 429, self.message, [(b"retry-after", str(max(1, round(wait))).encode())]
                )
                return
        await self.app(scope, receive, send)


async def _json_error(
    send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})
