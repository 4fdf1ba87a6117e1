"""One analysis of one document version: tdlint's diagnostics and the outline hovers read,
from one parse (``tdlint.api.analyse_source``). Runs on the server's analysis thread."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tdlint import noqa
from tdlint.api import NotebookAnalysis, analyse_notebook, analyse_source
from tdlint.config import Selection
from tdlint.diagnostics import Diagnostic, FileResult
from tdlint.outline import Outline
from tdlint.server.notebooks import Cell
from tdlint.server.settings import FileSettings
from tdlint.server.text import LineIndex

# A rule whose fix is another way to settle another rule's finding: TDL004 (opt-in) wraps
# the `Dense` of a TDL001 in `TimeDistributed`, for when one output per timestep is meant.
# The server runs it to offer that fix next to TDL001's own, and shows its findings only
# when it is selected.
ALTERNATIVES = {"TDL001": "TDL004"}
UNUSED_NOQA = "TDL900"


@dataclass(frozen=True)
class Snapshot:
    """What is analysed: a document's text at one version, and its settings."""

    uri: str
    path: Path | None
    text: str
    version: int | None
    settings: FileSettings
    encoding: str
    # A notebook's cells (``text`` is then the notebook's JSON, made from them).
    cells: tuple[Cell, ...] | None = None

    @property
    def filename(self) -> str:
        return str(self.path) if self.path is not None else self.uri


@dataclass
class Analysis:
    snapshot: Snapshot
    lines: LineIndex
    diagnostics: tuple[Diagnostic, ...] = ()
    # Findings of the rules run only for their fixes (``ALTERNATIVES``), not shown.
    alternatives: tuple[Diagnostic, ...] = ()
    outline: Outline | None = None
    error: str | None = None  # an internal problem (shown in the log, never a crash)
    # False while only the diagnostics are known (the outline is being built).
    complete: bool = False
    # A notebook's: the notebook and its diagnostics of the joined source (for positions).
    notebook: NotebookAnalysis | None = None

    @property
    def version(self) -> int | None:
        return self.snapshot.version

    @functools.cached_property
    def suppressions(self) -> noqa.Suppressions:
        """The text's ``# noqa`` comments and statement ends (for noqa actions), read once."""
        return noqa.parse(self.text)

    @property
    def text(self) -> str:
        return self.snapshot.text


def with_alternatives(selection: Selection) -> Selection:
    """The selection, plus the rules whose fixes are alternatives to a selected rule's."""
    if UNUSED_NOQA in selection:
        return selection  # TDL900 would judge suppression comments by the extra rules too
    extra = {alt for code, alt in ALTERNATIVES.items() if code in selection}
    return Selection(selection.codes | extra)


def split(result: FileResult, selection: Selection) -> tuple[tuple[Diagnostic, ...], ...]:
    shown = tuple(d for d in result.diagnostics if d.code in selection)
    hidden = tuple(d for d in result.diagnostics if d.code not in selection)
    return shown, hidden


def analyse(snapshot: Snapshot, on_result: Callable[[Analysis], bool] | None = None) -> Analysis:
    """The document's diagnostics and outline. ``on_result`` is given the analysis with its
    diagnostics as soon as they are known; it returns False when the outline is not worth
    building any more (the text has changed since). Never raises."""
    lines = LineIndex(snapshot.text, snapshot.encoding)
    settings = snapshot.settings
    skipped = settings.skipped
    if len(snapshot.text) > settings.max_file_size:  # characters: bytes are at least as many
        skipped = f"larger than {settings.max_file_size / 1024 / 1024:g} MiB (max-file-size)"
    if skipped is not None:
        analysis = Analysis(snapshot, lines, complete=True, error=f"not checked: {skipped}")
        if on_result is not None:
            on_result(analysis)
        return analysis
    selection = settings.selection
    wanted = True

    def diagnostics_known(result: FileResult) -> bool:
        nonlocal wanted
        shown, hidden = split(result, selection)
        partial = Analysis(snapshot, lines, shown, hidden, error=result.error)
        wanted = on_result(partial) if on_result is not None else True
        return wanted

    try:
        if snapshot.cells is not None:
            return _notebook(snapshot, lines, on_result)
        result, outline = analyse_source(
            snapshot.text,
            snapshot.filename,
            with_alternatives(selection),
            settings.keras_version,
            on_result=diagnostics_known,
        )
    except Exception as exc:  # a bug in tdlint: logged, and the server goes on
        error = f"internal error: {type(exc).__name__}: {exc}"
        analysis = Analysis(snapshot, lines, error=error, complete=True)
        if on_result is not None:
            on_result(analysis)
        return analysis
    shown, hidden = split(result, selection)
    outline = outline if wanted else None
    return Analysis(snapshot, lines, shown, hidden, outline, result.error, complete=True)


def _notebook(
    snapshot: Snapshot, lines: LineIndex, on_result: Callable[[Analysis], bool] | None
) -> Analysis:
    selection = snapshot.settings.selection
    wanted = True

    def diagnostics_known(result: FileResult) -> bool:
        nonlocal wanted
        shown, hidden = split(result, selection)
        wanted = on_result(Analysis(snapshot, lines, shown, hidden)) if on_result else True
        return wanted

    found = analyse_notebook(
        snapshot.text,
        snapshot.filename,
        with_alternatives(selection),
        snapshot.settings.keras_version,
        on_result=diagnostics_known,
    )
    shown, hidden = split(found.result, selection)
    outline = found.outline if wanted else None
    return Analysis(
        snapshot, lines, shown, hidden, outline, found.result.error, complete=True, notebook=found
    )
