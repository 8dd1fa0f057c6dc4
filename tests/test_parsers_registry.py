"""Routing pages to per-portal parsers by source name and domain, with versions by layout."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.parsers.document import Document
from crawler.parsers.generic import GenericParser
from crawler.parsers.page import PageInput, SourceInfo
from crawler.parsers.registry import ParserRegistry, build_parser

NOW = datetime(2026, 11, 25, tzinfo=UTC)
HTML = b"<html><head><title>t</title></head><body class='v2'><h1>t</h1><p>text</p></body></html>"


class PortalV1(GenericParser):
    VERSION = "portal-1"


class PortalV2(GenericParser):
    VERSION = "portal-2"

    @classmethod
    def applies_to(cls, document: Document) -> bool:
        return bool(document.root.xpath("//body[contains(@class, 'v2')]"))


def make_registry() -> ParserRegistry:
    registry = ParserRegistry()
    registry.register(PortalV2, domains=("portal.example",))
    registry.register(PortalV1, domains=("portal.example",), sources=("portal",))
    return registry


def parser_version(url: str, source: str, body: bytes = HTML) -> str:
    page = PageInput(url=url, body=body, headers={"content-type": "text/html"}, fetched_at=NOW)
    return build_parser(page, SourceInfo(name=source), make_registry()).VERSION


def test_domain_and_subdomain_route_to_newest_matching_version() -> None:
    assert parser_version("https://portal.example/a", "x") == "portal-2"
    assert parser_version("https://www.portal.example/a", "x") == "portal-2"


def test_old_layout_falls_back_to_older_version() -> None:
    old = HTML.replace(b"class='v2'", b"class='v1'")
    assert parser_version("https://portal.example/a", "x", old) == "portal-1"


def test_source_name_routes_even_on_another_domain() -> None:
    assert parser_version("https://mirror.example/a", "portal") == "portal-1"


def test_unknown_domain_gets_generic() -> None:
    assert parser_version("https://other.example/a", "x") == GenericParser.VERSION
    assert parser_version("https://notportal.example/a", "x") == GenericParser.VERSION
