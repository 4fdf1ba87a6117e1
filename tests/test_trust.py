"""Fault injection: odd inputs never crash tdlint, fixes never break or lose a file, and
tdlint never runs the code it reads. One section per property."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import tdlint

from tdlint.api import check_file
from tdlint.config import Settings
from tdlint.diagnostics import FixMode

BAD = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense, TimeDistributed
    model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
    """
)
FIXABLE = "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n"
MANY_FIXES = "from keras.layers import TimeDistributedDense\n" + "".join(
    f"layer{i} = TimeDistributedDense({i + 1})\n" for i in range(5)
)


# ---------------------------------------------------------------- 1. no crash on any input

ODD_FILES: dict[str, bytes] = {
    "empty.py": b"",
    "whitespace.py": b"   \n\t\n\n",
    "bom.py": b"\xef\xbb\xbf" + BAD.encode(),
    "crlf.py": BAD.replace("\n", "\r\n").encode(),
    "mixed_endings.py": BAD.replace("\n", "\r\n", 1).encode(),
    "tabs.py": b"import keras\nif True:\n\tm = keras.Sequential()\n\tm.add(keras.layers.Dense(3))\n",
    "latin1.py": b"# -*- coding: latin-1 -*-\nimport keras\nname = '\xe9t\xe9'\n",
    "undecodable.py": b"import keras\nx = '\xff\xfe\xfa'\n",
    "nul.py": b"import keras\x00\nx = 1\n",
    "binary.py": bytes(range(256)) * 4,
    "python2.py": b"import keras\nprint 'hello'\nexec 'x = 1'\n",
    "long_line.py": b"import keras\nx = [" + b"1, " * 200_000 + b"]\n",
    "nested.py": b"import keras\nx = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
    "nested_calls.py": b"import keras\nx = " + b"f(" * 3000 + b"1" + b")" * 3000 + b"\n",
    "deep_blocks.py": b"import keras\n"
    + b"".join(b" " * i + b"if x:\n" for i in range(90))
    + b" " * 90
    + b"pass\n",
    "cookie_bogus.py": b"# -*- coding: no-such-codec -*-\nimport keras\n",
    "notebook.ipynb": b'{"cells": 5, "keras": 1}',
}


def test_odd_files_never_crash(tmp_path: Path) -> None:
    for name, data in ODD_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.py").write_text(BAD)
    result = tdlint(".", "--output-format", "concise", "--no-cache", cwd=tmp_path, timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1  # findings, and no error: every file was dealt with
    findings = [re.match(r"(.+?):\d+:\d+: (TDL\d+) ", line) for line in result.stdout.splitlines()]
    reported = {(m[1], m[2]) for m in findings if m}
    assert reported == {
        # Not Python (or not a notebook): one TDL000 each.
        *((name, "TDL000") for name in ("binary.py", "cookie_bogus.py", "notebook.ipynb")),
        *((name, "TDL000") for name in ("nul.py", "python2.py", "undecodable.py")),
        # The same mistake read through a BOM and other line endings; and the good file
        # is still checked, whatever happened to the others.
        *((name, "TDL003") for name in ("bom.py", "crlf.py", "mixed_endings.py", "good.py")),
    }
    assert len([m for m in findings if m]) == 10
    assert result.stdout.splitlines()[-2] == "Found 10 errors."
    # One clear line per problem: the files too deeply nested to parse are skipped.
    assert sorted(result.stderr.splitlines()) == [
        f"tdlint: warning: {name}: skipped: too deeply nested to parse safely "
        "(brackets nested more than 500 deep)"
        for name in ("nested.py", "nested_calls.py")
    ]


def test_undecodable_and_syntax_errors_are_td000(tmp_path: Path) -> None:
    for name in ("undecodable.py", "nul.py", "python2.py", "cookie_bogus.py", "notebook.ipynb"):
        (tmp_path / name).write_bytes(ODD_FILES[name])
    result = tdlint(".", "--output-format", "concise", "--no-cache", cwd=tmp_path)
    reported = {line.split(":")[0] for line in result.stdout.splitlines() if "TDL000" in line}
    assert reported == {
        "undecodable.py",
        "nul.py",
        "python2.py",
        "cookie_bogus.py",
        "notebook.ipynb",
    }
    assert result.returncode == 1


def test_a_ten_megabyte_file_is_skipped_or_checked_not_crashed(tmp_path: Path) -> None:
    line = b"layer_%d = keras.layers.Dense(%d)\n"
    body = b"import keras\n" + b"".join(line % (i, i % 64 + 1) for i in range(300_000))
    (tmp_path / "generated.py").write_bytes(body)
    assert len(body) > 10_000_000
    result = tdlint("generated.py", "--no-cache", cwd=tmp_path, timeout=600)
    assert result.returncode == 0 and "skipped: larger than 10 MiB" in result.stderr


def test_file_timeout_skips_a_slow_file_and_goes_on(tmp_path: Path) -> None:
    body = "import keras\n" + "".join(
        f"l{i} = keras.layers.Dense({i + 1})\n" for i in range(150_000)
    )
    (tmp_path / "slow.py").write_text(body)
    (tmp_path / "good.py").write_text(BAD)
    result = tdlint(
        ".", "--no-cache", "--file-timeout", "1", "--output-format", "concise", cwd=tmp_path
    )
    assert "slow.py: skipped: took longer than 1 s" in result.stderr
    assert "internal error" not in result.stderr
    assert "good.py:3:" in result.stdout and result.returncode == 1


def test_symlinks_directories_named_py_and_fifos(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(BAD)
    (tmp_path / "broken.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "loop_a.py").symlink_to(tmp_path / "loop_b.py")
    (tmp_path / "loop_b.py").symlink_to(tmp_path / "loop_a.py")
    (tmp_path / "folder.py").mkdir()
    (tmp_path / "folder.py" / "inner.py").write_text(BAD)
    os.mkfifo(tmp_path / "pipe.py")
    result = tdlint(".", "--no-cache", "--output-format", "concise", cwd=tmp_path, timeout=60)
    assert "Traceback" not in result.stderr
    assert "good.py:3:" in result.stdout and "inner.py:3:" in result.stdout
    # Links that lead nowhere are TDL902 findings (exit 1), each naming its target.
    assert result.returncode == 1 and "tdlint: error" not in result.stderr
    assert (
        "broken.py:1:1: TDL902 No such file or directory (os error 2): "
        f"a broken symbolic link to `{tmp_path / 'missing.py'}`"
    ) in result.stdout
    loop = "loop_a.py:1:1: TDL902 Too many levels of symbolic links (os error 40): "
    assert f"{loop}a broken symbolic link to `{tmp_path / 'loop_b.py'}`" in result.stdout
    # A FIFO is never opened (reading it would block until the file timeout).
    assert "pipe.py: skipped: not a regular file" in result.stderr


def test_unreadable_and_vanishing_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root can read anything, so the failures are injected where tdlint reads.
    gone = tmp_path / "gone.py"
    gone.write_text(BAD)
    gone.unlink()
    (vanished,) = check_file(gone, Settings()).diagnostics
    assert (vanished.code, vanished.message) == ("TDL902", "No such file or directory (os error 2)")
    locked = tmp_path / "locked.py"
    locked.write_text(BAD)

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    result = check_file(locked, Settings())
    assert result.error is None and result.skipped is None
    (finding,) = result.diagnostics
    assert (finding.code, finding.name) == ("TDL902", "io-error")
    assert finding.message == "Permission denied (os error 13)"
    assert (finding.location.row, finding.location.column) == (1, 1)
    assert finding.noqa_row is None  # no line to hold a suppression comment
    skipped = check_file(locked, Settings(ignore=("TDL902",)))
    assert skipped.diagnostics == () and skipped.error is None
    assert skipped.skipped == "cannot read: Permission denied (os error 13)"


# ---------------------------------------------------------------- 3. fixes never break code


def test_a_fix_that_breaks_the_code_is_dropped_and_the_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tdlint.diagnostics import NodeEdit
    from tdlint.rules import tdl002_time_distributed_dense as td002

    def broken_fix(self: object, ctx: object, layer: object) -> object:
        plan = original(self, ctx, layer)
        return type(plan)(
            plan.applicability, plan.message, (NodeEdit(layer.call, "TimeDistributed(("),)
        )

    original = td002.TimeDistributedDense._fix
    monkeypatch.setattr(td002.TimeDistributedDense, "_fix", broken_fix)
    path = tmp_path / "m.py"
    path.write_text(FIXABLE)
    result = check_file(path, Settings(), FixMode.FIX)
    assert result.error is not None and "invalid code" in result.error
    assert path.read_text() == FIXABLE
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]


def test_a_file_changed_during_the_fix_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tdlint import api

    path = tmp_path / "m.py"
    path.write_text(FIXABLE)
    original = api.fix_source

    def slow_fix(*args: object, **kwargs: object) -> object:
        outcome = original(*args, **kwargs)
        path.write_text(FIXABLE + "# edited meanwhile\n")
        os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
        return outcome

    monkeypatch.setattr(api, "fix_source", slow_fix)
    result = check_file(path, Settings(), FixMode.FIX)
    assert result.error == "changed on disk while being fixed; not written"
    assert path.read_text().endswith("# edited meanwhile\n")


# ---------------------------------------------------------------- 4. never executes user code


HOSTILE = textwrap.dedent(
    """\
    import keras, socket, pathlib
    pathlib.Path({marker!r}).write_text("executed")
    socket.create_connection(("127.0.0.1", {port}))
    __import__("os").system("touch {marker}.shell")
    model = keras.Sequential([keras.layers.LSTM(8, input_shape=(4, 2)), keras.layers.TimeDistributed(keras.layers.Dense(1))])
    """
)


def test_never_executes_the_files_it_checks(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    source = HOSTILE.format(marker=str(marker), port=port)
    (tmp_path / "hostile.py").write_text(source)
    (tmp_path / "pyproject.toml").write_text('[tool.tdlint]\nextend-select = ["TDL900"]\n')
    for args in (
        ["hostile.py"],
        ["shapes", "hostile.py"],
        ["hostile.py", "--fix", "--unsafe-fixes"],
    ):
        tdlint(*args, cwd=tmp_path)
    assert not marker.exists() and not Path(f"{marker}.shell").exists()
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody connected
    listener.close()
    # And it did read it: the fix went in without running anything.
    assert "return_sequences=True" in (tmp_path / "hostile.py").read_text()


# ---------------------------------------------------------------- 5. concurrency, interruption


def test_two_processes_fixing_the_same_tree(tmp_path: Path) -> None:
    for i in range(60):
        (tmp_path / f"m{i:02}.py").write_text(MANY_FIXES)
    command = [sys.executable, "-m", "tdlint", ".", "--fix", "--no-cache", "-q"]
    first = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for process in (first, second):
        process.communicate(timeout=300)
    import libcst as cst

    for path in sorted(tmp_path.glob("*.py")):
        text = path.read_text()
        cst.parse_module(text)  # never truncated or interleaved
        assert text == MANY_FIXES or "TimeDistributedDense" not in text
    assert not list(tmp_path.glob(".*.tdlint-tmp"))


def test_interrupted_fix_leaves_no_partial_or_temporary_files(tmp_path: Path) -> None:
    for i in range(200):
        (tmp_path / f"m{i:03}.py").write_text(MANY_FIXES)
    process = subprocess.Popen(
        [sys.executable, "-m", "tdlint", ".", "--fix", "--no-cache", "-q"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    import libcst as cst

    for path in tmp_path.glob("*.py"):
        text = path.read_text()
        cst.parse_module(text)
        assert text == MANY_FIXES or "TimeDistributedDense" not in text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tdlint-tmp")]


def test_fix_positions_after_a_form_feed_in_the_indentation(tmp_path: Path) -> None:
    # Found by fuzzing: LibCST restarts its column count after a form feed.
    source = BAD.replace("model = Sequential(", "\fmodel = Sequential(")
    path = tmp_path / "m.py"
    path.write_text(source)
    result = check_file(path, Settings(unsafe_fixes=True), FixMode.FIX)
    assert result.error is None and result.fixes_applied == 1
    assert (
        "\fmodel = Sequential([LSTM(32, input_shape=(10, 8), return_sequences=True)"
        in path.read_text()
    )


def test_unused_noqa_fix_with_lone_carriage_returns_changes_only_the_comment(
    tmp_path: Path,
) -> None:
    # Found by fuzzing: tokenize did not count a lone "\r" as a line break, LibCST did.
    path = tmp_path / "m.py"
    path.write_bytes(b"\rimport keras\nx = 1   # noqa: TDL001\n")
    result = tdlint("m.py", "--no-cache", "--extend-select", "TDL900", "--fix", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_bytes() == b"\rimport keras\nx = 1\n"


def test_no_return_sequences_fix_for_a_bidirectional_non_rnn(tmp_path: Path) -> None:
    # Found by fuzzing: the TDL003 fix edited Flatten() inside Bidirectional, and never converged.
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers
        x = keras.Input(shape=(10, 8))
        y = layers.Bidirectional(layers.Flatten())(x)
        z = layers.TimeDistributed(layers.Dense(4))(y)
        """
    )
    path = tmp_path / "m.py"
    path.write_text(source)
    result = check_file(path, Settings(unsafe_fixes=True), FixMode.FIX)
    assert result.error is None and [d.code for d in result.diagnostics] == ["TDL003"]
    assert path.read_text() == source


def test_heavy_nesting_within_the_depth_limit_is_skipped_before_parsing(tmp_path: Path) -> None:
    # Found by fuzzing: LibCST needed ~8 GB for 40 lines nested 490 deep, and ~50 s (which no
    # timeout can interrupt) for 30 lines of 3,000 chained operators.
    nested = "x = " + "[" * 490 + "1" + "]" * 490 + "\n"
    chained = "y = " + " + ".join(["1"] * 3000) + "\n"
    (tmp_path / "nested.py").write_text("import keras\n" + nested * 40)
    (tmp_path / "chained.py").write_text("import keras\n" + chained * 30)
    start = time.monotonic()
    result = tdlint(".", "--no-cache", cwd=tmp_path)
    assert time.monotonic() - start < 60
    assert result.returncode == 0
    assert "nested.py: skipped: too deeply nested" in result.stderr
    assert "chained.py: skipped: too deeply nested" in result.stderr
