"""Which files to check: ``.py`` and ``.ipynb`` under the given paths, minus excludes and what
git ignores."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tdlint.config import Settings, glob_matches, relative_posix

# Folders no one wants linted (ruff's defaults).
DEFAULT_EXCLUDES = (
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
)
SUFFIXES = (".py", ".ipynb")


class MissingPath(FileNotFoundError):
    pass


@dataclass(frozen=True)
class Unlistable:
    """A folder whose entries could not be read (no permission, vanished while walked)."""

    path: Path
    error: OSError


def discover(paths: list[str], settings: Settings | None = None) -> Iterator[Path]:
    """Files to check, each once, in a stable order (``tdlint shapes``'s view).

    A missing path raises ``MissingPath``; folders that cannot be listed are passed over."""
    for entry in find(paths, settings, missing_ok=False):
        if isinstance(entry, Path):
            yield entry


def find(
    paths: list[str], settings: Settings | None = None, missing_ok: bool = True
) -> Iterator[Path | Unlistable]:
    """Files to check, each once, in a stable order, and the folders that could not be listed
    where they were met.

    A file named explicitly is checked even if excluded (pre-commit passes names), unless
    ``force-exclude`` is set. A path that does not exist is returned as it is, so that
    checking it reports why it cannot be read (TDL902), or, without ``missing_ok``, raises
    ``MissingPath``."""
    settings = settings or Settings()
    patterns = (*(settings.exclude or DEFAULT_EXCLUDES), *settings.extend_exclude)
    cwd = os.getcwd()
    seen: set[str] = set()
    # Each with its absolute path (Path.absolute() is slow).
    found: list[tuple[Path | Unlistable, str]] = []
    for raw in paths:
        path = Path(raw)
        if not missing_ok and not path.exists() and not path.is_symlink():
            raise MissingPath(raw)
        candidates: list[Path | Unlistable]
        if path.is_dir():
            candidates = list(_walk(path, patterns, settings.root))
        elif settings.force_exclude and _excluded(path, patterns, settings.root):
            continue
        else:
            candidates = [path]
        for candidate in candidates:
            key = os.path.join(cwd, _path_of(candidate))
            if key not in seen:
                seen.add(key)
                found.append((candidate, key))
    if settings.respect_gitignore:
        # Explicitly named files are checked even when git ignores them, as with excludes.
        explicit = set() if settings.force_exclude else {os.path.join(cwd, Path(p)) for p in paths}
        ignored = git_ignored([key for _, key in found]) - explicit
        found = [(entry, key) for entry, key in found if key not in ignored]
    yield from (entry for entry, _ in found)


def _path_of(entry: Path | Unlistable) -> Path:
    return entry.path if isinstance(entry, Unlistable) else entry


def _excluded(path: Path, patterns: tuple[str, ...], root: Path) -> bool:
    relative = relative_posix(path, root)
    return any(glob_matches(pattern, relative) for pattern in patterns)


def _walk(root: Path, patterns: tuple[str, ...], config_root: Path) -> Iterator[Path | Unlistable]:
    """Files below ``root``, pruning excluded folders as it goes, and the folders that could
    not be listed (``root`` itself among them) where the walk met them.

    Every entry's folders were checked on the way down, so an entry only needs its own name
    checked against the name patterns (``venv``, ``*.egg-info``) and its whole path against
    the path patterns; the root itself gets the full check once."""
    if _excluded(root, patterns, config_root):
        return
    names = {p.rstrip("/") for p in patterns if not any(c in p.rstrip("/") for c in "*?/")}
    name_globs = [p for p in patterns if "/" not in p.rstrip("/") and p.rstrip("/") not in names]
    path_globs = [p for p in patterns if "/" in p.rstrip("/")]

    def excluded(entry: Path) -> bool:
        name = entry.name
        if name in names or any(glob_matches(p, name) for p in name_globs):
            return True
        return bool(path_globs) and _excluded(entry, tuple(path_globs), config_root)

    failures: list[OSError] = []  # os.walk reports a folder it cannot list, then moves on
    for dirpath, dirnames, filenames in os.walk(root, onerror=failures.append):
        yield from _unlistable(failures, root)
        folder = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not excluded(folder / d))
        for name in sorted(filenames):
            if name.endswith(SUFFIXES) and not excluded(folder / name):
                yield folder / name
    yield from _unlistable(failures, root)


def _unlistable(failures: list[OSError], root: Path) -> Iterator[Unlistable]:
    for error in failures:
        yield Unlistable(Path(error.filename) if error.filename else root, error)
    failures.clear()


def git_ignored(paths: list[str]) -> set[str]:
    """Which of these absolute paths git ignores (``.gitignore`` files, ``info/exclude``,
    global excludes).

    Asks git itself, so the semantics are git's; outside a repository, or without git,
    nothing is ignored."""
    if not paths or shutil.which("git") is None:
        return set()
    by_repo: dict[Path, list[str]] = {}
    repo_of_folder: dict[str, Path | None] = {}  # files share folders: look each up once
    for path in paths:
        folder = os.path.dirname(path)
        if folder not in repo_of_folder:
            repo_of_folder[folder] = _repository_of(Path(folder))
        repo = repo_of_folder[folder]
        if repo is not None:
            by_repo.setdefault(repo, []).append(path)
    ignored: set[str] = set()
    for repo, members in by_repo.items():
        try:
            result = subprocess.run(
                ["git", "-C", str(repo), "check-ignore", "-z", "--stdin"],
                input=b"\0".join(os.fsencode(m) for m in members),  # any file name
                capture_output=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if result.returncode in (0, 1):
            ignored.update(os.fsdecode(p) for p in result.stdout.split(b"\0") if p)
    return ignored


def _repository_of(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
