"""The command line, run for real in a subprocess, on real files."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import tdlint, write

REPO = Path(__file__).resolve().parents[1]

TDL001_SOURCE = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense
    model = Sequential()
    model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
    model.add(Dense(1))
    """
)
TDL002_SOURCE = textwrap.dedent(
    """\
    from keras.layers.core import TimeDistributedDense
    layer = TimeDistributedDense(8, input_dim=4, input_length=3)
    """
)
TDL003_SOURCE = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense, TimeDistributed
    model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
    """
)
CLEAN_SOURCE = (
    "import keras\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])\n"
)


def test_examples_report_findings_and_exit_1() -> None:
    # --no-cache: a .tdlint_cache left in the checkout must not answer for the code under test.
    result = tdlint("examples/", "--no-cache", cwd=REPO)
    assert result.returncode == 1, result.stderr
    for code in ("TDL001", "TDL002", "TDL003"):
        assert code in result.stdout
    assert "Traceback" not in result.stderr


def test_clean_file_exits_0(tmp_path: Path) -> None:
    result = tdlint(str(write(tmp_path / "ok.py", CLEAN_SOURCE)))
    assert result.returncode == 0
    assert "All checks passed!" in result.stdout


def test_default_path_is_current_directory(tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "m.py", TDL001_SOURCE)
    result = tdlint(cwd=tmp_path)
    assert result.returncode == 1 and "TDL001" in result.stdout


def test_check_subcommand_reaches_a_folder_named_like_a_subcommand(tmp_path: Path) -> None:
    write(tmp_path / "shapes" / "m.py", TDL003_SOURCE)
    result = tdlint("check", "shapes", cwd=tmp_path)
    assert result.returncode == 1 and "TDL003" in result.stdout


def test_concise_output_is_sorted_with_one_based_columns(tmp_path: Path) -> None:
    write(tmp_path / "b.py", TDL001_SOURCE)
    write(tmp_path / "a.py", TDL003_SOURCE + TDL002_SOURCE.replace("\n", "\n", 1))
    result = tdlint(str(tmp_path), "--output-format", "concise", "-q")
    lines = result.stdout.splitlines()
    pattern = re.compile(r"^(.+):(\d+):(\d+): (TDL\d{3})( \[\*\])? .+$")
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed), lines
    keys = [(Path(m[1]).name, int(m[2]), int(m[3]), m[4]) for m in parsed if m]
    assert keys == sorted(keys)
    assert ("b.py", 5, 11, "TDL001") in keys  # `Dense(1)` starts at the 11th character


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--select", "TDL001"], {"TDL001"}),
        (["--select", "dense-on-sequence-output,TDL003"], {"TDL001", "TDL003"}),
        (["--ignore", "TDL00"], {"TDL303"}),  # b.py imports from keras.layers.core
        (["--ignore", "TDL00,TDL3"], set()),
        (
            ["--select", "TDL", "--ignore", "time-distributed-without-time-axis"],
            {"TDL001", "TDL002", "TDL004", "TDL303"},  # a prefix selects the opt-in rules too
        ),
        (
            ["--ignore", "time-distributed-without-time-axis"],
            {"TDL001", "TDL002", "TDL303"},
        ),
    ],
)
def test_select_and_ignore(tmp_path: Path, flags: list[str], expected: set[str]) -> None:
    write(tmp_path / "a.py", TDL001_SOURCE)
    write(tmp_path / "b.py", TDL002_SOURCE)
    write(tmp_path / "c.py", TDL003_SOURCE)
    result = tdlint(str(tmp_path), "--output-format", "json", *flags)
    found = {d["code"] for d in json.loads(result.stdout)}
    assert found == expected
    assert result.returncode == (1 if expected else 0)


def test_bad_selector_is_a_usage_error(tmp_path: Path) -> None:
    result = tdlint(str(write(tmp_path / "a.py", TDL001_SOURCE)), "--select", "XYZ9")
    assert result.returncode == 2
    assert "unknown rule selector `XYZ9`" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_path_is_a_finding_not_a_usage_error(tmp_path: Path) -> None:
    # As ruff's E902: one TDL902 at 1:1 of the path, exit 1; the other paths are checked.
    write(tmp_path / "a.py", TDL001_SOURCE)
    result = tdlint("nope.py", "a.py", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("a.py:5:11: TDL001 ")
    assert lines[1] == "nope.py:1:1: TDL902 No such file or directory (os error 2)"
    ignored = tdlint("nope.py", "--ignore", "TDL902", "--no-cache", cwd=tmp_path)
    assert ignored.returncode == 0
    assert ignored.stderr == (
        "tdlint: warning: nope.py: skipped: cannot read: No such file or directory (os error 2)\n"
    )


def test_bad_option_is_a_usage_error() -> None:
    result = tdlint("--output-format", "xml", ".")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_json_output_follows_ruffs_schema(tmp_path: Path) -> None:
    # A relative path on the command line: the filename in JSON is absolute all the same.
    write(tmp_path / "m.py", TDL002_SOURCE)
    result = tdlint(
        "m.py", "--output-format", "json", "--no-cache", "--select", "TDL0", cwd=tmp_path
    )
    assert result.returncode == 1 and result.stderr == ""
    call = "TimeDistributedDense(8, input_dim=4, input_length=3)"  # columns 9 to 60 of line 2
    assert json.loads(result.stdout) == [
        {
            "cell": None,
            "code": "TDL002",
            "name": "time-distributed-dense",
            "message": "`TimeDistributedDense` was removed in Keras 2.0",
            "help": "Use `TimeDistributed(Dense(...))`, which does the same per timestep.",
            "severity": "error",
            "filename": str((tmp_path / "m.py").resolve()),
            "location": {"row": 2, "column": 9},
            "end_location": {"row": 2, "column": 9 + len(call)},  # exclusive, as ruff's
            "fix": {
                "applicability": "safe",
                "message": "Replace with `TimeDistributed(Dense(...))`",
                "edits": [
                    {  # the new import, inserted before the old one...
                        "content": "from keras.layers import TimeDistributed, Dense\n",
                        "location": {"row": 1, "column": 1},
                        "end_location": {"row": 1, "column": 1},
                    },
                    {  # ...which is deleted, whole line...
                        "content": "",
                        "location": {"row": 1, "column": 1},
                        "end_location": {"row": 2, "column": 1},
                    },
                    {  # ...and the call rewritten.
                        "content": "TimeDistributed(Dense(8), input_shape=(3, 4))",
                        "location": {"row": 2, "column": 9},
                        "end_location": {"row": 2, "column": 61},
                    },
                ],
            },
            "noqa_row": 2,
            "url": "docs/rules/TDL002.md",
        }
    ]


def test_text_formats_exact(tmp_path: Path) -> None:
    write(tmp_path / "m.py", TDL002_SOURCE)
    concise = tdlint(
        "m.py", "--output-format", "concise", "--no-cache", "--select", "TDL0", cwd=tmp_path
    )
    assert concise.stdout == (
        "m.py:2:9: TDL002 [*] `TimeDistributedDense` was removed in Keras 2.0\n"
        "Found 1 error.\n"
        "[*] 1 fixable with the `--fix` option\n"
    )
    full = tdlint("m.py", "--no-cache", "--select", "TDL0", cwd=tmp_path)
    assert full.stdout == (
        "TDL002 [*] `TimeDistributedDense` was removed in Keras 2.0\n"
        " --> m.py:2:9\n"
        "  |\n"
        "2 | layer = TimeDistributedDense(8, input_dim=4, input_length=3)\n"
        "  |         " + "^" * 52 + "\n"
        "  |\n"
        "  = help: Use `TimeDistributed(Dense(...))`, which does the same per timestep.\n"
        "  = fix: Replace with `TimeDistributed(Dense(...))`\n"
        "    -from keras.layers.core import TimeDistributedDense\n"
        "    -layer = TimeDistributedDense(8, input_dim=4, input_length=3)\n"
        "    +from keras.layers import TimeDistributed, Dense\n"
        "    +layer = TimeDistributed(Dense(8), input_shape=(3, 4))\n"
        "\n"
        "Found 1 error.\n"
        "[*] 1 fixable with the `--fix` option\n"
    )
    stats = tdlint("m.py", "--statistics", "--no-cache", cwd=tmp_path)
    assert stats.stdout == (
        "    1\tTDL002\t[*]\ttime-distributed-dense\n"
        "    1\tTDL303\t[*]\tmoved-keras-module\n"  # keras.layers.core
    )
    # An unsafe fix: no [*], a note under the fix, and the hidden fix counted.
    write(tmp_path / "m.py", TDL003_SOURCE)
    unsafe = tdlint("m.py", "--no-cache", cwd=tmp_path).stdout.splitlines()
    assert unsafe[0].startswith("TDL003 `TimeDistributed(Dense)` needs a 3D input")
    assert unsafe[-4:] == [
        "  = note: This is an unsafe fix and may change runtime behavior",
        "",
        "Found 1 error.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    enabled = tdlint("m.py", "--no-cache", "--unsafe-fixes", "-q", cwd=tmp_path).stdout
    assert "[*] 1 fixable" not in enabled and "hidden" not in enabled  # -q: no summary
    counted = tdlint(
        "m.py", "--no-cache", "--unsafe-fixes", "--output-format", "concise", cwd=tmp_path
    )
    assert counted.stdout.splitlines()[-2:] == [
        "Found 1 error.",
        "[*] 1 fixable with the `--fix` option",
    ]
    stats = tdlint("m.py", "--statistics", "--no-cache", cwd=tmp_path)
    assert stats.stdout == "    1\tTDL003\t   \ttime-distributed-without-time-axis\n"


def test_exit_zero(tmp_path: Path) -> None:
    result = tdlint(str(write(tmp_path / "m.py", TDL001_SOURCE)), "--exit-zero")
    assert result.returncode == 0 and "TDL001" in result.stdout


def test_noqa_suppresses_the_named_code_only(tmp_path: Path) -> None:
    lines = TDL001_SOURCE.splitlines()
    variants = {
        "all.py": "  # noqa",
        "code.py": "  # noqa: TDL001",
        "lower.py": "  # NOQA:tdl001,TDL003",
        "other.py": "  # noqa: TDL003",
    }
    for name, comment in variants.items():
        write(tmp_path / name, "\n".join([*lines[:-1], lines[-1] + comment]) + "\n")
    result = tdlint(str(tmp_path), "--output-format", "concise", "-q")
    assert [Path(line.split(":")[0]).name for line in result.stdout.splitlines()] == ["other.py"]


def test_noqa_on_the_last_line_of_a_multiline_statement(tmp_path: Path) -> None:
    source = TDL001_SOURCE.replace(
        "model.add(Dense(1))", "model.add(\n    Dense(1)\n)  # noqa: TDL001"
    )
    assert tdlint(str(write(tmp_path / "m.py", source))).returncode == 0


def test_syntax_error_is_one_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.py", "import keras\nmodel = keras.Sequential([\n")
    result = tdlint(str(path), "--output-format", "concise")
    assert result.returncode == 1
    assert "TDL000" in result.stdout and "Traceback" not in result.stderr


def test_fix_writes_safe_fixes_only_and_is_idempotent(tmp_path: Path) -> None:
    safe = write(tmp_path / "safe.py", TDL002_SOURCE)
    unsafe = write(tmp_path / "unsafe.py", TDL001_SOURCE)
    result = tdlint(str(tmp_path), "--fix")
    assert result.returncode == 1  # TDL001 remains: nothing says which fix is meant
    assert "TimeDistributed(Dense(8), input_shape=(3, 4))" in safe.read_text()
    assert unsafe.read_text() == TDL001_SOURCE
    again = tdlint(str(safe), "--fix")
    assert again.returncode == 0 and "All checks passed!" in again.stdout


def test_unsafe_fixes_and_exit_code_after_fixing_everything(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", TDL001_SOURCE)
    result = tdlint(str(path), "--select", "TDL004", "--fix", "--unsafe-fixes")
    assert result.returncode == 0, result.stdout
    assert "model.add(TimeDistributed(Dense(1)))" in path.read_text()
    assert "Found 1 warning (1 fixed, 0 remaining)." in result.stdout


def test_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", TDL002_SOURCE)
    result = tdlint(str(path), "--diff")
    assert result.returncode == 1
    assert "-layer = TimeDistributedDense(8, input_dim=4, input_length=3)" in result.stdout
    assert "+layer = TimeDistributed(Dense(8), input_shape=(3, 4))" in result.stdout
    assert path.read_text() == TDL002_SOURCE


def test_fix_keeps_line_endings_bom_and_permissions(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"\xef\xbb\xbf" + TDL002_SOURCE.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    assert tdlint(str(path), "--fix").returncode == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert b"TimeDistributed(Dense(8)" in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name != "m.py"]  # no temp files left


def test_fix_leaves_clean_files_untouched(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.py", CLEAN_SOURCE)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert tdlint(str(path), "--fix").returncode == 0
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_version() -> None:
    result = tdlint("--version")
    assert result.returncode == 0 and re.match(r"tdlint \d+\.\d+\.\d+", result.stdout)


def test_shapes_json(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", TDL001_SOURCE)
    result = tdlint("shapes", str(path), "--output-format", "json")
    assert result.returncode == 0
    (model,) = json.loads(result.stdout)
    assert model["model"] == "model" and model["line"] == 3
    assert [layer["layer"] for layer in model["layers"]] == ["LSTM", "Dense"]
    assert model["inputs"] == [[None, 10, 8]]
    assert model["outputs"] == [[None, 10, 1]]
    assert model["params"] == sum(layer["params"] for layer in model["layers"])


def test_shapes_table(tmp_path: Path) -> None:
    result = tdlint("shapes", str(write(tmp_path / "m.py", TDL001_SOURCE)), "--color", "never")
    assert "LSTM" in result.stdout and "(None, 10, 32)" in result.stdout
    assert "Total params:" in result.stdout


@pytest.mark.parametrize("fmt", ["json-lines", "github", "sarif", "junit", "gitlab"])
def test_machine_formats_from_the_command_line(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path / "m.py", TDL003_SOURCE)
    result = tdlint(str(path), "--output-format", fmt)
    assert result.returncode == 1
    assert "TDL003" in result.stdout and "Found 1 error" not in result.stdout


def test_output_file_and_environment_format(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", TDL003_SOURCE)
    report = tmp_path / "report.sarif"
    env = {**os.environ, "TDLINT_OUTPUT_FORMAT": "sarif"}
    result = subprocess.run(
        [sys.executable, "-m", "tdlint", str(path), "-o", str(report)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads(report.read_text())["version"] == "2.1.0"
