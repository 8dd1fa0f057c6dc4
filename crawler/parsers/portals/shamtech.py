"""شام تك (shamtech): the 2007 table layout — windows-1256, no ``<h1>``, no metadata at all.

Fields sit in fixed cells: ``td.title`` (headline), ``td.info`` (date, then «بقلم: …»),
``td.text`` (body), ``td.path`` (breadcrumb: the section is its last link).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from lxml.etree import XPath

from crawler.parsers.boilerplate import is_boilerplate_line
from crawler.parsers.content import paragraphs
from crawler.parsers.document import Document
from crawler.parsers.generic import GenericParser
from crawler.parsers.headline import BYLINE_LINE
from crawler.parsers.registry import register
from crawler.parsers.text import clean_line


class ShamtechV1(GenericParser):
    VERSION: ClassVar[str] = "shamtech-1"

    TITLE = XPath("//td[@class='title']")
    INFO_PARTS = XPath("//td[@class='info']/font")
    TEXT = XPath("//td[@class='text']")
    SECTION = XPath("//td[@class='path']/a[last()]")

    @classmethod
    def applies_to(cls, document: Document) -> bool:
        return bool(cls.TITLE(document.root)) and bool(cls.TEXT(document.root))

    def _cell_text(self, query: XPath) -> str:
        found = query(self.root)
        return clean_line(found[0].text_content()) if found else ""

    def title(self) -> str:
        self._won("title", "td.title")
        return self._cell_text(self.TITLE) or super().title()

    def body(self) -> str:
        cells = self.TEXT(self.root)
        if not cells:
            return super().body()
        self._won("body", "td.text")
        lines = [line for line, links in paragraphs(cells[0]) if links < 0.8 and not is_boilerplate_line(line)]
        return "\n\n".join(lines)

    def published_at(self) -> datetime | None:
        for part in self.INFO_PARTS(self.root):
            value = self._date(clean_line(part.text_content()), "td.info")
            if value is not None:
                self._won("published_at", "td.info")
                return value
        return super().published_at()

    def author(self) -> str | None:
        for part in self.INFO_PARTS(self.root):
            text = clean_line(part.text_content())
            if BYLINE_LINE.match(text):
                self._won("author", "td.info byline")
                return clean_line(text.split(":", 1)[-1])
        return super().author()

    def section(self) -> str | None:
        text = self._cell_text(self.SECTION)
        if text:
            self._won("section", "td.path")
            return text
        return super().section()


register(ShamtechV1, sources=("shamtech",))
