"""Alert delivery: a burst of 1,000 alerts to a real SMTP server and a real webhook server, the
cost of queuing alerts in the outbox, and the end-to-end latency of one `marsad run`.

    .venv/bin/python bench/bench_delivery.py [--alerts 1000] [--runs 3]

1. Burst: 1,000 matched stories queued in a fresh state store, then one delivery step
   (`deliver_due`) to each channel: Apprise ``mailto://`` to an aiosmtpd server and Apprise
   ``json://`` to an HTTP server, both in a separate process on loopback. Baselines in the same
   run: the same number of messages sent by hand with ``smtplib`` (one connection per message,
   as Apprise does) and ``urllib`` POSTs — the cost of a hand-written client, for the ratio.
2. Outbox writes: 1,000 stored articles with one alert each, recorded in batches of 100 (what
   the pipeline does) against one transaction per alert (the old one-commit-per-alert way).
3. End to end: the portal world, `marsad run` with an SMTP channel; for each email, the time from
   the start of the run (the articles are already in the feeds) to its arrival in the SMTP server.
Medians of ``--runs``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from email.message import EmailMessage
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.settings import AlertsSection
from crawler.portalworld import PortalWorld
from indexer.delivery.config import parse_alert_config
from indexer.delivery.deliver import deliver_due
from indexer.state import AlertMatch, OutboxEntry, StateStore, StoredArticle
from marsad.sinks import SmtpSink, WebhookSink, free_port

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def serve(kind: str, port: int, counter: Synchronized[int], stop: Any) -> None:  # a separate process
    if kind == "smtp":
        sink: Any = SmtpSink("127.0.0.1", port).start()
    else:
        sink = WebhookSink("127.0.0.1")
        sink._server.server_close()
        from http.server import ThreadingHTTPServer

        sink._server = ThreadingHTTPServer(("127.0.0.1", port), sink._handler())
        sink.start()
    while not stop.is_set():
        counter.value = len(sink.received())
        time.sleep(0.01)
    sink.stop()


class Server:
    def __init__(self, kind: str) -> None:
        self.kind, self.port = kind, free_port("127.0.0.1")
        self.counter: Synchronized[int] = multiprocessing.Value("i", 0)  # type: ignore[assignment]
        self.stop = multiprocessing.Event()
        self.process = multiprocessing.Process(target=serve, args=(kind, self.port, self.counter, self.stop))

    def __enter__(self) -> Server:
        self.process.start()
        time.sleep(1.0)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.process.join(10)

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.counter.value < count and time.monotonic() < deadline:
            time.sleep(0.005)

    def url(self) -> str:
        if self.kind == "smtp":
            return f"mailto://127.0.0.1:{self.port}?mode=insecure&from=m@example.org&to=a@example.org"
        return f"json://127.0.0.1:{self.port}/hook"


def matches(count: int, channel: str) -> list[StoredArticle]:
    rows = []
    for number in range(count):
        url = f"http://portal.example/{number}"
        payload = {"doc_id": str(number), "url": url, "source": "techwave", "published_at": NOW.isoformat(),
                   "title": f"مصر وأذربيجان تبحثان التعاون الرقمي — خبر {number}",
                   "title_marks": [["مصر و", False], ["أذربيجان", True],
                                   [f" تبحثان التعاون الرقمي — خبر {number}", False]],
                   "snippet": [["…وزير التنمية الرقمية بجمهورية ", False], ["أذربيجان", True],
                               ["، على رأس وفد رسمي…", False]]}
        rows.append(StoredArticle(url, url, "techwave", f"h{number}",
                                  (AlertMatch("azerbaijan", f"story-{number}", payload,
                                              (OutboxEntry(channel, "immediate", NOW),)),)))
    return rows


def burst(server: Server, count: int) -> float:
    """Messages per second for one delivery step of ``count`` queued alerts."""
    with tempfile.TemporaryDirectory() as tmp:
        config = parse_alert_config({"channels": {"c": {"url": server.url(), "throttle": 0}},
                                     "rules": [{"name": "azerbaijan", "query": "أذربيجان", "channels": ["c"]}]},
                                    "<bench>", {})
        state = StateStore(Path(tmp) / "state.sqlite")
        for start in range(0, count, 100):
            state.record_stored(matches(count, "c")[start:start + 100], NOW)
        state.close()
        before = server.counter.value
        started = time.perf_counter()
        report = deliver_due(lambda: StateStore(Path(tmp) / "state.sqlite"), config,
                             AlertsSection(retry_pause_seconds=0), Path(tmp) / "alerts.jsonl", NOW)
        server.wait_for(before + count)
        elapsed = time.perf_counter() - started
        assert report.messages_sent == count, report.errors[:3]
        return count / elapsed


def raw_smtp(server: Server, count: int) -> float:
    started = time.perf_counter()
    for number in range(count):
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = f"تنبيه {number}", "m@example.org", "a@example.org"
        message.set_content("نص التنبيه")
        message.add_alternative("<p dir='rtl'>نص التنبيه</p>", subtype="html")
        with smtplib.SMTP("127.0.0.1", server.port) as smtp:
            smtp.send_message(message)
    return count / (time.perf_counter() - started)


def raw_post(server: Server, count: int) -> float:
    started = time.perf_counter()
    for number in range(count):
        body = f'{{"title": "تنبيه {number}", "message": "نص"}}'.encode()
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}/hook", data=body,
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).read()
    return count / (time.perf_counter() - started)


def outbox_ms_per_alert(count: int, batch: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        state = StateStore(Path(tmp) / "state.sqlite")
        rows = matches(count, "log")
        started = time.perf_counter()
        for start in range(0, count, batch):
            state.record_stored(rows[start:start + batch], NOW)
        elapsed = time.perf_counter() - started
        state.close()
        return 1000 * elapsed / count


def end_to_end() -> list[float]:
    """Seconds from the start of `marsad run` to each email's arrival."""
    with PortalWorld() as world, SmtpSink() as sink, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config"
        config.mkdir()
        files = {"sources.yaml": world.sources_config(),
                 "alerts.yaml": {"channels": {"mail": {"url": sink.url(), "throttle": 0}},
                                 "rules": [{"name": "azerbaijan", "query": "أذربيجان", "channels": ["mail"]}]},
                 "settings.yaml": {"crawl": {"download_delay": 0.0}}}
        for name, data in files.items():
            (config / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        arrivals: list[float] = []
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "marsad.cli", "--config-dir", str(config), "run"],
                                   env={"MARSAD_DATA_DIR": str(Path(tmp) / "data"), "PATH": "/usr/bin:/bin"},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = 0
        while process.poll() is None or len(sink.received()) > seen:
            received = len(sink.received())
            arrivals += [time.monotonic() - started] * (received - seen)
            seen = received
            time.sleep(0.005)
        return arrivals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows: list[tuple[str, float]] = []
    with Server("smtp") as smtp, Server("webhook") as webhook:
        for name, run in (
            ("Marsad → Apprise mailto:// → aiosmtpd", lambda: burst(smtp, args.alerts)),
            ("hand-written smtplib, same count", lambda: raw_smtp(smtp, args.alerts)),
            ("Marsad → Apprise json:// → HTTP server", lambda: burst(webhook, args.alerts)),
            ("hand-written urllib POST, same count", lambda: raw_post(webhook, args.alerts)),
        ):
            rows.append((name, statistics.median(run() for _ in range(args.runs))))
    print(f"\nBurst of {args.alerts} alerts, one message each (median of {args.runs}):\n")
    print("| path | messages/s |\n|---|---:|")
    for name, rate in rows:
        print(f"| {name} | {rate:,.0f} |")
    print("\nQueuing alerts in the outbox (state store, WAL, synchronous=NORMAL):\n")
    print("| how | ms per alert |\n|---|---:|")
    for batch in (100, 1):
        cost = statistics.median(outbox_ms_per_alert(args.alerts, batch) for _ in range(args.runs))
        print(f"| batches of {batch} | {cost:.3f} |")
    latencies = [end_to_end() for _ in range(args.runs)]
    flat = [statistics.median(run) for run in latencies if run]
    firsts = [min(run) for run in latencies if run]
    lasts = [max(run) for run in latencies if run]
    print(f"\nEnd to end, one `marsad run` on the portal world ({len(latencies[0])} emails per run):\n")
    print("| from the run's start to | seconds (median of runs) |\n|---|---:|")
    print(f"| first email in the SMTP server | {statistics.median(firsts):.2f} |")
    print(f"| median email | {statistics.median(flat):.2f} |")
    print(f"| last email | {statistics.median(lasts):.2f} |")


if __name__ == "__main__":
    main()
