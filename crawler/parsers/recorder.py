"""Record parser fixtures: page bytes + meta.json (URL, headers, frozen fetch time, source) + expected.json.

From the portal world, expected values come from its ground truth, never from the parser:

    python -m crawler.parsers.recorder --portalworld tw-01 an-01 st-02

Each case lands in ``tests/fixtures/parsers/<parser version>/<case>/``; review expected.json by hand.
"""

from __future__ import annotations

import argparse
import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.parsers.page import PageInput, SourceInfo
from crawler.parsers.registry import build_parser

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "parsers"
FROZEN_FETCH = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def record_fixture(page: PageInput, source: SourceInfo, expected: dict[str, Any], case: str, notes: str,
                   family: str, page_type: str = "article") -> Path:
    """Write one fixture folder named after the parser version that handles ``page``; ``family`` is
    the CMS/theme family the page's markup comes from (the leave-one-template-out view groups by it)."""
    version = build_parser(page, source).VERSION
    folder = FIXTURES / version / case
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html").write_bytes(page.body)
    meta = {
        "url": page.url,
        "fetched_at": page.fetched_at.isoformat(),
        "headers": dict(page.headers),
        "source": {"name": source.name, "timezone": source.timezone, "language": source.language},
        "family": family,
        "notes": notes,
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    body = json.dumps({"parser": version, "page_type": page_type, **expected}, ensure_ascii=False, indent=2) + "\n"
    (folder / "expected.json").write_text(body, encoding="utf-8")
    return folder


def _stable_url(url: str, portal: str) -> str:
    """Portal-world ports change per run; fixtures use a fixed host so canonical URLs stay stable."""
    path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
    return f"http://{portal}.portalworld.test/{path}"


def record_portalworld(ids: list[str]) -> list[Path]:
    from crawler.portalworld import PortalWorld

    written = []
    with PortalWorld() as world:
        zones = {source["name"]: source["timezone"] for source in world.sources_config()["sources"]}
        for expected in world.expected_articles():
            if expected["id"] not in ids:
                continue
            with urllib.request.urlopen(expected["canonical_url"], timeout=10) as response:
                headers = {key.lower(): value for key, value in response.headers.items()
                           if key.lower() in ("content-type", "last-modified")}
                base = world.base_url(expected["portal"]).encode("ascii")
                stable_base = _stable_url(world.base_url(expected["portal"]) + "/", expected["portal"])
                raw = response.read().replace(base, stable_base.rstrip("/").encode("ascii"))
                page = PageInput(_stable_url(expected["canonical_url"], expected["portal"]), raw, headers,
                                 FROZEN_FETCH)
            truth = {
                "title": expected["title"],
                "canonical_url": _stable_url(expected["canonical_url"], expected["portal"]),
                "author": expected["author"],
                "published_at": expected["published"].isoformat(),
                "modified_at": expected["modified"].isoformat() if expected["modified"] else None,
                "section": expected["section"],
                "tags": expected["tags"],
                "image": _stable_url(expected["image"], expected["portal"]),
                "body": expected["body"],
                "language": "ar",
            }
            source = SourceInfo(expected["portal"], zones[expected["portal"]], "ar")
            notes = f"Recorded from the portal world ({expected['portal']}, article {expected['id']}); ground truth."
            written.append(record_fixture(page, source, truth, f"{expected['portal']}-{expected['id']}", notes,
                                          family=f"portalworld-{expected['portal']}"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--portalworld", nargs="+", metavar="ARTICLE_ID", required=True)
    args = parser.parse_args(argv)
    for folder in record_portalworld(args.portalworld):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
