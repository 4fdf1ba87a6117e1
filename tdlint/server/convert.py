"""tdlint's diagnostics as LSP diagnostics: code, severity, source ``tdlint``, the rule's page
as ``codeDescription``, and the lines the message names as related information."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from lsprotocol import types

from tdlint.diagnostics import Diagnostic, Severity
from tdlint.server.text import LineIndex

SOURCE = "tdlint"
# How messages name other code: "line 12", or "cell 3, line 4" in a notebook
# (``RuleContext.label``).
_ROW = re.compile(r"\b(?:cell (?P<cell>\d+), )?line (?P<row>\d+)\b")
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
# Where a named row is: the document's URI and its text (a notebook's other cells too).
Resolver = Callable[[int | None, int], tuple[str, LineIndex] | None]


@functools.cache
def rule_page(code: str) -> str | None:
    """The rule's documentation page, as a ``file:`` URI (the pages ship inside the package;
    tdlint has no documentation web site)."""
    from tdlint.docs import rule_doc_path

    path = rule_doc_path(code)
    return None if path is None else path.as_uri()


def to_lsp(d: Diagnostic, lines: LineIndex, resolve: Resolver) -> types.Diagnostic:
    """One diagnostic, its rows and columns in ``lines``; ``resolve`` finds the rows it names."""
    page = rule_page(d.code)
    message = d.message if not d.help else f"{d.message}\n\n{d.help}"
    return types.Diagnostic(
        range=lines.range(d.location, d.end_location),
        message=message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=page) if page else None,
        source=SOURCE,
        related_information=related(d, resolve) or None,
        data={"name": d.name},
    )


def related(d: Diagnostic, resolve: Resolver) -> list[types.DiagnosticRelatedInformation]:
    """The rows named in the message and its help, each once, but not the diagnostic's own."""
    found: list[types.DiagnosticRelatedInformation] = []
    seen = {(d.cell, d.location.row)}
    for match in _ROW.finditer(f"{d.message}\n{d.help or ''}"):
        cell = int(match["cell"]) if match["cell"] else d.cell
        row = int(match["row"])
        if (cell, row) in seen:
            continue
        seen.add((cell, row))
        place = resolve(cell, row)
        if place is None:
            continue
        uri, lines = place
        text = lines.line(row - 1).strip()
        if not text:
            continue
        found.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri, range=lines.line_range(row - 1)),
                message=f"{match.group(0)}: {text}",
            )
        )
    return found
