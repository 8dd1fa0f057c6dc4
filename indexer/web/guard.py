"""What every answer of the web server goes through, before any page is built.

* Security headers on every answer: a strict CSP (scripts and styles only from the server's own
  static files, nothing framed, forms only to the server), ``nosniff``, no referrer.
* Bound to loopback: the Host header must name the loopback address and port the server listens
  on (a DNS-rebinding page reaching the server by another name gets 400).
* Bound elsewhere: a token is required, as ``Authorization: Bearer <token>`` or as the HttpOnly
  cookie the login form sets; both are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Iterable
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "marsad_session"
MIN_TOKEN_CHARS = 16
CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
def is_open(path: str) -> bool:
    """Reachable without the token: the login form and the static files it needs."""
    return path == "/login" or path.startswith("/static/")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_hosts(port: int) -> frozenset[str]:
    """The Host header values a browser sends for a server on loopback at ``port``."""
    names = ("127.0.0.1", "localhost", "[::1]")
    return frozenset({f"{name}:{port}" for name in names} | (set(names) if port == 80 else set()))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def session_value(token: str) -> str:
    """What the login cookie holds: derived from the token, so the cookie is not the token itself."""
    return hmac.new(token.encode("utf-8"), b"marsad-web-session", hashlib.sha256).hexdigest()


def same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def local_path(target: str | None) -> str:
    """``target`` when it is a path on this server (after login), else "/": never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class Guard:
    """ASGI middleware: security headers, the Host allow-list and the token gate."""

    def __init__(self, app: ASGIApp, *, hosts: frozenset[str] | None, token: str | None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token
        self.session = session_value(token) if token else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        headers = Headers(scope=scope)
        if self.hosts is not None and headers.get("host", "").lower() not in self.hosts:
            await _answer(send_secured, 400, "text/plain; charset=utf-8",
                          "400 — هذا الخادم لا يجيب إلا على عنوانه المحلي (Host header not allowed)\n".encode())
            return
        path = str(scope.get("path", "/"))
        if self.token and not is_open(path) and not self.authorized(headers):
            await self._challenge(scope, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def authorized(self, headers: Headers) -> bool:
        assert self.token is not None
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and given:
            return same(given.strip(), self.token)
        return same(_cookie(headers, SESSION_COOKIE), self.session)

    async def _challenge(self, scope: Scope, send: Send) -> None:
        path = str(scope.get("path", "/"))
        if path.startswith(("/api/", "/feeds/")):
            body = json.dumps({"error": "a token is required (Authorization: Bearer <token>)"}).encode()
            await _answer(send, 401, "application/json", body, [(b"www-authenticate", b"Bearer")])
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = path + (f"?{query}" if query else "")
        location = "/login?next=" + quote(local_path(target), safe="")
        await _answer(send, 303, "text/plain; charset=utf-8", b"", [(b"location", location.encode("ascii"))])


def _cookie(headers: Headers, name: str) -> str:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


async def _answer(send: Send, status: int, content_type: str, body: bytes,
                  extra: Iterable[tuple[bytes, bytes]] = ()) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
