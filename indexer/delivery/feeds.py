"""An Atom feed per rule (``data/feeds/<rule>.atom``), generated with feedgen.

One entry per story the rule matched (newest first), linking the lead copy and naming every
source. A feed is rewritten (atomically) when its rule matched something new since the file
was written, and created empty for a rule that has matched nothing yet.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from indexer.alerts.rules import Rule
from indexer.delivery.message import Message, StoryAlert
from indexer.delivery.render import environment, one_line, safe_href, story_view
from indexer.state import State

# Characters XML 1.0 cannot carry at all; scraped text may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FEED_NAMESPACE = "tag:marsad.local,2026"
UTC_ZONE = ZoneInfo("UTC")


def feed_path(feeds_dir: Path, rule: str) -> Path:
    return feeds_dir / f"{rule}.atom"


def write_feeds(state: State, rules: list[Rule], feeds_dir: Path, *, entries: int = 50,
                web_url: str | None = None, now: datetime | None = None, zone: ZoneInfo = UTC_ZONE) -> list[str]:
    """Rewrite the feeds that are missing or older than their rule's last match; returns their rules."""
    last = state.outbox.last_matched()
    written = []
    for rule in rules:
        path = feed_path(feeds_dir, rule.name)
        changed = rule.name in last and (
            not path.exists() or datetime.fromtimestamp(path.stat().st_mtime, UTC) <= last[rule.name]
        )
        if path.exists() and not changed:
            continue
        stories = [StoryAlert(story_id, tuple(articles))
                   for story_id, articles in state.outbox.recent_stories(rule.name, entries)]
        _write_atomically(path, build_feed(rule, stories, web_url=web_url, now=now, zone=zone))
        written.append(rule.name)
    return written


def build_feed(rule: Rule, stories: list[StoryAlert], *, web_url: str | None = None,
               now: datetime | None = None, zone: ZoneInfo = UTC_ZONE) -> bytes:
    feed = FeedGenerator()
    feed.id(f"{FEED_NAMESPACE}:rule/{rule.name}")
    feed.title(xml_text(f"مرصد — {rule.name}"))
    feed.subtitle(xml_text(f"أخبار تطابق القاعدة: {rule.query_text}"))
    feed.author({"name": "مرصد"})
    feed.language("ar")
    feed.generator("Marsad")
    if web_url:
        base = web_url.rstrip("/")
        feed.link(href=f"{base}/feeds/{rule.name}.atom", rel="self")
        feed.link(href=f"{base}/", rel="alternate")
    stories = sorted(stories, key=lambda story: (_matched_at(story), story.published or _matched_at(story)),
                     reverse=True)
    message = Message(rule=rule.name, query=rule.query_text, kind="digest", stories=tuple(stories),
                      timezone=zone, web_url=web_url)
    updated = [_matched_at(story) for story in stories]
    feed.updated(max(updated) if updated else (now or datetime.now(UTC)))
    template = environment().get_template("entry.html")
    for story in stories:  # newest first; feedgen prepends unless told to append
        view = story_view(story, message)
        entry = feed.add_entry(order="append")
        entry.id(f"{FEED_NAMESPACE}:rule/{rule.name}/story/{story.story_id}")
        entry.title(xml_text(view["title"]))
        entry.link(href=safe_href(story.lead["url"]), rel="alternate")
        entry.published(story.published or _matched_at(story))
        entry.updated(_matched_at(story))
        entry.author([{"name": xml_text(source)} for source in story.sources])
        entry.content(xml_text(template.render(story=view)), type="html")
    return bytes(feed.atom_str(pretty=True))


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", one_line(text) if "\n" not in text else text)


def _matched_at(story: StoryAlert) -> datetime:
    stamps = [a.get("matched_at") for a in story.articles if a.get("matched_at")]
    if stamps:
        return max(datetime.fromisoformat(str(stamp)) for stamp in stamps)
    return story.published or datetime.now(UTC)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
