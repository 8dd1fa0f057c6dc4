"""Keep channel secrets out of logs and error messages.

A channel URL is treated as secret except its scheme, host and port: passwords, user names,
tokens in the path and query values are all masked wherever text leaves Marsad.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

MASK = "****"
_MIN_SECRET = 3  # a password or an environment value this short is not worth masking ("on", "1")
_MIN_TOKEN = 8  # user names, path segments and query values: shorter ones are words like "hook"


def url_secrets(url: str) -> tuple[str, ...]:
    """The pieces of an Apprise URL that may be secret, raw and percent-decoded."""
    try:
        parts = urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError:
        return (url,)
    pieces = [username or ""] + [segment for segment in parts.path.split("/") if segment]
    pieces += [value for _key, value in parse_qsl(parts.query, keep_blank_values=False)]
    found = {piece for piece in pieces if len(piece) >= _MIN_TOKEN}
    if password and len(password) >= _MIN_SECRET:
        found.add(password)
    found |= {unquote(piece) for piece in found}
    found.add(url)
    return tuple(sorted(found, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= _MIN_SECRET:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Masks known secrets in every record that passes a handler."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            cleaned = redact(message, self.secrets)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


def protect_logs(secrets: Iterable[str]) -> RedactingFilter:
    """Install a redacting filter on every handler of the root logger (the CLI's stderr)."""
    guard = RedactingFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(guard)
    return guard
