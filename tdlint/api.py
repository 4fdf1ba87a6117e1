"""tdlint's Python API. The command line is a thin layer over these functions.

>>> from tdlint import check_source
>>> [d.code for d in check_source(open("model.py").read(), "model.py")]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from enum import Enum
from pathlib import Path

import libcst as cst

from tdlint.analysis import analyze
from tdlint.analysis.summary import ModelSummary, summarize
from tdlint.config import Selection
from tdlint.diagnostics import Diagnostic, FileResult, Location, Severity
from tdlint.discovery import discover
from tdlint.engine import check_source as _check_source
from tdlint.engine import might_use_keras
from tdlint.fixes import FixError, fix_source
from tdlint.rules import SYNTAX_ERROR
from tdlint.sourcefile import SourceFile


class FixMode(str, Enum):
    NONE = "none"
    FIX = "fix"  # write fixed files
    DIFF = "diff"  # compute fixes, write nothing


def check_source(
    source: str,
    filename: str = "<string>",
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Diagnostic]:
    """Diagnostics for one file's text, sorted by position."""
    selection = Selection.from_options(select, ignore)
    return list(_check_source(source, filename, selection).diagnostics)


def infer_shapes(source: str, filename: str = "<string>") -> list[ModelSummary]:
    """Every model found in the text, with its layers' static output shapes and parameters.
    A file that does not parse has no models."""
    if not might_use_keras(source):
        return []
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError):
        return []
    return summarize(analyze(module), filename)


def check_paths(
    paths: Iterable[str],
    selection: Selection,
    fix: FixMode = FixMode.NONE,
    unsafe_fixes: bool = False,
) -> Iterator[FileResult]:
    """Check (and optionally fix) every file under ``paths``. Raises ``MissingPath``."""
    for path in discover(list(paths)):
        yield check_file(path, selection, fix, unsafe_fixes)


def check_file(path: Path, selection: Selection, fix: FixMode, unsafe_fixes: bool) -> FileResult:
    filename = str(path)
    try:
        source = SourceFile.read(path)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return FileResult(filename, (_undecodable(filename, exc, selection)))
    except OSError as exc:
        return FileResult(filename, error=f"cannot read: {exc.strerror or exc}")
    if fix is FixMode.NONE:
        return _check_source(source.text, filename, selection)
    try:
        outcome = fix_source(source.text, filename, selection, unsafe_fixes)
    except FixError as exc:
        result = _check_source(source.text, filename, selection)
        return replace(result, error=f"fix not applied: {exc}")
    result = outcome.result
    if outcome.applied == 0:
        return result
    if fix is FixMode.FIX and not source.write(outcome.source):
        return replace(result, error="changed on disk while being fixed; not written")
    return replace(
        result,
        fixed_source=outcome.source,
        fixes_applied=outcome.applied,
        original_source=source.text,
    )


def _undecodable(filename: str, exc: Exception, selection: Selection) -> tuple[Diagnostic, ...]:
    if SYNTAX_ERROR[0] not in selection:
        return ()
    location = Location(1, 1)
    return (
        Diagnostic(
            code=SYNTAX_ERROR[0],
            name=SYNTAX_ERROR[1],
            message=f"cannot decode the file: {exc}",
            severity=Severity.ERROR,
            filename=filename,
            location=location,
            end_location=location,
        ),
    )
