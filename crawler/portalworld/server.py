"""One real HTTP server per portal: a ThreadingHTTPServer on a loopback address, in a thread."""

from __future__ import annotations

import hashlib
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from crawler.portalworld.common import Context, Portal, Response, html_page


@dataclass(frozen=True)
class RequestRecord:
    """One request a portal server received."""

    portal: str
    method: str
    path: str  # path and query string exactly as requested
    host: str  # the Host header
    user_agent: str
    status: int
    size: int = 0  # bytes of body sent


RequestSink = Callable[[RequestRecord], None]
ErrorSink = Callable[[str], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], portal: Portal, on_request: RequestSink, on_error: ErrorSink) -> None:
        super().__init__(address, _Handler)
        self.portal = portal
        self.on_request = on_request
        self.on_error = on_error
        self.context: Context | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up on purpose (an answer over its size limit)
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "PortalWorld/1.0"

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        response = conditional(self._respond(), {name: str(value) for name, value in self.headers.items()})
        self.server.on_request(
            RequestRecord(
                portal=self.server.portal.name,
                method=self.command,
                path=self.path,
                host=self.headers.get("Host", ""),
                user_agent=self.headers.get("User-Agent", ""),
                status=response.status,
                size=len(response.body) if send_body else 0,
            )
        )
        self.send_response(response.status)
        if response.status != 304:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and response.status != 304:
            self.wfile.write(response.body)

    def _respond(self) -> Response:
        context = self.server.context
        if context is None:
            return html_page("<p>portal not ready</p>", status=503)
        parts = urlsplit(self.path)
        try:
            return self.server.portal.handle(parts.path, parse_qs(parts.query), context)
        except Exception:  # a renderer bug must show up in the test run, not kill the thread
            self.server.on_error(f"{self.server.portal.name} {self.path}\n{traceback.format_exc()}")
            return html_page("<p>internal error</p>", status=500)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are recorded through ``on_request``; keep stderr quiet."""


def conditional(response: Response, request_headers: Mapping[str, str]) -> Response:
    """Add an ETag to a 200 and answer 304 when the request's validators still match."""
    if response.status != 200 or not response.validators:
        return response
    etag = response.headers.get("ETag") or '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
    headers = {**response.headers, "ETag": etag}
    asked = request_headers.get("If-None-Match")
    if asked is not None:
        if etag in {tag.strip() for tag in asked.split(",")} or asked.strip() == "*":
            return Response(304, b"", response.content_type, headers)
        return replace(response, headers=headers)
    since, modified = request_headers.get("If-Modified-Since"), headers.get("Last-Modified")
    if since and modified:
        try:
            if parsedate_to_datetime(modified) <= parsedate_to_datetime(since):
                return Response(304, b"", response.content_type, headers)
        except (TypeError, ValueError):
            pass  # an unreadable date: answer in full
    return replace(response, headers=headers)


class PortalServer:
    """Serve one portal on ``host`` and a free port, in a background thread."""

    def __init__(self, portal: Portal, host: str, on_request: RequestSink, on_error: ErrorSink) -> None:
        self.portal = portal
        self.host = host
        self._on_request = on_request
        self._on_error = on_error
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"portal {self.portal.name!r} is not running")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def bind(self) -> str:
        """Bind the socket (port 0: the OS picks a free port) and return the base URL."""
        self._server = _Server((self.host, 0), self.portal, self._on_request, self._on_error)
        return self.base_url

    def swap(self, portal: Portal) -> None:
        """Serve ``portal`` from now on, on the same address (the world's data changed)."""
        self.portal = portal
        if self._server is not None:
            self._server.portal = portal

    def serve(self, context: Context) -> None:
        if self._server is None:
            raise RuntimeError("bind() must be called before serve()")
        self._server.context = context
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"portalworld-{self.portal.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        self._server = None
        self._thread = None
