"""Run the web application with uvicorn: ``serve`` for ``marsad serve`` (in the foreground), and
``WebServer`` for tests and benchmarks (a thread, on a free port when asked for port 0).

The socket is bound before the app is built, so the Host allow-list knows the real port. No
``Server`` header is sent (no version banner).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from core.errors import UsageError
from core.settings import Settings
from indexer.storage.base import Storage
from indexer.web.app import create_app
from indexer.web.guard import is_loopback, new_token

TOKEN_ENV = "MARSAD_WEB_TOKEN"


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(2048)  # connections wait in the backlog until uvicorn accepts them: the URL works once printed
    return sock


def url_of(host: str, port: int) -> str:
    name = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{name}:{port}/"


def uvicorn_config(app: FastAPI, verbose: bool = False) -> uvicorn.Config:
    return uvicorn.Config(app, log_level="info" if verbose else "warning", access_log=verbose,
                          server_header=False, date_header=True, proxy_headers=False, lifespan="on")


def resolve_token(host: str, given: str | None, env: dict[str, str] | None = None) -> tuple[str | None, bool]:
    """The token to require: ``--token``, else MARSAD_WEB_TOKEN; beyond loopback without either,
    a new one (the second value says it was generated, so it is printed once)."""
    token = given or (os.environ if env is None else env).get(TOKEN_ENV) or None
    if token is None and not is_loopback(host):
        return new_token(), True
    return token, False


def serve(settings: Settings, host: str, port: int, token: str | None = None, verbose: bool = False,
          announce: Callable[[str], None] = print) -> None:
    token, generated = resolve_token(host, token)
    sock = bind(host, port)
    port = sock.getsockname()[1]
    app = create_app(settings, host=host, port=port, token=token)
    announce(f"Marsad web page on {url_of(host, port)} (Ctrl-C to stop)")
    if generated:
        announce(f"token (shown once; give it in the login form or as 'Authorization: Bearer'): {token}")
    try:
        uvicorn.Server(uvicorn_config(app, verbose)).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn shut down cleanly, then passed Ctrl-C on: that is a normal stop
    finally:
        sock.close()


class WebServer:
    """The app served by uvicorn in a thread; ``url`` once started. A context manager."""

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                 storage_factory: Callable[[], Storage] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.socket = bind(host, port)
        self.host = host
        self.port = int(self.socket.getsockname()[1])
        self.app = create_app(settings, host=host, port=self.port, token=token, storage_factory=storage_factory,
                              clock=clock)
        self.server = uvicorn.Server(uvicorn_config(self.app))
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    @property
    def url(self) -> str:
        return url_of(self.host, self.port).rstrip("/")

    def start(self, timeout: float = 30.0) -> WebServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=30)
        self.socket.close()

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
