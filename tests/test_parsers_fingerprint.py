"""SimHash fingerprints: syndicated copies are near, different stories are far."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from crawler.parsers.fingerprint import analyze, hamming, is_near_duplicate, simhash

STORY = (
    "أعلنت وزارة الاتصالات وتكنولوجيا المعلومات إطلاق المرحلة الثانية من مشروع الألياف الضوئية "
    "في عشر محافظات، بتكلفة تتجاوز ثلاثة مليارات جنيه، على أن تنتهي الأعمال خلال عامين. "
    "وأوضح بيان الوزارة أن المشروع يستهدف رفع متوسط سرعة الإنترنت المنزلي وتحسين جودة الخدمة "
    "في القرى والمدن الصغيرة، بالتعاون مع الشركة المصرية للاتصالات والجهاز القومي لتنظيم الاتصالات."
)
OTHER = (
    "افتتحت جامعة دمشق مختبراً جديداً للذكاء الاصطناعي بالتعاون مع عدد من الشركات المحلية، "
    "ويضم المختبر حواسيب عالية الأداء مخصصة لتدريب النماذج اللغوية وتحليل الصور الطبية، "
    "ويستقبل الباحثين وطلاب الدراسات العليا من مختلف الكليات العلمية ضمن برنامج تدريبي مفتوح."
)


def test_identical_text_same_fingerprint() -> None:
    assert simhash(STORY) == simhash(STORY)
    assert simhash(STORY) is not None and len(simhash(STORY) or "") == 16


@pytest.mark.parametrize(
    "variant",
    [
        STORY.replace("أعلنت", "اعلنت").replace("الإنترنت", "الانترنت"),  # spelling variants
        STORY + " المصدر: وكالة أنباء الشرق الأوسط",  # an added credit line
        "القاهرة - " + STORY,  # a dateline
        STORY.replace("خلال عامين", "خلال عامين تقريباً"),  # a small edit
    ],
    ids=["spelling", "credit-line", "dateline", "small-edit"],
)
def test_syndicated_copies_are_near(variant: str) -> None:
    first, second = simhash(STORY), simhash(variant)
    assert first is not None and second is not None
    assert is_near_duplicate(first, second), hamming(first, second)


def test_different_stories_are_far() -> None:
    first, second = simhash(STORY), simhash(OTHER)
    assert first is not None and second is not None
    assert hamming(first, second) > 12


def test_short_text_has_no_fingerprint() -> None:
    assert simhash("خبر") is None


def test_analysis_folds_spelling_and_article() -> None:
    assert analyze("والاتصالات أعلنت") == analyze("الاتصالات اعلنت")


def _reference_simhash(text: str) -> str | None:
    """The definition: blake2b-64 of each word pair, one vote per occurrence, majority per bit."""
    words = analyze(text)
    if len(words) < 2:
        return None
    hashes = [
        int.from_bytes(hashlib.blake2b(f"{a} {b}".encode(), digest_size=8).digest(), "big")
        for a, b in itertools.pairwise(words)
    ]
    value = sum(1 << bit for bit in range(64) if sum(h >> bit & 1 for h in hashes) > len(hashes) / 2)
    return f"{value:016x}"


@pytest.mark.parametrize("text", [STORY, OTHER, STORY + " " + STORY, "القاهرة - " + STORY[:120], "a b", "خبر عاجل"])
def test_fingerprint_matches_its_definition(text: str) -> None:
    assert simhash(text) == _reference_simhash(text)
