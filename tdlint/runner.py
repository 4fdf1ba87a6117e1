"""Running over many files: discovery, the cache, and a process pool when there are enough
files to pay for it. Results come back in discovery order, whatever the pool does."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from tdlint.cache import Cache
from tdlint.config import Settings
from tdlint.diagnostics import FileResult, FixMode
from tdlint.discovery import Unlistable, find
from tdlint.io_error import unreadable

# Below this much source to check, starting worker processes costs more than it saves
# (a worker forked from this process starts in milliseconds; 64 KiB takes ~0.15 s to check).
PARALLEL_MIN_BYTES = 64 * 1024


def run(
    paths: Sequence[str],
    settings: Settings,
    mode: FixMode = FixMode.NONE,
    use_cache: bool = True,
    jobs: int | None = None,
) -> list[FileResult]:
    """Check (and, with ``mode``, fix) every file under ``paths``."""
    from_cache = use_cache and mode is FixMode.NONE
    entries = list(find(list(paths), settings))
    files = [entry.path if isinstance(entry, Unlistable) else entry for entry in entries]
    cache = Cache(_cache_folder(settings)) if from_cache else None
    results: list[FileResult | None] = [None] * len(files)
    todo: list[tuple[int, int]] = []  # (index, size) of the files to check
    keys: dict[int, str] = {}
    for i, path in enumerate(files):
        entry = entries[i]
        if isinstance(entry, Unlistable):
            results[i] = unreadable(path, entry.error, settings.selection_for(path))
            continue
        data = _read(path, settings)
        if isinstance(data, OSError):  # reported here: no need to start the checker for it
            results[i] = unreadable(path, data, settings.selection_for(path))
            continue
        if data is not None and _nothing_to_check(path, data):
            results[i] = FileResult(str(path))
            continue
        if cache is not None and data is not None:
            keys[i] = _cache_key(cache, path, data, settings)
            hit = cache.get(keys[i], str(path))
            if hit is not None:
                results[i] = hit
                continue
        todo.append((i, len(data) if data is not None else 0))
    for i, result in _check_all(files, todo, settings, mode, jobs):
        results[i] = result
        if cache is not None and i in keys:
            cache.put(keys[i], result)
    return [r for r in results if r is not None]


def _read(path: Path, settings: Settings) -> bytes | OSError | None:
    """The file's bytes; the error when it cannot be read (TDL902); or None when the checker
    must look at it itself (not a regular file, over the size limit: it reports why)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > settings.max_file_size:
            return None  # a FIFO would block the read
        return path.read_bytes()
    except OSError as exc:
        return exc


def _nothing_to_check(path: Path, data: bytes) -> bool:
    """The prefilter, before any worker is involved: a Python file that never says "keras"
    and that decodes as plain UTF-8 (so it cannot be a TDL000 for its encoding) has nothing
    tdlint reports. Notebooks and files with a coding cookie go the long way."""
    if path.suffix != ".py" or b"keras" in data:
        return False
    first_two_lines = data.split(b"\n", 2)[:2]
    if any(b"coding" in line for line in first_two_lines):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _cache_folder(settings: Settings) -> Path:
    folder = Path(settings.cache_dir)
    return folder if folder.is_absolute() else settings.root / folder


def _cache_key(cache: Cache, path: Path, data: bytes, settings: Settings) -> str:
    selection = settings.selection_for(path)
    versions = f"{settings.keras_version}|{settings.target}"
    return cache.key(data, f"{sorted(selection.codes)}|{versions}|{path.suffix}")


def _check_all(
    files: list[Path],
    todo: list[tuple[int, int]],
    settings: Settings,
    fix_mode: FixMode,
    jobs: int | None,
) -> Iterator[tuple[int, FileResult]]:
    """(index, result) for each file in ``todo``, in any order."""
    if not todo:
        return
    from tdlint.api import check_file  # LibCST is only imported when something is checked

    workers = min(jobs or os.cpu_count() or 1, 8, len(todo))
    total = sum(size for _, size in todo)
    if workers < 2 or total < PARALLEL_MIN_BYTES:
        for i, _ in todo:
            yield i, check_file(files[i], settings, fix_mode)
        return
    from concurrent.futures import ProcessPoolExecutor  # not needed by warm or small runs
    from concurrent.futures.process import BrokenProcessPool

    # Largest first, one file per task: the last file to finish is a small one, so both
    # cores stay busy to the end.
    order = [i for i, _ in sorted(todo, key=lambda item: -item[1])]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            checked = list(
                pool.map(
                    check_file,
                    [files[i] for i in order],
                    [settings] * len(order),
                    [fix_mode] * len(order),
                )
            )
    except BrokenProcessPool:
        # A worker died (the native parser can crash on inputs the guard did not foresee):
        # check each file in a process of its own, so that only the culprit is lost.
        checked = [_isolated(check_file, files[i], settings, fix_mode) for i in order]
    yield from zip(order, checked, strict=True)


def _isolated(check_file: object, path: Path, settings: Settings, fix_mode: FixMode) -> FileResult:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(check_file, path, settings, fix_mode).result()  # type: ignore[arg-type]
    except BrokenProcessPool:
        return FileResult(str(path), error="tdlint crashed while checking this file")
