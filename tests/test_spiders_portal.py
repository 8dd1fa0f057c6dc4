"""The spider against hostile pages over real HTTP: bad pages are logged with their URL and skipped,
the crawl goes on and stores the good ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

GOOD = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>هيئة الاتصالات تطرح ترددات جديدة لشبكات الجيل الخامس</title></head><body>
<article><h1>هيئة الاتصالات تطرح ترددات جديدة لشبكات الجيل الخامس</h1>
<time datetime="2026-11-20T10:00:00+03:00">20 نوفمبر 2026</time>
<p>أعلنت هيئة الاتصالات اليوم طرح حزمة ترددات جديدة في نطاق 3.5 غيغاهرتز لدعم توسع شبكات الجيل الخامس.</p>
<p>وقالت الهيئة في بيان إن المزاد سيفتح أمام المشغلين المرخصين مطلع العام المقبل وفق شروط تضمن المنافسة العادلة.</p>
<p>ويتوقع خبراء أن تسهم الترددات الجديدة في رفع سرعات الإنترنت المتنقل وتحسين التغطية داخل المباني.</p>
</article></body></html>"""
NESTED = "<html><body>" + "<div>" * 5000 + "نص" + "</div>" * 5000 + "</body></html>"
STUB = (b'<head><title>Object moved</title></head><body><h1>Object Moved</h1>'
        b'This object may be found <a HREF="/x">here</a>.</body>')
ROWS = [
    ("هيئة الاتصالات تطرح ترددات جديدة لشبكات الجيل الخامس",
     "أعلنت الهيئة طرح حزمة ترددات جديدة لدعم توسع الشبكات، على أن يفتح المزاد مطلع العام."),
    ("إطلاق منصة حكومية لحجز المواعيد إلكترونياً في المحافظات",
     "تتيح المنصة حجز موعد لتجديد الوثائق دون الوقوف في طوابير، وتعمل على الهاتف والحاسوب."),
    ("شركة محلية تطلق خدمة دفع الفواتير عبر الرسائل القصيرة",
     "يستطيع المشترك دفع فواتير الكهرباء والمياه برسالة قصيرة تحتوي رقم العداد والمبلغ."),
    ("جامعة حكومية تفتتح مختبراً للأمن السيبراني بتمويل أوروبي",
     "يضم المختبر أجهزة محاكاة للهجمات الإلكترونية، ويستقبل طلاب الدراسات العليا في الشبكات."),
    ("تراجع أسعار الهواتف الذكية في السوق المحلية هذا الموسم",
     "يعزو التجار التراجع إلى انخفاض الرسوم الجمركية، وزيادة المعروض من الطرازات المتوسطة."),
]
LISTING = ('<html lang="ar"><head><meta charset="utf-8"><title>أخبار</title></head><body><ul>'
           + "".join(f'<li><h3><a href="/n/{n}">{title}</a></h3><p>{text}</p></li>'
                     for n, (title, text) in enumerate(ROWS))
           + "</ul></body></html>")
BRIEF = """<html lang="ar"><head><meta charset="utf-8"><title>خبر قصير</title></head><body>
<h1>تعطل مؤقت في خدمة الدفع الإلكتروني</h1>
<p>تعطلت خدمة الدفع الإلكتروني لساعة صباح اليوم، ثم عادت للعمل.</p></body></html>"""
PAGES: dict[str, tuple[str, bytes]] = {
    "/news/1.html": ("text/html; charset=utf-8", GOOD.encode()),
    "/news/2.html": ("text/html; charset=utf-8", b""),
    "/news/3.html": ("application/pdf", b"%PDF-1.4 not a page"),
    "/news/4.html": ("text/html; charset=utf-8", b"<html><body>" + b"x" * (11 * 1024 * 1024) + b"</body></html>"),
    "/news/5.html": ("text/html; charset=utf-8", NESTED.encode()),
    "/news/6.html": ("text/html; charset=utf-8",
                     b'<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                     b'</script></head><body></body></html>'),
    "/news/7.html": ("text/html; charset=utf-8", STUB),
    "/news/8.html": ("text/html; charset=utf-8", LISTING.encode()),
    "/news/9.html": ("text/html; charset=utf-8", BRIEF.encode()),
}


def feed(base: str) -> bytes:
    items = "".join(f"<item><title>{n}</title><link>{base}/news/{n}.html</link></item>" for n in range(1, 10))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


@pytest.fixture
def hostile_site() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/robots.txt":
                content_type, body = "text/plain", b"User-agent: *\nDisallow: /private/\n"
            elif self.path == "/feed/":
                content_type, body = "application/rss+xml", feed(base)
            elif self.path in PAGES:
                content_type, body = PAGES[self.path]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # the crawler hangs up on the oversized page on purpose

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_bad_pages_are_logged_and_skipped_and_the_crawl_goes_on(hostile_site: str, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    sources = {"sources": [{"name": "hostile", "domains": ["127.0.0.1"], "timezone": "Asia/Riyadh",
                            "feeds": [f"{hostile_site}/feed/"], "article_pattern": r"/news/\d+\.html$"}]}
    (config / "sources.yaml").write_text(yaml.safe_dump(sources), encoding="utf-8")
    (config / "settings.yaml").write_text(yaml.safe_dump({"crawl": {"download_delay": 0.0}}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "marsad.cli", "--config-dir", str(config), "crawl", "--json"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_STORAGE_BACKEND": "sqlite"},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["created"] == 2  # the good page and the brief
    assert report["extraction_failed"] == 4  # empty, PDF, deeply nested without a title, broken JSON-LD
    assert report["not_article"] == 2  # the redirect stub and the listing: skipped, never stored
    assert report["not_article_by_source"] == {"hostile": 2}
    assert report["low_confidence"] == 1  # the one-sentence brief without a date is stored, and counted
    assert report["low_confidence_by_source"] == {"hostile": 1}
    assert f"{hostile_site}/news/7.html: not an article (redirect)" in result.stderr
    assert f"{hostile_site}/news/8.html: not an article (listing)" in result.stderr
    assert report["fetch_failed"] == 1  # over DOWNLOAD_MAXSIZE
    assert "Traceback" not in result.stderr
    for number in (2, 3):
        assert f"{hostile_site}/news/{number}.html" in result.stderr, f"page {number} is not named in the log"
    assert f"cannot fetch {hostile_site}/news/4.html" in result.stderr, "the oversized page is not named"
