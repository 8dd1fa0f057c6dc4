"""Which parser handles a page: per-portal parsers registered by source name or domain.

A portal that needs its own parser registers a class (a :class:`GenericParser` subclass) with
:func:`register`; a redesign registers a new version beside the old one, newest first, and each
version declares by ``applies_to`` which layout it understands. Everything else gets the
generic parser.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from core.article import Article
from crawler.parsers.document import Document, load_document
from crawler.parsers.entities import EntityExtractor
from crawler.parsers.generic import GenericParser
from crawler.parsers.hints import ALL_HINTS, TemplateHints
from crawler.parsers.page import PageInput, SourceInfo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Registration:
    """A portal parser and the rules that route pages to it."""

    parser: type[GenericParser]
    sources: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    def matches(self, url: str, source: SourceInfo) -> bool:
        if source.name in self.sources:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


@dataclass
class ParserRegistry:
    """Ordered registrations; the first that matches the page and accepts its layout wins."""

    registrations: list[Registration] = field(default_factory=list)

    def register(
        self, parser: type[GenericParser], *, sources: tuple[str, ...] = (), domains: tuple[str, ...] = ()
    ) -> None:
        self.registrations.append(Registration(parser, frozenset(sources), frozenset(domains)))

    def parser_for(self, page: PageInput, source: SourceInfo, document: Document) -> type[GenericParser]:
        for registration in self.registrations:
            if registration.matches(page.url, source) and registration.parser.applies_to(document):
                return registration.parser
        return GenericParser


REGISTRY = ParserRegistry()


def register(
    parser: type[GenericParser], *, sources: tuple[str, ...] = (), domains: tuple[str, ...] = ()
) -> None:
    """Route pages of the given sources/domains to ``parser`` (checked in registration order)."""
    REGISTRY.register(parser, sources=sources, domains=domains)


def build_parser(
    page: PageInput,
    source: SourceInfo,
    registry: ParserRegistry | None = None,
    extractor: EntityExtractor | None = None,
    hints: TemplateHints = ALL_HINTS,
) -> GenericParser:
    """The parser instance for ``page`` (the document is parsed once and shared). ``hints`` are the
    template names the body finder may use as a bonus; an evaluation passes fewer to measure
    generic extraction alone."""
    if registry is None:
        load_portals()
    document = load_document(page)
    chosen = (registry if registry is not None else REGISTRY).parser_for(page, source, document)
    return chosen(page, source, document, extractor, hints)


def parse_article(
    page: PageInput,
    source: SourceInfo,
    registry: ParserRegistry | None = None,
    extractor: EntityExtractor | None = None,
) -> Article:
    """Extract the article from ``page``; raises :class:`~crawler.parsers.page.ExtractionError`.

    ``registry`` and ``extractor`` default to the per-portal registry and the rule-based tagger.
    """
    return build_parser(page, source, registry, extractor).to_article()


def explain_article(
    page: PageInput, source: SourceInfo, registry: ParserRegistry | None = None
) -> tuple[Article, dict[str, str]]:
    """The article plus, per field, which layer supplied it (JSON-LD, og:…, visible text …)."""
    parser = build_parser(page, source, registry)
    article = parser.to_article()
    return article, dict(parser.provenance)


def load_portals() -> None:
    """Import the per-portal parser package once so its modules register themselves."""
    import crawler.parsers.portals  # noqa: F401
