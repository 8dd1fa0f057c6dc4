"""Turn one channel's due outbox rows into messages.

Immediate rows become one message per (rule, story), naming every source the story was
matched in; digest rows become one message per rule. Before sending, the rule's current policy
is applied: inside quiet hours rows are held until they end; an immediate message beyond
``max_per_hour`` is folded into the next hourly digest (never dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from indexer.alerts.policy import Route
from indexer.delivery.config import AlertConfig
from indexer.delivery.message import Message, StoryAlert
from indexer.delivery.schedule import next_hour, quiet_end
from indexer.state.base import Key, OutboxStore
from indexer.state.records import Kind, OutboxRow


@dataclass(frozen=True)
class Planned:
    message: Message
    keys: list[Key]
    attempts: int  # the most attempts any of its rows had


@dataclass
class ChannelPlan:
    messages: list[Planned] = field(default_factory=list)
    rescheduled: int = 0


def plan_channel(outbox: OutboxStore, config: AlertConfig, channel: str, rows: list[OutboxRow], now: datetime,
                 web_url: str | None) -> ChannelPlan:
    plan = ChannelPlan()
    zone = config.channels[channel].timezone if channel in config.channels else config.timezone
    sent_this_hour: dict[str, int] = {}
    digests: dict[str, list[OutboxRow]] = {}
    for row in rows:
        route = _route(config, row.rule, channel)
        if route is not None and route.quiet_hours is not None:
            end = quiet_end(now, route.quiet_hours, zone)
            if end is not None:
                outbox.reschedule([row.key], "digest", end)
                plan.rescheduled += 1
                continue
        if row.kind == "digest":
            digests.setdefault(row.rule, []).append(row)
            continue
        if route is not None and route.max_per_hour is not None:
            if row.rule not in sent_this_hour:
                sent_this_hour[row.rule] = outbox.sent_since(row.rule, channel, now - timedelta(hours=1), "immediate")
            if sent_this_hour[row.rule] >= route.max_per_hour:
                outbox.reschedule([row.key], "digest", next_hour(now, zone))
                plan.rescheduled += 1
                continue
            sent_this_hour[row.rule] += 1
        _add(plan, outbox, config, [row], "immediate", zone, web_url)
    for rule_rows in digests.values():
        _add(plan, outbox, config, rule_rows, "digest", zone, web_url)
    return plan


def _add(plan: ChannelPlan, outbox: OutboxStore, config: AlertConfig, rows: list[OutboxRow], kind: Kind,
         zone: ZoneInfo, web_url: str | None) -> None:
    rule_name = rows[0].rule
    rule = config.rule(rule_name)
    stories = []
    for row in rows:
        articles = outbox.story_matches(row.rule, row.story_id)
        if articles:
            stories.append(StoryAlert(row.story_id, tuple(articles)))
    if not stories:
        return
    message = Message(
        rule=rule_name,
        query=rule.query_text if rule else "",
        kind=kind,
        stories=tuple(stories),
        timezone=zone,
        web_url=web_url,
    )
    plan.messages.append(Planned(message, [row.key for row in rows], max(row.attempts for row in rows)))


def _route(config: AlertConfig, rule_name: str, channel: str) -> Route | None:
    rule = config.rule(rule_name)
    if rule is None:
        return None
    return next((route for route in rule.routes if route.channel == channel), None)
