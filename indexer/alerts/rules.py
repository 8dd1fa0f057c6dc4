"""Alert rules: the validated form of ``config/alerts.yaml``.

```yaml
rules:
  - name: azerbaijan
    query: 'أذربيجان'
    sources: [techwave]              # optional: only these source ids
    sections: [اتصالات]              # optional: only these sections
    entities: {persons: [عمرو طلعت]} # optional: each listed kind must contain one of the names
    language: ar                     # optional: primary language subtag
    match: inflected                 # or exact (default for every word of the query)
    channels: [team-mail]            # optional: where alerts go (default: the log channel);
                                     # modes (digest, quiet hours, hourly cap): indexer/alerts/policy.py
```

Unknown keys, a missing ``query``, a query that does not parse and duplicate names are errors;
:class:`RuleConfigError` names the file, the rule (name, or index when it has none) and the key
or the character position in the query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.configfile import read_yaml
from core.errors import ConfigError
from indexer.alerts.policy import ChannelRef, Route, RouteSettings, build_routes
from indexer.alerts.query import Query, QuerySyntaxError, parse_query
from indexer.analysis import normalize

__all__ = ["ENTITY_KINDS", "Rule", "RuleConfigError", "load_rules", "norm_name", "parse_rules"]

ENTITY_KINDS = ("persons", "organizations", "locations")


class RuleConfigError(ConfigError, ValueError):
    """An alert rules file that cannot be used; the message says where and why."""


class _EntitiesModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    persons: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)


class _RuleModel(RouteSettings):
    model_config = ConfigDict(extra="forbid")
    # The name is part of the rule's feed file and URL (data/feeds/<name>.atom).
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\W_][\w.-]*$")
    query: str = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    entities: _EntitiesModel = Field(default_factory=_EntitiesModel)
    language: str | None = None
    match: Literal["inflected", "exact"] = "inflected"
    channels: list[str | ChannelRef] = Field(default_factory=list)


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[_RuleModel]
    # Validated by the delivery side (indexer/delivery/config.py), which knows the channel types.
    channels: dict[str, Any] = Field(default_factory=dict)
    timezone: str | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    query_text: str
    query: Query
    sources: frozenset[str] = frozenset()
    sections: frozenset[str] = frozenset()  # normalized
    entities: Mapping[str, frozenset[str]] = field(default_factory=dict)  # kind → normalized names
    language: str | None = None
    match: str = "inflected"
    routes: tuple[Route, ...] = (Route(),)

    @classmethod
    def from_query(cls, name: str, query: str, match: str = "inflected", **filters: Any) -> Rule:
        """Build a rule in code (tests, ``marsad alerts try``); raises QuerySyntaxError."""
        model = _RuleModel(name=name, query=query, match=match, **filters)  # type: ignore[arg-type]
        return _to_rule(model)


def norm_name(value: str) -> str:
    """A name or section label as compared by the filters: normalized, spaces collapsed."""
    return " ".join(normalize(value).split())


def _to_rule(model: _RuleModel) -> Rule:
    entities = {
        kind: frozenset(norm_name(name) for name in getattr(model.entities, kind))
        for kind in ENTITY_KINDS
        if getattr(model.entities, kind)
    }
    return Rule(
        name=model.name,
        query_text=model.query,
        query=parse_query(model.query, model.match),
        sources=frozenset(model.sources),
        sections=frozenset(norm_name(section) for section in model.sections),
        entities=entities,
        language=model.language.lower().split("-")[0] if model.language else None,
        match=model.match,
        routes=build_routes(model.channels, model),
    )


def _rule_label(raw: Any, index: int) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("name"), str) and raw["name"]:
        return f"rule {raw['name']!r} (#{index + 1})"
    return f"rule #{index + 1}"


def _describe(error: Mapping[str, Any]) -> str:
    loc = [str(part) for part in error["loc"]]
    key = ".".join(loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"unknown key {key!r}"
    if error["type"] == "missing":
        return f"missing required key {key!r}"
    if error["type"] == "string_pattern_mismatch" and loc == ["name"]:
        return "key 'name': use letters, digits, '.', '-' and '_' (it names the rule's feed file and URL)"
    return f"key {key!r}: {error['msg']}"


def _locate(error: Any, data: Mapping[str, Any], origin: str) -> str:
    loc = list(error["loc"])
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        label = _rule_label((data.get("rules") or [])[loc[1]], loc[1])
        return f"{origin}: {label}: {_describe({**error, 'loc': tuple(loc[2:])})}"
    return f"{origin}: {_describe(error)}"


def _without_union_noise(errors: list[Any]) -> list[Any]:
    """A channel is a name or a mapping: report the branch that applies, without pydantic's tags."""
    cleaned = []
    for error in errors:
        loc = tuple(error["loc"])
        if "ChannelRef" in loc:
            if error["type"] == "model_type":
                continue  # neither a name nor a mapping: the other branch's error says so
            loc = tuple(part for part in loc if part != "ChannelRef")
        elif loc[-1:] == ("str",) and "channels" in loc:
            if isinstance(error.get("input"), Mapping):
                continue  # a mapping was meant: its own errors say what is wrong
            loc = loc[:-1]
            error = {**error, "msg": "expected a channel name, or a mapping with 'name' and mode keys"}
        cleaned.append({**error, "loc": loc})
    return cleaned


def parse_rules(data: Any, origin: str = "<rules>") -> list[Rule]:
    """Validate already-loaded YAML data (a mapping with a ``rules`` list)."""
    if not isinstance(data, Mapping):
        raise RuleConfigError(f"{origin}: expected a mapping with a 'rules' list at the top level")
    try:
        model = _FileModel.model_validate(data)
    except ValidationError as exc:
        errors = _without_union_noise(exc.errors())
        raise RuleConfigError("\n".join(_locate(error, data, origin) for error in errors)) from None
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, rule_model in enumerate(model.rules):
        label = f"rule {rule_model.name!r} (#{index + 1})"
        if rule_model.name in seen:
            raise RuleConfigError(f"{origin}: {label}: duplicate rule name")
        seen.add(rule_model.name)
        try:
            rules.append(_to_rule(rule_model))
        except QuerySyntaxError as exc:
            raise RuleConfigError(
                f"{origin}: {label}: bad query at character {exc.position}: {exc.message}\n"
                f"    {rule_model.query}\n    {' ' * exc.position}^"
            ) from None
    return rules


def load_rules(path: str | Path) -> list[Rule]:
    """Read and validate an alert rules YAML file."""
    try:
        data = read_yaml(Path(path))
    except ConfigError as exc:
        raise RuleConfigError(str(exc)) from None
    return parse_rules(data, str(path))
