"""The runner: which files reach the checker, the process pool, and a crashed worker."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from helpers import write

import tdlint.api
from tdlint import runner
from tdlint.config import Settings
from tdlint.diagnostics import FileResult, FixMode

KERAS_FILE = """\
import keras
from keras import layers
{padding}
model = keras.Sequential([keras.Input(shape=(10, 4)), layers.LSTM(8)])
model.add(layers.TimeDistributed(layers.Dense(1)))
"""


def keras_file(path: Path, padding_lines: int) -> Path:
    padding = "\n".join(f"value_{i} = {i} * 2" for i in range(padding_lines))
    return write(path, KERAS_FILE.format(padding=padding))


def tree(root: Path) -> list[Path]:
    """Keras files of very different sizes (well over the pool's threshold), and others."""
    made = [keras_file(root / f"k{i:02d}.py", padding_lines=(i * 37) % 400) for i in range(24)]
    made += [write(root / f"plain{i}.py", f"print({i})\n") for i in range(10)]
    return made


_check_file = tdlint.api.check_file


def crashing(path: Path, settings: Settings, fix: FixMode = FixMode.NONE) -> FileResult:
    """check_file, except that checking ``k05.py`` kills the process (module level: the pool
    pickles it by name)."""
    if path.name == "k05.py":
        os.kill(os.getpid(), signal.SIGKILL)
    return _check_file(path, settings, fix)


def codes(results: list[FileResult]) -> list[tuple[str, tuple[str, ...]]]:
    return [(Path(r.filename).name, tuple(d.code for d in r.diagnostics)) for r in results]


def test_the_pool_gives_the_serial_results_in_discovery_order(tmp_path: Path) -> None:
    tree(tmp_path)
    settings = Settings(root=tmp_path)
    serial = runner.run([str(tmp_path)], settings, use_cache=False, jobs=1)
    pooled = runner.run([str(tmp_path)], settings, use_cache=False, jobs=2)
    assert codes(pooled) == codes(serial)
    assert [Path(r.filename).name for r in pooled] == sorted(p.name for p in tmp_path.iterdir())
    assert sum(bool(r.diagnostics) for r in pooled) == 24


def test_files_that_never_say_keras_never_reach_the_checker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keras_file(tmp_path / "model.py", 0)
    write(tmp_path / "plain.py", "print('héllo')\n")
    (tmp_path / "latin1.py").write_bytes(b"print('h\xe9llo')\n")  # not UTF-8: a TDL000
    write(tmp_path / "cookie.py", "# -*- coding: latin-1 -*-\nprint(1)\n")
    write(tmp_path / "notebook.ipynb", "{not json")  # a TDL000 too
    checked: list[str] = []
    real = tdlint.api.check_file

    def spy(path: Path, settings: Settings, fix: FixMode = FixMode.NONE) -> FileResult:
        checked.append(path.name)
        return real(path, settings, fix)

    monkeypatch.setattr(tdlint.api, "check_file", spy)
    results = runner.run([str(tmp_path)], Settings(root=tmp_path), use_cache=False, jobs=1)
    assert sorted(checked) == ["cookie.py", "latin1.py", "model.py", "notebook.ipynb"]
    found = dict(codes(results))
    assert found["latin1.py"] == ("TDL000",) and found["notebook.ipynb"] == ("TDL000",)
    assert found["plain.py"] == () and found["model.py"] == ("TDL003",)


def test_a_crashed_worker_loses_only_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-file (as a native parser crash would) breaks the pool; every file
    is then checked in a process of its own, and only the culprit is reported as lost."""
    tree(tmp_path)
    monkeypatch.setattr(tdlint.api, "check_file", crashing)  # workers are forked: they see it
    results = runner.run([str(tmp_path)], Settings(root=tmp_path), use_cache=False, jobs=2)
    by_name = {Path(r.filename).name: r for r in results}
    assert by_name["k05.py"].error == "tdlint crashed while checking this file"
    others = [r for name, r in by_name.items() if name != "k05.py"]
    assert all(r.error is None for r in others)
    assert sum(bool(r.diagnostics) for r in others) == 23
