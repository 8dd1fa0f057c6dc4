"""Pieces shared by the three portal renderers: responses, escaping, dates, boilerplate pools."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import formatdate
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_day_names, get_month_names

from crawler.portalworld.data import ArticleRecord, PortalSpec, WorldData

# A 1x1 transparent GIF, served for every article image.
PIXEL_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")

DISALLOWED_PATH = "/private/"

# Readers' comments shown under articles (boilerplate: never part of an article body).
COMMENTS: tuple[tuple[str, str], ...] = (
    ("أبو خالد", "خطوة ممتازة، نتمنى أن تنعكس على جودة الخدمة وأسعار الباقات قريباً."),
    ("م. سلمى", "المهم هو التنفيذ على أرض الواقع وليس الإعلان فقط."),
    ("محمود", "متى تصل هذه الخدمات إلى المحافظات البعيدة؟"),
    ("نادر التقني", "مقال مفيد، شكراً للكاتب على التوضيح."),
    ("هالة", "نحتاج إلى تغطية أكثر لتأثير هذه المشاريع على فرص العمل للشباب."),
    ("زائر", "الإنترنت عندنا ما زال بطيئاً جداً رغم كل هذه الأخبار."),
)


@dataclass(frozen=True)
class Context:
    """Where the portal is served and where the off-site trap lives (known only once started)."""

    base_url: str
    offsite_url: str


@dataclass(frozen=True)
class Response:
    """One answer. A 200 gets an ETag (and answers a matching If-None-Match, or an
    If-Modified-Since not older than its Last-Modified header, with 304) unless ``validators``
    is False, as on servers that do not support conditional requests."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True


class Portal(Protocol):
    name: str

    def handle(self, path: str, query: dict[str, list[str]], ctx: Context) -> Response: ...


def esc(value: object) -> str:
    """HTML-escape any value for text or attribute context."""
    return html.escape(str(value), quote=True)


def json_ld(data: dict[str, Any]) -> str:
    """Serialise JSON-LD so it cannot close its ``<script>`` element early."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def html_page(text: str, status: int = 200, charset: str = "utf-8") -> Response:
    return Response(status, text.encode(charset), f"text/html; charset={charset}")


def text_response(text: str, content_type: str) -> Response:
    return Response(200, text.encode("utf-8"), f"{content_type}; charset=utf-8")


def not_found(site_name: str) -> Response:
    page = (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>404 - الصفحة غير موجودة | {esc(site_name)}</title></head>"
        "<body><h1>الصفحة غير موجودة</h1><p>عذراً، لم نعثر على الصفحة المطلوبة.</p>"
        '<p><a href="/">العودة إلى الصفحة الرئيسية</a></p></body></html>'
    )
    return html_page(page, status=404)


def last_modified(records: list[ArticleRecord]) -> dict[str, str]:
    """A Last-Modified header: the newest publication or edit among ``records``."""
    if not records:
        return {}
    newest = max(record.modified or record.published for record in records)
    return {"Last-Modified": http_date(newest)}


def http_date(moment: datetime) -> str:
    return formatdate(moment.timestamp(), usegmt=True)


def robots_txt(sitemap_url: str | None = None) -> Response:
    lines = ["User-agent: *", f"Disallow: {DISALLOWED_PATH}", ""]
    if sitemap_url:
        lines.append(f"Sitemap: {sitemap_url}")
    return text_response("\n".join(lines) + "\n", "text/plain")


class PortalBase:
    """What every portal keeps: its spec, its articles, the robots-forbidden one, paths, images."""

    name = ""

    def __init__(self, data: WorldData) -> None:
        self.spec: PortalSpec = data.portals[self.name]
        self.articles = data.articles_of(self.name)
        self.private = data.private_of(self.name)
        self._by_path = {a.path: a for a in [*self.articles, self.private]}
        self._images = image_paths([*self.articles, self.private])


def image_paths(records: list[ArticleRecord]) -> set[str]:
    return {r.image for r in records}


def pixel() -> Response:
    return Response(200, PIXEL_GIF, "image/gif", {"Cache-Control": "max-age=86400"})


def clean_picks(records: list[ArticleRecord], exclude: str | None, count: int, offset: int = 0) -> list[ArticleRecord]:
    """Articles safe for boilerplate lists (tickers, related, most read): none mentions Azerbaijan."""
    pool = [r for r in records if not r.mentions_azerbaijan and r.id != exclude]
    if not pool:
        return []
    start = offset % len(pool)
    rotated = pool[start:] + pool[:start]
    return rotated[:count]


def comments_for(record: ArticleRecord, count: int) -> list[tuple[str, str]]:
    start = sum(map(ord, record.id)) % len(COMMENTS)
    return [COMMENTS[(start + i) % len(COMMENTS)] for i in range(count)]


def local(dt: datetime, timezone: str) -> datetime:
    return dt.astimezone(ZoneInfo(timezone))


def arabic_day_month_year(dt: datetime, locale: str) -> str:
    """``23 نوفمبر 2026`` (locale ``ar_EG``) or ``23 تشرين الثاني 2026`` (``ar_SY``), from CLDR."""
    month = get_month_names("wide", locale=locale)[dt.month]
    return f"{dt.day} {month} {dt.year}"


def arabic_weekday(dt: datetime, locale: str) -> str:
    return str(get_day_names("wide", locale=locale)[dt.weekday()])


def arabic_clock_12h(dt: datetime) -> str:
    """``10:15 ص`` / ``3:30 م`` with Latin digits, from CLDR day periods."""
    return str(format_datetime(dt, "h:mm a", locale="ar"))
