"""A listing page's next page: ``rel=next``, else a link whose text says next."""

from __future__ import annotations

from scrapy.http import Response

NEXT_PAGE_TEXTS = ("التالي", "التالية", "الصفحة التالية", "next", "›", "»", "older")


def find_next_page(response: Response) -> str | None:
    href = response.css('link[rel="next"]::attr(href), a[rel="next"]::attr(href)').get()
    if href:
        return response.urljoin(href)
    for anchor in response.css("a"):
        text = " ".join(anchor.css("::text").getall()).strip().lower()
        if text and any(marker in text for marker in NEXT_PAGE_TEXTS):
            target = anchor.attrib.get("href")
            if target:
                return response.urljoin(target)
    return None
