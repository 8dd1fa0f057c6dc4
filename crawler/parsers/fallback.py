"""The second opinion: trafilatura, run only when Marsad's own body finder comes back empty or with
far less text than the page holds. It works on a copy of the already parsed tree (trafilatura
prunes the tree it is given), so the page is still parsed once.
"""

from __future__ import annotations

import copy
import logging

import lxml.html

logger = logging.getLogger(__name__)


def trafilatura_paragraphs(root: lxml.html.HtmlElement, url: str) -> list[str]:
    """trafilatura's main text of the page as paragraphs (comments excluded), or ``[]``."""
    from trafilatura import extract  # imported on first use: most pages never need it

    try:
        text = extract(copy.deepcopy(root), url=url, output_format="txt", include_comments=False,
                       include_tables=True, favor_recall=True, deduplicate=False)
    except (ValueError, TypeError, AttributeError, RecursionError, lxml.etree.LxmlError) as error:  # odd markup
        logger.warning("%s: trafilatura fallback failed: %s", url, error)
        return []
    if not text:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]
