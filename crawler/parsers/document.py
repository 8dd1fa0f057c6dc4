"""Validate a fetched page and parse it once into an lxml tree."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from crawler.parsers.encoding import decode_body
from crawler.parsers.page import ExtractionError, PageInput

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024  # larger responses are refused, not truncated mid-article
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Wrapper tags removed when nesting exceeds libxml2's limit; paragraphs and breaks stay.
_WRAPPERS = re.compile(
    r"</?(?:div|span|font|section|center|b|i|u|em|strong|table|tbody|tr|td|article)\b[^>]*>", re.I
)
_LOOKS_LIKE_HTML = re.compile(r"<\s*(html|head|body|div|p|article|meta|title|h1)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """A parsed page: the root element plus what was learned while decoding it."""

    root: lxml.html.HtmlElement
    encoding: str
    encoding_evidence: str


def _check(page: PageInput) -> None:
    if not page.body or not page.body.strip():
        raise ExtractionError(page.url, "empty response body")
    if len(page.body) > MAX_BODY_BYTES:
        raise ExtractionError(
            page.url, f"response too large ({len(page.body)} bytes > {MAX_BODY_BYTES} bytes)"
        )
    media_type = page.header("content-type").split(";")[0].strip().lower()
    if media_type and media_type not in _HTML_TYPES:
        raise ExtractionError(page.url, f"not an HTML page (content-type {media_type!r})")


# Every element is a plain HtmlElement, looked up in C: lxml.html's default lookup runs Python code
# for each element proxy (to make <form>/<input> special), and the parsers walk every element.
_LOOKUP = lxml.etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
                                               pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity)


def _parse(url: str, text: str) -> tuple[lxml.html.HtmlElement, bool]:
    """The root element, and whether libxml2 hit its nesting limit (and so dropped content)."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    parser.set_element_class_lookup(_LOOKUP)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ExtractionError(url, f"unparseable HTML ({error})") from error
    if root is None:
        raise ExtractionError(url, "unparseable HTML (no root element)")
    too_deep = any(
        "depth" in entry.message for entry in parser.error_log if entry.type_name == "ERR_RESOURCE_LIMIT"
    )
    return root, too_deep


def load_document(page: PageInput) -> Document:
    """Decode and parse ``page``; raise :class:`ExtractionError` if it is not usable HTML."""
    _check(page)
    decoded = decode_body(page.body, page.header("content-type"))
    text = _XML_DECLARATION.sub("", decoded.text, count=1).replace("\x00", "")
    if not _LOOKS_LIKE_HTML.search(text[:65536]):
        raise ExtractionError(page.url, "body does not look like HTML")
    root, too_deep = _parse(page.url, text)
    if too_deep:
        logger.warning("%s: markup nested too deeply for the parser; wrapper tags flattened", page.url)
        root, _ = _parse(page.url, _WRAPPERS.sub(" ", text))
    logger.debug("%s: decoded as %s (%s)", page.url, decoded.encoding, decoded.evidence)
    return Document(root=root, encoding=decoded.encoding, encoding_evidence=decoded.evidence)
