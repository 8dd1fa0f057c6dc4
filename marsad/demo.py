"""`marsad demo`: the whole pipeline, offline, on the built-in portal world, in a temporary folder.

The alerts go where an analyst would read them: a local SMTP server (a real one, on loopback)
receives the emails and the demo prints what arrived, beside the log channel and the rule's feed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import yaml

from core.settings import load_settings
from crawler.portalworld import PortalWorld
from indexer.delivery.feeds import feed_path
from indexer.storage.base import SearchRequest
from indexer.storage.factory import open_storage
from marsad.cycle import run_cycle
from marsad.sinks import SmtpSink

DEMO_SETTINGS = {"crawl": {"download_delay": 0.05, "autothrottle": True}}


def demo_alerts(mail_url: str) -> dict[str, Any]:
    return {
        "timezone": "Asia/Riyadh",
        "channels": {"analyst-mail": {"url": mail_url, "throttle": 0}},
        "rules": [{"name": "azerbaijan", "query": "أذربيجان", "channels": ["analyst-mail", "log"]}],
    }


def write_demo_config(config_dir: Path, sources: dict[str, object], alerts: dict[str, Any]) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    for name, data in (("sources.yaml", sources), ("alerts.yaml", alerts), ("settings.yaml", DEMO_SETTINGS)):
        (config_dir / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_demo(_cwd: Path) -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="marsad-demo-") as tmp, PortalWorld() as world, SmtpSink() as mail:
        config_dir = Path(tmp) / "config"
        write_demo_config(config_dir, world.sources_config(), demo_alerts(mail.url(to="analyst@example.org")))
        settings = load_settings(env={"MARSAD_DATA_DIR": str(Path(tmp) / "data")}, config_dir=config_dir)
        print(f"Portal world: {', '.join(world.base_urls.values())}")
        print(f"Local SMTP server (the analyst's mailbox): {mail.host}:{mail.port}")
        print("Crawling (robots.txt obeyed, AutoThrottle on)…\n", flush=True)
        report = run_cycle(settings)
        print(f"\nStored {report.created} new article(s) from {len(report.sources)} portals; "
              f"{report.alerts} alert(s) (one per story: syndicated copies are one); "
              f"{report.messages_sent} message(s) sent.\n")
        emails = mail.wait_for(report.alerts, timeout=10)
        print(f"The analyst's mailbox received {len(emails)} email(s):")
        for message in emails:
            show_email(message)
        print(f"\nAtom feed of the rule: {feed_path(settings.feeds_dir, 'azerbaijan')} "
              "(`marsad serve` publishes it at /feeds/azerbaijan.atom)")
        storage = open_storage(settings)
        try:
            result = storage.search(SearchRequest(query="أذربيجان", limit=50))
        finally:
            storage.close()
        print(f"\nmarsad search أذربيجان → {result.total} result(s):")
        for hit in result.hits:
            when = hit.article.published_at.date().isoformat() if hit.article.published_at else "?"
            print(f"  {when}  {hit.article.source:<12} {hit.article.title}")
    print(f"\nDemo finished in {time.monotonic() - started:.1f}s.", file=sys.stderr)
    return 0 if report.ok else 1


def show_email(message: EmailMessage) -> None:
    kinds = [part.get_content_type() for part in message.walk() if not part.is_multipart()]
    print(f"\n  Subject: {message['Subject']}\n  From: {message['From']}  To: {message['To']}  ({' + '.join(kinds)})")
    text = message.get_body(preferencelist=("plain",))
    if text is not None:
        lines = [line for line in str(text.get_content()).splitlines() if line.strip()]
        for line in lines[1:7]:
            print(f"    {line}")
