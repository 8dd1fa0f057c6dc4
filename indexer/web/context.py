"""What the pages share: the settings, the index (opened per request, or one shared Elasticsearch
client), the alert rules, the reader's time zone and the Jinja2 templates (autoescape on)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from core.configfile import read_yaml
from core.errors import ConfigError, StorageError
from core.settings import Settings
from indexer.alerts.rules import Rule, parse_rules
from indexer.delivery.render import others_text, safe_href
from indexer.storage.base import Storage

ZONE_COOKIE = "marsad_tz"
UTC = ZoneInfo("UTC")  # a ZoneInfo, so its key names the zone on the page


@dataclass(frozen=True)
class RulesView:
    """alerts.yaml as the web page reads it: rules and the readers' zone. Channel URLs (and the
    secrets in them) are never read here, so no page can show them."""

    rules: list[Rule]
    timezone: ZoneInfo
    error: str | None = None  # the file exists but cannot be used


class StorageProvider:
    """Opens the index for a request. SQLite: a connection per request (cheap, one thread each).
    Elasticsearch: one client shared by all requests, dropped after a StorageError so the next
    request reconnects (the node may be back)."""

    def __init__(self, factory: Callable[[], Storage], shared: bool) -> None:
        self._factory = factory
        self._shared = shared
        self._storage: Storage | None = None
        self._lock = threading.Lock()

    @contextmanager
    def session(self) -> Iterator[Storage]:
        if not self._shared:
            storage = self._factory()
            try:
                yield storage
            finally:
                storage.close()
            return
        with self._lock:
            if self._storage is None:
                self._storage = self._factory()
            storage = self._storage
        try:
            yield storage
        except StorageError:
            with self._lock:
                if self._storage is storage:
                    self._storage = None
            storage.close()
            raise

    def close(self) -> None:
        with self._lock:
            if self._storage is not None:
                self._storage.close()
                self._storage = None


@dataclass
class WebContext:
    settings: Settings
    storage: StorageProvider
    token: str | None = field(default=None, repr=False)  # required when bound beyond loopback
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # "now" (tests freeze it)
    _rules_cache: tuple[tuple[int, int], RulesView] | None = field(default=None, repr=False)

    def rules(self) -> RulesView:
        """The rules of alerts.yaml, read again when the file changes."""
        path = self.settings.alerts_path
        try:
            stat = path.stat()
        except FileNotFoundError:
            return RulesView([], UTC)
        key = (stat.st_mtime_ns, stat.st_size)
        if self._rules_cache is None or self._rules_cache[0] != key:
            self._rules_cache = (key, load_rules_view(path))
        return self._rules_cache[1]

    def zone(self, request: Request) -> ZoneInfo:
        """The reader's zone: ``?tz=``, else the cookie the page's script sets from the browser's
        zone, else the readers' zone of alerts.yaml, else UTC."""
        for value in (request.query_params.get("tz"), unquote(request.cookies.get(ZONE_COOKIE, ""))):
            zone = zone_or_none(value)
            if zone is not None:
                return zone
        return self.rules().timezone

    def scrub(self, text: str) -> str:
        """``text`` without the index's secrets (defence in depth: messages never carry them)."""
        for secret in (self.settings.es_password, self.settings.es_api_key):
            if secret:
                text = text.replace(secret, "***")
        return text

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = environment().get_template(template).render(
            zone=self.zone(request).key, path=request.url.path, **values
        )
        return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def load_rules_view(path: Path) -> RulesView:
    try:
        data = read_yaml(path)
        rules = parse_rules(data, str(path))
    except ConfigError as exc:
        return RulesView([], UTC, error=str(exc))
    zone = zone_or_none(data.get("timezone")) if data.get("timezone") else UTC
    return RulesView(rules, zone or UTC)


def zone_or_none(value: object) -> ZoneInfo | None:
    if not value or not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("indexer.web", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.globals["others_text"] = others_text
    return env
