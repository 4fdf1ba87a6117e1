"""tdlint's Python API. The command line is a thin layer over these functions.

>>> import tdlint
>>> [d.code for d in tdlint.check_source(open("model.py").read(), "model.py")]  # doctest: +SKIP
['TDL001']
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import libcst as cst

from tdlint.analysis import FileGraph, analyze
from tdlint.analysis.summary import ModelSummary, summarize, summarize_graph
from tdlint.config import Selection, Settings
from tdlint.diagnostics import Diagnostic, FileResult, FixMode, Location, Severity
from tdlint.diagrams.graph import ModelDiagram
from tdlint.discovery import Unlistable, find
from tdlint.engine import check_source as _check_source
from tdlint.engine import might_use_keras
from tdlint.fixes import FixError, fix_source
from tdlint.guard import FileTimeout, recursion_limit, time_limit, too_deep_to_parse
from tdlint.io_error import unreadable
from tdlint.notebook import Notebook, NotebookError, split_lines
from tdlint.outline import Outline
from tdlint.parsing import parse_for_analysis
from tdlint.rules import SYNTAX_ERROR
from tdlint.sourcefile import SourceFile

__all__ = [
    "FixMode",
    "analyse_source",
    "check_file",
    "check_paths",
    "check_source",
    "infer_diagrams",
    "infer_shapes",
]


T = TypeVar("T")


def check_source(
    source: str,
    filename: str = "<string>",
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    keras_version: str | None = None,
    target_version: str | None = None,
) -> list[Diagnostic]:
    """Diagnostics for one file's text, sorted by position. Never raises for bad input.
    ``target_version`` is the Keras the version rules upgrade to (Keras 3 by default)."""
    selection = Selection.from_options(select, ignore)
    result = _check_source(
        source, filename, selection, keras_version, target_version=target_version
    )
    return list(result.diagnostics)


def analyse_source(
    source: str,
    filename: str = "<string>",
    selection: Selection | None = None,
    keras_version: str | None = None,
    on_result: Callable[[FileResult], bool | None] | None = None,
    row_label: Callable[[int], str] | None = None,
) -> tuple[FileResult, Outline | None]:
    """``check_source``'s result and the file's ``Outline`` (what is where, with its shapes:
    for hovers), from one parse and one analysis. ``on_result`` is given the result as soon
    as it is known, before the outline is built (an editor shows diagnostics first); when it
    returns False, no outline is built (the text has changed meanwhile). The outline is None
    when the file was not analysed (no Keras, a syntax error). Never raises for bad input."""
    selection = selection or Selection.from_options()
    outline: Outline | None = None
    told = False

    def inspect(graph: FileGraph, result: FileResult) -> None:
        nonlocal outline, told
        told = True
        if on_result is not None and on_result(result) is False:
            return
        try:
            outline = Outline.build(graph, filename)
        except RecursionError:
            outline = None  # hovers go without; the diagnostics are what matter

    result = _check_source(source, filename, selection, keras_version, row_label, inspect)
    if not told and on_result is not None:
        on_result(result)
    return result, outline


@dataclass(frozen=True)
class NotebookAnalysis:
    """``analyse_source`` for a notebook: the diagnostics by cell (``result``), each with the
    same diagnostic of the joined source (whose fix edits are offsets into
    ``notebook.source``), and the outline of the joined source."""

    result: FileResult
    joined: tuple[Diagnostic | None, ...]  # one per diagnostic of ``result``
    notebook: Notebook | None
    outline: Outline | None


def analyse_notebook(
    text: str,
    filename: str,
    selection: Selection | None = None,
    keras_version: str | None = None,
    on_result: Callable[[FileResult], bool | None] | None = None,
) -> NotebookAnalysis:
    """A notebook's JSON text, its code cells checked as one program as ``tdlint check``
    does (a cell IPython cannot compile is one TDL000 and left out). Never raises."""
    selection = selection or Selection.from_options()
    try:
        notebook = Notebook.parse(text)
    except NotebookError as exc:
        result = FileResult(filename, _undecodable(filename, exc, selection, prefix=""))
        return _told(
            NotebookAnalysis(result, (None,) * len(result.diagnostics), None, None), on_result
        )
    if notebook.language is not None:
        return _told(NotebookAnalysis(FileResult(filename), (), notebook, None), on_result)
    syntax_errors: list[Diagnostic] = []
    if notebook.check_cells() and SYNTAX_ERROR[0] in selection:
        syntax_errors = notebook.syntax_errors(filename, *SYNTAX_ERROR)

    def mapped(result: FileResult) -> tuple[FileResult, tuple[Diagnostic | None, ...]]:
        pairs = [(d, None) for d in syntax_errors]
        pairs += [(notebook.map_diagnostic(d), d) for d in result.diagnostics]
        pairs.sort(key=lambda pair: pair[0].sort_key)
        cells = tuple(d for d, _ in pairs)
        return replace(result, diagnostics=cells), tuple(j for _, j in pairs)

    def told(result: FileResult) -> bool | None:
        return on_result(mapped(result)[0]) if on_result is not None else None

    result, outline = analyse_source(
        notebook.source, filename, selection, keras_version, told, notebook.row_label
    )
    by_cell, joined = mapped(result)
    return NotebookAnalysis(by_cell, joined, notebook, outline)


def _told(
    analysis: NotebookAnalysis, on_result: Callable[[FileResult], bool | None] | None
) -> NotebookAnalysis:
    if on_result is not None:
        on_result(analysis.result)
    return analysis


def infer_shapes(
    source: str, filename: str = "<string>", keras_version: str | None = None
) -> list[ModelSummary]:
    """Every model found in the text, with its layers' static output shapes and parameters.
    A file that does not parse has no models."""
    found = _with_graph(source, keras_version, lambda graph: summarize(graph, filename))
    return found or []


def _with_graph(source: str, keras_version: str | None, use: Callable[[FileGraph], T]) -> T | None:
    """``use`` of the file's analysis, or None when the file has no Keras, does not parse
    or is too deep to analyse (never raises for bad input)."""
    if not might_use_keras(source) or too_deep_to_parse(source) is not None:
        return None
    try:
        module = parse_for_analysis(source)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    try:
        with recursion_limit():
            return use(analyze(module, source, keras_version))
    except RecursionError:
        return None


def infer_notebook_shapes(
    text: str, filename: str, keras_version: str | None = None
) -> list[ModelSummary]:
    """``infer_shapes`` for a notebook's JSON text: its code cells read as one program (the
    cells IPython cannot compile left out, as ``tdlint check`` does), every line given as its
    cell and its line in the cell. Raises ``NotebookError`` for text that is no notebook."""
    notebook = Notebook.parse(text)
    if notebook.language is not None:
        return []  # another language
    notebook.check_cells()
    found = infer_shapes(notebook.source, filename, keras_version)
    return [_in_cells(summary, notebook) for summary in found]


def _in_cells(summary: ModelSummary, notebook: Notebook) -> ModelSummary:
    def placed(line: int) -> tuple[int, int]:
        return notebook.cell_of(line)

    cell, line = placed(summary.line)
    rows = []
    for row in summary.layers:
        row_cell, row_line = placed(row.line)
        rows.append(replace(row, cell=row_cell, line=row_line))
    call = summary.call
    if call is not None:
        call = replace(call, line=placed(call.line)[1])
    return replace(summary, cell=cell, line=line, layers=tuple(rows), call=call)


def infer_diagrams(
    source: str,
    filename: str = "<string>",
    keras_version: str | None = None,
    findings: Selection | None = None,
) -> list[ModelDiagram]:
    """``infer_shapes``'s models as diagrams (nodes, edges, groups) for the renderers of
    ``tdlint.diagrams``. With ``findings``, the file is checked as ``tdlint check`` checks
    it, for that selection, from the same analysis, and each node has the codes found on
    its lines. A file that does not parse has no models."""
    return _diagrams(source, filename, keras_version, findings)


def infer_notebook_diagrams(
    text: str, filename: str, keras_version: str | None = None, findings: Selection | None = None
) -> list[ModelDiagram]:
    """``infer_diagrams`` for a notebook's JSON text, lines given as ``cell:line``. Raises
    ``NotebookError`` for text that is no notebook."""
    notebook = Notebook.parse(text)
    if notebook.language is not None:
        return []
    notebook.check_cells()

    def place(line: int) -> str:
        return "{}:{}".format(*notebook.cell_of(line))

    return _diagrams(
        notebook.source,
        filename,
        keras_version,
        findings,
        place,
        lambda summary: _in_cells(summary, notebook),
        notebook.row_label,
    )


def _diagrams(
    source: str,
    filename: str,
    keras_version: str | None,
    findings: Selection | None,
    place: Callable[[int], str] = str,
    adjust: Callable[[ModelSummary], ModelSummary] = lambda summary: summary,
    row_label: Callable[[int], str] | None = None,
) -> list[ModelDiagram]:
    from tdlint.diagrams.build import Finding, build_diagrams
    from tdlint.positions import module_positions

    drawn: list[ModelDiagram] = []

    def draw(graph: FileGraph, result: FileResult | None = None) -> None:
        positions = module_positions(graph.module)
        found = [(src, adjust(s)) for _, src, s in summarize_graph(graph, filename, positions)]
        marks = (
            [Finding(d.location.row, d.location.column, d.code) for d in result.diagnostics]
            if result
            else []
        )
        drawn.extend(build_diagrams(found, positions, place, marks))

    if findings is not None:
        _check_source(source, filename, findings, keras_version, row_label, draw)
        return drawn

    def draw_all(graph: FileGraph) -> bool:
        draw(graph)
        return True

    # A graph too deep to finish drawing draws nothing rather than part of it.
    return drawn if _with_graph(source, keras_version, draw_all) else []


def check_paths(
    paths: Iterable[str],
    settings: Settings | None = None,
    fix: FixMode = FixMode.NONE,
) -> Iterator[FileResult]:
    """Check (and optionally fix) every file under ``paths``, in a stable order. A path that
    cannot be read (missing, a broken link, no permission, a folder that cannot be listed)
    gives a result with one TDL902, or a ``skipped`` one when TDL902 is not selected."""
    settings = settings or Settings()
    for entry in find(list(paths), settings):
        if isinstance(entry, Unlistable):
            yield unreadable(entry.path, entry.error, settings.selection_for(entry.path))
        else:
            yield check_file(entry, settings, fix)


def check_file(path: Path, settings: Settings, fix: FixMode = FixMode.NONE) -> FileResult:
    """One file, read from disk, checked, and fixed if asked, within the per-file limits.
    Never raises."""
    filename = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        return unreadable(path, exc, settings.selection_for(path))
    if not stat.S_ISREG(info.st_mode):
        return FileResult(filename, skipped="not a regular file")  # reading a FIFO blocks
    if info.st_size > settings.max_file_size:
        limit = settings.max_file_size / 1024 / 1024
        return FileResult(filename, skipped=f"larger than {limit:g} MiB (max-file-size)")
    try:
        with time_limit(settings.file_timeout):
            return _check_file(path, settings, fix)
    except FileTimeout:
        return FileResult(
            filename, skipped=f"took longer than {settings.file_timeout:g} s (file-timeout)"
        )
    except RecursionError:
        return FileResult(filename, skipped="too deeply nested to analyse")
    except Exception as exc:  # a bug in tdlint: one line, and the other files go on
        return FileResult(filename, error=f"internal error: {type(exc).__name__}: {exc}")


def _check_file(path: Path, settings: Settings, fix: FixMode) -> FileResult:
    filename = str(path)
    selection = settings.selection_for(path)
    try:
        source = SourceFile.read(path)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return FileResult(filename, _undecodable(filename, exc, selection))
    except OSError as exc:
        return unreadable(path, exc, selection)
    version, target = settings.keras_version, settings.target
    if path.suffix == ".ipynb":
        return _check_notebook(source, filename, selection, settings, fix)
    if fix is FixMode.NONE:
        return _check_source(source.text, filename, selection, version, target_version=target)
    try:
        outcome = fix_source(
            source.text, filename, selection, settings.unsafe_fixes, version, target_version=target
        )
    except FixError as exc:
        result = _check_source(source.text, filename, selection, version, target_version=target)
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
        fixed_warnings=outcome.fixed_warnings,
        original_source=source.text,
    )


def _check_notebook(
    source: SourceFile, filename: str, selection: Selection, settings: Settings, fix: FixMode
) -> FileResult:
    """A notebook file, checked, and fixed in place when asked."""
    result = check_notebook_text(source.text, filename, settings, fix, selection)
    written = fix is not FixMode.FIX or result.fixed_source is None
    if not written and not source.write(result.fixed_source or ""):
        return replace(
            result,
            fixed_source=None,
            fixes_applied=0,
            fixed_warnings=0,
            original_source=None,
            error="changed on disk while being fixed; not written",
        )
    return result


def check_notebook_text(
    text: str,
    filename: str,
    settings: Settings,
    fix: FixMode = FixMode.NONE,
    selection: Selection | None = None,
) -> FileResult:
    """A notebook's JSON text: its code cells checked as one program, findings mapped back to
    cells. A cell IPython cannot compile is one TDL000 and is left out; the others are
    checked. With a fix mode, the fixed notebook is ``fixed_source`` (nothing is written)."""
    if selection is None:
        selection = settings.selection_for(Path(filename))
    try:
        notebook = Notebook.parse(text)
    except NotebookError as exc:
        return FileResult(filename, _undecodable(filename, exc, selection, prefix=""))
    if notebook.language is not None or not might_use_keras(notebook.source):
        return FileResult(filename)  # another language, or nothing a Keras check could find
    syntax_errors: list[Diagnostic] = []
    if notebook.check_cells() and SYNTAX_ERROR[0] in selection:
        syntax_errors = notebook.syntax_errors(filename, *SYNTAX_ERROR)
    version, target = settings.keras_version, settings.target
    label = notebook.row_label

    def mapped(result: FileResult) -> FileResult:
        found = [*syntax_errors, *result.diagnostics]
        if not found:
            return result
        locator = notebook.locator()
        diagnostics = [
            notebook.map_diagnostic(d, locator) if d.cell is None else notebook.locate(d, locator)
            for d in found
        ]
        return replace(result, diagnostics=tuple(sorted(diagnostics, key=lambda d: d.sort_key)))

    if fix is FixMode.NONE:
        return mapped(
            _check_source(
                notebook.source, filename, selection, version, label, target_version=target
            )
        )
    try:
        outcome = fix_source(
            notebook.source,
            filename,
            selection,
            settings.unsafe_fixes,
            version,
            label,
            target_version=target,
        )
        fixed = notebook.with_source(outcome.source) if outcome.applied else text
    except (FixError, NotebookError) as exc:
        result = mapped(
            _check_source(
                notebook.source, filename, selection, version, label, target_version=target
            )
        )
        return replace(result, error=f"fix not applied: {exc}")
    result = mapped(outcome.result)
    if outcome.applied == 0:
        return result
    return replace(
        result,
        fixed_source=fixed,
        fixes_applied=outcome.applied,
        fixed_warnings=outcome.fixed_warnings,
        original_source=text,
    )


def _undecodable(
    filename: str, exc: Exception, selection: Selection, prefix: str = "cannot decode the file: "
) -> tuple[Diagnostic, ...]:
    if SYNTAX_ERROR[0] not in selection:
        return ()
    location = Location(1, 1)
    return (
        Diagnostic(
            code=SYNTAX_ERROR[0],
            name=SYNTAX_ERROR[1],
            message=f"{prefix}{exc}",
            severity=Severity.ERROR,
            filename=filename,
            location=location,
            end_location=location,
        ),
    )


def add_noqa(results: Iterable[FileResult]) -> int:
    """Write ``# noqa: CODE`` for every diagnostic in ``results`` (on the last line of its
    statement, merged into any noqa comment already there); in a notebook, into the cell's
    line. Returns the comments written."""
    written = 0
    for result in results:
        wanted: dict[tuple[int | None, int], set[str]] = {}
        for d in result.diagnostics:
            if d.noqa_row is not None:
                wanted.setdefault((d.cell, d.noqa_row), set()).add(d.code)
        if not wanted:
            continue
        try:
            source = SourceFile.read(Path(result.filename))
        except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
            continue
        if Path(result.filename).suffix == ".ipynb":
            changed = _noqa_in_notebook(source.text, wanted)
        else:
            changed = _with_noqa(source.text, {row: codes for (_, row), codes in wanted.items()})
        if changed is not None and source.write(changed[0]):
            written += changed[1]
    return written


def _with_noqa(text: str, wanted: dict[int, set[str]]) -> tuple[str, int] | None:
    """The text with the noqa comments added, and how many lines got one; None when that
    changes nothing or would not parse."""
    from tdlint import noqa

    found = noqa.parse(text)
    lines = split_lines(text)  # rows as noqa.parse counts them (not str.splitlines's)
    by_row: dict[int, set[str]] = {}
    for row, codes in wanted.items():
        by_row.setdefault(found.statement_end.get(row, row), set()).update(codes)
    for row, codes in by_row.items():
        if 0 < row <= len(lines):
            lines[row - 1] = noqa.with_codes(lines[row - 1], found.line.get(row), codes)
    changed = "".join(lines)
    try:
        cst.parse_module(changed)
    except cst.ParserSyntaxError:
        return None  # never write a file we would break
    return (changed, len(by_row)) if changed != text else None


def _noqa_in_notebook(
    text: str, wanted: dict[tuple[int | None, int], set[str]]
) -> tuple[str, int] | None:
    """The notebook's JSON with noqa comments added to its cells' lines (rows are per cell):
    written into the joined cells, then back into the cells as fixes are."""
    try:
        notebook = Notebook.parse(text)
        notebook.check_cells()
        rows: dict[int, set[str]] = {}
        for (cell, row), codes in wanted.items():
            joined = notebook.joined_row(cell, row) if cell is not None else None
            if joined is not None:
                rows.setdefault(joined, set()).update(codes)
        changed = _with_noqa(notebook.source, rows)
        return None if changed is None else (notebook.with_source(changed[0]), changed[1])
    except NotebookError:
        return None
