"""The analysis parse skips LibCST's node validation and pauses the garbage collector: the
trees must be the ones LibCST builds, and both must be back to normal afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import libcst as cst
import pytest

from tdlint.parsing import _CAN_SKIP_VALIDATION, gc_paused, parse_for_analysis
from tdlint.rules import ALL_RULES

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))
SNIPPETS = [
    *(v for rule in ALL_RULES for v in rule.VALID),
    *(i.source for rule in ALL_RULES for i in rule.INVALID),
]
TRICKY = [
    "x = (  # comment\n  1 ,)\n",
    "@decorator\nasync def f(*, a: int = 1, **kw) -> None:\n    async with a as b: yield\n",
    "match p:\n    case [1, *rest] if rest: pass\n    case {'k': v, **kw}: pass\n",
    'f"{x!r:>{width}}" f"a" """doc"""\nrb"\\x00" b"b"\n',
    "try:\n    pass\nexcept* ValueError as e:\n    raise\n",
    "lambda x=1, /, *a, y, **k: (yield)\n",
    "x: list[int] = [i for i in range(3) if i if not i]\nx @= y ** -z\n",
    "del a[1:2, ::3], b.c\nglobal g\nassert x, 'm'\n",
    "\ufeffprint(1)\r\nprint(2)\r\n",
]


def test_validation_can_be_skipped_on_this_libcst() -> None:
    # If a LibCST release gives __post_init__ more work, parsing falls back to the normal
    # (slower) path; this says so instead of silently losing the speed.
    assert _CAN_SKIP_VALIDATION


@pytest.mark.parametrize(
    "source",
    [p.read_text() for p in EXAMPLES] + SNIPPETS + TRICKY,
    ids=[p.name for p in EXAMPLES]
    + [f"snippet{i}" for i in range(len(SNIPPETS))]
    + [f"tricky{i}" for i in range(len(TRICKY))],
)
def test_the_tree_is_the_one_libcst_builds(source: str) -> None:
    expected = cst.parse_module(source)
    tree = parse_for_analysis(source)
    assert tree.deep_equals(expected)
    assert tree.code == expected.code


@pytest.mark.parametrize(
    "source",
    [
        'x = "a" b"b"\n',
        "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
    ],
)
def test_syntax_errors_only_validation_finds_are_still_found(source: str) -> None:
    # Python rejects both; LibCST's parser accepts them and its validation rejects them.
    with pytest.raises(cst.CSTValidationError):
        cst.parse_module(source)
    with pytest.raises(cst.CSTValidationError):
        parse_for_analysis(source)


def test_validation_is_back_after_parsing_even_a_syntax_error() -> None:
    parse_for_analysis("x = 1\n")
    with pytest.raises(cst.ParserSyntaxError):
        parse_for_analysis("x = (\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")  # an empty name is invalid: validation runs when a node is built by hand


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_paused_restores_the_collector(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), gc_paused():
            raise KeyError
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
