"""The web application: FastAPI (Starlette) routes, Jinja2 pages, static files, the JSON API.

``create_app`` builds it for one binding (host and port decide the Host allow-list and whether a
token is required); nothing is global, so a test builds as many as it likes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from core.errors import UsageError
from core.settings import Settings
from indexer.storage.base import Storage
from indexer.storage.factory import open_storage
from indexer.web import errors
from indexer.web.context import StorageProvider, WebContext
from indexer.web.guard import MIN_TOKEN_CHARS, Guard, is_loopback, loopback_hosts
from indexer.web.routes import alerts, api, article, auth, feeds, search

DESCRIPTION = """Search Marsad's index of Arabic ICT news with the alert rule language, read one
article, and see the alert rules. Bound beyond loopback, every call needs
`Authorization: Bearer <token>`."""


def create_app(settings: Settings, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
               storage_factory: Callable[[], Storage] | None = None,
               clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> FastAPI:
    """Raises UsageError when bound beyond loopback without a usable token."""
    loopback = is_loopback(host)
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise UsageError(f"the web token must have at least {MIN_TOKEN_CHARS} characters")
    if not loopback and not token:
        raise UsageError(f"a token is required when serving on {host} (not a loopback address)")
    factory = storage_factory or (lambda: open_storage(settings))
    ctx = WebContext(settings, StorageProvider(factory, shared=settings.backend == "elasticsearch"), token=token,
                     clock=clock)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.storage.close()

    app = FastAPI(title="Marsad", version="1", description=DESCRIPTION, openapi_url="/api/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.ctx = ctx
    for module in (search, article, alerts, feeds, auth, api):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(packages=[("indexer.web", "static")]), name="static")
    errors.install(app)
    app.add_middleware(Guard, hosts=loopback_hosts(port) if loopback else None, token=token)
    return app
