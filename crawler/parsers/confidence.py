"""How sure the extraction is of an article, 0–1, and why: a redesign or an odd page shows up here.

The score starts at 1 and loses a fixed amount per doubt; the doubts are kept as short reasons.
A page under :data:`LOW_CONFIDENCE` is counted per source in the crawl stats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOW_CONFIDENCE = 0.6
_SHORT_BODY = 300
_TINY_BODY = 120
_PENALTIES = {
    "trafilatura": 0.25,
    "json": 0.05,
    "description": 0.5,
    "short": 0.15,
    "tiny": 0.3,
    "coverage": 0.2,
    "title": 0.15,
    "no-date": 0.15,
    "url-date": 0.1,
    "doubt": 0.1,
    "language": 0.1,
}


@dataclass
class Signals:
    """What the parser learned while extracting, as far as trust is concerned."""

    body_layer: str = "dom"
    body_chars: int = 0
    page_chars: int = 0
    title_origin: str = ""
    date_origin: str | None = None
    doubts: tuple[str, ...] = ()
    language: str | None = None
    expected_language: str | None = None
    reasons: list[str] = field(default_factory=list)


def assess(signals: Signals) -> tuple[float, list[str]]:
    """``(confidence, reasons)``; an article with no doubt scores 1.0 and has no reasons."""
    lost: list[tuple[str, str]] = []
    if signals.body_layer != "dom":
        label = {"trafilatura": "body from the trafilatura fallback", "json": "body from the page's JSON",
                 "description": "no body text found; the declared description stands in"}[signals.body_layer]
        lost.append((signals.body_layer, label))
    if signals.body_chars < _TINY_BODY:
        lost.append(("tiny", f"very short body ({signals.body_chars} characters of running text)"))
    elif signals.body_chars < _SHORT_BODY:
        lost.append(("short", f"short body ({signals.body_chars} characters of running text)"))
    missing = signals.page_chars - signals.body_chars
    if missing >= 500 and signals.body_chars < 0.6 * signals.page_chars:
        lost.append(("coverage", f"body holds {signals.body_chars} of ≈{signals.page_chars} characters of "
                                 "running text on the page"))
    if signals.title_origin in ("<title>", "text before the body"):
        lost.append(("title", f"title only from {signals.title_origin}"))
    if signals.date_origin is None:
        lost.append(("no-date", "no publication date"))
    elif signals.date_origin == "url path":
        lost.append(("url-date", "publication date only from the URL"))
    lost.extend(("doubt", doubt) for doubt in signals.doubts)
    if signals.expected_language and signals.language and signals.language != signals.expected_language:
        lost.append(("language", f"language {signals.language}, source writes {signals.expected_language}"))
    score = 1.0 - sum(_PENALTIES[key] for key, _reason in lost)
    return round(max(0.0, min(1.0, score)), 2), [reason for _key, reason in lost]
