"""Arabic (and English) date parsing for article pages and the ``marsad date`` command.

``parse_date`` reads one date field into a timezone-aware datetime; ``find_dates`` lists the dates
a body mentions. Month names of every regional family come from Babel CLDR, Hijri month names from
hijridate, and the remaining vocabulary from ``config/date_variants.yaml``.
"""

from __future__ import annotations

from .mentions import DateMention, find_dates
from .parse import parse_date
from .vocab import DateVocabularyError

__all__ = ["DateMention", "DateVocabularyError", "find_dates", "parse_date"]
