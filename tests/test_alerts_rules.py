"""load_rules: a valid file, and one precise error per kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.alerts import Phrase, RuleConfigError, Term, load_rules


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alerts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
rules:
  - name: azerbaijan
    query: 'أذربيجان'
  - name: minister
    query: '"عمرو طلعت"'
    sources: [techwave]
    sections: [اتصالات]
    entities: {persons: [عمرو طلعت]}
    language: AR
    match: exact
""",
    )
    first, second = load_rules(path)
    assert first.name == "azerbaijan" and isinstance(first.query, Term) and first.match == "inflected"
    assert isinstance(second.query, Phrase) and all(t.exact for t in second.query.terms)
    assert second.sources == frozenset({"techwave"})
    assert second.entities == {"persons": frozenset({"عمرو طلعت"})}
    assert second.language == "ar"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("rules:\n  - name: a\n    quer: 'مصر'\n", ["rule 'a' (#1)", "unknown key 'quer'"]),
        ("rules:\n  - name: a\n    query: 'مصر'\n    entities: {people: [x]}\n", ["rule 'a'", "'entities.people'"]),
        ("rules:\n  - name: a\n", ["rule 'a' (#1)", "missing required key 'query'"]),
        ("rules:\n  - query: 'مصر'\n", ["rule #1", "missing required key 'name'"]),
        ("rules:\n  - name: a\n    query: 'مصر'\n  - name: b\n    query: '(مصر تونس'\n",
         ["rule 'b' (#2)", "bad query at character 0", "never closed"]),
        ("rules:\n  - name: b\n    query: 'مصر NEAR/x تونس'\n", ["rule 'b'", "at character 4", "NEAR"]),
        ("rules:\n  - name: a\n    query: 'مصر'\n    match: fuzzy\n", ["rule 'a'", "'match'"]),
        ("rules:\n  - name: a\n    query: 'مصر'\n  - name: a\n    query: 'تونس'\n", ["rule 'a' (#2)", "duplicate"]),
        ("rule:\n  - name: a\n", ["unknown key 'rule'"]),
        ("- a\n- b\n", ["expected a mapping"]),
        ("rules: [\n", ["invalid YAML", "line"]),
    ],
)
def test_errors_name_file_rule_and_place(tmp_path: Path, text: str, fragments: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RuleConfigError) as info:
        load_rules(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleConfigError, match="cannot read"):
        load_rules(tmp_path / "nope.yaml")
