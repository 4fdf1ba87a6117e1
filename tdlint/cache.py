"""The result cache: ``.tdlint_cache/`` keyed by file content, tdlint version and the settings
that apply to the file, so an unchanged tree is re-checked without parsing anything.

One small JSON file per (file content, settings) key, written atomically, so concurrent runs
never see a half-written entry; a corrupt entry is simply a miss. The folder carries a
``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``, as ruff's does.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from tdlint import __version__
from tdlint.diagnostics import FileResult, result_from_dict, result_to_dict

_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by tdlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = folder / f"v{__version__}"
        self._ready = False

    def key(self, data: bytes, settings_key: str) -> str:
        digest = hashlib.sha256()
        digest.update(__version__.encode())
        digest.update(b"\0" + settings_key.encode() + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str, filename: str) -> FileResult | None:
        try:
            data = json.loads((self.entries / f"{key}.json").read_text(encoding="utf-8"))
            return result_from_dict(data, filename)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        if result.error is not None or result.skipped is not None:
            return  # errors and limits are worth trying again next time
        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(dir=self.entries, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(result_to_dict(result), handle)
            os.replace(tmp, self.entries / f"{key}.json")
        except OSError:
            pass  # a read-only tree still gets checked, just not cached

    def _prepare(self) -> None:
        if self._ready:
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        for name, content in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(content, encoding="utf-8")
        self._ready = True
