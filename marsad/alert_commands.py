"""The `marsad alerts …` commands: one function each, thin over the library."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from core.errors import DeliveryError, UsageError
from core.settings import Settings, load_settings
from core.terminal import printable
from indexer.delivery.config import AlertConfig, load_alert_config
from indexer.delivery.secrets import protect_logs


def _setup(args: argparse.Namespace) -> tuple[Settings, AlertConfig]:
    settings = load_settings(config_dir=args.config_dir)
    config = load_alert_config(settings.alerts_path)
    protect_logs(config.secrets)
    return settings, config


def status(args: argparse.Namespace) -> int:
    from indexer.state.factory import open_state

    settings, _config = _setup(args)
    state = open_state(settings)
    try:
        summary = state.outbox.summary()
    finally:
        state.close()
    if args.json:
        print(json.dumps({
            "counts": [{"channel": c, "status": s, "alerts": n} for (c, s), n in sorted(summary.counts.items())],
            "oldest_pending": summary.oldest_pending.isoformat() if summary.oldest_pending else None,
            "failed": [{"rule": r.rule, "story_id": r.story_id, "channel": r.channel, "attempts": r.attempts,
                        "last_error": r.last_error} for r in summary.failed],
        }, ensure_ascii=False, indent=2))
        return 0
    channels = sorted({channel for channel, _status in summary.counts})
    print(f"{'channel':<20} {'pending':>8} {'sent':>8} {'failed':>8}")
    for channel in channels:
        counts = [summary.counts.get((channel, status), 0) for status in ("pending", "sent", "failed")]
        print(f"{channel:<20} {counts[0]:>8} {counts[1]:>8} {counts[2]:>8}")
    if not channels:
        print("(no alerts yet)")
    if summary.oldest_pending:
        print(f"oldest pending alert queued {summary.oldest_pending:%Y-%m-%d %H:%M} UTC")
    for row in summary.failed:
        print(printable(f"FAILED [{row.rule}] story {row.story_id[:12]} on {row.channel} after {row.attempts} "
                        f"attempt(s): {row.last_error}"))
    if summary.failed:
        print("`marsad alerts retry` puts them back in the queue.", file=sys.stderr)
    return 0


def deliver(args: argparse.Namespace) -> int:
    from marsad.alerting import deliver as deliver_now
    from marsad.lock import run_lock

    settings, config = _setup(args)
    with run_lock(settings.lock_path):
        report = deliver_now(settings, config)
    print(f"messages sent: {report.messages_sent} ({report.alerts_sent} alert(s)); "
          f"failed: {report.messages_failed}; held or folded: {report.rescheduled}")
    return 0 if report.ok else 1


def retry(args: argparse.Namespace) -> int:
    from indexer.state.factory import open_state

    settings, config = _setup(args)
    if args.channel and args.channel not in config.channels:
        raise UsageError(f"no channel named {args.channel!r} in {settings.alerts_path}")
    state = open_state(settings)
    try:
        count = state.outbox.retry_failed(datetime.now(UTC), args.channel)
    finally:
        state.close()
    print(f"{count} alert(s) queued again; the next `marsad run` (or `marsad alerts deliver`) sends them")
    return 0


def test_channel(args: argparse.Namespace) -> int:
    from indexer.delivery.deliver import make_sender
    from indexer.delivery.message import Message

    settings, config = _setup(args)
    channel = config.channels.get(args.name)
    if channel is None:
        known = ", ".join(sorted(config.channels))
        raise UsageError(f"no channel named {args.name!r} in {settings.alerts_path} (defined: {known})")
    message = Message(rule="test", query="", kind="immediate", stories=(), timezone=channel.timezone,
                      note=f"رسالة تجريبية من مرصد إلى القناة {args.name}",
                      details=("إذا وصلتك هذه الرسالة فالقناة تعمل.",))
    try:
        make_sender(config, args.name, settings.alerts_log_path, sys.stdout).send(message)
    except DeliveryError as exc:
        print(f"marsad: channel {args.name}: not delivered: {exc}", file=sys.stderr)
        return 1
    print(f"test message delivered to {args.name}")
    return 0


def backtest(args: argparse.Namespace) -> int:
    from indexer.alerts.backtest import backtest as run_backtest
    from indexer.alerts.query import QuerySyntaxError
    from indexer.alerts.rules import Rule
    from indexer.storage.factory import open_storage
    from marsad.commands import parse_since

    settings, config = _setup(args)
    rule = config.rule(args.rule)
    if rule is None:
        try:
            rule = Rule.from_query("query", args.rule)
        except QuerySyntaxError as exc:
            raise UsageError(f"{args.rule!r} is neither a rule in {settings.alerts_path} nor a query: {exc}") from exc
    since = parse_since(args.since)
    storage = open_storage(settings)
    try:
        result = run_backtest(storage, rule, since, config.timezone)
    finally:
        storage.close()
    if args.json:
        print(json.dumps(result.to_dict(args.top), ensure_ascii=False, indent=2))
    else:
        print_backtest(result.to_dict(args.top))
    return 0


def print_backtest(data: dict[str, Any]) -> None:
    since = f" since {data['since'][:10]}" if data["since"] else ""
    print(printable(f"«{data['rule']}» ({data['query']}){since}: {data['articles']} article(s) in "
                    f"{data['stories']} story(ies) from {len(data['per_source'])} source(s)"))
    if data["per_day"]:
        peak = max(data["per_day"].values())
        print("\nper day:")
        for day, count in data["per_day"].items():
            print(f"  {day}  {'█' * max(1, round(20 * count / peak)):<20} {count}")
    if data["per_source"]:
        print("\nper source:")
        for source, count in data["per_source"].items():
            print(printable(f"  {source:<20} {count}"))
    if data["top_stories"]:
        print("\ntop stories:")
        for story in data["top_stories"]:
            when = (story["first_seen"] or "")[:10] or "undated"
            sources = ", ".join(story["sources"])
            print(printable(f"  {when}  {story['title']}  [{sources}; {story['articles']} article(s)]"))
            print(printable(f"              {story['url']}"))
