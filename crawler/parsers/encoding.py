"""Turn response bytes into text exactly once, without mojibake.

Order of evidence: byte-order mark, HTTP ``Content-Type`` charset, ``<meta charset>`` /
``http-equiv`` / ``<?xml encoding?>`` in the first bytes (read by BeautifulSoup's
EncodingDetector), strict UTF-8, then a choice between the two legacy Arabic
code pages (windows-1256 and ISO-8859-6) by which one yields more Arabic letters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bs4.dammit import EncodingDetector

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
# Declarations that legacy Arabic sites put on pages that are really windows-1256.
_WESTERN_LEGACY = frozenset({"iso8859-1", "cp1252", "latin-1", "ascii"})
_LEGACY_ARABIC = ("cp1256", "iso8859-6")
_ARABIC_MAJORITY = 0.6
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_ARABIC_RUN = re.compile(r"[\u0621-\u064a]{3,}")


@dataclass(frozen=True)
class Decoded:
    """The page text and how it was decoded (``evidence``: bom, header, meta, sniffed)."""

    text: str
    encoding: str
    evidence: str


def _normalise(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def _arabic_share(text: str) -> float:
    """Share of Arabic letters among the non-ASCII characters (markup is all ASCII)."""
    wide = [char for char in text if ord(char) > 0x7F and not char.isspace()]
    if not wide:
        return 0.0
    return sum(1 for char in wide if "\u0621" <= char <= "\u064a") / len(wide)


def _reads_as_arabic(text: str) -> bool:
    """Most high bytes became Arabic letters that form words (not lone accents inside Latin words)."""
    arabic = len(_ARABIC_LETTER.findall(text))
    if not arabic or _arabic_share(text) <= _ARABIC_MAJORITY:
        return False
    in_words = sum(len(run) for run in _ARABIC_RUN.findall(text))
    return in_words / arabic > _ARABIC_MAJORITY


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _legacy_arabic(body: bytes) -> tuple[str, str]:
    """Pick windows-1256 or ISO-8859-6 by the share of Arabic letters in the result."""
    best_text, best_encoding, best_score = "", "cp1256", -1.0
    for encoding in _LEGACY_ARABIC:
        text = _strict(body, encoding)
        if text is None:
            continue
        score = _arabic_share(text)
        if score > best_score:
            best_text, best_encoding, best_score = text, encoding, score
    if best_score < 0:
        best_text = body.decode("cp1256", errors="replace")
    return best_text, best_encoding


def declared_encodings(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """Encodings the response declares, strongest first, as ``(codec name, evidence)``."""
    found: list[tuple[str, str]] = []
    match = _HEADER_CHARSET.search(content_type or "")
    if match and (name := _normalise(match.group(1))):
        found.append((name, "header"))
    # BeautifulSoup's detector reads <meta charset>, http-equiv and <?xml encoding?> declarations.
    meta = EncodingDetector.find_declared_encoding(body[:_SNIFF_BYTES], is_html=True)
    if meta and (name := _normalise(meta)):
        found.append((name, "meta"))
    return found


def decode_body(body: bytes, content_type: str = "") -> Decoded:
    """Decode ``body`` once; never raises, never returns mojibake for Arabic pages."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(encoding, errors="replace"), encoding, "bom")
    high_bytes = any(byte >= 0x80 for byte in body[:_SNIFF_BYTES * 16])
    for encoding, evidence in declared_encodings(body, content_type):
        if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
            continue  # a meta tag read as ASCII cannot be UTF-16; the BOM case is handled above
        if encoding in _WESTERN_LEGACY and high_bytes:
            # Arabic legacy sites mislabel windows-1256 as Latin-1: trust the bytes instead.
            legacy_text, legacy_encoding = _legacy_arabic(body)
            if _reads_as_arabic(legacy_text):
                return Decoded(legacy_text, legacy_encoding, "sniffed")
        text = _strict(body, encoding)
        if text is not None:
            return Decoded(text, encoding, evidence)
    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "sniffed")
    legacy_text, legacy_encoding = _legacy_arabic(body)
    return Decoded(legacy_text, legacy_encoding, "sniffed")
