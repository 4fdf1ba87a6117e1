"""Which files to check: ``.py`` files under the given paths, minus the usual excludes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Directories no one wants linted (ruff's defaults).
DEFAULT_EXCLUDES = frozenset(
    {
        ".bzr",
        ".direnv",
        ".eggs",
        ".git",
        ".git-rewrite",
        ".hg",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".nox",
        ".pants.d",
        ".pyenv",
        ".pytest_cache",
        ".pytype",
        ".ruff_cache",
        ".svn",
        ".tdlint_cache",
        ".tox",
        ".venv",
        ".vscode",
        "__pypackages__",
        "_build",
        "buck-out",
        "dist",
        "node_modules",
        "site-packages",
        "venv",
    }
)


class MissingPath(FileNotFoundError):
    pass


def discover(paths: list[str]) -> Iterator[Path]:
    """Files to check, each once, in a stable order. A path given explicitly is checked even
    inside an excluded directory; a missing one raises ``MissingPath``."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise MissingPath(raw)
        candidates = _walk(path) if path.is_dir() else iter([path])
        for candidate in candidates:
            key = candidate.absolute()
            if key not in seen:
                seen.add(key)
                yield candidate


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in DEFAULT_EXCLUDES)
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield Path(dirpath, name)
