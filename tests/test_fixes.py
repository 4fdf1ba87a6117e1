"""Applying fixes (tdlint/fixes.py): edits that touch or overlap, two insertions at one point,
and the fixing loop's refusals (invalid code, no change, no convergence)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tdlint import fixes
from tdlint.config import Settings
from tdlint.diagnostics import (
    Applicability,
    Diagnostic,
    Edit,
    FileResult,
    Fix,
    Location,
    Severity,
)
from tdlint.fixes import FixError, apply_edits, fix_source, is_applicable

SELECTION = Settings().selection()
IMPORT = "from keras.layers import TimeDistributed, Dense\n"


def edit(content: str, start: int, end: int) -> Edit:
    return Edit(content, start, end, Location(1, start + 1), Location(1, end + 1))


def diagnostic(
    *edits: Edit, applicability: Applicability | None = Applicability.SAFE
) -> Diagnostic:
    fix = None if applicability is None else Fix(applicability, "fix it", tuple(edits))
    return Diagnostic(
        "TDL002", "time-distributed-dense", "m", Severity.ERROR, "m.py", Location(1, 1),
        Location(1, 2), fix=fix,
    )  # fmt: skip


def test_is_applicable() -> None:
    safe = diagnostic(edit("x", 0, 1))
    unsafe = diagnostic(edit("x", 0, 1), applicability=Applicability.UNSAFE)
    none = diagnostic(applicability=None)
    assert [is_applicable(d, False) for d in (safe, unsafe, none)] == [True, False, False]
    assert [is_applicable(d, True) for d in (safe, unsafe, none)] == [True, True, False]


# ---------------------------------------------------------------- one round of edits


def test_disjoint_and_touching_edits_all_apply() -> None:
    source = "aaaa bbbb cccc"
    out, applied = apply_edits(
        source,
        [
            diagnostic(edit("X", 10, 14)),
            diagnostic(edit("Y", 0, 4)),
            diagnostic(edit("Z", 4, 5)),  # touches both neighbours, overlaps neither
        ],
    )
    assert (out, applied) == ("YZbbbb X", 3)


def test_overlapping_edits_keep_the_first_and_defer_the_other() -> None:
    source = "model.add(Dense(1))"
    first = diagnostic(edit("TimeDistributed(Dense(1))", 10, 18))
    overlapping = diagnostic(edit("Dense(2)", 14, 18))
    out, applied = apply_edits(source, [overlapping, first])
    assert (out, applied) == ("model.add(TimeDistributed(Dense(1)))", 1)


def test_a_fix_is_applied_whole_or_not_at_all() -> None:
    source = "0123456789"
    wide = diagnostic(edit("A", 0, 2), edit("B", 6, 8))
    clashing = diagnostic(edit("C", 4, 5), edit("D", 7, 9))  # its second edit overlaps
    out, applied = apply_edits(source, [wide, clashing])
    assert (out, applied) == ("A2345B89", 1)


def test_identical_ranges_overlap() -> None:
    source = "import a\nx = 1\ny = 2\n"
    one = diagnostic(edit("import a, b", 0, 8), edit("X", 13, 14))
    two = diagnostic(edit("import a, b", 0, 8), edit("Y", 19, 20))
    out, applied = apply_edits(source, [one, two])
    assert (out, applied) == ("import a, b\nx = X\ny = 2\n", 1)


def test_insertions_next_to_a_replacement_keep_their_side() -> None:
    source = "0123456789"
    out, applied = apply_edits(
        source,
        [
            diagnostic(edit("<", 3, 3)),  # before the replaced range
            diagnostic(edit("R", 3, 6)),
            diagnostic(edit(">", 6, 6)),  # after it
        ],
    )
    assert (out, applied) == ("012<R>6789", 3)


def test_two_insertions_at_one_point_never_write_the_same_import_twice() -> None:
    source = "from keras.layers.core import TimeDistributedDense\nlayer0 = X\nlayer1 = Y\n"
    a = diagnostic(edit(IMPORT, 0, 0), edit("A", 60, 61))
    b = diagnostic(edit(IMPORT, 0, 0), edit("B", 71, 72))
    out, applied = apply_edits(source, [a, b])
    assert out.count(IMPORT) == 1
    # Whichever fixes went in went in whole.
    assert applied in (1, 2) and out.count("layer0 = A") + out.count("layer1 = B") == applied


def test_fixing_a_file_with_two_fixes_that_insert_the_same_import() -> None:
    source = (
        "from keras.layers.core import TimeDistributedDense\n"
        "layer0 = TimeDistributedDense(3)\n"
        "layer1 = TimeDistributedDense(4)\n"
    )
    outcome = fix_source(source, "m.py", SELECTION, unsafe=False)
    assert outcome.source == (
        "from keras.layers import TimeDistributed, Dense\n"
        "layer0 = TimeDistributed(Dense(3))\n"
        "layer1 = TimeDistributed(Dense(4))\n"
    )
    # Two TDL002 fixes, and TDL303's move of the import off keras.layers.core (made in the
    # first round, before the second TDL002 fix took the line away).
    assert outcome.applied == 3 and outcome.result.diagnostics == ()


def test_nothing_to_fix_returns_the_source_unchanged() -> None:
    out, applied = apply_edits("x = 1\n", [diagnostic(applicability=None)])
    assert (out, applied) == ("x = 1\n", 0)
    outcome = fix_source("import keras\nx = 1\n", "m.py", SELECTION, unsafe=False)
    assert (outcome.source, outcome.applied, outcome.result.diagnostics) == (
        "import keras\nx = 1\n",
        0,
        (),
    )


def test_unsafe_fixes_only_when_asked() -> None:
    source = (
        "from keras.models import Sequential\n"
        "from keras.layers import LSTM, Dense, TimeDistributed\n"
        "model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])\n"
    )
    kept = fix_source(source, "m.py", SELECTION, unsafe=False)
    assert kept.source == source and kept.applied == 0
    assert [d.code for d in kept.result.diagnostics] == ["TDL003"]
    fixed = fix_source(source, "m.py", SELECTION, unsafe=True)
    assert "LSTM(32, input_shape=(10, 8), return_sequences=True)" in fixed.source
    assert fixed.applied == 1 and fixed.result.diagnostics == ()


# ---------------------------------------------------------------- the loop's refusals


class FakeChecker:
    """Stands in for the engine: each call returns the next list of diagnostics."""

    def __init__(self, rounds: Sequence[Sequence[Diagnostic]]) -> None:
        self.rounds = list(rounds)
        self.sources: list[str] = []

    def __call__(self, source: str, *args: object, **kwargs: object) -> FileResult:
        self.sources.append(source)
        found = self.rounds.pop(0) if self.rounds else self.last
        self.last = found
        return FileResult("m.py", tuple(found))


def test_a_fix_that_breaks_the_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    checker = FakeChecker([[diagnostic(edit("(", 0, 1))]])
    monkeypatch.setattr(fixes, "check_source", checker)
    with pytest.raises(FixError, match=r"^a fix produced invalid code \("):
        fix_source("x = 1\n", "m.py", SELECTION, unsafe=False)


def test_a_fix_that_only_the_compiler_refuses_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # "f(a=1, a=2)" parses (LibCST and Python's parser) but does not compile.
    checker = FakeChecker([[diagnostic(edit("f(a=1, a=2)", 0, 6))]])
    monkeypatch.setattr(fixes, "check_source", checker)
    with pytest.raises(FixError, match=r"^a fix produced invalid code \(keyword argument repeated"):
        fix_source("f(a=1)\n", "m.py", SELECTION, unsafe=False)
    # A file that never compiled (a notebook's magics, say) is judged by its parse alone.
    ok = FakeChecker([[diagnostic(edit("f(a=1, a=2)", 0, 6))], []])
    monkeypatch.setattr(fixes, "check_source", ok)
    out = fix_source("f(a=1)\nreturn 1\n", "m.py", SELECTION, unsafe=False)
    assert out.source == "f(a=1, a=2)\nreturn 1\n"


def test_a_fix_that_changes_nothing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fixes, "check_source", FakeChecker([[diagnostic(edit("x", 0, 1))]]))
    with pytest.raises(FixError, match="^a fix changed nothing$"):
        fix_source("x = 1\n", "m.py", SELECTION, unsafe=False)


def test_fixes_that_never_converge_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each round "fixes" x into x + 1 forever.
    checker = FakeChecker([])
    checker.last = [diagnostic(edit("x = 1 + 1", 0, 5))]
    monkeypatch.setattr(fixes, "check_source", checker)
    with pytest.raises(FixError, match=f"^fixes did not converge after {fixes.MAX_ROUNDS} rounds$"):
        fix_source("x = 1\n", "m.py", SELECTION, unsafe=False)
    assert len(checker.sources) == fixes.MAX_ROUNDS + 1  # the original, then one per round


def test_the_loop_rechecks_after_each_round(monkeypatch: pytest.MonkeyPatch) -> None:
    checker = FakeChecker([[diagnostic(edit("y", 0, 1))], [diagnostic(edit("z", 0, 1))], []])
    monkeypatch.setattr(fixes, "check_source", checker)
    outcome = fix_source("x = 1\n", "m.py", SELECTION, unsafe=False)
    assert checker.sources == ["x = 1\n", "y = 1\n", "z = 1\n"]
    assert (outcome.source, outcome.applied) == ("z = 1\n", 2)


def test_a_fix_without_edits_sorts_first_and_counts() -> None:
    # TDL900's fixes are built with their edits filled in later; an empty one must not break
    # the ordering (min() of nothing).
    empty = diagnostic()
    out, applied = apply_edits("abc", [diagnostic(edit("X", 1, 2)), empty])
    assert (out, applied) == ("aXc", 2)


def test_an_overlap_defers_only_that_fix() -> None:
    source = "0123456789"
    first = diagnostic(edit("A", 0, 3))
    clashing = diagnostic(edit("B", 2, 4))
    later = diagnostic(edit("C", 8, 9))  # after the clash: still applied this round
    assert apply_edits(source, [first, clashing, later]) == ("A34567C9", 2)


def test_a_fix_already_taken_by_another_finding_counts_and_the_later_ones_still_apply() -> None:
    source = "0123456789"
    one, same = diagnostic(edit("A", 0, 2)), diagnostic(edit("A", 0, 2))  # one defect, twice
    later = diagnostic(edit("C", 8, 9))
    assert apply_edits(source, [one, same, later]) == ("A234567C9", 3)


def test_an_insertion_where_a_taken_replacement_starts_is_no_overlap() -> None:
    source = "0123456789"
    out, applied = apply_edits(source, [diagnostic(edit("R", 3, 6)), diagnostic(edit("<", 3, 3))])
    assert (out, applied) == ("012<R6789", 2)


def test_an_edit_ending_where_a_taken_one_begins_is_no_overlap() -> None:
    # A is taken first (its first edit comes first) with a second edit at 10..12; B's second
    # edit ends at 10, touching it.
    source = "0123456789abcd"
    a = diagnostic(edit("A", 1, 2), edit("a", 10, 12))
    b = diagnostic(edit("B", 5, 6), edit("b", 8, 10))
    assert apply_edits(source, [a, b]) == ("0A234B67bacd", 2)


def test_the_loop_passes_the_files_settings_to_every_check(monkeypatch: pytest.MonkeyPatch) -> None:
    checker = FakeChecker([[diagnostic(edit("y", 0, 1))], []])
    monkeypatch.setattr(fixes, "check_source", checker)
    seen: list[tuple[object, ...]] = []
    real_call = checker.__call__

    def spy(source: str, *args: object, **kwargs: object) -> FileResult:
        seen.append((args, kwargs))
        return real_call(source, *args)

    monkeypatch.setattr(fixes, "check_source", spy)
    label = lambda row: f"cell {row}"  # noqa: E731
    fix_source("x = 1\n", "nb.ipynb", SELECTION, False, "2", row_label=label, target_version="2.15")
    # Every round reads the Keras version from the original text.
    expected = (
        ("nb.ipynb", SELECTION, "2", label),
        {"target_version": "2.15", "version_text": "x = 1\n"},
    )
    assert seen == [expected] * 2
