"""One real HTTP server per portal: a ThreadingHTTPServer on a loopback address, in a thread."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
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


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "PortalWorld/1.0"

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        response = self._respond()
        self.server.on_request(
            RequestRecord(
                portal=self.server.portal.name,
                method=self.command,
                path=self.path,
                host=self.headers.get("Host", ""),
                user_agent=self.headers.get("User-Agent", ""),
                status=response.status,
            )
        )
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
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
