"""Every rule's own VALID and INVALID examples, turned into test cases (Fixit's idea)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from tdlint.config import Selection
from tdlint.diagnostics import Diagnostic
from tdlint.engine import check_source as check_file_source
from tdlint.fixes import fix_source
from tdlint.rules import ALL_RULES, Invalid, Rule


def _cases(kind: str) -> list[tuple[type[Rule], int, object]]:
    return [(rule, i, case) for rule in ALL_RULES for i, case in enumerate(getattr(rule, kind))]


def _id(case: tuple[type[Rule], int, object]) -> str:
    return f"{case[0].code}-{case[1]}"


def check_source(source: str, filename: str, select: list[str]) -> list[Diagnostic]:
    """The rule's diagnostics; a rule that raised (which the engine reports as an internal
    error beside the other rules' findings) fails the test."""
    result = check_file_source(source, filename, Selection.from_options(select))
    assert result.error is None, result.error
    return list(result.diagnostics)


@pytest.mark.parametrize("case", _cases("VALID"), ids=_id)
def test_valid_examples_are_silent(case: tuple[type[Rule], int, str]) -> None:
    rule, _, source = case
    diagnostics = check_source(textwrap.dedent(source), "valid.py", select=[rule.code])
    assert diagnostics == [], [d.message for d in diagnostics]


@pytest.mark.parametrize("case", _cases("INVALID"), ids=_id)
def test_invalid_examples_are_reported(case: tuple[type[Rule], int, Invalid]) -> None:
    rule, _, invalid = case
    source = textwrap.dedent(invalid.source)
    diagnostics = check_source(source, "invalid.py", select=[rule.code])
    assert [d.code for d in diagnostics] == [rule.code], diagnostics
    if invalid.message is not None:
        assert invalid.message in diagnostics[0].message
    if invalid.row is not None:
        assert diagnostics[0].location.row == invalid.row


@pytest.mark.parametrize("case", [c for c in _cases("INVALID") if c[2].fixed], ids=_id)
def test_fixes_produce_expected_code(case: tuple[type[Rule], int, Invalid]) -> None:
    rule, _, invalid = case
    selection = Selection.from_options([rule.code])
    outcome = fix_source(textwrap.dedent(invalid.source), "invalid.py", selection, unsafe=True)
    assert outcome.source == textwrap.dedent(invalid.fixed or "")
    cst.parse_module(outcome.source)
    assert [d for d in outcome.result.diagnostics if d.code == rule.code] == []
    again = fix_source(outcome.source, "invalid.py", selection, unsafe=True)
    assert again.applied == 0 and again.source == outcome.source


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_rule_has_examples_both_ways(rule: type[Rule]) -> None:
    assert len(rule.VALID) >= 2 and len(rule.INVALID) >= 2
