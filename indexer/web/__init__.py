"""`marsad serve`: the search page, article view, alerts page, per-rule feeds and the JSON API.

Arabic and right-to-left; every scraped string escaped by Jinja2; no inline script; bound to
127.0.0.1 by default (with a Host allow-list), a token required beyond loopback.
"""

from __future__ import annotations

from indexer.web.app import create_app
from indexer.web.server import WebServer, serve

__all__ = ["WebServer", "create_app", "serve"]
