"""Discovery pages' validators are saved only when all a page led to was handled."""

from __future__ import annotations

from pathlib import Path

from crawler.spiders.ledger import DiscoveryLedger
from indexer.state import StateStore

FEED, PAGE1, PAGE2 = "http://a/feed/", "http://a/list?page=1", "http://a/list?page=2"
HEADERS = {"etag": '"v1"', "last-modified": "Mon, 23 Nov 2026 10:00:00 GMT"}


def first_run(state: StateStore) -> None:
    ledger = DiscoveryLedger(state)
    assert ledger.open(FEED, "a", "key", None) == {}
    assert not ledger.answered(FEED, 200, HEADERS, b"<rss/>", "key")
    assert ledger.commit() == 1


def test_validators_are_sent_once_saved_and_a_304_is_unchanged(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    first_run(state)
    ledger = DiscoveryLedger(state)
    assert ledger.open(FEED, "a", "key", None) == {"If-None-Match": '"v1"',
                                                   "If-Modified-Since": "Mon, 23 Nov 2026 10:00:00 GMT"}
    assert ledger.answered(FEED, 304, {}, b"", "key")
    assert ledger.commit() == 1
    saved = state.page_validators(FEED)
    assert saved is not None and saved.etag == '"v1"' and saved.checked_at.tzinfo is not None


def test_a_server_without_validators_is_judged_by_the_body(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    first_run(state)
    ledger = DiscoveryLedger(state)
    ledger.open(FEED, "a", "key", None)
    assert ledger.answered(FEED, 200, {}, b"<rss/>", "key"), "same body: unchanged"
    ledger.open(PAGE1, "a", "key", None)
    assert not ledger.answered(PAGE1, 200, {}, b"<html/>", "key")


def test_a_changed_source_configuration_reads_pages_in_full(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    first_run(state)
    ledger = DiscoveryLedger(state)
    assert ledger.open(FEED, "a", "another-key", None) == {}
    assert not ledger.answered(FEED, 200, HEADERS, b"<rss/>", "another-key")


def test_conditional_get_can_be_switched_off(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    first_run(state)
    off = DiscoveryLedger(state, conditional=False)
    assert off.open(FEED, "a", "key", None) == {}
    assert not off.answered(FEED, 200, {}, b"<rss/>", "key"), "read in full, even when the body is the same"


def test_trouble_downstream_keeps_the_whole_chain_unsaved(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    ledger = DiscoveryLedger(state)
    ledger.open(FEED, "a", "key", None)
    ledger.answered(FEED, 200, HEADERS, b"<rss/>", "key")
    ledger.open(PAGE1, "b", "key", None)
    ledger.answered(PAGE1, 200, HEADERS, b"1", "key")
    ledger.open(PAGE2, "b", "key", PAGE1)
    ledger.answered(PAGE2, 200, HEADERS, b"2", "key")
    ledger.dirty(PAGE2)  # an article listed on page 2 failed: page 1 must be read again too
    assert ledger.commit() == 1
    assert state.page_validators(FEED) is not None
    assert state.page_validators(PAGE1) is None and state.page_validators(PAGE2) is None


def test_a_spent_budget_keeps_the_source_unsaved(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    ledger = DiscoveryLedger(state)
    for url, source in ((FEED, "a"), (PAGE1, "b")):
        ledger.open(url, source, "key", None)
        ledger.answered(url, 200, HEADERS, url.encode(), "key")
    ledger.dirty_source("b")
    assert ledger.commit() == 1 and state.page_validators(PAGE1) is None


def test_sitemap_index_children_are_kept(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    ledger = DiscoveryLedger(state)
    ledger.open(FEED, "a", "key", None)
    ledger.answered(FEED, 200, HEADERS, b"<sitemapindex/>", "key")
    ledger.set_children(FEED, (("http://a/s1.xml", "2026-11-23T00:00:00+00:00"), ("http://a/s2.xml", None)))
    ledger.commit()
    again = DiscoveryLedger(state)
    again.open(FEED, "a", "key", None)
    assert again.answered(FEED, 304, {}, b"", "key")
    assert again.children(FEED) == (("http://a/s1.xml", "2026-11-23T00:00:00+00:00"), ("http://a/s2.xml", None))


def test_shared_a_page_whose_articles_another_process_fetched_is_not_saved(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    ledger = DiscoveryLedger(state, shared=True)
    for url in (FEED, PAGE1):
        ledger.open(url, "a", "key", None)
        ledger.answered(url, 200, HEADERS, url.encode(), "key")
    ledger.expect("a/1", [FEED])
    ledger.expect("a/2", [PAGE1])
    ledger.handled("a/1")  # fetched here; a/2 was popped (or claimed) by another process
    assert ledger.commit() == 1
    assert state.page_validators(FEED) is not None and state.page_validators(PAGE1) is None


def test_shared_a_sub_page_read_elsewhere_keeps_its_parent_unsaved_and_is_adopted_there(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    here = DiscoveryLedger(state, shared=True)
    here.open(PAGE1, "b", "key", None)
    here.answered(PAGE1, 200, HEADERS, b"1", "key")
    here.open(PAGE2, "b", "key", PAGE1)  # its request went to the shared queue; another process read it
    there = DiscoveryLedger(state, shared=True)
    there.adopt(PAGE2, "b", "key")
    there.answered(PAGE2, 200, HEADERS, b"2", "key")
    assert there.commit() == 1 and state.page_validators(PAGE2) is not None
    assert here.commit() == 0 and state.page_validators(PAGE1) is None


def test_one_process_keeps_its_rule_without_the_shared_bookkeeping(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    ledger = DiscoveryLedger(state)
    ledger.open(FEED, "a", "key", None)
    ledger.answered(FEED, 200, HEADERS, b"<rss/>", "key")
    ledger.expect("a/1", [FEED])  # not tracked: one process hears of every article's outcome
    assert ledger.commit() == 1
