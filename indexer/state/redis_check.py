"""The check `marsad run` makes before it trusts the Redis state store (SQLite's quick_check).

A Redis that answers is not yet a usable store: it may be too old for the commands the scripts
use, hold data of another key layout, or a key under the prefix may have been overwritten with
another type (a stray ``SET`` by hand). Every key under ``<prefix>:state:`` is visited once (SCAN,
then TYPE in pipelined pages): this is O(keys), as quick_check is O(pages).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from indexer.state.redis_base import LAYOUT_VERSION, Connection, text

MIN_VERSION = (6, 2)  # ZADD GT/LT
SCAN_COUNT = 1000
MAX_PROBLEMS = 5

FIXED = {
    "version": "string",
    **dict.fromkeys(("article:hash", "article:stored_at", "article:checked_at", "article:url", "article:source",
                     "seen", "story:of", "story:sig", "story:joined", "story:bands", "alert:payload",
                     "outbox:count:pending", "outbox:count:sent", "outbox:count:failed"), "hash"),
    **dict.fromkeys(("alert:last", "outbox:pending", "outbox:failed", "outbox:due", "health:runs"), "zset"),
    "health:next_run": "string",
    "health:sources": "set",
}
FAMILIES = (
    ("story:members:", "zset"), ("alert:story:", "zset"), ("alert:stories:", "zset"), ("outbox:row:", "hash"),
    ("delivery:", "zset"), ("health:run:", "hash"), ("health:counters:", "hash"), ("health:flags:", "hash"),
    ("page:", "hash"), ("robots:", "hash"),
)


def expected_type(name: str) -> str | None:
    """The type a key of this layout has (``name`` without the ``<prefix>:state:`` part), or None."""
    if name in FIXED:
        return FIXED[name]
    return next((kind for family, kind in FAMILIES if name.startswith(family)), None)


def problems(conn: Connection) -> list[str]:
    """What makes the store unusable (empty when it is sound). Raises redis errors as they come."""
    client = conn.client
    version = str(client.info("server").get("redis_version", "0"))
    numbers = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if numbers < MIN_VERSION:
        return [f"Redis {version} is too old: {'.'.join(map(str, MIN_VERSION))} or newer is needed"]
    base = conn.keys.base
    found: list[str] = []
    layout = text(client.get(conn.keys("version"))) if client.type(conn.keys("version")) == b"string" else None
    if layout not in (None, LAYOUT_VERSION):
        found.append(f"the data has key layout {layout}, this Marsad reads layout {LAYOUT_VERSION}")
    for names in _pages(client, base):
        pipe = client.pipeline(transaction=False)
        for name in names:
            pipe.type(name)
        for name, kind in zip(names, pipe.execute(), strict=True):
            expected, actual = expected_type(name[len(base):]), str(text(kind))
            if actual == "none":  # deleted since the SCAN
                continue
            if expected is None:
                found.append(f"{name!r} is not a key of this layout")
            elif actual != expected:
                found.append(f"{name!r} is a {actual}, expected a {expected}")
        if len(found) >= MAX_PROBLEMS:
            break
    return sorted(found)[:MAX_PROBLEMS]  # SCAN's order is arbitrary: report in a stable one


def _pages(client: Any, base: str) -> Iterator[list[str]]:
    pattern = "".join("\\" + char if char in "*?[]\\" else char for char in base) + "*"
    cursor = 0
    while True:
        cursor, names = client.scan(cursor, match=pattern, count=SCAN_COUNT)
        if names:
            yield [name.decode("utf-8", "replace") for name in names]
        if cursor == 0:
            return
