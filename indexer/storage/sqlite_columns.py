"""Per-article values that facets, the histogram and collapse count over, as columns of integers.

Counting among a search's matches row by row in SQL costs a join and a sort per facet; the way
Lucene's doc values avoid it is a column of small integers per field, indexed by document number.
This module keeps such columns inside the SQLite file: ``article_columns`` holds one row per block
of ``BLOCK`` article numbers (``articles.n``), each field an array of int32 (int64 for the date)
as a BLOB; entities are, per block, the number of entities of each article and their codes one
after the other. Values are coded through ``facet_values`` (kind, value) → code; stories use
``article_stories`` codes. ``store`` updates the blocks it touches in its own transaction, so the
columns always agree with the rows: a changed value is written in place, so storing an article
again costs a page or two, not a rewrite of its block (~200 KB), however many blocks there are.
A search reads every block (a few dozen BLOBs for 100,000 articles) and counts with numpy over
the matches' numbers.
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
_FIXED = {"source": np.int32, "section": np.int32, "language": np.int32, "story": np.int32, "epoch": np.int64}
_Slot = tuple[tuple[int, int, int, int, int], list[int]]  # a slot's fixed values (in _FIXED's order), entity codes
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
    by_block: dict[int, dict[int, _Slot]] = {}
    for row in rows:
        block, slot = divmod(row.n, BLOCK)
        fixed = (codes.get(db, "source", row.source), codes.get(db, "section", row.section),
                 codes.get(db, "language", row.language), row.story, UNDATED if row.epoch is None else row.epoch)
        by_block.setdefault(block, {})[slot] = (fixed, [codes.get(db, "entity", name) for name in row.entities])
    for block, slots in by_block.items():
        _put(db, block, slots)


def clear(db: sqlite3.Connection, numbers: Iterable[int]) -> None:
    """Mark article numbers unused (their rows were deleted)."""
    by_block: dict[int, dict[int, _Slot]] = {}
    for n in numbers:
        block, slot = divmod(n, BLOCK)
        by_block.setdefault(block, {})[slot] = ((NONE, NONE, NONE, NONE, UNDATED), [])
    for block, slots in by_block.items():
        _put(db, block, slots)


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


def _put(db: sqlite3.Connection, block: int, slots: dict[int, _Slot]) -> None:
    """The slots' values into their block. In a block that exists, each fixed-width value is
    written in place when it changed (SQLite's incremental BLOB I/O: the page holding it, not the
    block's ~50 pages), and the entities are rewritten only when a slot's codes changed."""
    row = db.execute("SELECT entity_counts, entity_codes FROM article_columns WHERE block = ?", (block,)).fetchone()
    if row is None:
        fields = {name: np.full(BLOCK, UNDATED if name == "epoch" else NONE, dtype=np.int64) for name in _FIXED}
        for slot, (fixed, _) in slots.items():
            for name, value in zip(_FIXED, fixed, strict=True):
                fields[name][slot] = value
        empty = (np.zeros(BLOCK, dtype=np.int64), np.zeros(0, dtype=np.int64))
        _write_block(db, block, fields, _replaced(empty, {slot: listed for slot, (_, listed) in slots.items()}))
        return
    for position, (name, dtype) in enumerate(_FIXED.items()):
        width = np.dtype(dtype).itemsize
        with db.blobopen("article_columns", name, block) as blob:
            for slot, (fixed, _) in slots.items():
                packed = np.array(fixed[position], dtype=dtype).tobytes()
                blob.seek(slot * width)
                if blob.read(width) != packed:
                    blob.seek(slot * width)
                    blob.write(packed)
    counts = np.frombuffer(row[0], dtype=np.int32).astype(np.int64)
    codes = np.frombuffer(row[1], dtype=np.int32).astype(np.int64)
    ends = np.cumsum(counts)
    changed = {slot: listed for slot, (_, listed) in slots.items()
               if codes[ends[slot] - counts[slot]:ends[slot]].tolist() != listed}
    if changed:
        counts, codes = _replaced((counts, codes), changed)
        db.execute("UPDATE article_columns SET entity_counts = ?, entity_codes = ? WHERE block = ?",
                   (counts.astype(np.int32).tobytes(), codes.astype(np.int32).tobytes(), block))


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
