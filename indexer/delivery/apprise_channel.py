"""Channels through Apprise (100+ services: mailto://, json://, slack://, tgram://, ntfy:// …).

Each message is rendered in the format the service takes natively (HTML for email, Markdown
for chat services, plain text for webhooks). Apprise's own log lines can carry URLs with
tokens, so they never reach Marsad's logs: they are captured per thread and only a redacted
summary becomes the delivery error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import apprise

from core.errors import DeliveryError
from indexer.delivery.config import Channel
from indexer.delivery.message import Message
from indexer.delivery.secrets import redact


class _Capture(logging.Handler):
    """Collects Apprise's warnings per thread, so parallel channels do not mix their errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        lines = getattr(self._local, "lines", None)
        if lines is not None:
            lines.append(record.getMessage())

    @contextmanager
    def lines(self) -> Iterator[list[str]]:
        self._local.lines = []
        try:
            yield self._local.lines
        finally:
            self._local.lines = None


_CAPTURE = _Capture()
_LOGGER = logging.getLogger("apprise")
_LOGGER.addHandler(_CAPTURE)
_LOGGER.propagate = False  # Apprise logs URLs; nothing of it reaches the CLI's handlers
_LOGGER.setLevel(logging.WARNING)


def instantiate(url: str) -> Any:
    """Apprise's plugin for ``url``, or None when Apprise cannot use it (its reason stays captured)."""
    with _CAPTURE.lines():
        return apprise.Apprise.instantiate(url, suppress_exceptions=True)


class AppriseChannel:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.name = channel.name
        plugin = instantiate(channel.url)
        if plugin is None:
            raise DeliveryError(f"channel {channel.name!r}: its URL is not usable by Apprise")
        if channel.throttle is not None:
            plugin.request_rate_per_sec = channel.throttle
        self._plugin = plugin
        self.format = native_format(plugin)

    def send(self, message: Message) -> None:
        body = {
            apprise.NotifyFormat.HTML: message.html,
            apprise.NotifyFormat.MARKDOWN: message.markdown,
        }.get(self.format, message.text)()
        with _CAPTURE.lines() as lines:
            try:
                delivered = self._plugin.notify(body=body, title=message.subject(), body_format=self.format)
            except Exception as exc:  # a plugin bug must fail this message, not the run
                lines.append(f"{type(exc).__name__}: {exc}")
                delivered = False
        if not delivered:
            reason = "; ".join(dict.fromkeys(lines)) or "the service did not accept the message"
            raise DeliveryError(redact(reason, self.channel.secrets)[:500])


def native_format(plugin: Any) -> apprise.NotifyFormat:
    formats = plugin.notify_format
    first = formats[0] if isinstance(formats, tuple | list) else formats
    return first if isinstance(first, apprise.NotifyFormat) else apprise.NotifyFormat.TEXT
