"""Counts over a search's matches in SQLite: facets, the per-day histogram, stories.

The matches are an array of article numbers; their values come from the integer columns of
:mod:`indexer.storage.sqlite_columns`, counted with numpy (no SQL join or sort per facet). Facet
values are ordered like Elasticsearch's terms aggregation: most articles first, then by value
(code point order, the order of UTF-8 bytes), ``FACET_SIZE`` of them.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, tzinfo

import numpy as np

from indexer.storage.base import FACET_SIZE
from indexer.storage.sqlite_columns import NONE, UNDATED, Columns, Ints, values_of

FACET_COLUMNS = ("source", "section", "language")
_EPOCH = date(1970, 1, 1)


def facets(db: sqlite3.Connection, columns: Columns, members: Ints) -> dict[str, list[tuple[str, int]]]:
    found = {name: _top(db, getattr(columns, name)[members]) for name in FACET_COLUMNS}
    chosen = np.zeros(len(columns.source), dtype=bool)
    chosen[members] = True
    found["entity"] = _top(db, columns.entity[chosen[columns.entity_n]])
    return found


def _top(db: sqlite3.Connection, codes: Ints) -> list[tuple[str, int]]:
    """The ``FACET_SIZE`` values most frequent among ``codes`` (ties at the cut all looked at)."""
    values, counts = np.unique(codes[codes != NONE], return_counts=True)
    if not len(values):
        return []
    cut = np.sort(counts)[::-1][min(FACET_SIZE, len(counts)) - 1]
    kept = counts >= cut
    names = values_of(db, values[kept].tolist())
    ranked = sorted(((names[int(code)], int(count)) for code, count in zip(values[kept], counts[kept], strict=True)),
                    key=lambda item: (-item[1], item[0]))
    return ranked[:FACET_SIZE]


def histogram(columns: Columns, members: Ints, zone: tzinfo) -> list[tuple[date, int]]:
    """Matches per day in ``zone``, every day from the first to the last (zeros included)."""
    epochs = columns.epoch[members]
    epochs = epochs[epochs != UNDATED]
    if not len(epochs):
        return []
    instants, offsets = offset_changes(zone, int(epochs.min()), int(epochs.max()))
    local = epochs + np.asarray(offsets, dtype=np.int64)[np.searchsorted(instants, epochs, side="right")]
    days, counts = np.unique(np.floor_divide(local, 86_400), return_counts=True)
    full = np.zeros(int(days[-1] - days[0]) + 1, dtype=np.int64)
    full[days - days[0]] = counts
    first = _EPOCH + timedelta(days=int(days[0]))
    return [(first + timedelta(days=k), int(count)) for k, count in enumerate(full)]


def stories(columns: Columns, members: Ints) -> int:
    return len(np.unique(columns.story[members]))


def story_members(db: sqlite3.Connection, columns: Columns, members: Ints,
                  chosen: list[int]) -> dict[int, dict[str, int]]:
    """Matches per source of each story in ``chosen`` (story codes)."""
    inside = members[np.isin(columns.story[members], chosen)]
    names = values_of(db, columns.source[inside].tolist())
    found: dict[int, dict[str, int]] = {}
    for story, source in zip(columns.story[inside].tolist(), columns.source[inside].tolist(), strict=True):
        by_source = found.setdefault(story, {})
        by_source[names[source]] = by_source.get(names[source], 0) + 1
    return found


def offset_changes(zone: tzinfo, first: int, last: int) -> tuple[list[int], list[int]]:
    """``zone``'s UTC offsets (seconds) between two Unix times: ``offsets[k]`` holds from
    ``instants[k - 1]`` on (``offsets[0]`` before the first change). Changes are found day by day,
    then to the second."""
    moment, end = datetime.fromtimestamp(first, UTC), datetime.fromtimestamp(last, UTC)
    instants: list[int] = []
    offsets = [_offset(zone, moment)]
    while moment <= end:
        following = moment + timedelta(days=1)
        if _offset(zone, following) != offsets[-1]:
            change = _change_between(zone, moment, following)
            instants.append(int(change.timestamp()))
            offsets.append(_offset(zone, change))
        moment = following
    return instants, offsets


def _offset(zone: tzinfo, moment: datetime) -> int:
    return int((moment.astimezone(zone).utcoffset() or timedelta(0)).total_seconds())


def _change_between(zone: tzinfo, before: datetime, after: datetime) -> datetime:
    """The instant in (before, after] where the offset becomes ``after``'s: a binary search down
    to one second, then the whole second (offsets change on whole seconds)."""
    wanted = _offset(zone, after)
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if _offset(zone, middle) == wanted:
            after = middle
        else:
            before = middle
    second = before.replace(microsecond=0) + timedelta(seconds=1)
    return second if _offset(zone, second) == wanted else after
