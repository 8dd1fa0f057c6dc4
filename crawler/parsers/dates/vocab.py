"""Load and validate ``config/date_variants.yaml`` (the hand-kept part of the date vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.configfile import read_yaml
from core.errors import ConfigError

VARIANTS_PATH = Path(__file__).resolve().parents[3] / "config" / "date_variants.yaml"

_PERIODS = frozenset({"am", "pm", "night"})
_UNITS = ("second", "minute", "hour", "day", "week", "month", "year")


class DateVocabularyError(ConfigError, ValueError):
    """The date vocabulary file is missing a key or holds a value of the wrong shape."""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    gregorian_month_variants: dict[int, list[str]]
    english_month_variants: dict[int, list[str]]
    hijri_month_variants: dict[int, list[str]]
    gregorian_eras: list[str]
    hijri_eras: list[str]
    day_period_variants: dict[str, str]
    zone_aliases: dict[str, str]
    relative_units: dict[str, dict[str, list[str]]]
    relative_past_markers: list[str]
    relative_days: dict[str, int]
    relative_now: list[str]
    number_words: dict[str, int]


def _fail(path: Path, key: str, expected: str) -> DateVocabularyError:
    return DateVocabularyError(f"{path}: key {key!r}: expected {expected}")


def _str_list(value: Any, path: Path, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, key, "a list of non-empty strings")
    return list(value)


def _month_map(raw: dict[str, Any], path: Path, key: str) -> dict[int, list[str]]:
    value = raw.get(key)
    if not isinstance(value, dict) or not all(isinstance(k, int) and 1 <= k <= 12 for k in value):
        raise _fail(path, key, "a mapping of month numbers 1-12 to lists of spellings")
    return {k: _str_list(v, path, f"{key}.{k}") for k, v in value.items()}


def _scalar_map(raw: dict[str, Any], path: Path, key: str, kind: type) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, kind) and not isinstance(v, bool) for k, v in value.items()
    ):
        raise _fail(path, key, f"a mapping of strings to {kind.__name__}")
    return dict(value)


def _units(raw: dict[str, Any], path: Path) -> dict[str, dict[str, list[str]]]:
    value = raw.get("relative_units")
    if not isinstance(value, dict) or set(value) != set(_UNITS):
        raise _fail(path, "relative_units", f"exactly the units {', '.join(_UNITS)}")
    out: dict[str, dict[str, list[str]]] = {}
    for unit, forms in value.items():
        if not isinstance(forms, dict) or set(forms) != {"one", "two", "many"}:
            raise _fail(path, f"relative_units.{unit}", "a mapping with keys one, two, many")
        out[unit] = {k: _str_list(v, path, f"relative_units.{unit}.{k}") for k, v in forms.items()}
    return out


def load_vocabulary(path: Path = VARIANTS_PATH) -> Vocabulary:
    """Read and validate the vocabulary file; raise :class:`DateVocabularyError` naming the key."""
    try:
        raw = read_yaml(path)
    except ConfigError as exc:
        raise DateVocabularyError(f"cannot read date vocabulary: {exc}") from exc
    if not isinstance(raw, dict):
        raise DateVocabularyError(f"{path}: expected a mapping at the top level")
    eras = raw.get("era_markers")
    if not isinstance(eras, dict):
        raise _fail(path, "era_markers", "a mapping with keys gregorian and hijri")
    periods = _scalar_map(raw, path, "day_period_variants", str)
    if not set(periods.values()) <= _PERIODS:
        raise _fail(path, "day_period_variants", f"values among {sorted(_PERIODS)}")
    return Vocabulary(
        gregorian_month_variants=_month_map(raw, path, "gregorian_month_variants"),
        english_month_variants=_month_map(raw, path, "english_month_variants"),
        hijri_month_variants=_month_map(raw, path, "hijri_month_variants"),
        gregorian_eras=_str_list(eras.get("gregorian"), path, "era_markers.gregorian"),
        hijri_eras=_str_list(eras.get("hijri"), path, "era_markers.hijri"),
        day_period_variants=periods,
        zone_aliases=_scalar_map(raw, path, "zone_aliases", str),
        relative_units=_units(raw, path),
        relative_past_markers=_str_list(raw.get("relative_past_markers"), path, "relative_past_markers"),
        relative_days=_scalar_map(raw, path, "relative_days", int),
        relative_now=_str_list(raw.get("relative_now"), path, "relative_now"),
        number_words=_scalar_map(raw, path, "number_words", int),
    )


VOCABULARY = load_vocabulary()
