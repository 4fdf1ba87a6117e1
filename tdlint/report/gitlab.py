"""Machine output: a GitLab Code Quality report (a JSON list of Code Climate issues).

GitLab compares the report of a merge request with its target branch's by ``fingerprint``, so
the fingerprint must be the same on every runner and checkout: it hashes the repository-relative
path, never the absolute one (``/builds/<group>/<project>`` differs between runners).

A notebook finding's ``lines`` are lines of the ``.ipynb`` file as stored (the JSON lines that
hold the cell's source), so GitLab shows it on the right line of the diff; the description
names the cell and the line in it, as Jupyter shows them. Its fingerprint hashes the cell and
the position in the cell, which do not move when outputs or other cells change.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from tdlint.diagnostics import Diagnostic, Severity
from tdlint.report._paths import relative_to


def project_root(project_dir: str | None = None) -> str:
    """GitLab's checkout (``CI_PROJECT_DIR``) when running in its CI, else the current
    directory: the report's paths must be relative to the repository root (ruff does the same)."""
    return project_dir or os.environ.get("CI_PROJECT_DIR") or os.getcwd()


def report_path(filename: str, root: str) -> str:
    """The path relative to ``root``; a file outside it keeps the path it was given (it cannot
    be matched to the repository either way), with ``/`` separators."""
    relative = relative_to(filename, root)
    return relative if relative is not None else PurePath(filename).as_posix()


def fingerprint(d: Diagnostic, path: str, salt: int = 0) -> str:
    """A hash of code, relative path, message and start position. NUL-separated, so fields
    cannot run into each other; SHA-256 cut to 32 hex digits, the length of GitLab's examples."""
    fields: tuple[str, ...] = (d.code, path, d.message, str(d.location.row), str(d.location.column))
    if d.cell is not None:
        fields += (f"cell {d.cell}",)
    fields += (str(salt),)
    return hashlib.sha256("\0".join(fields).encode()).hexdigest()[:32]


def _unique_fingerprint(d: Diagnostic, path: str, seen: set[str]) -> str:
    # GitLab keeps one issue per fingerprint: two identical findings must not collapse into one.
    salt = 0
    value = fingerprint(d, path)
    while value in seen:
        salt += 1
        value = fingerprint(d, path, salt)
    seen.add(value)
    return value


def issue(d: Diagnostic, path: str, fingerprint_value: str) -> dict[str, Any]:
    start = d.file_location or d.location
    end = d.file_end_location or d.end_location
    where = f"cell {d.cell}, line {d.location.row}: " if d.cell is not None else ""
    return {
        # GitLab's widget shows the description but not ``check_name``: both carry the code.
        "description": f"{d.code}: {where}{d.message}",
        "check_name": d.code,
        "fingerprint": fingerprint_value,
        "severity": "major" if d.severity is Severity.ERROR else "minor",
        "location": {
            "path": path,
            "lines": {"begin": start.row, "end": end.row},
        },
    }


def to_gitlab(
    diagnostics: Sequence[Diagnostic], *, project_dir: str | None = None
) -> list[dict[str, Any]]:
    root = project_root(project_dir)
    seen: set[str] = set()
    issues = []
    for d in diagnostics:
        path = report_path(d.filename, root)
        issues.append(issue(d, path, _unique_fingerprint(d, path, seen)))
    return issues


def render(diagnostics: Sequence[Diagnostic], *, project_dir: str | None = None) -> str:
    return json.dumps(to_gitlab(diagnostics, project_dir=project_dir), indent=2)
