"""`marsad extract`: run the parser on one file or URL, exactly as the crawler would."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from core.article import Article
from core.errors import ConfigError, MarsadError
from core.settings import load_settings
from crawler.parsers.page import ExtractionError, PageInput, SourceInfo
from crawler.parsers.registry import explain_article
from crawler.sources import Source, load_sources
from crawler.urls import host_of

MAX_BYTES = 10 * 1024 * 1024


def extract_target(target: str, *, url: str | None = None, source_name: str | None = None,
                   tz: str | None = None, config_dir: Path | None = None) -> tuple[Article, dict[str, str]]:
    """The page's Article and, per field, which metadata layer supplied it."""
    if target.startswith(("http://", "https://")):
        body, headers = fetch(target)
        page_url = url or target
    else:
        path = Path(target)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{target}: cannot read ({exc.strerror})") from exc
        headers = {}
        page_url = url or path.resolve().as_uri()
    source = find_source(page_url, source_name, config_dir)
    info = SourceInfo(
        name=source.name if source else (host_of(page_url) or "file"),
        timezone=tz or (source.timezone if source else "UTC"),
        language=source.language if source else None,
    )
    try:
        return explain_article(PageInput(url=page_url, body=body, headers=headers, fetched_at=datetime.now(UTC)), info)
    except ExtractionError as exc:
        raise MarsadError(f"no article extracted from {exc}") from exc


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"User-Agent": "Marsad/0.1 (Arabic ICT news monitor)"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read(MAX_BYTES + 1)
            headers = {key.lower(): value for key, value in response.headers.items()}
    except OSError as exc:
        raise MarsadError(f"cannot fetch {url}: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise MarsadError(f"{url}: page is larger than {MAX_BYTES // (1024 * 1024)} MB; refused")
    return body, headers


def find_source(url: str, name: str | None, config_dir: Path | None) -> Source | None:
    settings = load_settings(config_dir=config_dir)
    if not settings.sources_path.exists():
        if name:
            raise ConfigError(f"{settings.sources_path}: file not found (needed for --source {name})")
        return None
    sources = load_sources(settings.sources_path)
    if name:
        for source in sources:
            if source.name == name:
                return source
        raise ConfigError(f"--source: unknown source {name!r}; known: {', '.join(s.name for s in sources)}")
    return next((source for source in sources if source.allows(url)), None)
