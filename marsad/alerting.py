"""The delivery half of a cycle: send due alerts, rewrite the rules' feeds, tell the admin.

Used after the crawl by `marsad run` and alone by `marsad alerts deliver`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from core.errors import DeliveryError, StateError
from core.settings import Settings
from indexer.delivery.admin import admin_message
from indexer.delivery.config import AlertConfig
from indexer.delivery.deliver import DeliveryReport, deliver_due, make_sender
from indexer.delivery.feeds import write_feeds
from indexer.state.factory import open_state
from marsad.lock import delivery_lock

if TYPE_CHECKING:
    from marsad.cycle import CycleReport

logger = logging.getLogger(__name__)


def deliver(settings: Settings, config: AlertConfig, now: datetime | None = None,
            stream: TextIO | None = None) -> DeliveryReport:
    """Send every due alert and rewrite the feeds of rules that matched something new (``stream``:
    where the log channel prints its lines, stdout by default). Hosts sharing one Redis take turns
    (marsad/lock.py): each writes the feeds in its own data folder from the shared outbox."""
    now = now or datetime.now(UTC)
    with delivery_lock(settings):  # several hosts: one at a time, the next sends what is still due
        report = deliver_due(lambda: open_state(settings), config, settings.alerts, settings.alerts_log_path, now,
                             stream)
        state = open_state(settings)
        try:
            write_feeds(state, config.rules, settings.feeds_dir, entries=settings.alerts.feed_entries,
                        web_url=settings.alerts.web_url, now=now, zone=config.timezone)
        except OSError as exc:
            report.errors.append(f"feeds: cannot write {settings.feeds_dir}: {exc.strerror or exc}")
            report.messages_failed += 1
            logger.error("alerts: cannot write the rules' feeds in %s: %s", settings.feeds_dir, exc.strerror or exc)
        finally:
            state.close()
    return report


def deliver_and_publish(settings: Settings, config: AlertConfig, report: CycleReport, now: datetime | None,
                        stream: TextIO | None = None) -> None:
    try:
        delivered = deliver(settings, config, now, stream)
    except StateError as exc:
        report.delivery_failed += 1
        report.delivery_errors.append(str(exc))
        logger.error("alerts: %s", exc)
        return
    report.messages_sent = delivered.messages_sent
    report.alerts_sent = delivered.alerts_sent
    report.delivery_failed = delivered.messages_failed
    report.delivery_errors = delivered.errors


def notify_admin(settings: Settings, config: AlertConfig, report: CycleReport) -> bool:
    """One summary of what failed to the `admin` channel, if one is configured."""
    if config.admin is None:
        return False
    try:
        make_sender(config, config.admin.name, settings.alerts_log_path, None).send(
            admin_message(report.problems(), config.admin.timezone)
        )
    except DeliveryError as exc:
        logger.error("alerts: the admin channel did not take the run summary: %s", exc)
        return False
    return True
