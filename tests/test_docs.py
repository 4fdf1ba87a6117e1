"""Every rule has a documentation page with the agreed headings, and every page a rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tdlint.rules import ALL_RULES, rule_names

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"
HEADINGS = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Fix safety",
    "## Keras versions concerned",
]


def test_pages_and_registry_agree() -> None:
    assert {p.stem for p in DOCS.glob("*.md")} == set(rule_names())


@pytest.mark.parametrize("code", sorted(rule_names()))
def test_page_structure(code: str) -> None:
    text = (DOCS / f"{code}.md").read_text()
    assert text.startswith(f"# {rule_names()[code]} ({code})\n")
    assert "**Fix availability:**" in text
    positions = [text.find(h) for h in HEADINGS]
    assert -1 not in positions and positions == sorted(positions), positions


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_page_states_the_rules_fix_availability(rule: type) -> None:
    text = (DOCS / f"{rule.code}.md").read_text()
    assert f"**Fix availability:** {rule.fix_availability}" in text
