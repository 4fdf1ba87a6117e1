"""Ctrl-C at the worst moment of a write: just after the temporary file is created, before
anything could clean it up. The write finishes (or is undone), then the interrupt arrives:
no temporary file is ever left beside the user's file."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from tdlint.sourcefile import SourceFile

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "pthread_sigmask"), reason="signals cannot be held on this platform"
)


def test_an_interrupt_right_after_the_temporary_file_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.py"
    path.write_text("old = 1\n")
    source = SourceFile.read(path)
    real = tempfile.mkstemp

    def interrupted(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real(*args, **kwargs)  # type: ignore[call-overload]
        os.kill(os.getpid(), signal.SIGINT)  # Python raises it at the next chance it gets
        return made

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    with pytest.raises(KeyboardInterrupt):
        source.write("new = 2\n")
    assert path.read_text() == "new = 2\n"  # held until the write was done
    assert [p.name for p in tmp_path.iterdir()] == ["model.py"]


def test_signals_are_not_held_outside_a_write(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_text("old = 1\n")
    SourceFile.read(path).write("new = 2\n")
    held = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    assert signal.SIGINT not in held and signal.SIGTERM not in held, sys.platform
