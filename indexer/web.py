"""A minimal RTL search page over the index (the search issue builds the full one).

Everything scraped is escaped before it reaches HTML; the server binds to 127.0.0.1 by default.
"""

from __future__ import annotations

import html
import json
import logging
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from core.errors import MarsadError
from core.settings import Settings
from indexer.delivery.feeds import feed_path
from indexer.storage.base import SearchRequest, SearchResult
from indexer.storage.factory import open_storage

logger = logging.getLogger(__name__)
FEED_NAME = re.compile(r"^[^\W_][\w.-]*$")  # the rule-name pattern: no "/", no leading "."

PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>مرصد — بحث</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}}
input[type=search]{{width:70%;font-size:1.1rem}}li{{margin:1rem 0}}.meta{{color:#555;font-size:.9rem}}
.error{{color:#a00}}</style></head>
<body><h1>مرصد</h1>
<form method="get" action="/"><input type="search" name="q" value="{query}" placeholder="ابحث…" autofocus>
<button type="submit">بحث</button></form>
{results}
</body></html>"""


def render_page(query: str, result: SearchResult | None, error: str | None = None) -> str:
    parts: list[str] = []
    if error:
        parts.append(f'<p class="error">{html.escape(error)}</p>')
    if result is not None:
        parts.append(f'<p id="count">{result.total} نتيجة</p><ol id="results">')
        for hit in result.hits:
            article = hit.article
            when = article.published_at.isoformat() if article.published_at else ""
            parts.append(
                f'<li><a href="{html.escape(article.canonical_url, quote=True)}" rel="noreferrer">'
                f"{html.escape(article.title)}</a>"
                f'<div class="meta">{html.escape(article.source)} · {html.escape(when)}</div>'
                f"<p>{html.escape(article.body[:280])}…</p></li>"
            )
        parts.append("</ol>")
    return PAGE.format(query=html.escape(query, quote=True), results="\n".join(parts))


def make_handler(settings: Settings) -> type[BaseHTTPRequestHandler]:
    class SearchHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = parse_qs(parts.query)
            query = (params.get("q") or [""])[0].strip()
            if parts.path.startswith("/feeds/"):
                self._send_feed(unquote(parts.path[len("/feeds/"):]))
                return
            if parts.path not in ("/", "/api/search"):
                self._send(404, "text/plain; charset=utf-8", b"not found")
                return
            result, error = None, None
            if query:
                storage = open_storage(settings)
                try:
                    result = storage.search(SearchRequest(query=query, limit=50))
                except MarsadError as exc:
                    error = str(exc)
                finally:
                    storage.close()
            if parts.path == "/api/search":
                payload = {"error": error, "total": result.total if result else 0,
                           "hits": [h.article.to_dict() for h in result.hits] if result else []}
                self._send(400 if error else 200, "application/json",
                           json.dumps(payload, ensure_ascii=False).encode())
                return
            self._send(200, "text/html; charset=utf-8", render_page(query, result, error).encode())

        def _send_feed(self, name: str) -> None:
            rule = name.removesuffix(".atom")
            path = feed_path(settings.feeds_dir, rule)
            if not name.endswith(".atom") or not FEED_NAME.match(rule) or not path.is_file():
                self._send(404, "text/plain; charset=utf-8", b"no feed for this rule\n")
                return
            self._send(200, "application/atom+xml; charset=utf-8", path.read_bytes())

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            logger.info("%s - %s", self.address_string(), format % args)

    return SearchHandler


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), make_handler(settings))


def serve_forever(settings: Settings, host: str = "127.0.0.1", port: int = 8765) -> None:
    server = make_server(settings, host, port)
    print(f"Marsad search page on http://{host}:{server.server_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
