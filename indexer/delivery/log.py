"""The built-in ``log`` channel: one JSON line per story in ``data/alerts.jsonl``, a line on stdout.

The line is fsync'd before the alert counts as delivered; a file that cannot be written (disk
full, a directory in its place) is a failed delivery, so the alert stays queued.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from core.errors import DeliveryError
from core.terminal import printable
from indexer.delivery.message import Message
from indexer.delivery.render import others_text


class LogChannel:
    name = "log"

    def __init__(self, path: Path, stream: TextIO | None = None) -> None:
        self.path = path
        self.stream = stream if stream is not None else sys.stdout

    def send(self, message: Message) -> None:
        records = message.records()
        lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(lines)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise DeliveryError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        for record in records:
            others = others_text(len(record["sources"]) - 1, " ")
            line = f"ALERT [{record['rule']}] {record['title']}{others} <{record['canonical_url']}>"
            self.stream.write(printable(line) + "\n")
        self.stream.flush()


def read_alerts(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
