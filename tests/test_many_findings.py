"""What keeps a file with many findings linear, checked for correctness (not for time; the
timing is benchmarks/many_findings.py): the fix preview diffs only the lines a fix touches,
file-wide searches are made once per file, and positions are indexed after a few lookups.
Each must give exactly what the slow way gave."""

from __future__ import annotations

import difflib
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from tdlint.analysis import analyze
from tdlint.config import Selection
from tdlint.diagnostics import Edit, Location
from tdlint.engine import check_source
from tdlint.parsing import parse_for_analysis
from tdlint.positions import (
    INDEX_AFTER,
    LINE_END,
    NodePositions,
    _walk,
    line_starts,
    module_positions,
    positions_and_code,
)
from tdlint.preview import Previewer, applied
from tdlint.rules import ALL_RULES, RuleContext
from tdlint.rules.sequence_intent import models_using

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import many_findings  # noqa: E402  (benchmarks/many_findings.py: the file it times)

EVERYTHING = Selection.from_options(select=["ALL"])
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
# TDL002's fix edits the import and the call: one hunk from the import to the call.
TDL002_COPIES = "from keras.layers import TimeDistributedDense\n" + "".join(
    f"layer{i} = TimeDistributedDense({i + 1})\nprint(layer{i})\n" for i in range(12)
)


def whole_file_diff(source: str, edits: tuple[Edit, ...]) -> tuple[str, ...]:
    """The preview as it was made before, for every finding: a diff of the whole file."""
    before, after = LINE_END.split(source), LINE_END.split(applied(source, edits))
    diff = difflib.unified_diff(before, after, n=0, lineterm="")
    return tuple(line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++"))


def previewer(source: str) -> Previewer:
    return Previewer(source, LINE_END.split(source), line_starts(source))


def sources_with_fixes() -> dict[str, str]:
    found = {f"example {p.name}": p.read_text() for p in EXAMPLES}
    for rule in ALL_RULES:
        for i, invalid in enumerate(rule.INVALID):
            found[f"{rule.code} invalid {i}"] = invalid.source
    found["TDL002 twelve times"] = TDL002_COPIES
    found["TDL002 twelve times, CRLF"] = TDL002_COPIES.replace("\n", "\r\n")
    found["TDL002 twelve times, no final newline"] = TDL002_COPIES.rstrip("\n")
    found["TDL001 forty times"] = many_findings.source(40, findings=True)
    # Over 200 lines: only the lines around each fix are diffed.
    many = "from keras.layers import TimeDistributedDense\n" + "".join(
        f"layer{i} = TimeDistributedDense({i + 1})\n\nprint(layer{i})\n" for i in range(80)
    )
    found["TDL002 eighty times"] = many
    found["TDL002 eighty times, CRLF"] = many.replace("\n", "\r\n")
    found["TDL002 eighty times, no final newline"] = many.rstrip("\n")
    return found


SOURCES = sources_with_fixes()


# ---------------------------------------------------------------- the fix preview


@pytest.mark.parametrize("name", list(SOURCES))
def test_preview_of_each_fix_is_the_whole_file_diff(name: str) -> None:
    source = SOURCES[name]
    result = check_source(source, "m.py", EVERYTHING)
    fixed = [d for d in result.diagnostics if d.fix is not None and d.fix.edits]
    for d in fixed:
        assert d.fix is not None
        assert d.fix_diff == whole_file_diff(source, d.fix.edits), (d.code, d.location)


def test_many_findings_in_one_file_each_get_their_own_preview() -> None:
    source = SOURCES["TDL002 twelve times"]
    result = check_source(source, "m.py", EVERYTHING)
    previews = [d.fix_diff for d in result.diagnostics if d.code == "TDL002"]
    assert len(previews) == 12
    # Each fix rewrites the import and its own call: one hunk from line 1 to that call,
    # whose lines between are unchanged and not shown.
    old_import = "-from keras.layers import TimeDistributedDense"
    new_import = "+from keras.layers import TimeDistributedDense, TimeDistributed, Dense"
    assert previews[0] == (  # the import and the call are adjacent: one change
        old_import,
        "-layer0 = TimeDistributedDense(1)",
        new_import,
        "+layer0 = TimeDistributed(Dense(1))",
    )
    for i, preview in enumerate(previews[1:], start=1):
        assert preview == (
            old_import,
            new_import,
            f"-layer{i} = TimeDistributedDense({i + 1})",
            f"+layer{i} = TimeDistributed(Dense({i + 1}))",
        )


def edit(source: str, start: int, end: int, content: str) -> Edit:
    return Edit(content, start, end, Location(1, 1), Location(1, 1))


def random_case(rng: random.Random) -> tuple[str, tuple[Edit, ...]]:
    """A small text with mixed line ends and one to three edits, possibly with line ends in
    them, possibly empty, at any offset."""
    pieces = ["a", "b", "x = 1", "", "    pass", "c(d)"]
    ends = ["\n", "\n", "\r\n", "\r"]
    source = "".join(rng.choice(pieces) + rng.choice(ends) for _ in range(rng.randint(1, 12)))
    if rng.random() < 0.3:
        source = source.rstrip("\r\n")
    offsets = sorted(
        rng.sample(range(len(source) + 1), k=min(len(source) + 1, 2 * rng.randint(1, 3)))
    )
    contents = ["", "z", "\n", "a\nb", "x = 1\r\n", "\r", "q\n\n"]
    edits = tuple(
        edit(source, offsets[i], offsets[i + 1], rng.choice(contents))
        for i in range(0, len(offsets) - 1, 2)
    )
    return source, edits


def test_preview_equals_the_whole_file_diff_on_random_edits() -> None:
    # Files under 200 lines are diffed whole: the same diff, read from difflib's opcodes.
    rng = random.Random(13)
    for _ in range(3000):
        source, edits = random_case(rng)
        assert previewer(source).preview(edits) == whole_file_diff(source, edits), (source, edits)


def code_line(rng: random.Random, i: int) -> str:
    """A line of a synthetic module: unique ones, and ones repeated so often that difflib
    finds them popular (blank lines, closing brackets)."""
    return rng.choice(
        [
            f"def f{i}(x):",
            f"    return x + {i}",
            "",
            "",
            "    )",
            "@register",
            f"class C{i}:",
            "    pass",
            f"    y = g(x, {i})",
            "return None",
            f"# note {i}",
        ]
    )


def large_case(rng: random.Random) -> tuple[str, tuple[Edit, ...]]:
    """A file of 200 to 320 lines (line ends of one kind or mixed, a final one or not) and
    an edit over up to seven lines, inserting lines of the file or new ones, sometimes with
    a second edit further down (a fix that edits an import and a call)."""
    ends = ["\n"] * 8 + ["\r\n", "\r"]
    end, mixed = rng.choice(ends), rng.random() < 0.2
    lines = [code_line(rng, i) for i in range(rng.randint(200, 320))]
    source = "".join(line + (rng.choice(ends) if mixed else end) for line in lines)
    if rng.random() < 0.2:
        source = source.rstrip("\r\n")
    starts, split = line_starts(source), LINE_END.split(source)

    def offset_in(row: int) -> int:
        return starts[row] + rng.randrange(len(split[row]) + 1)

    row = rng.randrange(len(starts))
    start = offset_in(row)
    stop = max(start, offset_in(min(row + rng.choice([0, 0, 1, 2, 6]), len(starts) - 1)))
    block = "".join(rng.choice(lines) + end for _ in range(3))
    contents = ["", "x", "\n", "\n\n", end, f"z = 1{end}", block, rng.choice(lines) + end]
    edits = (edit(source, start, stop, rng.choice(contents)),)
    if rng.random() < 0.3:
        further = max(stop, starts[min(row + rng.randrange(1, 40), len(starts) - 1)])
        edits += (edit(source, further, further, "y" + rng.choice(["", end])),)
    return source, edits


def test_preview_of_a_large_file_is_the_whole_file_diff() -> None:
    # Only the lines around the fix are diffed, as difflib would diff them in the whole
    # file. Where that diff is ambiguous (a fix that repeats the lines around it), the same
    # lines may come in another order: allowed, rarely, in these contrived files.
    rng = random.Random(2)
    cases, reordered = 2000, 0
    for _ in range(cases):
        source, edits = large_case(rng)
        found, expected = previewer(source).preview(edits), whole_file_diff(source, edits)
        if found != expected:
            assert Counter(found) == Counter(expected), (source, edits)
            reordered += 1
    assert reordered <= cases // 1000  # one in a thousand at most; none for this seed


def test_unchanged_popular_lines_at_the_edges_of_a_fix_are_not_shown() -> None:
    # Blank lines are popular in a long file: difflib starts no match on them, but the block
    # of lines before the fix runs on over the blank line the fix starts on, unchanged.
    source = "".join(f"def f{i}():\n    return {i}\n\n" for i in range(80))
    start = source.index("\ndef f40")  # the blank line's end, then `def f40`
    edits = (edit(source, start, start + len("\ndef f40"), "\ndef g40"),)
    assert previewer(source).preview(edits) == ("-def f40():", "+def g40():")
    assert whole_file_diff(source, edits) == ("-def f40():", "+def g40():")
    # The same at the end of a fix: `return` ends the line before a blank one.
    end = source.index("    return 41\n") + len("    return 41\n")
    edits = (edit(source, end - len("41\n"), end + 1, "42\n\n"),)
    assert previewer(source).preview(edits) == whole_file_diff(source, edits)
    assert previewer(source).preview(edits) == ("-    return 41", "+    return 42")


def test_a_removed_line_that_starts_with_dashes_is_shown() -> None:
    # The old preview filtered out the diff's "---"/"+++" headers by their first characters,
    # and with them a changed line that starts with "--" or "++" (a docstring's underline).
    source = '"""Title\n--------\n"""\nx = 1\n'
    start = source.index("--------")
    edits = (edit(source, start, start + len("--------\n"), ""),)
    assert previewer(source).preview(edits) == ("---------",)
    assert whole_file_diff(source, edits) == ()


@pytest.mark.parametrize(
    ("source", "start", "end", "content"),
    [
        ("a\rb\n", 2, 3, "\nB"),  # "\r" before the hunk + "\n" at its start: one line end
        ("a\nb\nc\n", 2, 3, "B\r"),  # "\r" at its end + the "\n" after it
        ("a\r\nb\n", 0, 2, "A"),  # an edit that ends inside a line end
    ],
)
def test_a_line_end_joining_one_outside_falls_back_to_the_whole_file(
    source: str, start: int, end: int, content: str
) -> None:
    edits = (edit(source, start, end, content),)
    assert previewer(source).hunk(edits) is None
    assert previewer(source).preview(edits) == whole_file_diff(source, edits)


def test_the_hunk_is_the_touched_lines_only() -> None:
    source = "".join(f"line {i}\n" for i in range(100))
    start = source.index("line 40")
    end = source.index("line 42") + len("line 42")
    assert previewer(source).hunk((edit(source, start, end, "new"),)) == (40, 42, ["new"])


# ---------------------------------------------------------------- positions


def test_positions_after_many_lookups_in_any_order_are_libcsts() -> None:
    source = many_findings.source(30, findings=True)
    module = parse_for_analysis(source)
    expected = module_positions(module)
    nodes = [node for node in _walk(module) if node is not module]
    random.Random(5).shuffle(nodes)
    found = NodePositions(module, source)
    for i, node in enumerate(nodes[: INDEX_AFTER * 4]):
        assert found[node] == expected[node], (i, type(node).__name__)
    assert found._everything is None  # still the statement-by-statement way


def test_lookups_index_every_statement_after_a_few() -> None:
    source = "import keras\n" + "".join(f"x{i} = keras.layers.Dense({i})\n" for i in range(60))
    module = parse_for_analysis(source)
    found = NodePositions(module, source)
    calls = [statement.body[0].value for statement in module.body[1:]]
    for call in calls[: INDEX_AFTER - 1]:
        found[call]
    assert len(found._walked) == INDEX_AFTER - 1  # each found where its text is
    found[calls[-1]]
    assert len(found._walked) == len(module.body)  # the index: every statement, once
    assert [found[call].start.line for call in calls] == list(range(2, 62))


@pytest.mark.parametrize("path", EXAMPLES[:6], ids=[p.name for p in EXAMPLES[:6]])
def test_positions_and_code_in_one_pass(path: Path) -> None:
    module = parse_for_analysis(path.read_text())
    ranges, code = positions_and_code(module)
    assert code == module.code
    expected = module_positions(module)
    assert len(ranges) == len(expected) and all(ranges[n] == expected[n] for n in expected)


def test_the_benchmarks_copies_are_reported_alike() -> None:
    # Every copy of the model gets the same findings, at its own lines, with its own preview.
    copies = 40
    result = check_source(many_findings.source(copies, True), "m.py", EVERYTHING)
    by_copy: dict[int, list[tuple[str, int, int, tuple[str, ...]]]] = {}
    for d in result.diagnostics:
        copy, offset = divmod(d.location.row - 4, 7)
        diff = tuple(line.replace(f"model_{copy}", "model_N") for line in d.fix_diff)
        column = d.location.column - len(str(copy))  # after `model_12.add(`
        by_copy.setdefault(copy, []).append((d.code, offset, column, diff))
    assert len(by_copy) == copies
    assert all(found == by_copy[0] for found in by_copy.values())
    assert {code for code, *_ in by_copy[0]} >= {"TDL001"}
    clean = check_source(many_findings.source(copies, False), "m.py", EVERYTHING)
    assert clean.diagnostics == ()


# ---------------------------------------------------------------- file-wide searches, once


class CountingPattern:
    """A compiled pattern that counts its searches."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)
        self.searches = 0

    def search(self, text: str) -> re.Match[str] | None:
        self.searches += 1
        return self.pattern.search(text)


def context(source: str) -> RuleContext:
    module = parse_for_analysis(source)
    return RuleContext(analyze(module, source), lambda node: 1)


def test_the_source_is_searched_once_per_pattern() -> None:
    ctx = context("import keras\nloss = keras.backend.ctc_batch_cost\n")
    ctc, tape = CountingPattern(r"ctc_batch_cost"), CountingPattern(r"GradientTape")
    for _ in range(5):
        assert ctx.source_has(ctc) is True  # type: ignore[arg-type]
        assert ctx.source_has(tape) is False  # type: ignore[arg-type]
    assert (ctc.searches, tape.searches) == (1, 1)


@pytest.mark.parametrize(
    "name", ["Dense", "TimeDistributedDense", "x", "layer_1", "absent", "Dé", "keras"]
)
def test_word_count_is_the_regex_count(name: str) -> None:
    source = (
        "import keras\nfrom keras.layers import Dense, TimeDistributedDense\n"
        "x = Dense(1)  # Dense again, DenseNet is not Dense\nlayer_1 = TimeDistributedDense(x)\n"
        "Dé = 'Dé'; xx = x_x = x\n"
    )
    assert context(source).word_count(name) == len(re.findall(rf"\b{re.escape(name)}\b", source))


def test_memo_computes_once() -> None:
    ctx = context("import keras\n")
    calls: list[int] = []
    for _ in range(3):
        assert ctx.memo("k", lambda: calls.append(1) or len(calls)) == 1
    assert calls == [1]


SHARED = """\
import keras
from keras import layers
rnn = layers.LSTM(8, return_sequences=True)
head = layers.Dense(1)
a = keras.Input((5, 3))
b = keras.Input((5, 3))
first = keras.Model(a, head(rnn(a)))
second = keras.Model(b, layers.Dense(2)(rnn(b)))
third = keras.Sequential([keras.Input((5, 3)), layers.LSTM(4, return_sequences=True)])
fourth = keras.Model(a, head(rnn(a)))
"""


def test_models_using_a_layer_in_the_graphs_order() -> None:
    ctx = context(SHARED)
    graph = ctx.graph
    assert len(graph.models) == 4
    for app in graph.applications:
        uses = {id(a) for a in app.layer.applications}
        slow = [m for m in graph.models if any(id(a) in uses for a in m.applications)]
        assert models_using(ctx, app) == slow
    shared = next(app for app in graph.applications if app.layer.spec.name == "LSTM")
    assert len(models_using(ctx, shared)) == 3  # the shared LSTM: first, second and fourth
