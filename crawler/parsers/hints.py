"""What the project knows about templates: class names that mark an article body or a lead.

Knowledge is a bonus, never a requirement: the body finder scores every block by its text, and a
container named here only weighs more. Every name is filed under the CMS or theme family it was
learned from, so an evaluation can switch a family's knowledge off (``without("drupal")``) and
measure what generic extraction does alone on that family's pages (leave-one-template-out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html

# family → class names (whole class tokens) that mark the article body.
BODY_CLASSES: dict[str, frozenset[str]] = {
    "schema.org": frozenset(),  # itemprop=articleBody, handled below
    "wordpress": frozenset({"entry-content", "post-content", "single-content", "the-content"}),
    "wordpress-newspaper": frozenset({"td-post-content", "tdb_single_content"}),
    "drupal": frozenset({"field--name-body", "field-name-body", "node__content"}),
    "joomla": frozenset({"com-content-article__body", "item-page"}),
    "ghost": frozenset({"gh-content", "post-full-content"}),
    "blogger": frozenset({"post-body"}),
    "arc": frozenset({"b-article-body", "article-body-wrapper"}),
    "news-generic": frozenset({"article-body", "article-content", "story-body", "article-text", "news-text"}),
}
# Words of class names that mark a lead/standfirst (a sentence set apart before the body).
LEAD_WORDS = frozenset(
    {
        "lead", "standfirst", "excerpt", "summary", "intro", "subtitle", "subheadline", "dek", "sapo",
        "chapeau", "teaser", "abstract", "strapline", "brief", "description",
    }
)
_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class TemplateHints:
    """The body-container names in use, and the families they came from."""

    families: frozenset[str] = field(default_factory=lambda: frozenset(BODY_CLASSES))

    @property
    def body_classes(self) -> frozenset[str]:
        return frozenset(name for family in self.families for name in BODY_CLASSES.get(family, ()))

    def without(self, *families: str) -> TemplateHints:
        """These hints minus what was learned from ``families``."""
        return TemplateHints(self.families - set(families))

    def is_known_body(self, element: lxml.html.HtmlElement) -> bool:
        """Whether ``element`` carries a known article-body marker of an enabled family."""
        if "schema.org" in self.families and element.get("itemprop", "").find("articleBody") >= 0:
            return True
        classes = element.get("class")
        return bool(classes) and not self.body_classes.isdisjoint(classes.split())


def looks_like_lead(element: lxml.html.HtmlElement) -> bool:
    """A class or id naming a lead/standfirst («article-excerpt», «entry-sub-title», «field-chapeau»)."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    words = set(_WORDS.findall(raw.replace("sub-title", "subtitle").replace("sub_title", "subtitle")))
    return not LEAD_WORDS.isdisjoint(words)


ALL_HINTS = TemplateHints()
NO_HINTS = TemplateHints(frozenset())
