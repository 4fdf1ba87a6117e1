"""The human formats (tdlint/report/text.py), from hand-built diagnostics: the exact text and
the exact style of every styled piece, the snippet with its gutter and carets, and the
summary lines. (The command-line tests check the same output end to end.)"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text

from tdlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Location, Severity
from tdlint.report import text

SAFE = Fix(Applicability.SAFE, "Replace it", (Edit("y", 0, 1, Location(1, 1), Location(1, 2)),))
UNSAFE = replace(SAFE, applicability=Applicability.UNSAFE, message="Wrap it")

ERROR = Diagnostic(
    code="TDL002",
    name="time-distributed-dense",
    message="`TimeDistributedDense` was removed",
    severity=Severity.ERROR,
    filename="src/m.py",
    location=Location(7, 9),
    end_location=Location(7, 14),
    help="Use `TimeDistributed(Dense(...))`.",
    fix=SAFE,
    noqa_row=7,
    source_lines=("layer = Dense(8)   ",),
    fix_diff=("-layer = Dense(8)", "+layer = TimeDistributed(Dense(8))"),
)
# A warning spanning two lines, on rows 9-10 (a two-digit gutter), with an unsafe fix.
WARNING = Diagnostic(
    code="TDL001",
    name="dense-on-sequence-output",
    message="`Dense(1)` on a sequence",
    severity=Severity.WARNING,
    filename="m.py",
    location=Location(9, 5),
    end_location=Location(10, 3),
    fix=UNSAFE,
    source_lines=("x = f(a,\t", "  b)"),
    fix_diff=("-x = f(a,", "+x = g(a,"),
)


def styled(rendered: Text) -> list[tuple[str, str]]:
    """Each styled piece of ``rendered``: (its text, its style)."""
    return [(rendered.plain[s.start : s.end], str(s.style)) for s in rendered.spans]


# ---------------------------------------------------------------- concise


def test_concise_line_of_an_error_with_a_safe_fix() -> None:
    line = text.concise_line(ERROR)
    assert line.plain == "src/m.py:7:9: TDL002 [*] `TimeDistributedDense` was removed"
    assert styled(line) == [
        ("src/m.py", "bold"),
        (":7:9: ", "cyan"),
        ("TDL002", "bold red"),
        (" [*]", "cyan"),
    ]


def test_concise_line_of_a_warning_with_an_unsafe_fix_in_a_notebook_cell() -> None:
    line = text.concise_line(replace(WARNING, cell=3))
    assert line.plain == "m.py:cell 3:9:5: TDL001 `Dense(1)` on a sequence"
    assert ("TDL001", "bold yellow") in styled(line) and " [*]" not in line.plain
    assert text.where(replace(WARNING, cell=3)) == "m.py:cell 3:9:5"
    assert text.where(WARNING) == "m.py:9:5"


# ---------------------------------------------------------------- full


def test_full_block_of_a_one_line_span() -> None:
    block = text.full_block(ERROR)
    assert block.plain == (
        "TDL002 [*] `TimeDistributedDense` was removed\n"
        " --> src/m.py:7:9\n"
        "  |\n"
        "7 | layer = Dense(8)\n"
        "  |         ^^^^^\n"
        "  |\n"
        "  = help: Use `TimeDistributed(Dense(...))`.\n"
        "  = fix: Replace it\n"
        "    -layer = Dense(8)\n"
        "    +layer = TimeDistributed(Dense(8))\n"
    )
    assert styled(block) == [
        ("TDL002", "bold red"),
        (" [*]", "cyan"),
        (" `TimeDistributedDense` was removed\n", "bold"),
        (" --> ", "blue"),
        ("  |\n", "blue"),
        ("7 | ", "blue"),
        ("  | ", "blue"),
        ("        ^^^^^\n", "bold red"),
        ("  |\n", "blue"),
        ("  = ", "blue"),
        ("help: ", "bold cyan"),
        ("  = ", "blue"),
        ("fix: ", "bold cyan"),
        ("    -layer = Dense(8)\n", "red"),
        ("    +layer = TimeDistributed(Dense(8))\n", "green"),
    ]


def test_full_block_of_a_two_line_span_with_an_unsafe_fix() -> None:
    block = text.full_block(WARNING)
    assert block.plain == (
        "TDL001 `Dense(1)` on a sequence\n"
        "  --> m.py:9:5\n"
        "   |\n"
        " 9 | x = f(a,\n"
        "   |     ^^^^\n"  # to the end of the first line: the span goes on
        "10 |   b)\n"
        "   |\n"
        "   = fix: Wrap it\n"
        "     -x = f(a,\n"
        "     +x = g(a,\n"
        "   = note: This is an unsafe fix and may change runtime behavior\n"
    )
    pieces = styled(block)
    assert pieces[0] == ("TDL001", "bold yellow")
    assert ("10 | ", "blue") in pieces and (" 9 | ", "blue") in pieces
    assert pieces[-2:] == [("   = ", "blue"), ("note: ", "bold")]


def test_full_block_without_a_snippet_help_or_fix() -> None:
    bare = replace(ERROR, help=None, fix=None, source_lines=(), fix_diff=())
    assert text.full_block(bare).plain == (
        "TDL002 `TimeDistributedDense` was removed\n --> src/m.py:7:9\n"
    )
    # An empty span still gets one caret.
    point = replace(ERROR, end_location=ERROR.location, help=None, fix=None, fix_diff=())
    assert "  |         ^\n" in text.full_block(point).plain


# ---------------------------------------------------------------- summary


class Recorder:
    """A console that records what it is asked to print."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def print(self, message: str, **kwargs: Any) -> None:
        self.calls.append((message, kwargs))


def summary(diagnostics: list[Diagnostic], fixed: int = 0, unsafe: bool = False, fixing=False):  # noqa: ANN001, ANN201
    console = Recorder()
    text.summary(console, diagnostics, fixed, unsafe, fixing)  # type: ignore[arg-type]
    return console.calls


def test_summary_when_all_is_clean() -> None:
    assert summary([]) == [("All checks passed!", {"style": "green"})]


def test_summary_counts_and_fix_hints() -> None:
    plain = replace(ERROR, fix=None)
    assert summary([plain]) == [("Found 1 error.", {})]
    assert summary([ERROR, ERROR]) == [
        ("Found 2 errors.", {}),
        ("[*] 2 fixable with the `--fix` option", {"highlight": False}),
    ]
    assert summary([WARNING]) == [
        ("Found 1 warning.", {}),  # named by severity
        (
            "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
            {"highlight": False},
        ),
    ]
    assert summary([ERROR, WARNING, WARNING])[1] == (
        "[*] 1 fixable with the `--fix` option "
        "(2 hidden fixes can be enabled with the `--unsafe-fixes` option)",
        {"highlight": False},
    )
    # With --unsafe-fixes the unsafe ones are fixable too, and nothing is hidden.
    assert summary([ERROR, WARNING], unsafe=True)[1] == (
        "[*] 2 fixable with the `--fix` option",
        {"highlight": False},
    )


def test_summary_after_fixing() -> None:
    assert summary([], fixed=2, fixing=True) == [("Found 2 errors (2 fixed, 0 remaining).", {})]
    assert summary([WARNING], fixed=1, fixing=True) == [
        ("Found 1 error and 1 warning (1 fixed, 1 remaining).", {})
    ]
    assert summary([ERROR, ERROR, WARNING])[0][0] == "Found 2 errors and 1 warning."
    # Fixed before, without --fix now (the cache says so): the hints still follow.
    assert summary([ERROR], fixed=1) == [
        ("Found 2 errors (1 fixed, 1 remaining).", {}),
        ("[*] 1 fixable with the `--fix` option", {"highlight": False}),
    ]


def test_summary_of_fix_only() -> None:
    """`--fix-only` says what it fixed and how many findings are left, and nothing else."""

    def fix_only(diagnostics: list[Diagnostic], fixed: int) -> list[tuple[str, dict[str, Any]]]:
        console = Recorder()
        text.summary(console, diagnostics, fixed, False, True, fix_only=True)  # type: ignore[arg-type]
        return console.calls

    assert fix_only([], 1) == [("Fixed 1 finding.", {})]
    assert fix_only([ERROR], 2) == [("Fixed 2 findings (1 remaining).", {})]
    assert fix_only([ERROR, WARNING], 0) == [("No fixes applied (2 remaining).", {})]
    assert fix_only([], 0) == [("No fixes applied.", {})]
