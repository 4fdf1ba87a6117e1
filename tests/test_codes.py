"""The codes moved from TD to TDL (ruff's flake8-todos owns TD001-TD007): the old spellings
keep working everywhere a user writes a code, with a deprecation note, and ruff leaves the new
ones alone."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import tdlint, write

from tdlint.codes import CODES, redirect
from tdlint.config import Selection, expand, redirected_selectors

TDL001 = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense
    model = Sequential()
    model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
    model.add(Dense(1))
    """
)
TDL003 = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense, TimeDistributed
    model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
    """
)


def found(result: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(d["code"] for d in json.loads(result.stdout))


def test_every_code_is_tdl_and_no_ruff_prefix() -> None:
    assert all(code.startswith("TDL") and code[3:].isdigit() for code in CODES)


@pytest.mark.parametrize(
    ("old", "new"),
    [("TD001", "TDL001"), ("td203", "TDL203"), ("TD1", "TDL1"), ("TD00", "TDL00")],
)
def test_old_spellings_redirect(old: str, new: str) -> None:
    assert redirect(old) == new
    assert expand([old]) == expand([new]) != set()


@pytest.mark.parametrize("selector", ["TDL001", "TD", "TDL", "dense-on-sequence-output", "E501"])
def test_other_selectors_are_not_redirected(selector: str) -> None:
    assert redirect(selector) is None


def test_old_codes_select_and_ignore_the_same_rules() -> None:
    old = Selection.from_options(select=["TD0"], ignore=["TD002"], extend_select=["TD900"])
    new = Selection.from_options(select=["TDL0"], ignore=["TDL002"], extend_select=["TDL900"])
    assert old == new and "TDL001" in old and "TDL002" not in old
    assert redirected_selectors(["TD0, TDL1", "TD0", "E501"]) == [("TD0", "TDL0")]


def test_command_line_old_codes_work_with_one_note_each(tmp_path: Path) -> None:
    write(tmp_path / "a.py", TDL001)
    write(tmp_path / "b.py", TDL003)
    result = tdlint(".", "--select", "TD0", "--ignore", "TD003", "--output-format", "json",
                    cwd=tmp_path)  # fmt: skip
    assert found(result) == ["TDL001", "TDL004"]  # TDL0 selects the opt-in TDL004 too
    notes = [line for line in result.stderr.splitlines() if "remapped" in line]
    assert notes == [
        "tdlint: warning: `TD0` has been remapped to `TDL0` (tdlint's codes moved from TD to TDL)",
        "tdlint: warning: `TD003` has been remapped to `TDL003` (tdlint's codes moved from TD to "
        "TDL)",
    ]
    quiet = tdlint(".", "--select", "TDL0", "--output-format", "json", cwd=tmp_path)
    assert "remapped" not in quiet.stderr


def test_configuration_old_codes_and_per_file_ignores(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.tdlint]\nignore = ["TD003"]\n[tool.tdlint.per-file-ignores]\n"tests/**" = ["TD001"]\n',
    )
    both = TDL001.replace("LSTM, Dense", "LSTM, Dense, TimeDistributed") + TDL003.split("\n", 2)[2]
    write(tmp_path / "a.py", both)
    write(tmp_path / "tests" / "t.py", TDL001)
    result = tdlint(".", "--output-format", "json", cwd=tmp_path)
    assert [(Path(d["filename"]).name, d["code"]) for d in json.loads(result.stdout)] == [
        ("a.py", "TDL001")
    ]
    assert "`TD003` has been remapped to `TDL003`" in result.stderr
    assert "`TD001` has been remapped to `TDL001`" in result.stderr


def test_rule_command_accepts_an_old_code(tmp_path: Path) -> None:
    result = tdlint("rule", "TD001", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("# dense-on-sequence-output (TDL001)")
    assert "`TD001` has been remapped to `TDL001`" in result.stderr


def test_old_noqa_codes_still_suppress_with_a_note(tmp_path: Path) -> None:
    write(
        tmp_path / "a.py",
        TDL001.replace("model.add(Dense(1))", "model.add(Dense(1))  # noqa: TD001"),
    )
    write(tmp_path / "b.py", "# tdlint: noqa: TD003\n" + TDL003)
    result = tdlint(".", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "1 `# noqa` comment uses the old TD codes" in result.stderr
    assert "--extend-select TDL901 --fix" in result.stderr
    cached = tdlint(".", cwd=tmp_path)
    cached_again = tdlint(".", cwd=tmp_path)  # replayed from the cache: the note too
    assert "1 `# noqa` comment uses the old TD codes" in cached_again.stderr
    assert cached.returncode == cached_again.returncode == 0


def test_redirected_noqa_respells_only_codes_that_suppressed_something(tmp_path: Path) -> None:
    source = TDL001.replace(
        "model.add(Dense(1))", "model.add(Dense(1))  # noqa: E501,td001 keep this"
    ).replace("model = Sequential()", "model = Sequential()  # noqa: TD002")
    path = write(tmp_path / "m.py", source)
    result = tdlint("m.py", "--extend-select", "TDL900,TDL901", "--output-format", "json",
                    cwd=tmp_path)  # fmt: skip
    (finding,) = json.loads(result.stdout)
    assert finding["code"] == "TDL901" and finding["location"]["row"] == 5
    assert "`TD001` -> `TDL001`" in finding["message"]
    fixed = tdlint("m.py", "--extend-select", "TDL901", "--fix", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    text = path.read_text()
    # The suppressing code respelled in place; ruff's TD002 (it suppressed nothing) untouched.
    assert "model.add(Dense(1))  # noqa: E501,TDL001 keep this\n" in text
    assert "model = Sequential()  # noqa: TD002\n" in text
    assert tdlint("m.py", "--extend-select", "TDL900,TDL901", cwd=tmp_path).returncode == 0


def test_add_noqa_writes_the_new_codes(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", TDL001)
    tdlint("m.py", "--add-noqa", cwd=tmp_path)
    assert "model.add(Dense(1))  # noqa: TDL001\n" in path.read_text()


def test_ruff_unused_noqa_fix_leaves_tdlint_comments_alone(tmp_path: Path) -> None:
    """The reason for the rename: ruff's RUF100 (with --fix) deleted `# noqa: TD001`."""
    pytest.importorskip("ruff")
    path = write(tmp_path / "m.py", TDL001)
    tdlint("m.py", "--add-noqa", cwd=tmp_path)
    before = path.read_text()
    assert "# noqa: TDL001" in before
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "RUF100", "--fix",
         "m.py"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    assert path.read_text() == before
    assert tdlint("m.py", cwd=tmp_path).returncode == 0
    # The old code is what ruff deleted (it is ruff's own flake8-todos code).
    path.write_text(before.replace("TDL001", "TD001"))
    subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "RUF100", "--fix",
         "m.py"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert "noqa" not in path.read_text()
