"""What the server runs with: the workspace's configuration (``[tool.tdlint]`` in
``pyproject.toml``, or ``tdlint.toml``, found from each file's folder as ``tdlint check`` finds
it) and the editor's settings on top.

Editor settings (``initializationOptions``, or ``workspace/didChangeConfiguration``, either
bare or under a ``tdlint`` key)::

    {"unsafeFixes": false, "inlayHints": false, "kerasVersion": "3", "debounceMs": 50}

``unsafeFixes`` and ``kerasVersion`` override the configuration file, as the command-line
options ``--unsafe-fixes`` and ``--keras-version`` do; unset, the file's values hold.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tdlint.config import (
    ConfigError,
    Selection,
    Settings,
    find_config,
    glob_matches,
    load_settings,
    relative_posix,
    with_pinned_version,
)
from tdlint.keras.versions import SETTING

# The files whose change means the configuration (or the Keras version a project pins)
# must be read again.
WATCHED = ("pyproject.toml", "tdlint.toml", ".tdlint.toml", "requirements*.txt", "setup.cfg")


# How long the server waits after a change before analysing: one analysis per burst of
# changes (a paste, auto-closed brackets, a multi-cursor edit, keys held down). Longer saves
# work while typing; shorter shows diagnostics sooner. Analyses never overlap, and a text
# changed meanwhile is analysed once, after the running one: docs/editors.md has the figures.
DEBOUNCE_MS = 50


@dataclass(frozen=True)
class ClientSettings:
    unsafe_fixes: bool | None = None  # None: the configuration file decides
    inlay_hints: bool = False
    keras_version: str | None = None
    debounce_ms: int = DEBOUNCE_MS

    @classmethod
    def from_json(cls, data: Any) -> tuple[ClientSettings, list[str]]:
        """Settings from the editor's JSON, and a message for each value ignored."""
        problems: list[str] = []
        if not isinstance(data, dict):
            return cls(), problems
        if isinstance(data.get("tdlint"), dict):
            data = data["tdlint"]
        unsafe = data.get("unsafeFixes")
        if unsafe is not None and not isinstance(unsafe, bool):
            problems.append(f"`unsafeFixes` must be true or false, not {unsafe!r}")
            unsafe = None
        hints = data.get("inlayHints", False)
        if not isinstance(hints, bool):
            problems.append(f"`inlayHints` must be true or false, not {hints!r}")
            hints = False
        version = data.get("kerasVersion")
        if version is not None:
            version = str(version)
            if not SETTING.match(version):
                problems.append(
                    f"`kerasVersion` must be 1, 1.0-1.2, 2, 2.0-2.15 or 3, not {version}"
                )
                version = None
        debounce = data.get("debounceMs", DEBOUNCE_MS)
        if isinstance(debounce, bool) or not isinstance(debounce, int) or not 0 <= debounce <= 5000:
            problems.append(f"`debounceMs` must be a number of milliseconds, not {debounce!r}")
            debounce = DEBOUNCE_MS
        return cls(unsafe, hints, version, debounce), problems


@dataclass(frozen=True)
class FileSettings:
    """What one file is checked with."""

    selection: Selection
    keras_version: str | None
    unsafe_fixes: bool
    skipped: str | None = None  # why the file is not checked (force-exclude), if it is not
    max_file_size: int = 10 * 1024 * 1024  # larger texts are not checked, as by `tdlint check`


class Configuration:
    """The configuration files of the workspace, read once each until one changes."""

    def __init__(self) -> None:
        self.client = ClientSettings()
        self._by_folder: dict[Path, Settings] = {}
        self._errors: list[str] = []  # not yet told

    def forget(self) -> None:
        """A configuration file changed: read them all again (requirement pins too)."""
        from tdlint.keras import pins

        self._by_folder.clear()
        pins._pinned_in.cache_clear()  # the pins are cached per folder for `tdlint check`

    def new_errors(self) -> list[str]:
        """The configuration errors met since the last call (each told once)."""
        errors, self._errors = self._errors, []
        return errors

    def settings_for(self, path: Path | None) -> Settings:
        """The configuration a file is checked with (an unsaved file: the defaults)."""
        if path is None:
            return self._with_client(Settings())
        folder = path.parent
        if folder not in self._by_folder:
            self._by_folder[folder] = self._load(folder)
        return self._with_client(self._by_folder[folder])

    def _load(self, folder: Path) -> Settings:
        try:
            found = find_config(folder)
            settings = load_settings(found)
            settings.selection()  # every selector valid
            return with_pinned_version(settings, folder)
        except ConfigError as exc:
            # A broken file: the defaults, and the error told once (not on every keystroke).
            self._errors.append(str(exc))
            return Settings(root=folder)

    def _with_client(self, settings: Settings) -> Settings:
        client = self.client
        if client.unsafe_fixes is not None:
            settings = replace(settings, unsafe_fixes=client.unsafe_fixes)
        if client.keras_version is not None:
            settings = replace(settings, keras_version=client.keras_version)
        return settings

    def for_file(self, path: Path | None) -> FileSettings:
        settings = self.settings_for(path)
        skipped = None
        if path is not None and settings.force_exclude and _excluded(path, settings):
            skipped = "excluded by the configuration (force-exclude)"
        selection = settings.selection_for(path) if path is not None else settings.selection()
        return FileSettings(
            selection,
            settings.keras_version,
            settings.unsafe_fixes,
            skipped,
            settings.max_file_size,
        )


def _excluded(path: Path, settings: Settings) -> bool:
    from tdlint.discovery import DEFAULT_EXCLUDES

    patterns = (*(settings.exclude or DEFAULT_EXCLUDES), *settings.extend_exclude)
    relative = relative_posix(path, settings.root)
    return any(glob_matches(pattern, relative) for pattern in patterns)


def is_config_file(path: Path | None) -> bool:
    return path is not None and any(fnmatch.fnmatchcase(path.name, name) for name in WATCHED)
