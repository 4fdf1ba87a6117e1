"""The result cache: ``.tdlint_cache/`` keyed by file content, tdlint's own code (its version
and a hash of its source files) and the settings that apply to the file, so an unchanged tree
is re-checked without parsing anything, and a changed tdlint (an upgrade, a local edit, another
checkout) never replays results another version of the code computed.

One small JSON file per (file content, settings) key, written atomically, so concurrent runs
never see a half-written entry; a corrupt entry is simply a miss. The folder carries a
``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``, as ruff's does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from tdlint import __version__
from tdlint.diagnostics import FileResult, result_from_dict, result_to_dict
from tdlint.io_error import has_io_error

_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by tdlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=8)
def code_fingerprint(package: Path = PACKAGE) -> str:
    """A hash of every ``.py`` file of the tdlint package (names and contents): what the
    cached results were computed by. Computed once per process."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = folder / f"v{__version__}"
        self._ready = False

    def key(self, data: bytes, settings_key: str) -> str:
        digest = hashlib.sha256()
        digest.update(__version__.encode() + b"\0" + code_fingerprint().encode())
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
        if result.error is not None or result.skipped is not None or has_io_error(result):
            return  # errors, limits and unreadable files are worth trying again next time
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
