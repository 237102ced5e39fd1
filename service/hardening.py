"""Service hardening as plain ASGI middleware: request ids and JSON access logs (no question
text unless enabled), security headers with a CSP the web UI passes and no caching of API
answers, a request body size limit (declared, streamed or chunked) and rate limits per
signed-in token, browser session or address (the peer address unless the peer is a configured
proxy), per minute and per day. Every error they answer carries a code (service/errors.py)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from service.errors import ErrorCode, error_body

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
# The chat page sends a random id of its own, kept in the browser's storage (web/static/chat.js).
SESSION_HEADER = b"x-healthqa-session"
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
TOO_LARGE = ErrorCode.BODY_TOO_LARGE
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
            await _json_error(
                send, 413, f"request body over {max_bytes} bytes", TOO_LARGE, limit=max_bytes
            )
            return
        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            buffered = await _read_body(receive, max_bytes)
            if buffered is None:
                await _json_error(
                    send, 413, f"request body over {max_bytes} bytes", TOO_LARGE, limit=max_bytes
                )
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
            await _json_error(
                send, 413, f"request body over {max_bytes} bytes", TOO_LARGE, limit=max_bytes
            )


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


@dataclass(frozen=True)
class Client:
    """Who a request counts against: a signed-in token, else the browser's session id, else the
    address; `address` is kept too, as a ceiling for all the sessions behind one address."""

    key: str
    address: str

    @property
    def is_address(self) -> bool:
        return self.key == f"address:{self.address}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def rate_client(
    scope: Scope, trusted_proxies: frozenset[str], token_digests: frozenset[str] = frozenset()
) -> Client:
    """A configured bearer token first (an unknown one is ignored: inventing tokens must not
    buy fresh buckets), then a well-formed `X-Healthqa-Session`, then the client address."""
    address = client_address(scope, trusted_proxies)
    headers = dict(scope.get("headers") or [])
    scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() == "bearer" and given.strip():
        digest = token_digest(given.strip())
        if any(hmac.compare_digest(digest, known) for known in token_digests):
            return Client(f"token:{digest[:16]}", address)
    session = headers.get(SESSION_HEADER, b"").decode("latin-1")
    if SESSION_ID.match(session):
        return Client(f"session:{session}", address)
    return Client(f"address:{address}", address)


class TokenBuckets:
    """A token bucket per key: `capacity` tokens, refilled evenly over `period` seconds. A bucket
    full again is forgotten (as good as new), and at most MAX_BUCKETS are held, the oldest
    dropped first, so rotating keys cannot grow memory without bound. Not locked: its owner is."""

    MAX_BUCKETS = 100_000

    def __init__(self, capacity: int, period: float) -> None:
        self.capacity = float(capacity)
        self.rate = capacity / period if capacity > 0 else 0.0
        self.period = period
        self._buckets: dict[str, tuple[float, float]] = {}
        self._next_sweep = 0.0

    def tokens(self, key: str, now: float) -> float:
        if now >= self._next_sweep or len(self._buckets) >= self.MAX_BUCKETS:
            self._sweep(now)
        tokens, last = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - last) * self.rate)

    def wait(self, key: str, now: float) -> float:
        """0 when a token is free, else seconds until one is."""
        tokens = self.tokens(key, now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, key: str, now: float) -> None:
        self._buckets[key] = (self.tokens(key, now) - 1, now)

    def __len__(self) -> int:
        return len(self._buckets)

    def _sweep(self, now: float) -> None:
        self._buckets = {
            key: (tokens, last)
            for key, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * self.rate < self.capacity
        }
        if len(self._buckets) >= self.MAX_BUCKETS:
            newest = sorted(self._buckets.items(), key=lambda item: item[1][1])
            self._buckets = dict(newest[len(newest) // 2 :])
        self._next_sweep = now + min(self.period, 60.0)


@dataclass(frozen=True)
class Refusal:
    code: ErrorCode  # rate_limited (the minute's limit) or daily_limit
    wait: float  # seconds until a request would be let through


class RateLimit:
    """Limits on the paths (and methods) given, per client (`rate_client`): `per_minute`
    requests a minute with bursts up to the same number, and `per_day` a day (0: no daily
    limit); 429 with Retry-After and a `code` beyond. Sessions are chosen by the browser, so all
    the sessions behind one address share a ceiling of `sessions_per_address` times those limits
    (0: none), and a limit for one address — an office behind one NAT — is no longer a limit for
    everyone in it. Exempt addresses (the machine itself, for evaluation and load scripts) are
    not limited."""

    MAX_BUCKETS = TokenBuckets.MAX_BUCKETS
    MINUTE = 60.0
    DAY = 86_400.0

    def __init__(
        self,
        app: ASGIApp,
        *,
        paths: tuple[str, ...],
        per_minute: int,
        per_day: int = 0,
        sessions_per_address: int = 0,
        exempt: Iterable[str] = (),
        trusted_proxies: Iterable[str] = (),
        signed_in_tokens: Iterable[str] = (),
        methods: Iterable[str] | None = None,
        message: str = "too many questions from this browser; wait a moment and ask again",
        day_message: str = "too many questions from this browser today; try again tomorrow",
    ) -> None:
        self.app = app
        self.paths = paths
        self.exempt = frozenset(exempt)
        self.trusted_proxies = frozenset(trusted_proxies)
        self.token_digests = frozenset(token_digest(t) for t in signed_in_tokens if t)
        self.methods = frozenset(methods) if methods is not None else None
        self.message = message
        self.day_message = day_message
        self.per_minute = per_minute
        self._lock = threading.Lock()
        # (buckets, applies to the client's own key?, code when empty); the address ceilings
        # apply only to clients known by a session
        self._limits: list[tuple[TokenBuckets, bool, ErrorCode]] = []
        if per_minute > 0:
            self._minute = TokenBuckets(per_minute, self.MINUTE)
            self._limits.append((self._minute, True, ErrorCode.RATE_LIMITED))
        if per_day > 0:
            self._limits.append((TokenBuckets(per_day, self.DAY), True, ErrorCode.DAILY_LIMIT))
        if sessions_per_address > 0:
            for limit, period, code in (
                (per_minute, self.MINUTE, ErrorCode.RATE_LIMITED),
                (per_day, self.DAY, ErrorCode.DAILY_LIMIT),
            ):
                if limit > 0:
                    ceiling = TokenBuckets(limit * sessions_per_address, period)
                    self._limits.append((ceiling, False, code))

    def check(self, client: Client, now: float) -> Refusal | None:
        """None, and one request counted against every limit, when each has room; else which
        limit is reached and for how long (nothing counted)."""
        applying = [
            (buckets, client.key if own else f"address:{client.address}", code)
            for buckets, own, code in self._limits
            if own or not (client.is_address or client.key.startswith("token:"))
        ]
        with self._lock:
            waits = [(buckets.wait(key, now), code) for buckets, key, code in applying]
            refused = [(wait, code) for wait, code in waits if wait > 0]
            if refused:
                wait, code = max(refused, key=lambda item: item[0])
                return Refusal(code, wait)
            for buckets, key, _ in applying:
                buckets.take(key, now)
        return None

    def allow(self, address: str, now: float) -> float:
        """For one address: 0 when allowed, else seconds until a request would be."""
        refusal = self.check(Client(f"address:{address}", address), now)
        return refusal.wait if refusal else 0.0

    def buckets_held(self) -> list[int]:
        """How many buckets each limit holds: per minute, per day, then the address ceilings."""
        return [len(buckets) for buckets, _, _ in self._limits]

    def __len__(self) -> int:
        """How many per-minute buckets are held."""
        return len(self._minute) if self.per_minute > 0 else 0

    def _limited(self, scope: Scope) -> bool:
        path = scope.get("path") or ""
        return (
            scope["type"] == "http"
            and any(path == p or path.startswith(p + "/") for p in self.paths)
            and (self.methods is None or scope.get("method") in self.methods)
            and bool(self._limits)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._limited(scope):
            client = rate_client(scope, self.trusted_proxies, self.token_digests)
            refusal = None
            if client.address not in self.exempt:
                refusal = self.check(client, time.monotonic())
            if refusal is not None:
                seconds = max(1, math.ceil(refusal.wait))
                daily = refusal.code is ErrorCode.DAILY_LIMIT
                await _json_error(
                    send,
                    429,
                    self.day_message if daily else self.message,
                    refusal.code,
                    [(b"retry-after", str(seconds).encode())],
                    retry_after=seconds,
                )
                return
        await self.app(scope, receive, send)


async def _json_error(
    send: Send,
    status: int,
    detail: str,
    code: ErrorCode,
    headers: list[tuple[bytes, bytes]] | None = None,
    **extra: int,
) -> None:
    body = json.dumps(error_body(code, detail, **extra)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})
