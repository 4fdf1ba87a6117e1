"""Positions worked out one statement at a time must be LibCST's own, for every node."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from tdlint.parsing import parse_for_analysis
from tdlint.positions import NodePositions, _walk, module_positions
from tdlint.rules import ALL_RULES

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))
SNIPPETS = [
    *(v for rule in ALL_RULES for v in rule.VALID),
    *(i.source for rule in ALL_RULES for i in rule.INVALID),
]
ODD = {
    "decorators": "# lead\n\n@a\n# between\n@b.c(1)\nclass A:\n    @staticmethod\n    def f(): pass\n",
    "decorator on two lines": "@ \\\n  deco\ndef f():\n    return 1\n",
    "semicolons": "import keras; x = 1; y = (2,\n  3)\nz = x\n",
    "crlf": "import keras\r\nx = keras.layers.Dense(3)\r\n\r\nif x:\r\n    y = 1\r\n",
    "lone cr": "import keras\rx = 1\ry = keras.Input((3,))\r",
    "no final newline": "import keras\nx = keras.layers.Dense(\n    3)",
    "form feed": "import keras\n\x0c\nx = 1\n\x0cy = 2\ndef f():\n\x0c    return 3\n",
    "tabs": "if True:\n\tx = [\n\t\t1,\n\t]\n",
    "comments only": "# nothing\n",
    "nested": "def f():\n    def g():\n        class C:\n            x = lambda: (yield)\n    return g\n",
    "strings": 'x = """a\nb"""; y = f"{x!r}"\nz = (\n  "p"\n  "q")\n',
    "newer syntax than ast": "type Alias = int\nimport keras\nx = keras.Input((3,))\n",
}


def assert_same_positions(source: str) -> None:
    module = parse_for_analysis(source)
    expected = module_positions(module)
    found = NodePositions(module, source)
    for node in reversed(list(_walk(module))):  # from the end: statements walked in one go
        if node is not module:
            assert found[node] == expected[node], (type(node).__name__, found[node])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples(path: Path) -> None:
    assert_same_positions(path.read_text())


@pytest.mark.parametrize("source", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_rule_snippets(source: str) -> None:
    assert_same_positions(source)


@pytest.mark.parametrize("source", list(ODD.values()), ids=list(ODD))
def test_odd_layouts(source: str) -> None:
    assert_same_positions(source)


def test_only_the_statements_asked_about_are_laid_out() -> None:
    source = "import keras\n" + "".join(f"x{i} = keras.layers.Dense({i})\n" for i in range(50))
    module = parse_for_analysis(source)
    found = NodePositions(module, source)
    call = module.body[20].body[0].value
    assert found[call].start.line == 21
    assert list(found._by_statement) == [20] and found._everything is None
    assert found._walked == {20}  # found where its text is, without walking the others


@pytest.mark.parametrize("source", [*SNIPPETS[:20], *ODD.values()])
def test_the_walk_meets_every_node_libcst_places(source: str) -> None:
    module = parse_for_analysis(source)
    assert {id(n) for n in _walk(module)} == {id(n) for n in module_positions(module)}


@pytest.mark.parametrize(
    ("name", "fast"),
    [
        ("decorators", True),
        ("crlf", True),
        ("lone cr", True),
        ("no final newline", True),
        ("decorator on two lines", False),  # ast's line is the decorator's, not the `@`'s
        ("form feed", False),  # LibCST restarts columns after it
        # Python 3.12 syntax: the running Python's parser cannot read it before 3.12.
        ("newer syntax than ast", sys.version_info >= (3, 12)),
    ],
)
def test_when_statements_are_laid_out_alone(name: str, fast: bool) -> None:
    """The fast way is really taken in ordinary files (or this speed-up would be dead code),
    and the cases it cannot handle fall back to the whole module."""
    source = ODD[name]
    module = parse_for_analysis(source)
    found = NodePositions(module, source)
    for statement in module.body:
        found[statement]
    assert (found._everything is None) is fast


def test_placing_statements_prints_no_warnings_about_the_users_code() -> None:
    # Python's parser warns about "\d" in a plain string (a SyntaxWarning from 3.12): shown
    # to the user for every file with a finding, it would be noise about their code.
    source = 'import re\npattern = re.compile("\\d+")\nx = 1\n'
    module = parse_for_analysis(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert NodePositions(module, source)[module.body[2]].start.line == 3
    assert caught == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_module_positions_are_the_wrappers(path: Path) -> None:
    module = parse_for_analysis(path.read_text())
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found = module_positions(module)
    assert len(found) == len(expected) > 100
    assert all(found[node] == expected[node] for node in expected)
