"""Local receivers for alerts: a real SMTP server (aiosmtpd) and a webhook HTTP server.

`marsad demo` shows the emails an analyst would get through :class:`SmtpSink`; the tests and
benchmarks deliver to both over loopback. Either can be stopped and started again on the same
port, to play a channel that is down for a while.
"""

from __future__ import annotations

import email
import json
import socket
import threading
import time
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class SmtpSink:
    """An SMTP server on loopback that keeps every message it accepts."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        message = email.message_from_bytes(raw if isinstance(raw, bytes) else raw.encode(), policy=default_policy)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((str(envelope.mail_from), [str(rcpt) for rcpt in envelope.rcpt_tos]))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        self._controller = Controller(self, hostname=self.host, port=self.port, decode_data=False)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, to: str = "analyst@example.org", sender: str = "marsad@example.org") -> str:
        """An Apprise ``mailto://`` URL that delivers here (plain SMTP on loopback)."""
        query = urlencode({"mode": "insecure", "from": sender, "to": to, "name": "Marsad"})
        return f"mailto://{self.host}:{self.port}?{query}"

    def received(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received()) < count:
            time.sleep(0.02)
        return self.received()


class WebhookSink:
    """An HTTP server that records JSON posts; ``statuses`` scripts its answers (then 200)."""

    def __init__(self, host: str = "127.0.0.1", statuses: list[int] | None = None, delay: float = 0.0) -> None:
        self.host = host
        self.statuses = list(statuses or [])
        self.delay = delay  # seconds before answering: a slow service
        self.posts: list[dict[str, Any]] = []
        self.attempts = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, 0), self._handler())
        self.port = int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(sink.delay)
                status = sink._answer(body, self.path)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def _answer(self, body: bytes, path: str) -> int:
        with self._lock:
            self.attempts += 1
            status = self.statuses.pop(0) if self.statuses else 200
            if status < 300:
                self.posts.append({"path": path, **json.loads(body.decode("utf-8"))})
            return status

    def start(self) -> WebhookSink:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str = "hook") -> str:
        return f"json://{self.host}:{self.port}/{path}"

    def received(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.posts)
