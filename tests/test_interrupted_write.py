"""Ctrl-C at the worst moment of a write: just after the temporary file is created, before
anything could clean it up. The write finishes (or is undone), then the interrupt arrives:
no temporary file is ever left beside the user's file.

Run in a fresh process: signals are held per thread, and a process with other threads (as a
test session that has loaded Keras has) may hand the signal to one of them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "pthread_sigmask"), reason="signals cannot be held on this platform"
)

INTERRUPTED_WRITE = textwrap.dedent(
    """
    import os, signal, sys, tempfile
    from pathlib import Path
    from tdlint.sourcefile import SourceFile

    path = Path(sys.argv[1])
    source = SourceFile.read(path)
    real = tempfile.mkstemp

    def interrupted(*args, **kwargs):
        made = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # Python raises it at the next chance it gets
        return made

    tempfile.mkstemp = interrupted
    try:
        source.write("new = 2\\n")
    except KeyboardInterrupt:
        print("interrupted")
    held = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    print("held" if signal.SIGINT in held or signal.SIGTERM in held else "released")
    """
)


def test_an_interrupt_right_after_the_temporary_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_text("old = 1\n")
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WRITE, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["interrupted", "released"], result.stderr
    assert path.read_text() == "new = 2\n"  # held until the write was done
    assert [p.name for p in tmp_path.iterdir()] == ["model.py"]
