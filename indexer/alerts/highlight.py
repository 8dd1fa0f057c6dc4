"""What an alert shows of an article: its title and a snippet with the matched words marked.

Built when the rule matches, kept with the alert in the state store, so a message can be sent
later (or again) without asking the index.
"""

from __future__ import annotations

from typing import Any

from core.article import Article
from indexer.alerts.matcher import RuleMatch

Segments = list[tuple[str, bool]]  # (text, is a matched word)
SNIPPET_CONTEXT = 90


def alert_payload(article: Article, match: RuleMatch) -> dict[str, Any]:
    return {
        "doc_id": article.doc_id,
        "url": article.canonical_url,
        "source": article.source,
        "title": article.title,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "title_marks": marked(article.title, match.spans_by_field.get("title", [])),
        "snippet": snippet(article.body, match.spans_by_field.get("body", [])),
    }


def marked(text: str, spans: list[tuple[int, int]]) -> Segments:
    """``text`` cut into segments, the ``spans`` flagged."""
    segments: Segments = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def snippet(body: str, spans: list[tuple[int, int]], context: int = SNIPPET_CONTEXT) -> Segments:
    """The words around the first match in the body (or the body's opening when the rule
    matched the title only), on one line, with every match in the window flagged."""
    if spans:
        first = min(spans)[0]
        start = _word_start(body, max(0, first - context))
        end = _word_end(body, min(len(body), min(spans)[1] + context))
    else:
        start, end = 0, _word_end(body, min(len(body), 2 * context))
    window = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    segments = [(text.replace("\n", " "), hit) for text, hit in marked(body[start:end], window)]
    if start > 0:
        segments.insert(0, ("…", False))
    if end < len(body):
        segments.append(("…", False))
    return segments


def _word_start(text: str, index: int) -> int:
    while 0 < index < len(text) and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not text[index].isspace():
        index += 1
    return index
