"""Delivery modes on a real state store and a real webhook server, with a frozen clock:
immediate, digest, quiet hours and the hourly cap (folded into the next digest, never dropped)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.article import Article
from core.settings import AlertsSection
from crawler.pipelines.alerts import alert_matches
from indexer.alerts.matcher import RuleMatcher
from indexer.delivery.config import AlertConfig, parse_alert_config
from indexer.delivery.deliver import DeliveryReport, deliver_due
from indexer.state import StateStore, StoredArticle
from marsad.sinks import WebhookSink

MONDAY_10 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 10:00 in Riyadh
SETTINGS = AlertsSection(retry_seconds=0, retry_pause_seconds=0)


def config_for(hook: WebhookSink, **route: Any) -> AlertConfig:
    data = {"timezone": "Asia/Riyadh", "channels": {"hook": hook.url()},
            "rules": [{"name": "azerbaijan", "query": "أذربيجان", "channels": [{"name": "hook", **route}]}]}
    return parse_alert_config(data, "<test>", {})


def article(number: int, source: str = "techwave", story: str | None = None) -> Article:
    url = f"http://{source}.example/{number}"
    body = f"خبر رقم {number} عن التعاون الرقمي مع أذربيجان في مجال الاتصالات."
    return Article(url=url, canonical_url=url, source=source, title=f"أذربيجان: خبر {number}", body=body,
                   story_id=story or f"story-{number}")


def store(state: StateStore, config: AlertConfig, articles: list[Article], now: datetime) -> int:
    matcher = RuleMatcher(config.rules)
    records = [StoredArticle(a.url, a.canonical_url, a.source, a.content_hash,
                             alert_matches(config, a, matcher.match_article(a), now)) for a in articles]
    return state.record_stored(records, now)


def deliver(tmp_path: Path, config: AlertConfig, now: datetime) -> DeliveryReport:
    return deliver_due(lambda: StateStore(tmp_path / "state.sqlite"), config, SETTINGS, tmp_path / "alerts.jsonl", now)


def test_immediate_sends_one_message_per_story_naming_every_source(tmp_path: Path) -> None:
    with WebhookSink("127.0.0.5") as hook:
        config = config_for(hook)
        state = StateStore(tmp_path / "state.sqlite")
        copies = [article(1), article(1, "arabnet", story="story-1"), article(2)]
        assert store(state, config, copies, MONDAY_10) == 2
        report = deliver(tmp_path, config, MONDAY_10)
        assert (report.messages_sent, report.alerts_sent) == (2, 2)
        first = next(post for post in hook.received() if "خبر 1" in post["title"])
        assert "(+1 مصدر آخر)" in first["title"] and "arabnet" in first["message"]
        # A copy found in a later run joins its story: no new alert.
        assert store(state, config, [article(1, "shamtech", story="story-1")], MONDAY_10 + timedelta(hours=2)) == 0
        assert deliver(tmp_path, config, MONDAY_10 + timedelta(hours=2)).messages_sent == 0
        assert len(hook.received()) == 2


def test_digest_goes_out_once_at_its_time_grouped_with_counts(tmp_path: Path) -> None:
    with WebhookSink("127.0.0.5") as hook:
        config = config_for(hook, mode="digest", every="1d", at="08:00")
        state = StateStore(tmp_path / "state.sqlite")
        store(state, config, [article(1), article(1, "arabnet", story="story-1"), article(2)], MONDAY_10)
        assert deliver(tmp_path, config, MONDAY_10 + timedelta(hours=12)).messages_sent == 0, "not due before 08:00"
        tuesday_8 = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
        report = deliver(tmp_path, config, tuesday_8)
        assert (report.messages_sent, report.alerts_sent) == (1, 2)
        (digest,) = hook.received()
        assert "ملخص" in digest["title"] and "2 أخبار" in digest["title"]
        assert "techwave: 2" in digest["message"] and "arabnet: 1" in digest["message"]
        assert deliver(tmp_path, config, tuesday_8 + timedelta(days=1)).messages_sent == 0


def test_over_the_hourly_cap_is_folded_into_the_next_digest_not_repeated(tmp_path: Path) -> None:
    with WebhookSink("127.0.0.5") as hook:
        config = config_for(hook, max_per_hour=2)
        state = StateStore(tmp_path / "state.sqlite")
        store(state, config, [article(n) for n in range(1, 6)], MONDAY_10)
        report = deliver(tmp_path, config, MONDAY_10)
        assert (report.messages_sent, report.rescheduled) == (2, 3)
        immediate = {post["title"] for post in hook.received()}
        assert deliver(tmp_path, config, MONDAY_10 + timedelta(minutes=30)).messages_sent == 0
        report = deliver(tmp_path, config, MONDAY_10 + timedelta(hours=1))
        assert (report.messages_sent, report.alerts_sent) == (1, 3)
        digest = hook.received()[-1]
        assert "3 أخبار" in digest["title"]
        for title in immediate:
            assert title.split(": ", 1)[1] not in digest["message"], "a digest does not repeat what was sent"
        summary = state.outbox.summary()
        assert summary.counts == {("hook", "sent"): 5}


def test_quiet_hours_hold_alerts_and_send_them_together_after(tmp_path: Path) -> None:
    with WebhookSink("127.0.0.5") as hook:
        config = config_for(hook, quiet_hours="22:00-07:00")
        state = StateStore(tmp_path / "state.sqlite")
        night = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)  # 23:30 in Riyadh
        store(state, config, [article(1), article(2)], night)
        assert deliver(tmp_path, config, night).messages_sent == 0
        assert deliver(tmp_path, config, night + timedelta(hours=7)).messages_sent == 0, "06:30: still quiet"
        report = deliver(tmp_path, config, night + timedelta(hours=7, minutes=30))
        assert (report.messages_sent, report.alerts_sent) == (1, 2)
        assert "ملخص" in hook.received()[0]["title"]


def test_an_alert_that_keeps_failing_is_marked_failed_and_can_be_retried(tmp_path: Path) -> None:
    with WebhookSink("127.0.0.5", statuses=[500] * 6) as hook:
        config = config_for(hook)
        settings = AlertsSection(retry_seconds=60, retry_pause_seconds=0, tries_per_run=2, max_attempts=3)
        state = StateStore(tmp_path / "state.sqlite")
        store(state, config, [article(1)], MONDAY_10)
        path = tmp_path / "state.sqlite"

        def opener() -> StateStore:
            return StateStore(path)

        log = tmp_path / "alerts.jsonl"
        assert deliver_due(opener, config, settings, log, MONDAY_10).messages_failed == 1
        assert deliver_due(opener, config, settings, log, MONDAY_10 + timedelta(seconds=30)).messages_failed == 0, \
            "waits 60 s before the next attempt"
        assert deliver_due(opener, config, settings, log, MONDAY_10 + timedelta(minutes=1)).messages_failed == 1
        third = deliver_due(opener, config, settings, log, MONDAY_10 + timedelta(minutes=3))
        assert third.gave_up == 1 and "gave up" in third.errors[0]
        assert [row.attempts for row in state.outbox.summary().failed] == [3]
        assert hook.attempts == 6 and hook.received() == []
        assert state.outbox.retry_failed(MONDAY_10 + timedelta(minutes=4)) == 1
        assert deliver_due(opener, config, settings, log, MONDAY_10 + timedelta(minutes=4)).messages_sent == 1
        assert len(hook.received()) == 1
