"""Running over many files: discovery, the cache, and a process pool when there are enough
files to pay for it. Results come back in discovery order, whatever the pool does."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tdlint.cache import Cache
from tdlint.config import Settings
from tdlint.diagnostics import FileResult, FixMode
from tdlint.discovery import discover

# Below this many files to check, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16


def run(
    paths: Sequence[str],
    settings: Settings,
    mode: FixMode = FixMode.NONE,
    use_cache: bool = True,
    jobs: int | None = None,
) -> list[FileResult]:
    """Check (and, with ``mode``, fix) every file under ``paths``."""
    from_cache = use_cache and mode is FixMode.NONE
    files = list(discover(list(paths), settings))
    cache = Cache(_cache_folder(settings)) if from_cache else None
    results: list[FileResult | None] = [None] * len(files)
    keys: dict[int, str] = {}
    todo: list[int] = []
    for i, path in enumerate(files):
        if cache is not None:
            key = _cache_key(cache, path, settings)
            if key is not None:
                keys[i] = key
                hit = cache.get(key, str(path))
                if hit is not None:
                    results[i] = hit
                    continue
        todo.append(i)
    for i, result in zip(
        todo, _check_all([files[i] for i in todo], settings, mode, jobs), strict=True
    ):
        results[i] = result
        if cache is not None and i in keys:
            cache.put(keys[i], result)
    return [r for r in results if r is not None]


def _cache_folder(settings: Settings) -> Path:
    folder = Path(settings.cache_dir)
    return folder if folder.is_absolute() else settings.root / folder


def _cache_key(cache: Cache, path: Path, settings: Settings) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    selection = settings.selection_for(path)
    return cache.key(data, f"{sorted(selection.codes)}|{settings.keras_version}|{path.suffix}")


def _check_all(
    files: list[Path], settings: Settings, fix_mode: FixMode, jobs: int | None
) -> list[FileResult]:
    if not files:
        return []
    from tdlint.api import check_file  # LibCST is only imported when something is checked

    workers = jobs or min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < PARALLEL_THRESHOLD:
        return [check_file(path, settings, fix_mode) for path in files]
    chunk = max(1, len(files) // (workers * 4))
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(
                pool.map(
                    check_file,
                    files,
                    [settings] * len(files),
                    [fix_mode] * len(files),
                    chunksize=chunk,
                )
            )
    except BrokenProcessPool:
        # A worker died (the native parser can crash on inputs the guard did not foresee):
        # check each file in a process of its own, so that only the culprit is lost.
        return [_isolated(check_file, path, settings, fix_mode) for path in files]


def _isolated(check_file: object, path: Path, settings: Settings, fix_mode: FixMode) -> FileResult:
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(check_file, path, settings, fix_mode).result()  # type: ignore[arg-type]
    except BrokenProcessPool:
        return FileResult(str(path), error="tdlint crashed while checking this file")
