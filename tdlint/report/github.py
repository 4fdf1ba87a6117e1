"""Machine output: GitHub Actions workflow commands, shown as annotations on the pull request.

``::error title=tdlint (TDL001),file=ABS,line=L,col=C,endLine=L2,endColumn=C2::path:L:C: TDL001 m``
(``::warning`` for warnings), ruff's layout with our severities.

GitHub places an annotation on a line of the file as stored. For a notebook that is the line of
the ``.ipynb`` JSON that holds the cell's source line (ruff puts every notebook annotation on
line 1 instead); the message names the cell: ``model.ipynb:cell 4:5:11: TDL001 ...``.
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
    start = d.file_location or d.location
    end = d.file_end_location or d.end_location
    properties = {
        "title": f"tdlint ({d.code})",
        "file": os.path.abspath(d.filename),
        "line": start.row,
        "col": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    cell = f"cell {d.cell}:" if d.cell is not None else ""
    where = f"{display_path(d.filename)}:{cell}{d.location.row}:{d.location.column}"
    return f"::{command} {props}::{escape_data(f'{where}: {d.code} {d.message}')}"


def render(diagnostics: Sequence[Diagnostic]) -> str:
    """One annotation per line; no trailing newline, and "" when there is nothing."""
    return "\n".join(annotation(d) for d in diagnostics)
