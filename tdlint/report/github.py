"""Machine output: GitHub Actions workflow commands, shown as annotations on the pull request.

``::error title=tdlint (TDL001),file=ABS,line=L,col=C,endLine=L2,endColumn=C2::path:L:C: TDL001 m``
(``::warning`` for warnings), ruff's layout with our severities.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from tdlint.diagnostics import Diagnostic, Severity
from tdlint.report._paths import display_path


def escape_data(value: str) -> str:
    """Escape a command's message the way GitHub's toolkit does (``escapeData``): the runner
    reads one command per line, so a raw newline would end the annotation early. ``%`` goes
    first, or the escapes themselves would be escaped."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (``escapeProperty``): ``,`` separates properties and ``:`` ends
    them, so a path such as ``C:\\src`` or ``a,b.py`` must not show them raw."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    command = "error" if d.severity is Severity.ERROR else "warning"
    properties = {
        "title": f"tdlint ({d.code})",
        "file": os.path.abspath(d.filename),
        "line": d.location.row,
        "col": d.location.column,
        "endLine": d.end_location.row,
        "endColumn": d.end_location.column,
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    where = f"{display_path(d.filename)}:{d.location.row}:{d.location.column}"
    return f"::{command} {props}::{escape_data(f'{where}: {d.code} {d.message}')}"


def render(diagnostics: Sequence[Diagnostic]) -> str:
    """One annotation per line; no trailing newline, and "" when there is nothing."""
    return "\n".join(annotation(d) for d in diagnostics)
