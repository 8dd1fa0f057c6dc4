"""Counts over a search's matches in SQLite: stories, facets and the per-day histogram.

Each function reads the temporary table of matches (columns n, score, dated, url, story, source,
section, language) that :mod:`indexer.storage.sqlite_search` fills. Facet values are ordered
like Elasticsearch's terms aggregation: most articles first, then by value (code point order,
the order of UTF-8 bytes).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, tzinfo

from indexer.storage.base import FACET_SIZE

_COLUMN_FACETS = {"source": "source", "section": "section", "language": "language"}


def count_stories(db: sqlite3.Connection, table: str) -> int:
    (count,) = db.execute(f"SELECT count(DISTINCT story) FROM {table}").fetchone()
    return int(count)


def story_members(db: sqlite3.Connection, table: str, stories: list[str]) -> dict[str, dict[str, int]]:
    """Articles per source of each of ``stories`` among the matches."""
    if not stories:
        return {}
    marks = ", ".join("?" for _ in stories)
    rows = db.execute(f"SELECT story, source, count(*) FROM {table} WHERE story IN ({marks}) GROUP BY story, source",
                      stories)
    found: dict[str, dict[str, int]] = {}
    for story, source, count in rows:
        found.setdefault(story, {})[source] = count
    return found


def count_facets(db: sqlite3.Connection, table: str) -> dict[str, list[tuple[str, int]]]:
    facets = {}
    for name, column in _COLUMN_FACETS.items():
        rows = db.execute(f"SELECT {column}, count(*) AS c FROM {table} WHERE {column} IS NOT NULL "
                          f"GROUP BY {column} ORDER BY c DESC, {column} LIMIT {FACET_SIZE}")
        facets[name] = [(str(value), int(count)) for value, count in rows]
    rows = db.execute(f"SELECT e.name, count(*) AS c FROM {table} h JOIN article_entities e ON e.n = h.n "
                      f"GROUP BY e.name ORDER BY c DESC, e.name LIMIT {FACET_SIZE}")
    facets["entity"] = [(str(value), int(count)) for value, count in rows]
    return facets


def count_histogram(db: sqlite3.Connection, table: str, zone: tzinfo) -> list[tuple[date, int]]:
    """Matches per day in ``zone``, every day from the first to the last (zeros included)."""
    first, last = db.execute(f"SELECT min(dated), max(dated) FROM {table} WHERE dated != ''").fetchone()
    if first is None:
        return []
    case, params = local_offset_sql(zone, datetime.fromisoformat(first), datetime.fromisoformat(last))
    rows = db.execute(f"SELECT date(substr(dated, 1, 19), {case}) AS day, count(*) FROM {table} "
                      f"WHERE dated != '' GROUP BY day", params)
    counts = {date.fromisoformat(day): int(count) for day, count in rows}
    start, end = min(counts), max(counts)
    return [(start + timedelta(days=k), counts.get(start + timedelta(days=k), 0))
            for k in range((end - start).days + 1)]


def local_offset_sql(zone: tzinfo, first: datetime, last: datetime) -> tuple[str, list[object]]:
    """An SQL expression of ``dated`` giving the date() modifier (``'+180 minutes'``) that turns
    UTC into ``zone``'s local time, for the dates from ``first`` to ``last``: a CASE over the
    instants where the zone's offset changes in between (daylight saving), found day by day and
    then to the second."""
    changes: list[tuple[str, str]] = []  # (from this UTC instant on, modifier)
    moment = first.astimezone(UTC)
    offset = _modifier(zone, moment)
    while moment <= last:
        following = moment + timedelta(days=1)
        if _modifier(zone, following) != offset:
            change = _change_between(zone, moment, following)
            offset = _modifier(zone, change)
            changes.append((change.isoformat(), offset))
        moment = following
    first_offset = _modifier(zone, first.astimezone(UTC))
    if not changes:
        return "?", [first_offset]
    whens = " ".join("WHEN dated < ? THEN ?" for _ in changes)
    params: list[object] = []
    previous = first_offset
    for instant, modifier in changes:
        params += [instant, previous]
        previous = modifier
    return f"CASE {whens} ELSE ? END", [*params, previous]


def _modifier(zone: tzinfo, moment: datetime) -> str:
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    return f"{int(offset.total_seconds()) // 60:+d} minutes"


def _change_between(zone: tzinfo, before: datetime, after: datetime) -> datetime:
    """The instant in (before, after] where the offset becomes ``after``'s: a binary search down
    to one second, then the whole second (offsets change on whole seconds)."""
    wanted = _modifier(zone, after)
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if _modifier(zone, middle) == wanted:
            after = middle
        else:
            before = middle
    second = before.replace(microsecond=0) + timedelta(seconds=1)
    return second if _modifier(zone, second) == wanted else after
