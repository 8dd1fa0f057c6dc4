"""Stories: syndicated and rewritten copies share a story; other stories on the same topic do not.

Texts: the portal world's articles and ``fixtures/stories/rewrites.yaml`` (new leads, headlines,
synonyms and same-topic stories written for Marsad). bench/bench_stories.py measures the same
rules over many more copies.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from hashlib import blake2b
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.article import Article
from crawler.portalworld.data import load_world_data
from indexer.stories import BANDS, MIN_WORDS, StorySignature, band_keys, same_story, story_signature

REWRITES = Path(__file__).parent / "fixtures" / "stories" / "rewrites.yaml"
Text = tuple[str, list[str]]  # title, paragraphs


@cache
def rewrites() -> dict[str, Any]:
    with REWRITES.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@cache
def texts() -> dict[str, Text]:
    """Portal-world articles and our own same-topic stories, by id."""
    found = {record.id: (record.title, record.paragraphs) for record in load_world_data().articles}
    found.update({story["id"]: (story["title"], story["paragraphs"]) for story in rewrites()["stories"]})
    return found


def sign(text: Text) -> StorySignature:
    title, paragraphs = text
    article = Article(url="https://example.test/a", canonical_url="https://example.test/a", source="test",
                      title=title, body="\n\n".join(paragraphs))
    signature = story_signature(article)
    assert signature is not None
    return signature


def found_together(a: StorySignature, b: StorySignature) -> bool:
    """What the state store does: candidates share a band key, then the exact check."""
    return bool(set(band_keys(a)) & set(band_keys(b))) and same_story(a, b)


# -- rewritten copies ------------------------------------------------------------------------------

def reword(paragraph: str) -> str:
    """Up to two synonym swaps, as a subeditor would make."""
    done = 0
    for word, other in rewrites()["synonyms"]:
        pattern = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])")
        if done < 2 and pattern.search(paragraph):
            paragraph, done = pattern.sub(other, paragraph, count=1), done + 1
    return paragraph


def rewrite(base_id: str, steps: str) -> Text:
    title, paragraphs = texts()[base_id]
    new = rewrites()["bases"][base_id]
    lines = rewrites()["boilerplate"]
    for step in steps.split("+"):
        if step == "lead":
            paragraphs = [new["lead"], *paragraphs[1:]]
        elif step == "headline":
            title = new["headline"]
        elif step == "reorder":
            paragraphs = paragraphs[::-1]
        elif step == "drop-last":
            paragraphs = paragraphs[:-1]
        elif step == "agency":
            paragraphs = [lines["agency_prefix"] + paragraphs[0], lines["read_also"] + "عنوان خبر آخر",
                          *paragraphs[1:], lines["credit"]]
        elif step == "reword":  # every fifth paragraph that has a listed word: about 20 % of the text
            changed = [i for i, p in enumerate(paragraphs) if reword(p) != p][::5]
            paragraphs = [reword(p) if i in changed else p for i, p in enumerate(paragraphs)]
    return title, paragraphs


VARIANTS = ["reorder", "lead", "headline", "drop-last", "agency", "reword",
            "lead+headline+reword", "lead+reorder+drop-last+agency+reword+headline"]


@pytest.mark.parametrize("steps", VARIANTS)
@pytest.mark.parametrize("base_id", sorted(rewrites()["bases"]))
def test_rewritten_copy_is_the_same_story(base_id: str, steps: str) -> None:
    copy = rewrite(base_id, steps)
    assert copy != texts()[base_id]
    assert found_together(sign(texts()[base_id]), sign(copy))


def test_two_rewritten_copies_of_one_story_are_the_same_story() -> None:
    first, second = rewrite("tw-04", "lead+headline+reword"), rewrite("tw-04", "reorder+drop-last+agency")
    assert found_together(sign(first), sign(second))


# -- the portal world and same-topic stories ---------------------------------------------------------

def test_syndicated_pair_is_one_story() -> None:
    first, second = sign(texts()["tw-01"]), sign(texts()["an-01"])
    assert texts()["tw-01"][0] != texts()["an-01"][0]  # same body, different headlines
    assert first == second
    assert found_together(first, second)


def test_portal_world_stories_match_the_ground_truth() -> None:
    records = load_world_data().articles
    signatures = {record.id: sign((record.title, record.paragraphs)) for record in records}
    wrong = [
        (a.id, b.id) for a, b in itertools.combinations(records, 2)
        if same_story(signatures[a.id], signatures[b.id])
        != (a.syndicated_group is not None and a.syndicated_group == b.syndicated_group)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("tw-01", "eg-az-committee"),  # the committee's later meeting: same ministers, same names
        ("tw-01", "eg-az-training"),  # a follow-up that repeats one tw-01 paragraph as background
        ("tw-04", "az-caspian-laying"),  # the Caspian cable: agreement, then laying starts
        ("st-02", "az-5g-auction"),  # Azerbaijani 5G: launch in Baku, then more spectrum
        ("az-dc-baku", "az-dc-sumgait"),  # two Azerbaijani data centres
        ("tw-01", "st-06"),  # two ministerial meetings with Azerbaijan
        ("an-03", "an-08"),  # two Egyptian trade trips to Azerbaijan
    ],
)
def test_same_topic_different_stories_are_apart(first: str, second: str) -> None:
    assert not same_story(sign(texts()[first]), sign(texts()[second]))


def test_rewritten_copies_of_different_azerbaijan_stories_are_apart() -> None:
    everything = "lead+reorder+drop-last+agency+reword+headline"
    assert not same_story(sign(rewrite("tw-01", everything)), sign(rewrite("eg-az-committee", everything)))
    assert not same_story(sign(rewrite("az-dc-baku", "lead")), sign(texts()["az-dc-sumgait"]))


def test_unrelated_articles_rarely_share_a_band_key() -> None:
    """Candidates stay few: the bench expects ~0.03 % of unrelated pairs to share a key."""
    records = load_world_data().articles
    keys = {record.id: set(band_keys(sign((record.title, record.paragraphs)))) for record in records}
    unrelated = [(a, b) for a, b in itertools.combinations(records, 2)
                 if a.syndicated_group is None or a.syndicated_group != b.syndicated_group]
    sharing = [(a.id, b.id) for a, b in unrelated if keys[a.id] & keys[b.id]]
    assert len(sharing) <= len(unrelated) // 100, sharing


# -- signatures and keys ---------------------------------------------------------------------------

def test_short_bodies_have_no_signature() -> None:
    for page in load_world_data().private_pages:  # a few lines each
        article = Article(url="u", canonical_url="u", source="test", title=page.title, body=page.body)
        assert story_signature(article) is None
    words = " ".join(f"كلمة{i}" for i in range(MIN_WORDS))
    assert story_signature(Article(url="u", canonical_url="u", source="test", title="", body=words)) is not None


def test_signature_ignores_the_headline() -> None:
    assert sign(rewrite("st-09", "headline")) == sign(texts()["st-09"])


def test_dumps_loads_round_trip() -> None:
    signature = sign(texts()["tw-02"])
    text = signature.dumps()
    assert text.isascii() and " " not in text and len(text) < 700
    assert StorySignature.loads(text) == signature


@pytest.mark.parametrize(
    "text",
    ["", "m1", "m1:12", "m0:12:" + "A" * 684, "m1:x:" + "A" * 684, "m1:12:" + "!" * 684, "m1:12:AAAA",
     "m1:0:" + "A" * 684],
    ids=["empty", "version-only", "no-values", "other-version", "bad-count", "bad-base64", "too-few-values",
         "zero-shingles"],
)
def test_loads_rejects_what_dumps_cannot_produce(text: str) -> None:
    with pytest.raises(ValueError):
        StorySignature.loads(text)


def test_band_keys_fit_an_integer_column_and_name_their_band() -> None:
    keys = band_keys(sign(texts()["tw-03"]))
    assert len(keys) == BANDS <= 16
    assert len(set(keys)) == BANDS
    assert all(0 <= key < 2**63 for key in keys)
    assert [key >> 59 for key in keys] == list(range(BANDS))


def test_signatures_stay_comparable_across_releases() -> None:
    """Stored signatures must keep matching new ones: a change here needs a new VERSION."""
    signature = sign(texts()["tw-01"])
    assert signature.shingles == 208
    assert blake2b(signature.values, digest_size=8).hexdigest() == "9b404af2eb886486"
