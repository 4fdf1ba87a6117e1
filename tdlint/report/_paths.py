"""Paths as the machine formats need them.

CI systems match reported files against the repository, so most formats want a path relative
to some root (the current directory, or GitLab's project directory) rather than the path the
user typed, and always with forward slashes so that reports made on Windows and on Linux agree.
"""

from __future__ import annotations

import os
from pathlib import PurePath


def relative_to(filename: str, root: str) -> str | None:
    """``filename`` relative to ``root``, with ``/`` separators; None when it is outside."""
    path = os.path.abspath(filename)
    base = os.path.abspath(root)
    try:
        if os.path.commonpath([path, base]) != base:
            return None
    except ValueError:  # different drives on Windows
        return None
    return PurePath(os.path.relpath(path, base)).as_posix()


def display_path(filename: str) -> str:
    """The path to show a person: relative to the current directory when the file is below it
    (whether it was given as ``./src/x.py`` or absolute), otherwise as given; ruff's rule."""
    return relative_to(filename, os.getcwd()) or filename
