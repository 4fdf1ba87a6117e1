"""What the command-line tests share: running tdlint for real, and writing files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def tdlint(
    *args: str, cwd: Path | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m tdlint ARGS`` in a subprocess, as a user runs it."""
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


REPO = Path(__file__).resolve().parents[1]


def copy_of_checkout(target: Path) -> None:
    """This checkout's files as they are now (tracked, and untracked unless git ignores them),
    copied to ``target``: what `pre-commit try-repo` or pip would see."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for name in listed.split("\0"):
        if name and (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
