"""A durable spool for articles the index cannot take right now (Elasticsearch down, timing out).

Each batch is one JSON-lines file in ``data/spool/``, written to a temporary name, fsync'd and
renamed, so a file is either whole or absent. The next run stores the spooled batches first
(the index ids come from the canonical URL, so storing one twice is harmless) and removes each
file once the index confirmed it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.article import Article

logger = logging.getLogger(__name__)


class Spool:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def append(self, articles: Sequence[Article]) -> Path:
        """Keep ``articles`` durably; raises OSError when they cannot be (disk full, read-only)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        final = self.directory / f"{stamp}-{os.getpid()}.jsonl"
        temporary = final.with_suffix(".tmp")
        try:
            with temporary.open("w", encoding="utf-8") as handle:
                for article in articles:
                    handle.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
            _fsync_directory(self.directory)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise
        return final

    def files(self) -> list[Path]:
        """Spooled batches, oldest first (leftover temporary files of a crash are not batches)."""
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.jsonl"))

    def read(self, path: Path) -> Iterator[Article]:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield Article.from_dict(json.loads(line))
                except (ValueError, TypeError, KeyError) as exc:
                    logger.error("spool: %s line %d is not an article (%s); skipped", path, number, exc)

    def count(self) -> int:
        return sum(1 for path in self.files() for line in path.open(encoding="utf-8") if line.strip())

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        _fsync_directory(self.directory)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
