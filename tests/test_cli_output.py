"""What the command line prints, exactly: usage errors, --output-file, colour, the plural of
"error", --statistics order, standard input's names and errors, `tdlint rule`, --add-noqa and
`tdlint shapes`. (Exit codes: test_exit_codes.py; report formats: test_report_formats.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import tdlint, write

from tdlint import cli, fixes

FIXABLE = "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n"
UNFIXABLE = (
    "from keras.models import Sequential\n"
    "from keras.layers import LSTM, Dense, TimeDistributed\n"
    "model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])\n"
)
CLEAN = "import keras\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])\n"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_usage_errors_end_with_one_tdlint_error_line(tmp_path: Path) -> None:
    result = tdlint("--output-format", "xml", ".", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("usage: tdlint check ")
    assert lines[-1] == (
        "tdlint: error: argument --output-format: invalid choice: 'xml' (choose from 'full', "
        "'concise', 'json', 'json-lines', 'github', 'sarif', 'junit', 'gitlab')"
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (("--output-format", "concise"), "m.py:3:52: TDL003 "),
        (("--output-format", "full"), "TDL003 `TimeDistributed(Dense)` needs a 3D input"),
        (("--output-format", "json"), '[\n  {\n    "cell": null,\n    "code": "TDL003",'),
        (("--output-format", "github"), "::error title=tdlint (TDL003),file="),
        (("--statistics",), "    1\tTDL003\t   \ttime-distributed-without-time-axis\n"),
    ],
)
def test_output_file_gets_the_report_and_stdout_nothing(
    tmp_path: Path, options: tuple[str, ...], expected: str
) -> None:
    write(tmp_path / "m.py", UNFIXABLE)
    result = tdlint("m.py", "--no-cache", "-o", "report.txt", *options, cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == "" and result.stderr == ""
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert report.startswith(expected) and report.endswith("\n")
    assert "\x1b[" not in report


def test_output_file_from_the_environments_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "m.py", UNFIXABLE)
    monkeypatch.setenv("TDLINT_OUTPUT_FORMAT", "sarif")
    result = tdlint("m.py", "--no-cache", "-o", "r.sarif", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    log = json.loads((tmp_path / "r.sarif").read_text())
    assert log["version"] == "2.1.0" and log["runs"][0]["results"][0]["ruleId"] == "TDL003"
    # The command line wins over the environment.
    again = tdlint("m.py", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert again.stdout.startswith("m.py:3:52: TDL003 ")
    monkeypatch.setenv("TDLINT_OUTPUT_FORMAT", "xml")
    bad = tdlint("m.py", "--no-cache", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr == "tdlint: error: unknown output format `xml`\n"


def test_colour(tmp_path: Path) -> None:
    write(tmp_path / "m.py", UNFIXABLE)
    never = tdlint("m.py", "--no-cache", "--color", "never", cwd=tmp_path).stdout
    auto = tdlint("m.py", "--no-cache", cwd=tmp_path).stdout  # not a terminal: plain
    always = tdlint("m.py", "--no-cache", "--color", "always", cwd=tmp_path).stdout
    assert "\x1b[" not in never and auto == never
    assert "\x1b[1;31mTDL003" in always  # the code in bold red
    assert ANSI.sub("", always) == never
    # Only the styles tdlint chooses: no automatic highlighting of numbers in the summary.
    assert "Found 1 error." in always.splitlines()[-2]
    shapes = tdlint("shapes", "m.py", "--color", "always", cwd=tmp_path).stdout
    assert "\x1b[" in shapes and "\x1b[" not in tdlint("shapes", "m.py", cwd=tmp_path).stdout


def test_would_fix_counts_in_words(tmp_path: Path) -> None:
    write(tmp_path / "a.py", FIXABLE)
    one = tdlint("a.py", "--diff", "--no-cache", cwd=tmp_path)
    assert one.stderr == "\nWould fix 1 error.\n"
    write(tmp_path / "b.py", FIXABLE)
    two = tdlint(".", "--diff", "--no-cache", cwd=tmp_path)
    assert two.stderr == "\nWould fix 2 errors.\n"
    write(tmp_path / "c.py", CLEAN)
    none = tdlint("c.py", "--diff", "--no-cache", cwd=tmp_path)
    assert (none.returncode, none.stdout, none.stderr) == (0, "", "\nNo fixes would be applied.\n")


def test_diff_of_a_fix_that_empties_the_file(tmp_path: Path) -> None:
    # The only line is an import the fix deletes: the fixed text is "".
    write(tmp_path / "m.py", "from keras.layers import TimeDistributedDense\n")
    result = tdlint("m.py", "--diff", "--no-cache", cwd=tmp_path)
    assert result.stdout == (
        "--- m.py\n+++ m.py\n@@ -1 +0,0 @@\n-from keras.layers import TimeDistributedDense\n"
    )


def test_statistics_most_frequent_first_then_by_code(tmp_path: Path) -> None:
    for name in ("a.py", "b.py", "c.py"):
        write(tmp_path / name, UNFIXABLE)
    for name in ("d.py", "e.py"):
        write(tmp_path / name, FIXABLE)
    result = tdlint(".", "--statistics", "--no-cache", cwd=tmp_path)
    assert result.stdout == (
        "    3\tTDL003\t   \ttime-distributed-without-time-axis\n"
        "    2\tTDL002\t[*]\ttime-distributed-dense\n"
    )
    (tmp_path / "c.py").unlink()
    tie = tdlint(".", "--statistics", "--no-cache", cwd=tmp_path)
    assert [line.split("\t")[1] for line in tie.stdout.splitlines()] == ["TDL002", "TDL003"]


# ---------------------------------------------------------------- standard input


def test_standard_input_is_called_dash_unless_named(tmp_path: Path) -> None:
    unnamed = tdlint("-", "--output-format", "concise", stdin=UNFIXABLE, cwd=tmp_path)
    assert unnamed.stdout.startswith("-:3:52: TDL003 ")
    named = tdlint(
        "-",
        "--output-format",
        "json",
        "--stdin-filename",
        "src/m.py",
        stdin=UNFIXABLE,
        cwd=tmp_path,
    )
    assert json.loads(named.stdout)[0]["filename"] == str(tmp_path / "src" / "m.py")


def test_standard_input_gets_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --keras-version and per-file ignores reach the check of standard input.
    from tdlint import engine

    seen: list[tuple[object, ...]] = []
    targets: list[object] = []
    real = engine.check_source

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(args)
        targets.append(kwargs.get("target_version"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "check_source", spy)
    monkeypatch.setattr(fixes, "check_source", spy)
    for extra in ((), ("--fix",)):
        result = _main_in(
            tmp_path,
            ["-", "--keras-version", "2", "--target-keras-version", "2.15"]
            + ["--stdin-filename", "x.py", *extra],
            stdin=FIXABLE,
        )
        assert result[0] in (0, 1)
        assert seen[-1][1] == "x.py" and seen[-1][3] == "2" and targets[-1] == "2.15"
    ignored = tdlint(
        "-", "--per-file-ignores", "x.py:TDL002", "--stdin-filename", "x.py", stdin=FIXABLE,
        cwd=tmp_path,
    )  # fmt: skip
    assert ignored.returncode == 0


def _main_in(cwd: Path, args: list[str], stdin: str) -> tuple[int, str, str]:
    """``cli.main`` in this process (for tests that spy on what it calls)."""
    import contextlib
    import io
    import os
    import sys

    out, err = io.StringIO(), io.StringIO()
    saved, saved_stdin = os.getcwd(), sys.stdin
    os.chdir(cwd)
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(args)
    finally:
        os.chdir(saved)
        sys.stdin = saved_stdin
    return code, out.getvalue(), err.getvalue()


def test_a_failed_fix_of_standard_input_gives_the_input_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise fixes.FixError("a fix produced invalid code (boom)")

    monkeypatch.setattr(fixes, "fix_source", broken)
    code, out, err = _main_in(tmp_path, ["-", "--fix", "--stdin-filename", "m.py"], FIXABLE)
    assert (code, out) == (2, FIXABLE)
    assert err == "tdlint: error: m.py: fix not applied: a fix produced invalid code (boom)\n"
    code, out, err = _main_in(tmp_path, ["-", "--diff"], FIXABLE)
    assert (code, out) == (2, "")  # no diff, and not the source either
    assert err == "tdlint: error: -: fix not applied: a fix produced invalid code (boom)\n"


# ---------------------------------------------------------------- other commands


def test_rule_command_errors(tmp_path: Path) -> None:
    none = tdlint("rule", cwd=tmp_path)
    assert (none.returncode, none.stdout) == (2, "")
    assert none.stderr == "tdlint: error: name a rule (e.g. `tdlint rule TDL001`) or use --all\n"
    bad = tdlint("rule", "NOPE", cwd=tmp_path)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "tdlint: error: unknown rule selector `NOPE`\n"
    old = tdlint("rule", "TD002", cwd=tmp_path)
    assert old.returncode == 0 and old.stdout.startswith("# time-distributed-dense (TDL002)\n")
    assert old.stderr == (
        "tdlint: warning: `TD002` has been remapped to `TDL002` (tdlint's codes moved from TD "
        "to TDL)\n"
    )
    several = tdlint("rule", "TDL00", cwd=tmp_path)
    assert (
        several.stdout.count("\n# ") == 4
    )  # TDL000-TDL004 and "\n\n# time-distributed-dense" in several.stdout


def test_add_noqa_counts_in_words_and_is_quiet_with_q(tmp_path: Path) -> None:
    write(tmp_path / "a.py", UNFIXABLE)
    one = tdlint("a.py", "--add-noqa", cwd=tmp_path)
    assert (one.returncode, one.stderr) == (0, "Added 1 noqa directive.\n")
    assert one.stdout == "All checks passed!\n"  # what is left to report: nothing
    write(tmp_path / "b.py", UNFIXABLE)
    write(tmp_path / "c.py", UNFIXABLE)
    two = tdlint("b.py", "c.py", "--add-noqa", cwd=tmp_path)
    assert two.stderr == "Added 2 noqa directives.\n"
    write(tmp_path / "d.py", UNFIXABLE)
    quiet = tdlint("d.py", "--add-noqa", "-q", cwd=tmp_path)
    assert quiet.stderr == "" and "# noqa: TDL003" in (tmp_path / "d.py").read_text()
    zero = tdlint("d.py", "--add-noqa", cwd=tmp_path)
    assert zero.stderr == "Added 0 noqa directives.\n"
    assert not (tmp_path / ".tdlint_cache").exists()  # it re-checks, never replays


SHAPES = (
    "import keras\nfrom keras import layers\nn = 1\n"
    "model = keras.Sequential([keras.Input(shape=(10, 8)), layers.LSTM(int(input())), layers.Dense(n)])\n"
    "other = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1200)])\n"
)


def test_shapes_table(tmp_path: Path) -> None:
    write(tmp_path / "s.py", SHAPES)
    lines = tdlint("shapes", "s.py", "--color", "never", cwd=tmp_path).stdout.splitlines()
    assert lines[0] == "model (s.py:4, sequential)"
    rows = [[cell.strip() for cell in line.strip("│").split("│")] for line in lines if "│" in line]
    assert rows == [
        ["LSTM", "4", "(None, ?)  (from an integer not known statically)", "?"],
        ["Dense", "4", "(None, 1)", "?"],
        ["Dense", "5", "(None, 1200)", "4,800"],
    ]
    assert "Total params: ?" in lines and "Total params: 4,800" in lines
    assert "other (s.py:5, sequential)" in lines
    assert lines[-1] == "2 models: 1 fully known, 1 partly known, 0 with unknown layers"
    full = tdlint("shapes", "s.py", "--output-format", "full", "--color", "never", cwd=tmp_path)
    assert full.returncode == 0 and full.stdout.splitlines() == lines
    write(tmp_path / "none.py", "import keras\n")
    empty = tdlint("shapes", "none.py", cwd=tmp_path)
    assert (empty.returncode, empty.stdout) == (0, "No Keras models found.\n")


def test_shapes_json_and_an_unreadable_file_among_others(tmp_path: Path) -> None:
    write(tmp_path / "b_good.py", SHAPES)
    (tmp_path / "a_gone.py").symlink_to(tmp_path / "nowhere.py")
    result = tdlint("shapes", ".", "--output-format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("tdlint: error: a_gone.py: cannot read:")
    assert result.stdout.startswith('[\n  {\n    "filename": "b_good.py",\n')
    models = json.loads(result.stdout)
    assert [(m["filename"], m["model"]) for m in models] == [
        ("b_good.py", "model"),
        ("b_good.py", "other"),
    ]


def test_shapes_table_layout_and_notes(tmp_path: Path) -> None:
    write(
        tmp_path / "f.py",
        "import keras\nfrom keras import layers\ndef build(units):\n"
        "    model = keras.Sequential([keras.Input(shape=(10, 8)), layers.LSTM(units), "
        "layers.Dense(1)])\n    return model\n",
    )
    lines = tdlint("shapes", "f.py", "--color", "never", cwd=tmp_path).stdout.splitlines()
    assert lines[0] == "model (f.py:4, sequential)"  # the title starts at the left
    assert lines[2].split("┃")[1:-1] == [" Layer ", " Line ", f" {'Output shape':46} ", " Params "]
    assert lines[4] == (
        "│ LSTM  │    4 │ (None, ?)  (from parameter `units` of `build`) │      ? │"
    )  # numbers on the right; why a dim is unknown after the shape


# ---------------------------------------------------------------- a notebook on standard input

NOTEBOOK_TEXT = """{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "from keras.layers import TimeDistributedDense\\n",
    "layer = TimeDistributedDense(8)"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"""
NOTEBOOK_FIXED = NOTEBOOK_TEXT.replace(
    "import TimeDistributedDense", "import TimeDistributed, Dense"
).replace("TimeDistributedDense(8)", "TimeDistributed(Dense(8))")
NOTEBOOK_ARGS = ("-", "--stdin-filename", "nb.ipynb", "-n")


def test_a_notebook_on_stdin_is_reported_unfixed_without_fix(tmp_path: Path) -> None:
    result = tdlint(*NOTEBOOK_ARGS, "--output-format", "concise", cwd=tmp_path, stdin=NOTEBOOK_TEXT)
    assert result.returncode == 1
    assert result.stdout.startswith("nb.ipynb:cell 1:2:9: TDL002 ")


def test_fix_only_and_fix_of_a_notebook_on_stdin(tmp_path: Path) -> None:
    only = tdlint(*NOTEBOOK_ARGS, "--fix-only", cwd=tmp_path, stdin=NOTEBOOK_TEXT)
    assert (only.returncode, only.stdout) == (0, NOTEBOOK_FIXED)
    # A finding without a fix remains after --fix: exit 1, the fixed text on stdout.
    rest = NOTEBOOK_TEXT.replace(
        '"layer = TimeDistributedDense(8)"',
        '"layer = TimeDistributedDense(8)\\n",\n'
        '    "from keras import layers, Sequential, Input\\n",\n'
        '    "m = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), '
        'layers.Dense(4)])"',
    )
    fixed = tdlint(*NOTEBOOK_ARGS, "--fix", cwd=tmp_path, stdin=rest)
    assert fixed.returncode == 1
    assert json.loads(fixed.stdout)["cells"][0]["source"][1:] == [
        "layer = TimeDistributed(Dense(8))\n",
        "from keras import layers, Sequential, Input\n",
        "m = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), "
        "layers.Dense(4)])",
    ]


def test_diff_of_a_notebook_on_stdin(tmp_path: Path) -> None:
    result = tdlint(*NOTEBOOK_ARGS, "--diff", cwd=tmp_path, stdin=NOTEBOOK_TEXT)
    assert result.returncode == 1
    assert result.stdout == (
        "--- nb.ipynb\n"
        "+++ nb.ipynb\n"
        "@@ -6,8 +6,8 @@\n"
        '    "metadata": {},\n'
        '    "outputs": [],\n'
        '    "source": [\n'
        '-    "from keras.layers import TimeDistributedDense\\n",\n'
        '-    "layer = TimeDistributedDense(8)"\n'
        '+    "from keras.layers import TimeDistributed, Dense\\n",\n'
        '+    "layer = TimeDistributed(Dense(8))"\n'
        "    ]\n"
        "   }\n"
        "  ],\n"
    )
    assert result.stderr == "\nWould fix 1 error.\n"
    clean = NOTEBOOK_TEXT.replace("TimeDistributedDense", "Dense")
    nothing = tdlint(*NOTEBOOK_ARGS, "--diff", cwd=tmp_path, stdin=clean)
    assert (nothing.returncode, nothing.stdout) == (0, "")
    assert nothing.stderr == "\nNo fixes would be applied.\n"


def test_a_failed_fix_of_a_notebook_on_stdin_gives_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tdlint import api

    def broken(*args: object, **kwargs: object) -> object:
        raise fixes.FixError("a fix produced invalid code (boom)")

    monkeypatch.setattr(api, "fix_source", broken)
    error = "tdlint: error: nb.ipynb: fix not applied: a fix produced invalid code (boom)\n"
    code, out, err = _main_in(tmp_path, [*NOTEBOOK_ARGS, "--fix"], NOTEBOOK_TEXT)
    assert (code, out, err) == (2, NOTEBOOK_TEXT, error)
    code, out, err = _main_in(tmp_path, [*NOTEBOOK_ARGS, "--diff"], NOTEBOOK_TEXT)
    assert (code, out, err) == (2, "", error + "\nNo fixes would be applied.\n")


def test_would_fix_names_errors_and_warnings(tmp_path: Path) -> None:
    source = FIXABLE + (
        "from keras import layers, Sequential, Input\n"
        "model = Sequential([Input(shape=(10, 8)), layers.LSTM(16, return_sequences=True), "
        "layers.Dense(4)])\n"
    )
    args = ("-", "--diff", "--select", "TDL002,TDL004", "--unsafe-fixes", "-n")
    result = tdlint(*args, cwd=tmp_path, stdin=source)
    assert result.stderr == "\nWould fix 1 error and 1 warning.\n"
