"""When an alert is due on a channel: now, at the next digest, or when quiet hours end.

Times of day (digest ``at``, quiet hours) are read in the channel's reader zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from indexer.alerts.policy import Route
from indexer.state.records import Kind, OutboxEntry


def entry_for(route: Route, zone: ZoneInfo, now: datetime) -> OutboxEntry:
    kind: Kind = route.mode
    due = now if route.mode == "immediate" else next_digest(now, route.every, route.at, zone)
    if route.quiet_hours is not None:
        end = quiet_end(due, route.quiet_hours, zone)
        if end is not None:
            # Held alerts go out together when the quiet hours end.
            kind, due = "digest", end
    return OutboxEntry(channel=route.channel, kind=kind, due_at=due)


def next_digest(now: datetime, every: timedelta, at: time, zone: ZoneInfo) -> datetime:
    """The first digest time after ``now``: every N days at ``at``, or on the hour grid
    (every 1h → on the hour, every 30m → :00 and :30) counted from local midnight."""
    local = now.astimezone(zone)
    if every >= timedelta(days=1):
        days = every.days
        candidate = datetime.combine(local.date(), at, tzinfo=zone)
        ordinal = candidate.toordinal()
        candidate += timedelta(days=(-ordinal) % days)
        while candidate <= local:
            candidate += timedelta(days=days)
        return candidate.astimezone(UTC)
    midnight = datetime.combine(local.date(), time(0, 0), tzinfo=zone)
    steps = (local - midnight) // every + 1
    return (midnight + steps * every).astimezone(UTC)


def quiet_end(moment: datetime, hours: tuple[time, time], zone: ZoneInfo) -> datetime | None:
    """When the quiet hours around ``moment`` end, or None when ``moment`` is not in them."""
    start, end = hours
    local = moment.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:  # wraps midnight, e.g. 22:00-07:00
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def next_hour(now: datetime, zone: ZoneInfo) -> datetime:
    """Where an alert over the hourly cap goes: the next hourly digest."""
    return next_digest(now, timedelta(hours=1), time(0, 0), zone)
