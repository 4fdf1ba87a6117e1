"""What the command-line tests share: running tdlint for real, and writing files."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def tdlint(
    *args: str, cwd: Path | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m tdlint ARGS`` in a subprocess, as a user runs it.

    Without ``cwd`` it runs in a fresh empty folder, never in the checkout: the cache lives
    in the current folder, and a ``.tdlint_cache`` left in the tree by earlier runs (of other
    code) must never answer for the code under test. Pass paths absolute, then."""
    if cwd is None:
        with tempfile.TemporaryDirectory(prefix="tdlint-cwd-") as fresh:
            return tdlint(*args, cwd=Path(fresh), stdin=stdin, timeout=timeout)
    return subprocess.run(
        [sys.executable, "-m", "tdlint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=timeout,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
