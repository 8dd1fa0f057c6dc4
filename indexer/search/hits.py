"""A page's hits with their highlights, the same on both backends.

The matcher that defines what a query means also says which words it matched: the title is cut
into segments with those words flagged, and the snippet is the body around the first match (or
the body's opening when only the title matched, or when the query is empty). The segments are
plain text: whoever shows them escapes them (HTML, terminal).
"""

from __future__ import annotations

from core.article import Article
from indexer.alerts.highlight import marked, snippet
from indexer.search.plan import SearchPlan
from indexer.storage.base import SearchHit


def make_hit(plan: SearchPlan, article: Article, score: float = 0.0, story_size: int = 1) -> SearchHit | None:
    """The hit for ``article`` with its highlights, None when the query does not match it."""
    spans = plan.spans(article)
    if spans is None:
        return None
    return SearchHit(
        article=article,
        score=score,
        title_marks=marked(article.title, spans.get("title", [])),
        snippet=snippet(article.body, spans.get("body", [])),
        story_size=story_size,
    )
