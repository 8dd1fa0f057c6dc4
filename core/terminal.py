"""Text on its way to a terminal or a log line: scraped text is hostile.

Control characters (an ESC starting a terminal sequence, BEL, C1 controls) are shown as visible
escapes instead of being interpreted, so a title like «ESC ]0;… BEL» cannot retitle or repaint
the analyst's terminal.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str, keep_newlines: bool = False) -> str:
    cleaned = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    return cleaned if keep_newlines else cleaned.replace("\n", " ").replace("\t", " ")
