"""Render a message as RTL HTML (email), Markdown (chat services) or plain text (webhooks, log).

Jinja2 with autoescape on the HTML template: every scraped string is escaped, links are kept
only when they are http(s). Mixed Arabic/Latin stays readable: scraped titles and snippets sit
in ``dir="auto"`` blocks, names and URLs in ``<bdi>``, so a Latin title or a URL never reorders
the Arabic around it.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale

from core.terminal import printable

if TYPE_CHECKING:
    from indexer.delivery.message import Message, StoryAlert

FONT_STACK = ('"Noto Naskh Arabic", "Noto Sans Arabic", "Segoe UI", Tahoma, "Geeza Pro", '
              '"Arabic Typesetting", Arial, sans-serif')
SUBJECT_TITLE_CHARS = 140
_SPACES = re.compile(r"\s+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("indexer.delivery", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["md_url"] = markdown_url
    env.filters["href"] = safe_href
    env.filters["line"] = one_line
    env.filters["inline"] = inline
    return env


def render(message: Message, template: str) -> str:
    return environment().get_template(template).render(view(message))


def subject(message: Message) -> str:
    if message.note:
        return one_line(f"[مرصد] {message.note}")
    if message.kind == "digest" or len(message.stories) != 1:
        stories, sources = len(message.stories), len(message.source_counts())
        return one_line(f"[مرصد] {message.rule}: ملخص — {stories} {plural(stories, 'خبر', 'أخبار')} "
                        f"من {sources} {plural(sources, 'مصدر', 'مصادر')}")
    story = message.stories[0]
    title = one_line(story.lead["title"])
    if len(title) > SUBJECT_TITLE_CHARS:
        title = title[:SUBJECT_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return f"[مرصد] {one_line(message.rule)}: {title}{others_text(len(story.sources) - 1, ' ')}"


def view(message: Message) -> dict[str, Any]:
    counts = message.source_counts()
    return {
        "rule": message.rule,
        "query": message.query,
        "kind": message.kind,
        "note": message.note,
        "details": [one_line(line) for line in message.details],
        "subject": subject(message),
        "font": FONT_STACK,
        "timezone": message.timezone.key,
        "stories": [story_view(story, message) for story in message.stories],
        "source_counts": counts.most_common(),
        "articles": sum(counts.values()),
        "sent_at": local_time(message.created_at, message.timezone),
    }


def story_view(story: StoryAlert, message: Message) -> dict[str, Any]:
    lead = story.lead
    web = message.web_url.rstrip("/") + f"/article/{lead['doc_id']}" if message.web_url else None
    sources = story.sources
    return {
        "title": one_line(lead["title"]),
        "title_marks": clean_segments(lead.get("title_marks") or [[lead["title"], False]]),
        "url": lead["url"],
        "snippet": clean_segments(lead.get("snippet") or []),
        "sources": sources,
        "others": others_text(len(sources) - 1),
        "published": local_time(story.published, message.timezone) if story.published else "",
        "copies": [{"source": a["source"], "url": a["url"], "title": one_line(a["title"])}
                   for a in story.articles[1:]],
        "web_link": web,
    }


def clean_segments(segments: list[Any]) -> list[tuple[str, bool]]:
    return [(inline(text), bool(hit)) for text, hit in segments]


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """«23 نوفمبر 2026، 10:15 (Asia/Riyadh)»: CLDR's Arabic month name, the reader's zone."""
    local = moment.astimezone(zone)
    month = _months()[local.month]
    return f"{local.day} {month} {local.year}، {local:%H:%M} ({zone.key})"


@cache
def _months() -> dict[int, str]:
    return dict(Locale("ar").months["format"]["wide"].items())


def others_text(count: int, lead: str = "") -> str:
    if count <= 0:
        return ""
    return f"{lead}(+{count} {'مصدر آخر' if count == 1 else 'مصادر أخرى'})"


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 or count > 10 else many


def one_line(text: str) -> str:
    """No line breaks or control characters (a header must not be split by a hostile title)."""
    return " ".join(printable(str(text)).split())


def inline(text: str) -> str:
    """Like :func:`one_line` for a piece of a line: the spaces at its ends are kept."""
    return _SPACES.sub(" ", printable(str(text)))


def safe_href(url: str) -> str:
    return url if urlsplit(str(url)).scheme in ("http", "https") else "#"


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", inline(text))


def markdown_url(url: str) -> str:
    return quote(safe_href(url), safe=":/?&=#%~+,;@!$'*")
