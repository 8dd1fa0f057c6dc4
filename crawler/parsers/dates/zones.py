"""Time-zone words («بتوقيت القاهرة», «GMT+3», «توقيت غرينتش») and the ``tz`` argument."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from babel.languages import get_official_languages

from .normalize import alternation, fold_word
from .vocab import VOCABULARY

_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")


def _babel_zone_words() -> dict[str, str]:
    """Exemplar cities, then single-zone territory names, of territories where Arabic is official."""
    territory_zones: Mapping[str, list[str]] = get_global("territory_zones")
    arab = [t for t in sorted(territory_zones) if "ar" in get_official_languages(t, de_facto=True)]
    names = Locale.parse("ar").territories
    words: dict[str, str] = {}
    for territory in arab:
        for zone in territory_zones[territory]:
            city = get_timezone_location(zone, locale="ar", return_city=True)
            if _ARABIC_LETTERS.search(city):
                words.setdefault(fold_word(city), zone)
    for territory in arab:
        zones = territory_zones[territory]
        if len(zones) == 1 and territory in names:
            words.setdefault(fold_word(names[territory]), zones[0])
    return words


def _zone_words() -> dict[str, str]:
    words = {fold_word(k): v for k, v in VOCABULARY.zone_aliases.items()}
    for word, zone in _babel_zone_words().items():
        words.setdefault(word, zone)
    return words


#: folded zone word -> IANA zone name
ZONE_WORDS: dict[str, str] = _zone_words()
_GREENWICH = {w for w, z in ZONE_WORDS.items() if z == "UTC"}

_OFFSET = r"(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?(?!\d)"
# «بتوقيت القاهرة», «حسب توقيت مكة المكرمة», «GMT+3», «غرينتش +2», «(ت.غ)», «UTC».
ZONE_RE = re.compile(
    r"(?:(?<![^\W\d_])(?:[بل]|حسب\s+|وفق\s+)?توقيت\s+(?:مدينه\s+)?(?P<word>"
    + alternation(list(ZONE_WORDS))
    + r")(?![^\W\d_])|(?<![^\W\d_])(?P<gmt>"
    + alternation(list(_GREENWICH))
    + r")(?![^\W\d_]))(?:\s*"
    + _OFFSET
    + ")?"
)


def offset_zone(sign: str, hours: str, minutes: str | None) -> tzinfo | None:
    """A fixed-offset zone, or None when the offset is out of range (beyond ±14:00)."""
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > timedelta(hours=14) or delta.seconds % 60:
        return None
    if delta == timedelta(0):
        return UTC
    return timezone(-delta if sign == "-" else delta)


def find_zone(folded: str) -> tuple[tzinfo, int, int] | None:
    """The first zone stated in folded text, with its span, or None."""
    for match in ZONE_RE.finditer(folded):
        if match.group("sign"):
            zone = offset_zone(match["sign"], match["oh"], match["om"])
        else:
            name = ZONE_WORDS.get(" ".join((match["word"] or match["gmt"]).split()))
            zone = ZoneInfo(name) if name else None
        if zone is not None:
            return zone, match.start(), match.end()
    return None


def resolve_tz(tz: str | tzinfo | None) -> tzinfo:
    """The configured source zone as a tzinfo; UTC when None. Unknown names raise ValueError."""
    if tz is None:
        return UTC
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r}: expected an IANA name such as 'Africa/Cairo'") from exc
