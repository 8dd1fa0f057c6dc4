"""The SQLite index's integer columns (facets, histogram, stories): what ``write`` and ``clear`` put
in the blocks is read back by ``load``, article by article, entities in their order."""

from __future__ import annotations

import random
import sqlite3

import numpy as np

from indexer.storage import sqlite_columns
from indexer.storage.sqlite_columns import BLOCK, NONE, UNDATED, Codes, Values

Model = dict[int, tuple[str, str | None, int, int | None, list[str]]]


def check(db: sqlite3.Connection, model: Model) -> None:
    columns = sqlite_columns.load(db)
    names = sqlite_columns.values_of(db, columns.source[columns.source != NONE].tolist()
                                     + columns.entity.tolist())
    assert sorted(columns.present.tolist()) == sorted(model)
    for n, (source, _section, story, epoch, entities) in model.items():
        assert names[int(columns.source[n])] == source and int(columns.story[n]) == story
        assert int(columns.epoch[n]) == (UNDATED if epoch is None else epoch)
        assert [names[int(code)] for code in columns.entity[columns.entity_n == n]] == entities
    absent = np.setdiff1d(np.arange(len(columns.source)), list(model))
    assert (columns.source[absent] == NONE).all() and not np.isin(columns.entity_n, absent).any()


def test_writes_and_clears_in_any_order_read_back_exactly() -> None:
    rng = random.Random(7)
    db = sqlite3.connect(":memory:")
    for statement in sqlite_columns.SCHEMA:
        db.execute(statement)
    codes, model = Codes(), {}
    people = [f"p{i}" for i in range(40)]
    for step in range(60):
        numbers = rng.sample(range(3 * BLOCK), rng.randint(1, 150))
        if step % 4 == 3 and model:
            gone = rng.sample(sorted(model), min(len(model), 50))
            sqlite_columns.clear(db, gone)
            for n in gone:
                del model[n]
            continue
        rows = []
        for n in numbers:
            entry = (f"s{rng.randint(0, 5)}", rng.choice([None, "x"]), rng.randint(0, 99),
                     rng.choice([None, rng.randint(0, 10**9)]), rng.sample(people, rng.randint(0, 6)))
            model[n] = entry
            rows.append(Values(n, entry[0], entry[1], None, entry[2], entry[3], entry[4]))
        sqlite_columns.write(db, rows, codes)
        check(db, model)
    check(db, model)
