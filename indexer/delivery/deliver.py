"""The delivery step: send the outbox's due alerts, record each result, retry failures later.

One worker per channel, so a channel that is down (or slow) never holds up the others; after a
message fails on a channel the rest of that channel's queue waits for the next run (nothing is
lost: the rows stay pending). A failed message is retried within the run
(``tries_per_run``), then on later runs with a doubling delay, and after ``max_attempts`` it is
marked ``failed`` for ``marsad alerts status`` / ``marsad alerts retry``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol, TextIO

from core.errors import DeliveryError
from core.settings import AlertsSection
from indexer.delivery.config import AlertConfig
from indexer.delivery.log import LogChannel
from indexer.delivery.message import Message
from indexer.delivery.plan import Planned, plan_channel
from indexer.state import OutboxRow, State

logger = logging.getLogger(__name__)
MAX_RETRY_DELAY = timedelta(hours=6)
StateOpener = Callable[[], State]


class Sender(Protocol):
    name: str

    def send(self, message: Message) -> None: ...


@dataclass
class DeliveryReport:
    messages_sent: int = 0
    alerts_sent: int = 0
    messages_failed: int = 0
    gave_up: int = 0
    rescheduled: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.messages_failed

    def add(self, other: DeliveryReport) -> None:
        self.messages_sent += other.messages_sent
        self.alerts_sent += other.alerts_sent
        self.messages_failed += other.messages_failed
        self.gave_up += other.gave_up
        self.rescheduled += other.rescheduled
        self.errors.extend(other.errors)


def deliver_due(open_state: StateOpener, config: AlertConfig, settings: AlertsSection, log_path: Path,
                now: datetime | None = None, stream: TextIO | None = None) -> DeliveryReport:
    """Send every due alert once; returns what was sent and what failed. ``open_state`` opens the
    state store (once per channel worker: a SQLite connection stays in its thread)."""
    now = now or datetime.now(UTC)
    state = open_state()
    try:
        rows = state.outbox.due(now)
    finally:
        state.close()
    by_channel: dict[str, list[OutboxRow]] = {}
    for row in rows:
        by_channel.setdefault(row.channel, []).append(row)
    report = DeliveryReport()
    if not by_channel:
        return report

    def work(channel: str) -> DeliveryReport:
        return deliver_channel(open_state, config, settings, channel, by_channel[channel], now,
                               lambda: make_sender(config, channel, log_path, stream))

    with ThreadPoolExecutor(max_workers=min(8, len(by_channel)), thread_name_prefix="marsad-deliver") as pool:
        for channel_report in pool.map(work, sorted(by_channel)):
            report.add(channel_report)
    return report


def make_sender(config: AlertConfig, channel: str, log_path: Path, stream: TextIO | None) -> Sender:
    spec = config.channels.get(channel)
    if spec is None:
        raise DeliveryError(f"channel {channel!r} is no longer configured in {config.origin}")
    if spec.is_log:
        return LogChannel(log_path, stream)
    from indexer.delivery.apprise_channel import AppriseChannel

    return AppriseChannel(spec)


def deliver_channel(open_state: StateOpener, config: AlertConfig, settings: AlertsSection, channel: str,
                    rows: list[OutboxRow], now: datetime, sender_factory: Callable[[], Sender]) -> DeliveryReport:
    report = DeliveryReport()
    state = open_state()
    try:
        planned = plan_channel(state.outbox, config, channel, rows, now, settings.web_url)
        report.rescheduled = planned.rescheduled
        try:
            sender = sender_factory()
        except DeliveryError as exc:
            for item in planned.messages:
                _failed(state, settings, channel, item, str(exc), now, report)
            return report
        for item in planned.messages:
            error = _send(sender, item.message, settings)
            if error is None:
                state.outbox.mark_sent(item.keys, now)
                state.outbox.log_delivery(channel, item.message.rule, item.message.kind, len(item.keys), now)
                report.messages_sent += 1
                report.alerts_sent += len(item.keys)
            else:
                _failed(state, settings, channel, item, error, now, report)
                break  # the channel is down: its other messages wait for the next run
    finally:
        state.close()
    return report


def _send(sender: Sender, message: Message, settings: AlertsSection) -> str | None:
    error: str | None = None
    for attempt in range(settings.tries_per_run):
        try:
            sender.send(message)
            return None
        except DeliveryError as exc:
            error = str(exc)
            if attempt + 1 < settings.tries_per_run:
                time.sleep(settings.retry_pause_seconds * 2**attempt)
    return error


def _failed(state: State, settings: AlertsSection, channel: str, item: Planned, error: str, now: datetime,
            report: DeliveryReport) -> None:
    attempts = item.attempts + 1
    give_up = attempts >= settings.max_attempts
    delay = min(timedelta(seconds=settings.retry_seconds * 2 ** (attempts - 1)), MAX_RETRY_DELAY)
    state.outbox.record_failure(item.keys, error, now + delay, give_up)
    report.messages_failed += 1
    report.gave_up += len(item.keys) if give_up else 0
    what = "gave up" if give_up else f"will retry after {now + delay:%Y-%m-%d %H:%M} UTC"
    report.errors.append(f"channel {channel}: {error} ({len(item.keys)} alert(s); attempt {attempts}; {what})")
    logger.error("alerts: channel %s: %s (%d alert(s), attempt %d; %s)", channel, error, len(item.keys),
                 attempts, what)
