"""The first delivery channel: one JSON line per alert in the data folder, and a line on stdout."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from core.article import Article


@dataclass(frozen=True)
class AlertRecord:
    rule: str
    article: Article
    spans: list[tuple[int, int, str]]  # (start, end, field) in the article's title or body

    def to_dict(self) -> dict[str, Any]:
        snippets = [
            getattr(self.article, field)[max(0, start - 40): end + 40].replace("\n", " ")
            for start, end, field in self.spans[:3]
        ]
        return {
            "rule": self.rule,
            "raised_at": datetime.now(UTC).isoformat(),
            "canonical_url": self.article.canonical_url,
            "source": self.article.source,
            "title": self.article.title,
            "published_at": self.article.published_at.isoformat() if self.article.published_at else None,
            "spans": [list(span) for span in self.spans],
            "snippets": snippets,
        }


class AlertLog:
    def __init__(self, path: Path, stream: TextIO | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.stream = stream if stream is not None else sys.stdout

    def deliver(self, record: AlertRecord) -> None:
        line = json.dumps(record.to_dict(), ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.stream.write(f"ALERT [{record.rule}] {record.article.title} <{record.article.canonical_url}>\n")
        self.stream.flush()


def read_alerts(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
