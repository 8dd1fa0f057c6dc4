"""Which dates of a feed or sitemap may announce that a stored article was edited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from crawler.discovery import Parsed

AHEAD = timedelta(minutes=10)  # a listing date this far ahead of our clock: the listing's zone is wrong
SAME_LASTMOD_MIN = 3  # this many entries, all with one lastmod: it is the file's generation time
EditDates = Literal["all", "published", "none"]


def edit_dates(parsed: Parsed, now: datetime) -> tuple[EditDates, str | None]:
    """Which dates of a feed or sitemap may announce an edit, and why not all of them:
    dates ahead of the clock (a zone mislabelled) are no evidence at all; one lastmod on every
    entry is the time the file was generated, not an edit."""
    if any(date > now + AHEAD for entry in parsed.entries for date in (entry.published, entry.modified) if date):
        return "none", f"has dates ahead of the clock (a time zone mislabelled?); {len(parsed.entries)} entries"
    stamps = [entry.modified for entry in parsed.entries if entry.modified is not None]
    if len(stamps) >= SAME_LASTMOD_MIN and len(stamps) == len(parsed.entries) and len(set(stamps)) == 1:
        return "published", "gives every entry the same lastmod (the time the file was made)"
    return "all", None
