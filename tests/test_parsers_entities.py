"""Entities: gazetteer places and organizations, head-word organizations, person patterns."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.parsers.entities import EntityConfigError, EntityExtractor, Mention, load_vocabulary
from crawler.parsers.entities.mentions import PERSON
from crawler.parsers.page import PageInput, SourceInfo
from crawler.parsers.registry import parse_article

EXTRACTOR = EntityExtractor()


@pytest.mark.parametrize(
    ("text", "persons"),
    [
        ("استقبل الدكتور عمرو طلعت، وزير الاتصالات، وفداً من الشركات.", ["عمرو طلعت"]),
        ("وقال أحمد سمير، رئيس شركة سيريتل، إن الشبكة الجديدة جاهزة.", ["أحمد سمير"]),
        ("أكد الفريق مهندس كامل الوزير وزير النقل أن الخدمة تبدأ غداً.", ["كامل الوزير"]),
        ("وعرض الوزير الأذربيجاني رشاد نابييف خطة بلاده للحكومة الرقمية.", ["رشاد نابييف"]),
        ("وشارك السيد الخان بولوخوف، سفير أذربيجان لدى مصر، في الجلسة.", ["الخان بولوخوف"]),
        ("حضر الدكتور محمد عبد العاطي وزير الموارد المائية والري حفل الافتتاح.", ["محمد عبد العاطي"]),
        ("التقت د. هالة السعيد والأستاذة سماح عزيز بممثلي الشركات.", ["هالة السعيد", "سماح عزيز"]),
        ("قال الرئيس التنفيذي للشركة إن الأرباح ارتفعت.", []),
        ("وقال مدير برامج ريادة الأعمال إن التسجيل مفتوح.", []),
        ("وبحث الوزير تعميق التعاون في مجال الحوسبة بين الجامعات.", []),
        ("وناقش السفير تعزيز الشراكة مع الشركات الناشئة.", []),
        ("واستعرض رئيس الهيئة استكمال المشروعات المتأخرة.", []),
        ("وقال الوزير توفيق الحكيم إن الخطة جاهزة.", ["توفيق الحكيم"]),
        ("واستقبل السفير إيهاب الشريف الوفد.", ["إيهاب الشريف"]),
    ],
    ids=["honorific-apposition", "apposition", "honorific-chain-surname-like-role", "role-adjective-name",
         "definite-first-name", "construct-name", "abbreviated-honorific", "post-without-name", "construct-post",
         "verbal-noun-after-post", "verbal-noun-after-honorific", "istif'al-noun-after-post",
         "name-shaped-like-a-verbal-noun", "name-shaped-like-ifal"],
)
def test_persons(text: str, persons: list[str]) -> None:
    assert EXTRACTOR.extract(text).persons == persons


def test_a_cable_is_not_apple() -> None:
    """«كابل» (a cable) read as «ك» + «أبل» made Apple an organization of every submarine-cable story."""
    assert EXTRACTOR.extract("ينص الاتفاق على مد كابل بحري بطول 180 كيلومتراً.").organizations == []
    assert EXTRACTOR.extract("أعلنت شركة أبل عن هاتف جديد.").organizations == ["آبل"]


def test_no_honorific_inside_a_name() -> None:
    found = EXTRACTOR.extract("افتتح المهندس محمود بدوي والسفير خالد طه المعرض.").persons
    assert found == ["محمود بدوي", "خالد طه"]
    assert not any(word in name for name in found for word in ("المهندس", "السفير", "الدكتور"))


def test_quoted_surname_resolves_to_the_full_name() -> None:
    text = "أكد الدكتور عمرو طلعت أهمية المشروع.\nوأشار «طلعت» إلى خطة التدريب، ثم عاد “طلعت” ليؤكد أهمية التعاون."
    assert EXTRACTOR.extract(text).persons == ["عمرو طلعت"]


@pytest.mark.parametrize(
    ("text", "organizations"),
    [
        ("أعلنت وزارة الاتصالات وتكنولوجيا المعلومات إطلاق المنصة.", ["وزارة الاتصالات وتكنولوجيا المعلومات"]),
        ("وقعت وزارة التنمية الرقمية والنقل اتفاقاً جديداً.", ["وزارة التنمية الرقمية والنقل"]),
        ("زار وزير التنمية الرقمية والنقل بجمهورية أذربيجان القرية الذكية.", ["وزارة التنمية الرقمية والنقل"]),
        ("أعلن الجهاز القومي لتنظيم الاتصالات اليوم خطة جديدة.", ["الجهاز القومي لتنظيم الاتصالات"]),
        ("اتفاق بين وزارة الموارد المائية والري وكلية الهندسة.", ["وزارة الموارد المائية والري", "كلية الهندسة"]),
        ("أطلقت شركة سيريتل وفودافون وموبايلي خدمات جديدة.", ["سيريتل", "فودافون", "موبايلي"]),
        ("قالت الشركة المشغلة إن الهيئة المستخدمين دعت إلى التحديث.", []),
        ("أسست شركة ناشئة منصة جديدة بالتعاون مع البنك المركزي.", ["البنك المركزي"]),
        ("شارك ممثلون عن وزارة الاتصالات وتكنولوجيا المعلومات المصرية", ["وزارة الاتصالات وتكنولوجيا المعلومات"]),
    ],
    ids=["ministry-construct", "ministry-conjunction", "minister-names-ministry", "regulator", "two-orgs",
         "operators", "anaphoric-heads", "adjective-after-company", "adjective-ends-name"],
)
def test_organizations(text: str, organizations: list[str]) -> None:
    assert EXTRACTOR.extract(text).organizations == organizations


@pytest.mark.parametrize(
    ("text", "locations"),
    [
        ("تعاون بين مصر وأذربيجان في باكو والقاهرة.", ["مصر", "أذربيجان", "باكو", "القاهرة"]),
        ("أشاد الوزير الأذربيجاني بالتجربة المصرية.", ["أذربيجان", "مصر"]),
        ("اذربيجان تطلق الجيل الخامس", ["أذربيجان"]),
        ("قدمت الشركة دعماً مالياً ومالي الحسابات", []),
        ("وصل الوفد إلى الرياض ثم دبي", ["الرياض", "دبي"]),
        ("زيارة إلى المملكة العربية السعودية", ["المملكة العربية السعودية"]),
    ],
    ids=["countries-and-capitals", "adjectives", "spelling-variant", "ambiguous-excluded", "cities", "long-name"],
)
def test_locations(text: str, locations: list[str]) -> None:
    assert EXTRACTOR.extract(text).locations == locations


class FakeModel:
    """A stand-in for an ML tagger: the extension point takes any object with ``tag(text)``."""

    def tag(self, text: str) -> Iterable[Mention]:
        return [Mention(PERSON, "سارة يوسف", 0)] if "سارة" in text else []


def test_plugged_in_tagger_adds_mentions() -> None:
    extractor = EntityExtractor(taggers=[*EXTRACTOR.taggers, FakeModel()])
    found = extractor.extract("قالت سارة إن الدكتور عمرو طلعت حضر.")
    assert found.persons == ["عمرو طلعت", "سارة يوسف"]


def test_bad_gazetteer_names_file_and_key(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "config" / "entities"
    for name in ("places.yaml", "persons.yaml"):
        (tmp_path / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "organizations.yaml").write_text("organizations:\n  - kind: operator\n", encoding="utf-8")
    with pytest.raises(EntityConfigError, match=r"organizations\.yaml: organizations\[0\] needs a 'canonical'"):
        load_vocabulary(tmp_path)


def test_parse_article_accepts_another_extractor() -> None:
    paragraph = "<p>قالت سارة إن المشروع يبدأ الشهر المقبل في القاهرة.</p>"
    html = f"<html><head><title>خبر</title></head><body><h1>خبر</h1>{paragraph}</body></html>"
    page = PageInput("https://portal.example/1", html.encode(), {"content-type": "text/html"},
                     datetime(2026, 11, 25, tzinfo=UTC))
    article = parse_article(page, SourceInfo("portal"), extractor=EntityExtractor(taggers=[FakeModel()]))
    assert article.entities.persons == ["سارة يوسف"]
    assert article.entities.locations == []  # the rule tagger was replaced, not added
