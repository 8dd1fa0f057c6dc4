"""When alerts are due: digest times on the reader's clock, quiet hours across midnight."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from indexer.alerts.policy import Route
from indexer.delivery.schedule import entry_for, next_digest, next_hour, quiet_end

RIYADH = ZoneInfo("Asia/Riyadh")  # UTC+3
CAIRO = ZoneInfo("Africa/Cairo")


def riyadh(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=RIYADH)


@pytest.mark.parametrize(
    ("now", "every", "expected"),
    [
        (riyadh(23, 10, 20), timedelta(hours=1), riyadh(23, 11)),
        (riyadh(23, 10, 59), timedelta(minutes=30), riyadh(23, 11)),
        (riyadh(23, 10, 0), timedelta(hours=1), riyadh(23, 11)),  # exactly on the hour: the next one
        (riyadh(23, 23, 40), timedelta(hours=1), riyadh(24, 0)),
        (riyadh(23, 7, 0), timedelta(days=1), riyadh(23, 8)),
        (riyadh(23, 9, 0), timedelta(days=1), riyadh(24, 8)),
    ],
)
def test_next_digest(now: datetime, every: timedelta, expected: datetime) -> None:
    found = next_digest(now, every, time(8, 0), RIYADH)
    assert found == expected and found.tzinfo is UTC


def test_every_two_days_is_a_fixed_grid() -> None:
    first = next_digest(riyadh(23, 9), timedelta(days=2), time(8, 0), RIYADH)
    assert next_digest(first, timedelta(days=2), time(8, 0), RIYADH) == first + timedelta(days=2)
    assert next_digest(first - timedelta(hours=1), timedelta(days=2), time(8, 0), RIYADH) == first


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (riyadh(23, 23, 30), riyadh(24, 7)),
        (riyadh(24, 3, 0), riyadh(24, 7)),
        (riyadh(24, 7, 0), None),
        (riyadh(23, 21, 59), None),
        (riyadh(23, 22, 0), riyadh(24, 7)),
    ],
)
def test_quiet_hours_across_midnight(moment: datetime, expected: datetime | None) -> None:
    assert quiet_end(moment, (time(22), time(7)), RIYADH) == expected


def test_quiet_hours_within_a_day_and_in_the_readers_zone() -> None:
    lunch = (time(12), time(13))
    assert quiet_end(riyadh(23, 12, 30), lunch, RIYADH) == riyadh(23, 13)
    # 12:30 in Riyadh is 11:30 in Cairo: not quiet for a Cairo reader.
    assert quiet_end(riyadh(23, 12, 30), lunch, CAIRO) is None


def test_entries() -> None:
    now = riyadh(23, 23, 10).astimezone(UTC)
    assert entry_for(Route("mail"), RIYADH, now).due_at == now
    held = entry_for(Route("mail", quiet_hours=(time(22), time(7))), RIYADH, now)
    assert (held.kind, held.due_at) == ("digest", riyadh(24, 7))
    daily = entry_for(Route("mail", mode="digest", every=timedelta(days=1), at=time(6, 30),
                            quiet_hours=(time(22), time(7))), RIYADH, now)
    assert (daily.kind, daily.due_at) == ("digest", riyadh(24, 7)), "a digest falling in quiet hours waits"
    assert next_hour(now, RIYADH) == riyadh(24, 0)
