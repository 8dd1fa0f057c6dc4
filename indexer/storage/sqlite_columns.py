"""Per-article values that facets, the histogram and collapse count over, as columns of integers.

Counting among a search's matches row by row in SQL costs a join and a sort per facet; the way
Lucene's doc values avoid it is a column of small integers per field, indexed by document number.
This module keeps such columns inside the SQLite file: ``article_columns`` holds one row per block
of ``BLOCK`` article numbers (``articles.n``), each field an array of int32 (int64 for the date)
as a BLOB; entities are, per block, the number of entities of each article and their codes one
after the other. Values are coded through ``facet_values`` (kind, value) → code; stories use
``article_stories`` codes. ``store`` updates the blocks it touches in its own transaction, so the
columns always agree with the rows; a search reads every block (a few dozen BLOBs for 100,000
articles) and counts with numpy over the matches' numbers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BLOCK = 4_096
NONE = -1  # no value (no section, no language; an unused article number has no source)
UNDATED = np.iinfo(np.int64).min
KINDS = ("source", "section", "language", "entity")
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS facet_values (
        code INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        UNIQUE (kind, value)
    )""",
    """CREATE TABLE IF NOT EXISTS article_columns (
        block INTEGER PRIMARY KEY,  -- articles.n // BLOCK
        source BLOB NOT NULL, section BLOB NOT NULL, language BLOB NOT NULL, story BLOB NOT NULL,
        epoch BLOB NOT NULL,  -- int64 Unix seconds, UNDATED when undated
        entity_counts BLOB NOT NULL, entity_codes BLOB NOT NULL
    )""",
]
_INT_FIELDS = ("source", "section", "language", "story")
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Values:
    """One article's values, as ``store`` writes them."""

    n: int
    source: str
    section: str | None
    language: str | None
    story: int
    epoch: int | None
    entities: Sequence[str]  # persons, then organizations, then locations


@dataclass
class Columns:
    """Every article's values, indexed by ``n`` (entity occurrences flattened with their owner)."""

    source: Ints
    section: Ints
    language: Ints
    story: Ints
    epoch: Ints
    entity_n: Ints
    entity: Ints

    @property
    def present(self) -> Ints:
        """The numbers of stored articles."""
        return np.flatnonzero(self.source != NONE)


class Codes:
    """The codes of facet values, remembered by the writing connection (forgotten when its
    transaction is rolled back: codes it assigned are gone)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], int] = {}

    def get(self, db: sqlite3.Connection, kind: str, value: str | None) -> int:
        if value is None:
            return NONE
        code = self._known.get((kind, value))
        if code is None:
            db.execute("INSERT OR IGNORE INTO facet_values (kind, value) VALUES (?, ?)", (kind, value))
            (code,) = db.execute("SELECT code FROM facet_values WHERE kind = ? AND value = ?", (kind, value)).fetchone()
            self._known[(kind, value)] = code
        return code

    def forget(self) -> None:
        self._known.clear()


def write(db: sqlite3.Connection, rows: Iterable[Values], codes: Codes) -> None:
    """Put ``rows`` into their blocks (inside the caller's transaction)."""
    by_block: dict[int, list[Values]] = {}
    for row in rows:
        by_block.setdefault(row.n // BLOCK, []).append(row)
    for block, values in by_block.items():
        fields, entities = _read_block(db, block)
        lists: dict[int, list[int]] = {}
        for row in values:
            slot = row.n - block * BLOCK
            fields["source"][slot] = codes.get(db, "source", row.source)
            fields["section"][slot] = codes.get(db, "section", row.section)
            fields["language"][slot] = codes.get(db, "language", row.language)
            fields["story"][slot] = row.story
            fields["epoch"][slot] = UNDATED if row.epoch is None else row.epoch
            lists[slot] = [codes.get(db, "entity", name) for name in row.entities]
        _write_block(db, block, fields, _replaced(entities, lists))


def clear(db: sqlite3.Connection, numbers: Iterable[int]) -> None:
    """Mark article numbers unused (their rows were deleted)."""
    by_block: dict[int, list[int]] = {}
    for n in numbers:
        by_block.setdefault(n // BLOCK, []).append(n)
    for block, ns in by_block.items():
        fields, entities = _read_block(db, block)
        for n in ns:
            slot = n - block * BLOCK
            for name in _INT_FIELDS:
                fields[name][slot] = NONE
            fields["epoch"][slot] = UNDATED
        _write_block(db, block, fields, _replaced(entities, {n - block * BLOCK: [] for n in ns}))


def load(db: sqlite3.Connection) -> Columns:
    """Every block, as arrays indexed by article number."""
    rows = db.execute("SELECT block, source, section, language, story, epoch, entity_counts, entity_codes "
                      "FROM article_columns ORDER BY block").fetchall()
    size = (rows[-1][0] + 1) * BLOCK if rows else 0
    arrays = {name: np.full(size, NONE, dtype=np.int64) for name in _INT_FIELDS}
    arrays["epoch"] = np.full(size, UNDATED, dtype=np.int64)
    owners: list[Ints] = []
    entities: list[Ints] = []
    for block, *blobs in rows:
        start = block * BLOCK
        for name, blob in zip((*_INT_FIELDS, "epoch"), blobs[:5], strict=True):
            arrays[name][start:start + BLOCK] = np.frombuffer(blob, dtype=np.int64 if name == "epoch" else np.int32)
        counts = np.frombuffer(blobs[5], dtype=np.int32)
        owners.append(np.repeat(np.arange(start, start + BLOCK, dtype=np.int64), counts))
        entities.append(np.frombuffer(blobs[6], dtype=np.int32).astype(np.int64))
    empty = np.zeros(0, dtype=np.int64)
    return Columns(**arrays, entity_n=np.concatenate(owners) if owners else empty,
                   entity=np.concatenate(entities) if entities else empty)


def values_of(db: sqlite3.Connection, codes: Iterable[int]) -> dict[int, str]:
    listed = sorted({int(code) for code in codes})
    if not listed:
        return {}
    marks = ", ".join("?" for _ in listed)
    return dict(db.execute(f"SELECT code, value FROM facet_values WHERE code IN ({marks})", listed).fetchall())


def _read_block(db: sqlite3.Connection, block: int) -> tuple[dict[str, Ints], tuple[Ints, Ints]]:
    """A block's fields (writable copies) and its entities: (count per slot, codes one slot after
    the other)."""
    row = db.execute("SELECT source, section, language, story, epoch, entity_counts, entity_codes "
                     "FROM article_columns WHERE block = ?", (block,)).fetchone()
    if row is None:
        fields = {name: np.full(BLOCK, NONE, dtype=np.int64) for name in _INT_FIELDS}
        fields["epoch"] = np.full(BLOCK, UNDATED, dtype=np.int64)
        return fields, (np.zeros(BLOCK, dtype=np.int64), np.zeros(0, dtype=np.int64))
    fields = {name: np.frombuffer(blob, dtype=np.int32).astype(np.int64)
              for name, blob in zip(_INT_FIELDS, row[:4], strict=True)}
    fields["epoch"] = np.frombuffer(row[4], dtype=np.int64).copy()
    return fields, (np.frombuffer(row[5], dtype=np.int32).astype(np.int64),
                    np.frombuffer(row[6], dtype=np.int32).astype(np.int64))


def _replaced(entities: tuple[Ints, Ints], lists: dict[int, list[int]]) -> tuple[Ints, Ints]:
    """A block's entities with the slots of ``lists`` given new codes, in numpy: the cost follows
    the block's size, not a Python loop over its 4,096 slots."""
    counts, codes = entities
    owners = np.repeat(np.arange(BLOCK, dtype=np.int64), counts)
    slots = np.fromiter(lists, dtype=np.int64, count=len(lists))
    kept = ~np.isin(owners, slots)
    added = np.repeat(slots, [len(listed) for listed in lists.values()])
    owners = np.concatenate([owners[kept], added])
    order = np.argsort(owners, kind="stable")  # each slot's codes stay in their order
    new_codes = np.concatenate([codes[kept], np.array([c for listed in lists.values() for c in listed],
                                                      dtype=np.int64)])
    return np.bincount(owners, minlength=BLOCK).astype(np.int64), new_codes[order]


def _write_block(db: sqlite3.Connection, block: int, fields: dict[str, Ints], entities: tuple[Ints, Ints]) -> None:
    counts, codes = entities
    db.execute("INSERT OR REPLACE INTO article_columns VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
        block, *(fields[name].astype(np.int32).tobytes() for name in _INT_FIELDS),
        fields["epoch"].astype(np.int64).tobytes(), counts.astype(np.int32).tobytes(),
        codes.astype(np.int32).tobytes()))
