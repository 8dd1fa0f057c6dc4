"""The run summary an operator gets on the `admin` channel when a run fails."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from indexer.delivery.message import Message


def admin_message(problems: list[str], zone: ZoneInfo) -> Message:
    return Message(rule="admin", query="", kind="immediate", stories=(), timezone=zone,
                   note="تشغيل مرصد لم يكتمل: " + str(len(problems)) + " مشكلة", details=tuple(problems))
