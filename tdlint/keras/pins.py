"""The Keras version a project pins, read from its requirement files (never installed or
imported): ``requirements*.txt``, ``pyproject.toml`` (``[project]`` dependencies and Poetry's
table), ``setup.cfg`` (``install_requires``) and the literal requirement strings of
``setup.py``.

A pin decides a version only when every release it admits reads code the same way:
``keras==2.3.1`` is Keras 2.0-2.3, ``tensorflow~=2.12.0`` brings tf.keras 2.12, and
``tensorflow>=2.16`` Keras 3; ``keras>=2.0`` decides nothing. A ``keras`` pin wins over a
``tensorflow`` one (TensorFlow before 2.16 installs the ``keras`` of its own version).
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?P<spec>[^;#]*)", re.M
)
_CLAUSE = re.compile(r"(===|==|~=|!=|<=|>=|<|>|\^|~)?\s*v?(\d+(?:\.\d+)*)(\.\*)?")
_TENSORFLOW = frozenset(
    {"tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos", "tensorflow-intel"}
)
# Folders above the file are searched up to the first that looks like a project root.
_ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


@dataclass(frozen=True)
class Pin:
    """A `keras-version` value and where it was read (``requirements.txt: keras==2.3.1``)."""

    setting: str
    where: str


def pinned_version(start: Path) -> Pin | None:
    """The version pinned by the project that holds ``start`` (a file or folder)."""
    try:
        folder = start.resolve()
    except (OSError, RuntimeError):
        return None
    if not folder.is_dir():
        folder = folder.parent
    return _pinned_in(folder)


def pinned_setting(paths: list[str]) -> str | None:
    """The pinned `keras-version` for the project of the first command-line path."""
    pin = pinned_version(Path(paths[0]) if paths and paths[0] != "-" else Path.cwd())
    return pin.setting if pin else None


@functools.lru_cache(maxsize=64)
def _pinned_in(folder: Path) -> Pin | None:
    for candidate in (folder, *folder.parents):
        requirements = list(_requirements(candidate))
        if requirements:
            return _decide(requirements)
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            return None
    return None


def _requirements(folder: Path) -> list[tuple[str, str, str]]:
    """(package, specifier, file name) for every requirement the folder's files state."""
    found: list[tuple[str, str, str]] = []
    try:
        names = sorted(p.name for p in folder.glob("requirements*.txt"))
    except OSError:
        return found
    for name in [*names, "pyproject.toml", "setup.cfg", "setup.py"]:
        text = _read(folder / name)
        if text is None:
            continue
        for line in _requirement_lines(name, text):
            match = _REQUIREMENT.match(line)
            if match:
                package = match["name"].lower().replace("_", "-")
                found.append((package, match["spec"].strip(), name))
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    except OSError:
        return None


def _requirement_lines(name: str, text: str) -> list[str]:
    if name.endswith(".txt"):
        return [line for line in text.splitlines() if not line.lstrip().startswith(("-", "#"))]
    if name == "pyproject.toml":
        return _pyproject_lines(text)
    if name == "setup.cfg":
        match = re.search(r"install_requires\s*=\s*((?:.*\n?)(?:[ \t]+.*\n?)*)", text)
        return match[1].splitlines() if match else []
    # setup.py: the quoted strings that look like requirements of the packages we read
    return re.findall(r"""["']((?:keras|tensorflow|tf-keras)[^"']*)["']""", text)


def _pyproject_lines(text: str) -> list[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    lines = [d for d in project.get("dependencies", []) if isinstance(d, str)]
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    if isinstance(poetry, dict):
        for package, spec in poetry.items():
            version = spec.get("version") if isinstance(spec, dict) else spec
            if isinstance(version, str):
                lines.append(f"{package} {'' if version == '*' else version}")
    return lines


def _decide(requirements: list[tuple[str, str, str]]) -> Pin | None:
    keras = [(spec, where) for package, spec, where in requirements if package == "keras"]
    for spec, where in keras:
        setting = _keras_setting(spec)
        if setting is not None:
            return Pin(setting, f"{where}: keras{spec}")
    if keras:
        return None  # keras is pinned loosely: a tensorflow pin does not say which keras
    for package, spec, where in requirements:
        if package in _TENSORFLOW:
            setting = _tensorflow_setting(spec)
            if setting is not None:
                return Pin(setting, f"{where}: {package}{spec}")
    return None


def _clauses(spec: str) -> list[tuple[str, tuple[int, ...]]]:
    clauses = []
    for part in spec.replace(" ", "").split(","):
        match = _CLAUSE.fullmatch(part)
        if match:
            version = tuple(int(n) for n in match[2].split("."))
            clauses.append((match[1] or "==", version))
    return clauses


def _exact(spec: str) -> tuple[int, int] | None:
    """The major.minor every admitted release has, for ``==``, ``~=`` (with a patch level),
    ``^`` and ``~``, else None."""
    for op, version in _clauses(spec):
        if op in ("==", "===", "~") and len(version) >= 2:
            return version[0], version[1]
        if op == "~=" and len(version) >= 3:
            return version[0], version[1]
        if op == "^" and len(version) >= 2 and version[0] >= 1:
            return (version[0], version[1]) if version[0] == 3 else None
    return None


def _keras_setting(spec: str) -> str | None:
    exact = _exact(spec)
    if exact is not None:
        major, minor = exact
        if major == 1:
            return f"1.{min(minor, 2)}"
        return "3" if major >= 3 else f"2.{minor}"
    for op, version in _clauses(spec):
        if op in (">=", ">", "^", "~=") and version[0] >= 3:
            return "3"
        below_2 = op == "<" and version[:2] in ((2, 0), (2,))
        if below_2 or (op == "<=" and version[0] == 1):
            return "1"
    return None


def _tensorflow_setting(spec: str) -> str | None:
    """TensorFlow 2.16 and later install Keras 3; 2.6-2.15 the ``keras`` of their own
    version (tf.keras 2); 2.0-2.5 no ``keras`` at all, so ``import keras`` may be any
    Keras 2 (setting ``2``)."""
    exact = _exact(spec)
    if exact is not None and exact[0] == 2:
        minor = exact[1]
        return "3" if minor >= 16 else f"2.{minor}" if minor >= 6 else "2"
    for op, version in _clauses(spec):
        if op in (">=", ">", "~=", "^") and version[:1] == (2,) and version[1:2] >= (16,):
            return "3"
    return None
