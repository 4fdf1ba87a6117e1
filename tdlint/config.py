"""Configuration: ``[tool.tdlint]`` in ``pyproject.toml`` (or ``tdlint.toml``), command-line
options on top, and the rule selection that results for each file.

Like ruff: the configuration file is found by walking up from the checked paths; unknown keys
and bad values are errors that name the key and the file (exit 2), never silently ignored.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from tdlint.codes import CODES, DEFAULT_OFF, redirect
from tdlint.guard import parse_size
from tdlint.keras.versions import SETTING

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("tdlint.toml", ".tdlint.toml", "pyproject.toml")
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif", "junit", "gitlab")


class ConfigError(ValueError):
    """Bad user configuration or arguments: reported as one line, exit 2."""


@dataclass(frozen=True)
class Selection:
    """The rules that run on one file."""

    codes: frozenset[str]

    @classmethod
    def from_options(
        cls,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        extend_select: Iterable[str] | None = None,
    ) -> Selection:
        known = CODES
        chosen = expand(select, known) if select else set(known) - DEFAULT_OFF
        chosen |= expand(extend_select or (), known)
        chosen -= expand(ignore or (), known)
        return cls(frozenset(chosen))

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def rules(self) -> list[type]:
        from tdlint.rules import ALL_RULES  # the rule classes pull in LibCST

        return [rule for rule in ALL_RULES if rule.code in self.codes]

    def without(self, codes: Iterable[str]) -> Selection:
        return Selection(self.codes - set(codes))


def expand(selectors: Iterable[str], known: Mapping[str, str] | None = None) -> set[str]:
    """Codes named by selectors: a code, a prefix (``TDL1``), a rule name, or ``ALL``. The
    old ``TD001`` spellings name the same codes (``redirected_selectors`` finds them)."""
    known = known or CODES
    by_name = {name: code for code, name in known.items()}
    codes: set[str] = set()
    for raw in selectors:
        for item in str(raw).split(","):
            selector = item.strip()
            if not selector:
                continue
            selector = redirect(selector) or selector
            if selector.upper() == "ALL":
                codes |= set(known)
            elif selector in by_name:
                codes.add(by_name[selector])
            else:
                matched = {code for code in known if code.startswith(selector.upper())}
                if not matched:
                    raise ConfigError(f"unknown rule selector `{selector}`")
                codes |= matched
    return codes


def redirected_selectors(selectors: Iterable[str]) -> list[tuple[str, str]]:
    """(old, new) for each selector written with an old code (``TD001``), in order, once."""
    found: dict[str, str] = {}
    for raw in selectors:
        for item in str(raw).split(","):
            new = redirect(item.strip())
            if new is not None:
                found.setdefault(item.strip(), new)
    return list(found.items())


# ---------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """Everything configurable, after merging the config file and the command line."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    unsafe_fixes: bool = False
    output_format: str = "full"
    cache_dir: str = ".tdlint_cache"
    keras_version: str | None = None
    # Where a `keras-version` not set in the configuration was read (a pin), if anywhere.
    keras_version_from: str | None = None
    # The Keras the version rules (TDL3xx) upgrade to: `target-keras-version`, else the
    # project's pin (a project pinned to tf.keras 2 is not rewritten for Keras 3), else 3.
    target_keras_version: str | None = None
    # Per-file limits: larger files are skipped, slower ones abandoned (see tdlint.guard).
    max_file_size: int = 10 * 1024 * 1024
    file_timeout: float = 30.0
    # Where the configuration came from, and the folder globs are relative to.
    config_file: Path | None = None
    root: Path = field(default_factory=Path.cwd)

    @property
    def target(self) -> str:
        if self.target_keras_version is not None:
            return self.target_keras_version
        if self.keras_version_from is not None and self.keras_version is not None:
            return self.keras_version
        return "3"

    def selection(self) -> Selection:
        return Selection.from_options(self.select, self.ignore, self.extend_select)

    def redirected_selectors(self) -> list[tuple[str, str]]:
        """The old codes (``TD001``) this configuration still uses, with their new names."""
        ignored = [code for _, codes in self.per_file_ignores for code in codes]
        return redirected_selectors(
            [*(self.select or ()), *self.extend_select, *self.ignore, *ignored]
        )

    def selection_for(self, path: Path) -> Selection:
        """The selection for one file, after ``per-file-ignores``."""
        selection = self.selection()
        relative = relative_posix(path, self.root)
        for pattern, codes in self.per_file_ignores:
            if glob_matches(pattern, relative):
                selection = selection.without(expand(codes))
        return selection

    def fingerprint(self) -> str:
        """What a cached result depends on (for the cache key)."""
        return repr(
            (
                sorted(self.selection().codes),
                self.per_file_ignores,
                self.keras_version,
                self.target,
            )
        )


_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "select": (list, "select"),
    "extend-select": (list, "extend_select"),
    "ignore": (list, "ignore"),
    "per-file-ignores": (dict, "per_file_ignores"),
    "exclude": (list, "exclude"),
    "extend-exclude": (list, "extend_exclude"),
    "respect-gitignore": (bool, "respect_gitignore"),
    "force-exclude": (bool, "force_exclude"),
    "unsafe-fixes": (bool, "unsafe_fixes"),
    "output-format": (str, "output_format"),
    "cache-dir": (str, "cache_dir"),
    "keras-version": ((int, float, str), "keras_version"),
    "target-keras-version": ((int, float, str), "target_keras_version"),
    "max-file-size": ((int, str), "max_file_size"),
    "file-timeout": ((int, float), "file_timeout"),
}


def find_config(start: Path) -> Path | None:
    """The nearest ``tdlint.toml``/``.tdlint.toml``, or ``pyproject.toml`` with a
    ``[tool.tdlint]`` table, in ``start`` or a parent folder."""
    try:
        start = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        start = Path(os.path.abspath(start))
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if "tool.tdlint" in text:  # ours, and broken: say so rather than ignore it
            raise ConfigError(f"{pyproject} is not valid TOML: {exc}") from None
        return False
    return isinstance(data.get("tool"), dict) and "tdlint" in data["tool"]


def load_settings(path: Path | None) -> Settings:
    """Settings from one configuration file (defaults when ``path`` is None)."""
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("tdlint", {}) if path.name == "pyproject.toml" else data
    where = f"{path}" + (" [tool.tdlint]" if path.name == "pyproject.toml" else "")
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    values: dict[str, Any] = {"config_file": path, "root": path.parent.resolve()}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"unknown key `{key}` in {where}")
        expected, attribute = _KEYS[key]
        if isinstance(value, bool) and expected is not bool:
            raise ConfigError(f"`{key}` in {where} must not be a boolean")
        if not isinstance(value, expected):
            raise ConfigError(f"`{key}` in {where} has the wrong type: {value!r}")
        values[attribute] = _convert(key, value, where)
    return Settings(**values)


def _convert(key: str, value: Any, where: str) -> Any:
    if key in ("select", "extend-select", "ignore"):
        codes = tuple(str(v) for v in value)
        try:
            expand(codes)
        except ConfigError as exc:
            raise ConfigError(f"`{key}` in {where}: {exc}") from None
        return codes
    if key in ("exclude", "extend-exclude"):
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(f"`{key}` in {where} must be a list of strings")
        return tuple(value)
    if key == "per-file-ignores":
        pairs = []
        for pattern, codes in value.items():
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                message = f"`per-file-ignores` in {where}: `{pattern}` needs a list of codes"
                raise ConfigError(message)
            try:
                expand(codes)
            except ConfigError as exc:
                raise ConfigError(f"`per-file-ignores` in {where}: {exc}") from None
            pairs.append((pattern, tuple(codes)))
        return tuple(pairs)
    if key == "output-format" and value not in OUTPUT_FORMATS:
        raise ConfigError(f"`output-format` in {where} must be one of {', '.join(OUTPUT_FORMATS)}")
    if key == "max-file-size":
        try:
            return parse_size(value)
        except ValueError:
            raise ConfigError(f"`max-file-size` in {where} must be a size like 10MB") from None
    if key == "file-timeout" and value <= 0:
        raise ConfigError(f"`file-timeout` in {where} must be positive")
    if key in ("keras-version", "target-keras-version"):
        text = str(value)
        if not SETTING.match(text):
            raise ConfigError(
                f"`{key}` in {where} must be 1, 1.0-1.2, 2, 2.0-2.15 or 3, not {text}"
            )
        return text
    return value


def with_pinned_version(settings: Settings, start: Path) -> Settings:
    """The project's pinned Keras version (``requirements.txt``...) when neither the
    configuration nor the command line sets one; ``start`` is where the project is."""
    if settings.keras_version is not None:
        return settings
    from tdlint.keras.pins import pinned_version

    pin = pinned_version(settings.root if settings.config_file else start)
    if pin is None:
        return settings
    return replace(settings, keras_version=pin.setting, keras_version_from=pin.where)


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """Command-line values on top of the file's; ``None`` means "not given"."""
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


# ---------------------------------------------------------------------- globs


def relative_posix(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, with ``/``; never raises (symlink loops included)."""
    absolute = Path(os.path.abspath(path))
    try:
        return PurePosixPath(absolute.relative_to(root)).as_posix()
    except ValueError:
        return PurePosixPath(absolute).as_posix()


def glob_matches(pattern: str, relative: str) -> bool:
    """gitignore-style matching as ruff does it: ``**`` spans folders; a pattern without a
    slash also matches any file or folder name along the path."""
    regex = _glob_regex(pattern.rstrip("/"))
    if regex.fullmatch(relative):
        return True
    if "/" not in pattern.rstrip("/"):
        parts = relative.split("/")
        return any(regex.fullmatch(part) for part in parts)
    # A folder pattern matches everything below it.
    return any(regex.fullmatch(prefix) for prefix in _prefixes(relative))


def _prefixes(relative: str) -> list[str]:
    parts = relative.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


# Discovery matches every file and folder against every exclude: translate each pattern once.
@functools.lru_cache(maxsize=1024)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out).lstrip("/") if pattern.startswith("./") else "".join(out))
