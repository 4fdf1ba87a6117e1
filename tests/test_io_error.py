"""TDL902: a path that cannot be read is a finding at 1:1 of that path (ruff's E902), or a
skip with a warning when TDL902 is not selected; never an exit-2 error."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from helpers import write

import tdlint
from tdlint import cli, runner
from tdlint.cache import Cache
from tdlint.config import Selection, Settings
from tdlint.diagnostics import FileResult
from tdlint.discovery import MissingPath, Unlistable, discover, find
from tdlint.io_error import describe, os_error_text, unreadable

FINDING = (  # one TDL001
    "from keras.models import Sequential\n"
    "from keras.layers import LSTM, Dense\n"
    "model = Sequential([LSTM(32, return_sequences=True, input_shape=(10, 8)), Dense(1)])\n"
)
ENOENT = "No such file or directory (os error 2)"
EACCES = "Permission denied (os error 13)"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def main(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """The command line in this process (so that a monkeypatch reaches it)."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(args)
    finally:
        os.chdir(saved)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def locked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path/locked``, which cannot be listed: injected, since root lists anything."""
    locked = tmp_path / "locked"
    write(locked / "inside.py", FINDING)
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(os.fspath(path)).name == "locked":  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    return locked


# ---------------------------------------------------------------- the message


def test_message_in_ruffs_words(tmp_path: Path) -> None:
    assert os_error_text(FileNotFoundError(2, "No such file or directory")) == ENOENT
    assert os_error_text(PermissionError(13, "Permission denied")) == EACCES
    assert os_error_text(OSError("odd")) == "odd"  # no errno: the text as it is
    missing = tmp_path / "nope.py"
    assert describe(missing, FileNotFoundError(2, "No such file or directory")) == ENOENT


def test_a_broken_link_says_so_and_names_its_target(tmp_path: Path) -> None:
    link = tmp_path / "gone.py"
    link.symlink_to("elsewhere/target.py")  # relative: named as written in the link
    error = FileNotFoundError(2, "No such file or directory")
    assert describe(link, error) == f"{ENOENT}: a broken symbolic link to `elsewhere/target.py`"
    # A link to a file that is there but unreadable is not broken: the error alone.
    write(tmp_path / "real.py", FINDING)
    fine = tmp_path / "fine.py"
    fine.symlink_to("real.py")
    assert describe(fine, PermissionError(13, "Permission denied")) == EACCES


def test_unreadable_result_is_a_finding_or_a_skip(tmp_path: Path) -> None:
    path = tmp_path / "nope.py"
    error = FileNotFoundError(2, "No such file or directory")
    (finding,) = unreadable(path, error, Selection.from_options()).diagnostics
    assert (finding.code, finding.name, finding.severity.value) == ("TDL902", "io-error", "error")
    assert (finding.filename, finding.message) == (str(path), ENOENT)
    assert (finding.location.row, finding.location.column) == (1, 1)
    assert finding.end_location == finding.location and finding.fix is None
    off = unreadable(path, error, Selection.from_options(ignore=["TDL902"]))
    assert off == FileResult(str(path), skipped=f"cannot read: {ENOENT}")
    only_td001 = unreadable(path, error, Selection.from_options(select=["TDL001"]))
    assert only_td001.diagnostics == () and only_td001.skipped is not None


# ---------------------------------------------------------------- discovery and the runner


def test_find_returns_missing_paths_and_unlistable_folders(
    tmp_path: Path, locked_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a.py", FINDING)
    monkeypatch.chdir(tmp_path)
    found = list(find(["nope.py", "."], Settings(respect_gitignore=False)))
    assert found[0] == Path("nope.py")
    assert Path("a.py") in found
    (folder,) = [entry for entry in found if isinstance(entry, Unlistable)]
    assert folder.path == Path("locked") and folder.error.errno == 13
    assert Path("locked/inside.py") not in found


def test_discover_keeps_its_old_contract_for_shapes(tmp_path: Path, locked_folder: Path) -> None:
    write(tmp_path / "a.py", FINDING)
    with pytest.raises(MissingPath):
        list(discover([str(tmp_path / "nope.py")]))
    assert list(discover([str(tmp_path)], Settings(respect_gitignore=False))) == [tmp_path / "a.py"]


def test_the_runner_and_the_api_report_an_unlistable_folder(
    tmp_path: Path, locked_folder: Path
) -> None:
    write(tmp_path / "a.py", FINDING)
    settings = Settings(respect_gitignore=False)
    for results in (
        runner.run([str(tmp_path)], settings, use_cache=False),
        list(tdlint.check_paths([str(tmp_path)], settings)),
    ):
        by_name = {Path(r.filename).name: r for r in results}
        (finding,) = by_name["locked"].diagnostics
        assert (finding.code, finding.message) == ("TDL902", EACCES)
        assert by_name["locked"].error is None
        assert [d.code for d in by_name["a.py"].diagnostics] == ["TDL001"]


def test_an_unreadable_file_is_never_cached(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    error = FileNotFoundError(2, "No such file or directory")
    cache.put("k", unreadable(tmp_path / "x.py", error, Selection.from_options()))
    assert cache.get("k", "x.py") is None
    cache.put("k", FileResult("x.py"))  # a clean result is, so the refusal is TDL902's
    assert cache.get("k", "x.py") == FileResult("x.py")


def test_a_link_broken_after_a_cached_run_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "real.py", FINDING)
    (tmp_path / "m.py").symlink_to("real.py")
    first = main(["check", "m.py", "--output-format", "concise"], tmp_path)
    assert first[0] == 1 and "m.py:3:" in first[1] and "TDL001" in first[1]
    (tmp_path / "real.py").unlink()
    for _ in range(2):  # the second run would replay a cached TDL902
        code, out, _ = main(["check", "m.py", "--output-format", "concise"], tmp_path)
        assert code == 1 and f"m.py:1:1: TDL902 {ENOENT}" in out
    write(tmp_path / "real.py", FINDING)
    code, out, _ = main(["check", "m.py", "--output-format", "concise"], tmp_path)
    assert code == 1 and "TDL902" not in out and "TDL001" in out


# ---------------------------------------------------------------- the command line


def test_an_unlistable_folder_on_the_command_line(tmp_path: Path, locked_folder: Path) -> None:
    code, out, err = main(["check", "locked", "--no-cache", "--output-format", "concise"], tmp_path)
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == f"locked:1:1: TDL902 {EACCES}"
    code, out, err = main(["check", ".", "--no-cache", "--ignore", "TDL902"], tmp_path)
    assert code == 0 and out == "All checks passed!\n"
    assert err == f"tdlint: warning: locked: skipped: cannot read: {EACCES}\n"


@pytest.mark.skipif(AS_ROOT, reason="root reads a chmod-000 file: nothing to deny")
def test_a_file_without_read_permission(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.py", FINDING)
    locked.chmod(0)
    try:
        code, out, err = main(
            ["check", "locked.py", "--no-cache", "--output-format", "concise"], tmp_path
        )
    finally:
        locked.chmod(0o644)
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == f"locked.py:1:1: TDL902 {EACCES}"


def test_machine_formats_carry_it(tmp_path: Path) -> None:
    code, out, _ = main(["check", "nope.py", "--no-cache", "--output-format", "sarif"], tmp_path)
    assert code == 1
    run = json.loads(out)["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "TDL902" and result["level"] == "error"
    assert result["message"]["text"].startswith(ENOENT)
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "TDL902"
    code, out, _ = main(["check", "nope.py", "--no-cache", "--output-format", "github"], tmp_path)
    assert code == 1 and f"(TDL902),file={tmp_path / 'nope.py'},line=1,col=1," in out


@pytest.mark.parametrize("mode", ["--diff", "--fix-only"])
def test_modes_without_a_report_warn_on_stderr(tmp_path: Path, mode: str) -> None:
    code, out, err = main(["check", "nope.py", "--no-cache", mode], tmp_path)
    assert code == 0 and "TDL902" not in out
    assert f"tdlint: warning: nope.py: skipped: cannot read: {ENOENT}\n" in err


def test_shapes_still_exits_2_for_a_missing_path(tmp_path: Path) -> None:
    code, out, err = main(["shapes", "nope.py"], tmp_path)
    assert (code, out, err) == (2, "", "tdlint: error: nope.py: no such file or directory\n")
