"""normalize / tokenize / stem: one row per spelling variant seen in Arabic news text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import index_terms, norm_terms, normalize, stem, tokenize
from indexer.analysis.normalize import _normalize_slowly

RLM, LRM, ZWNJ, ZWJ, ALM = "\u200f", "\u200e", "\u200c", "\u200d", "\u061c"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إيران", "ايران"),
        ("آذار", "اذار"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),
        ("شركة", "شركه"),
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),  # Egyptian spelling folds to the same form
        ("شؤون", "شءون"),
        ("شئون", "شءون"),
        ("ذكاء", "ذكاء"),  # standalone hamza is kept
        ("مُحَمَّدٌ", "محمد"),
        ("الرَّحْمٰنِ", "الرحمن"),  # shadda, sukun, superscript alef
        ("أذربيـــجان", "اذربيجان"),  # tatweel
        ("فارسی", "فارسي"),
        ("کتاب", "كتاب"),
        ("ڤودافون", "فودافون"),
        ("٢٠٢٦", "2026"),
        ("۱۴۰۵", "1405"),
        (f"مصر{RLM}", "مصر"),
        (f"{LRM}ChatGPT{ALM}", "chatgpt"),
        (f"می{ZWNJ}خواهم{ZWJ}", "ميخواهم"),
        ("\ufefb", "لا"),  # presentation form ligature
        ("\ufe8d\ufedf\ufee4\ufed8\ufe8e\ufedf\ufe94", "المقاله"),
        ("5G", "5g"),
        ("Straße", "strasse"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@given(st.text())
def test_normalize_is_idempotent_and_total(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


ARABIC_BLOCK = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" \u200c\u200f\u0640a")


@given(st.text(alphabet=ARABIC_BLOCK))
def test_normalize_idempotent_on_arabic_block(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


# The characters normalize() folds with str.translate alone, without NFKC: Arabic letters,
# tatweel, harakat and the superscript alef (not the composing madda / hamza marks).
SIMPLE_ARABIC = st.sampled_from([chr(code) for code in range(0x0621, 0x0653)] + ["\u0670", "\u0653", "\u0654"])


@settings(max_examples=1000)
@given(st.text(alphabet=SIMPLE_ARABIC, min_size=1))
def test_fast_paths_agree_with_the_general_one(text: str) -> None:
    assert normalize(text) == _normalize_slowly(text)


def test_tokenize_offsets_point_into_original_text() -> None:
    text = f"قال الدكتورُ عمرو طلعت{RLM}: إن 5G وChatGPT في ٢٠٢٦، بالذكاء الاصطناعي."
    tokens = tokenize(text)
    for token in tokens:
        assert text[token.start : token.end] == token.surface
    assert [t.norm for t in tokens] == [
        "قال", "الدكتور", "عمرو", "طلعت", "ان", "5g", "و", "chatgpt", "في", "2026", "بالذكاء", "الاصطناعي",
    ]


def test_tokenize_keeps_marks_and_tatweel_inside_word() -> None:
    (token,) = tokenize("اجتماعاً")
    assert token.surface == "اجتماعاً"
    (token,) = tokenize("أذربيـجان")
    assert token.norm == "اذربيجان"


def test_index_terms_align_with_norm_terms() -> None:
    text = "وزير الاتصالات المصري يزور أذربيجان، و5G في 2026"
    assert len(index_terms(text)) == len(norm_terms(text)) == len(tokenize(text))
    assert index_terms(text) == [t.stem for t in tokenize(text)]


AZERBAIJAN = [
    "أذربيجان", "بأذربيجان", "لأذربيجان", "وأذربيجان", "فأذربيجان", "كأذربيجان", "الأذربيجاني",
    "الأذربيجانية", "الأذربيجانيين", "الأذربيجانيون", "وبأذربيجان", "اذربيجان", "آذربيجان", "إذربيجان",
    "والأذربيجانية", "للأذربيجانيين", "أذربيجاني", "أذربيجانية",
]


@pytest.mark.parametrize("word", AZERBAIJAN)
def test_azerbaijan_forms_share_one_stem(word: str) -> None:
    assert stem(normalize(word)) == stem(normalize("أذربيجان"))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("وزير", "وزير"),  # و is part of the word, never زير
        ("وزيرة", "وزير"),
        ("الوزير", "وزير"),
        ("والوزير", "وزير"),
        ("للوزير", "وزير"),
        ("الذكاء", "ذكاء"),
        ("بالذكاء", "ذكاء"),
        ("للذكاء", "ذكاء"),
        ("وللذكاء", "ذكاء"),
        ("فبالذكاء", "ذكاء"),
        ("المصريين", "مصر"),
        ("مصرف", "مصرف"),
        ("الفضائية", "فضاء"),
        ("ChatGPT", "chatgpt"),
        ("2026", "2026"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word", ["وزير", "بحث", "مصر", "الذكاء", "شركة", "عمرو", "ال", "و", "ChatGPT"])
def test_stem_keeps_three_letters(word: str) -> None:
    norm = normalize(word)
    assert len(stem(norm)) >= min(3, len(norm))


def test_overlong_token_is_no_word_everywhere() -> None:
    from indexer.analysis import index_terms, norm_terms, tokenize

    text = f"المفتاح {'A1b2' * 80} للتحقق"
    assert [token.surface for token in tokenize(text)] == ["المفتاح", "للتحقق"]
    assert len(index_terms(text)) == len(norm_terms(text)) == 2
