"""Entity vocabulary as data: config/entities/*.yaml plus Babel CLDR and pycountry names.

Errors in the YAML raise :class:`EntityConfigError` naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from core.configfile import read_yaml
from core.errors import ConfigError
from crawler.parsers.entities.tokens import norm, tokenize

CONFIG_DIR = Path(__file__).resolve().parents[3] / "config" / "entities"
LOCATION, ORGANIZATION = "location", "organization"


class EntityConfigError(ConfigError, ValueError):
    """A gazetteer file is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Entry:
    canonical: str
    kind: str  # LOCATION or ORGANIZATION
    adjective: bool = False  # a nisba form («الأذربيجاني»): names the place, ends a name


@dataclass
class Vocabulary:
    """Aliases by normalized token tuple, plus the person-pattern word lists."""

    aliases: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    honorifics: set[tuple[str, ...]] = field(default_factory=set)
    roles: set[tuple[str, ...]] = field(default_factory=set)
    stopwords: set[str] = field(default_factory=set)

    def add(self, alias: str, entry: Entry) -> None:
        key = tuple(token.norm for token in tokenize(alias) if token.is_word)
        if key and key not in self.aliases:
            self.aliases[key] = entry


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_yaml(path)
    except ConfigError as error:
        raise EntityConfigError(f"gazetteer {error}") from error
    if not isinstance(data, dict):
        raise EntityConfigError(f"{path}: expected a mapping at the top level")
    return data


def _list(data: dict[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise EntityConfigError(f"{path}: {key!r} must be a list of strings")
    return value


def _countries(vocabulary: Vocabulary, path: Path) -> dict[str, str]:
    """Country names from CLDR/pycountry plus the file's aliases; returns canonical name by code."""
    import pycountry
    from babel import Locale

    data = _read(path)
    excluded = {norm(name) for name in _list(data, "exclude_generated", path)}
    overrides: dict[str, Any] = data.get("countries") or {}
    arabic = Locale("ar").territories
    canonical: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        spec = overrides.get(code) or {}
        if not isinstance(spec, dict):
            raise EntityConfigError(f"{path}: countries.{code} must be a mapping")
        name = str(spec.get("canonical") or arabic.get(code) or country.name)
        canonical[code] = name
        entry = Entry(name, LOCATION)
        generated = [arabic.get(code, ""), country.name, getattr(country, "common_name", "")]
        for alias in generated:
            if alias and norm(alias) not in excluded and len(alias) > 2:
                vocabulary.add(alias, entry)
        for alias in _list(spec, "aliases", path):
            vocabulary.add(alias, entry)
        if norm(name) not in excluded:
            vocabulary.add(name, entry)
        for adjective in _list(spec, "adjectives", path):
            vocabulary.add(adjective, Entry(name, LOCATION, adjective=True))
    for group in ("capitals", "cities"):
        for city, spec in (data.get(group) or {}).items():
            if not isinstance(spec, dict) or spec.get("country") not in canonical:
                raise EntityConfigError(f"{path}: {group}.{city} needs a known ISO 'country' code")
            for alias in [city, *_list(spec, "aliases", path)]:
                vocabulary.add(alias, Entry(city, LOCATION))
    return canonical


def _organizations(vocabulary: Vocabulary, path: Path) -> None:
    data = _read(path)
    for index, spec in enumerate(data.get("organizations") or []):
        if not isinstance(spec, dict) or not isinstance(spec.get("canonical"), str):
            raise EntityConfigError(f"{path}: organizations[{index}] needs a 'canonical' string")
        entry = Entry(spec["canonical"], ORGANIZATION)
        for alias in [spec["canonical"], *_list(spec, "aliases", path)]:
            vocabulary.add(alias, entry)


def _persons(vocabulary: Vocabulary, path: Path) -> None:
    data = _read(path)
    for key, target in (("honorifics", vocabulary.honorifics), ("roles", vocabulary.roles)):
        for phrase in _list(data, key, path):
            words = tuple(token.norm for token in tokenize(phrase) if token.is_word)
            if words:
                target.add(words)
    vocabulary.stopwords.update(norm(word) for word in _list(data, "stopwords", path))


def load_vocabulary(config_dir: Path = CONFIG_DIR) -> Vocabulary:
    vocabulary = Vocabulary()
    _organizations(vocabulary, config_dir / "organizations.yaml")
    _countries(vocabulary, config_dir / "places.yaml")
    _persons(vocabulary, config_dir / "persons.yaml")
    return vocabulary


@cache
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()
