"""Exit codes, as a matrix: (options) x (a clean file, a file whose finding has a safe fix, a
file whose finding has none, a file that cannot be read), run for real.

The expected codes are ruff's (docs/cli.md, /work/shared/conventions.md): 2 for an error
whatever else (a path that cannot be read is not one: it is a TDL902 finding, as ruff's E902); then ``--exit-zero`` exits 0; ``--diff`` exits 1 when a fix would change
something; ``--fix-only`` exits 0 unless ``--exit-non-zero-on-fix`` and something was fixed;
otherwise 1 when findings remain, or with ``--exit-non-zero-on-fix`` when something was fixed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tdlint, write

CLEAN = "import keras\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])\n"
# TDL002, whose fix is safe: --fix removes the only finding.
FIXABLE = "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n"
FIXED = "from keras.layers import TimeDistributed, Dense\nlayer = TimeDistributed(Dense(8))\n"
# TDL003, whose only fix is unsafe: without --unsafe-fixes nothing can be fixed.
UNFIXABLE = (
    "from keras.models import Sequential\n"
    "from keras.layers import LSTM, Dense, TimeDistributed\n"
    "model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])\n"
)
SYNTAX_ERROR = "import keras\nmodel = keras.Sequential([\n"
SOURCES = {"clean": CLEAN, "fixable": FIXABLE, "unfixable": UNFIXABLE}


def make(tmp_path: Path, state: str) -> Path:
    if state == "unreadable":  # a dangling symlink: listed, but reading it fails
        path = tmp_path / "gone.py"
        path.symlink_to(tmp_path / "nowhere.py")
        return path
    return write(tmp_path / "m.py", SOURCES[state])


PATH_CASES = [
    # (options, state, exit code)
    ((), "clean", 0),
    ((), "fixable", 1),
    ((), "unfixable", 1),
    ((), "unreadable", 1),
    (("--exit-zero",), "clean", 0),
    (("--exit-zero",), "fixable", 0),
    (("--exit-zero",), "unfixable", 0),
    (("--exit-zero",), "unreadable", 0),  # TDL902 is a finding like any other
    (("--fix",), "clean", 0),
    (("--fix",), "fixable", 0),
    (("--fix",), "unfixable", 1),
    (("--fix",), "unreadable", 1),  # nothing can fix it: it remains
    (("--fix", "--exit-zero"), "unfixable", 0),
    (("--fix", "--exit-non-zero-on-fix"), "clean", 0),
    (("--fix", "--exit-non-zero-on-fix"), "fixable", 1),
    (("--fix", "--exit-non-zero-on-fix"), "unfixable", 1),
    (("--fix", "--exit-non-zero-on-fix", "--exit-zero"), "fixable", 0),
    (("--fix", "--unsafe-fixes"), "unfixable", 0),
    (("--fix-only",), "clean", 0),
    (("--fix-only",), "fixable", 0),
    (("--fix-only",), "unfixable", 0),
    (("--fix-only",), "unreadable", 0),
    (("--fix-only", "--exit-non-zero-on-fix"), "fixable", 1),
    (("--fix-only", "--exit-non-zero-on-fix"), "unfixable", 0),
    (("--diff",), "clean", 0),
    (("--diff",), "fixable", 1),
    (("--diff",), "unfixable", 0),  # --diff shows fixes; there is none to show
    (("--diff",), "unreadable", 0),  # no fix to show; named on stderr
    (("--diff", "--exit-zero"), "fixable", 0),
    (("--diff", "--unsafe-fixes"), "unfixable", 1),
    (("--statistics",), "fixable", 1),
    (("--statistics",), "clean", 0),
    (("--output-format", "json"), "unfixable", 1),
    (("--output-format", "json"), "unreadable", 1),
    (("--ignore", "TDL902"), "unreadable", 0),  # skipped, with a warning
    (("--select", "TDL001"), "unreadable", 0),  # TDL902 not selected: the same
    (("--select", "TDL001,TDL902"), "unreadable", 1),
    (("--select", "NOPE1"), "clean", 2),
    (("--diff", "--select", "NOPE1"), "fixable", 2),
]


def case_id(options: tuple[str, ...], state: str, expected: int) -> str:
    return f"{' '.join(options) or 'check'}|{state}->{expected}"


@pytest.mark.parametrize(
    ("options", "state", "expected"), PATH_CASES, ids=[case_id(*case) for case in PATH_CASES]
)
def test_exit_code_for_files(
    tmp_path: Path, options: tuple[str, ...], state: str, expected: int
) -> None:
    path = make(tmp_path, state)
    result = tdlint(path.name, "--no-cache", *options, cwd=tmp_path)
    assert result.returncode == expected, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    if state == "unreadable":
        assert "tdlint: error" not in result.stderr
        _assert_reported_unreadable(options, result.stdout, result.stderr, tmp_path / "nowhere.py")
    if state == "fixable" and result.returncode != 2:
        writes = ("--fix" in options or "--fix-only" in options) and "--diff" not in options
        assert path.read_text() == (FIXED if writes else FIXABLE)


def _assert_reported_unreadable(
    options: tuple[str, ...], stdout: str, stderr: str, target: Path
) -> None:
    """Where the unreadable file is named: a TDL902 in the report, or a warning on stderr
    when the report has no room for it (``--diff``, ``--fix-only``) or TDL902 is off."""
    message = f"No such file or directory (os error 2): a broken symbolic link to `{target}`"
    selected = "--ignore" not in options and ("--select" not in options or "TDL902" in options[-1])
    printed = selected and not {"--diff", "--fix-only"} & set(options)
    warning = f"tdlint: warning: gone.py: skipped: cannot read: {message}"
    assert (warning in stderr.splitlines()) == (not printed), stderr
    if printed and "json" in options:
        (found,) = json.loads(stdout)
        assert (found["code"], found["message"]) == ("TDL902", message)
        assert found["location"] == found["end_location"] == {"row": 1, "column": 1}
    elif printed:
        assert f"TDL902 {message}\n --> gone.py:1:1\n" in stdout
    else:
        assert "TDL902" not in stdout


STDIN_CASES = [
    # (options, source, exit code, what standard output must be: None = not checked)
    ((), CLEAN, 0, None),
    ((), FIXABLE, 1, None),
    ((), UNFIXABLE, 1, None),
    ((), SYNTAX_ERROR, 1, None),  # a file that does not parse is a finding (TDL000)
    (("--exit-zero",), FIXABLE, 0, None),
    (("--fix",), CLEAN, 0, CLEAN),
    (("--fix",), FIXABLE, 0, FIXED),
    (("--fix",), UNFIXABLE, 1, UNFIXABLE),
    (("--fix",), SYNTAX_ERROR, 1, SYNTAX_ERROR),
    (("--fix", "--exit-zero"), UNFIXABLE, 0, UNFIXABLE),
    (("--fix", "--exit-non-zero-on-fix"), FIXABLE, 1, FIXED),
    (("--fix", "--exit-non-zero-on-fix"), CLEAN, 0, CLEAN),
    (("--fix-only",), FIXABLE, 0, FIXED),
    (("--fix-only",), UNFIXABLE, 0, UNFIXABLE),
    (("--fix-only", "--exit-non-zero-on-fix"), FIXABLE, 1, FIXED),
    (("--diff",), CLEAN, 0, ""),
    (("--diff",), UNFIXABLE, 0, ""),
    (("--diff", "--exit-zero"), FIXABLE, 0, None),
]


STATE_OF = {CLEAN: "clean", FIXABLE: "fixable", UNFIXABLE: "unfixable", SYNTAX_ERROR: "syntax"}


@pytest.mark.parametrize(
    ("options", "source", "expected", "stdout"),
    STDIN_CASES,
    ids=[case_id(options, STATE_OF[source], code) for options, source, code, _ in STDIN_CASES],
)
def test_exit_code_for_standard_input(
    tmp_path: Path, options: tuple[str, ...], source: str, expected: int, stdout: str | None
) -> None:
    result = tdlint("-", *options, "--stdin-filename", "m.py", stdin=source, cwd=tmp_path)
    assert result.returncode == expected, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    if stdout is not None:
        assert result.stdout == stdout


def test_diff_of_standard_input_is_printed_and_exits_1(tmp_path: Path) -> None:
    result = tdlint("-", "--diff", "--stdin-filename", "m.py", stdin=FIXABLE, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "--- m.py\n"
        "+++ m.py\n"
        "@@ -1,2 +1,2 @@\n"
        "-from keras.layers import TimeDistributedDense\n"
        "-layer = TimeDistributedDense(8)\n"
        "+from keras.layers import TimeDistributed, Dense\n"
        "+layer = TimeDistributed(Dense(8))\n"
    )
    assert result.stderr == "\nWould fix 1 error.\n"


def test_diff_of_files_is_exact_and_counts_the_fixes(tmp_path: Path) -> None:
    write(tmp_path / "m.py", FIXABLE)
    result = tdlint("m.py", "--diff", "--no-cache", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == ["--- m.py", "+++ m.py", "@@ -1,2 +1,2 @@"]
    assert result.stderr == "\nWould fix 1 error.\n"
    quiet = tdlint("m.py", "--diff", "-q", "--no-cache", cwd=tmp_path)
    assert quiet.returncode == 1 and quiet.stderr == "" and quiet.stdout == result.stdout


@pytest.mark.parametrize(
    ("state", "expected"), [("clean", 0), ("fixable", 0), ("unfixable", 0), ("unreadable", 2)]
)
def test_exit_code_of_shapes(tmp_path: Path, state: str, expected: int) -> None:
    path = make(tmp_path, state)
    result = tdlint("shapes", path.name, cwd=tmp_path)
    assert result.returncode == expected, result.stderr
    assert "Traceback" not in result.stderr
    if state == "unreadable":
        assert result.stderr.startswith("tdlint: error: gone.py: cannot read:")


def test_shapes_of_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = tdlint("shapes", "nope.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "tdlint: error: nope.py: no such file or directory\n"
