"""The hand-kept date vocabulary (config/date_variants.yaml) is validated with precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crawler.parsers.dates import DateVocabularyError
from crawler.parsers.dates.months import ARABIC_MONTHS, HIJRI_MONTHS
from crawler.parsers.dates.vocab import VARIANTS_PATH, load_vocabulary
from crawler.parsers.dates.zones import ZONE_WORDS


def test_shipped_vocabulary_loads() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.zone_aliases["مكة المكرمة"] == "Asia/Riyadh"
    assert ARABIC_MONTHS["يونيه"] == 6  # variant from the file, folded
    assert HIJRI_MONTHS["جمادي الاولي"] == 5  # hijridate's name, folded
    assert ZONE_WORDS["القاهره"] == "Africa/Cairo"  # Babel exemplar city, folded


def _write(tmp_path: Path, change: dict[str, object]) -> Path:
    raw = yaml.safe_load(VARIANTS_PATH.read_text(encoding="utf-8"))
    raw.update(change)
    path = tmp_path / "date_variants.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"gregorian_month_variants": {13: ["x"]}}, "key 'gregorian_month_variants': expected a mapping"),
        ({"hijri_month_variants": {1: "محرم"}}, "key 'hijri_month_variants.1': expected a list"),
        ({"day_period_variants": {"عصرا": "evening"}}, "key 'day_period_variants': expected values"),
        ({"relative_units": {"hour": {"one": ["ساعة"]}}}, "key 'relative_units': expected exactly"),
        ({"relative_days": {"أمس": "yesterday"}}, "key 'relative_days': expected a mapping of strings"),
    ],
)
def test_bad_vocabulary_names_the_key(tmp_path: Path, change: dict[str, object], message: str) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(DateVocabularyError, match=message) as info:
        load_vocabulary(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DateVocabularyError, match="cannot read date vocabulary"):
        load_vocabulary(tmp_path / "nope.yaml")
