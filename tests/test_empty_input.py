"""A run that finds nothing to check says so instead of "All checks passed!" (as ruff does)."""

from __future__ import annotations

from pathlib import Path

from helpers import tdlint, write

WARNING = "tdlint: warning: No Python files found under the given path(s)\n"


def test_an_empty_folder_is_a_warning_not_a_pass(tmp_path: Path) -> None:
    write(tmp_path / "empty" / "notes.txt", "no code here\n")
    result = tdlint("empty", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", WARNING)
    quiet = tdlint("empty", "-q", cwd=tmp_path)  # ruff warns under -q too
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", WARNING)


def test_machine_formats_stay_valid_and_still_warn(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = tdlint("empty", "--output-format", "json", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", WARNING)


def test_files_all_excluded_count_as_none(tmp_path: Path) -> None:
    write(tmp_path / "src" / "build" / "model.py", "import keras\n")
    result = tdlint("src", "--extend-exclude", "build", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, WARNING)


def test_files_without_keras_were_still_checked(tmp_path: Path) -> None:
    write(tmp_path / "src" / "util.py", "x = 1\n")
    result = tdlint("src", cwd=tmp_path)
    assert result.returncode == 0 and "All checks passed!" in result.stdout
    assert "No Python files" not in result.stderr
