"""One analysis of one document version: tdlint's diagnostics and the outline hovers read,
from one parse (``tdlint.api.analyse_source``). Runs on the server's analysis thread."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tdlint import noqa
from tdlint.api import NotebookAnalysis, analyse_notebook, analyse_source
from tdlint.diagnostics import Diagnostic, FileResult
from tdlint.outline import Outline
from tdlint.server.notebooks import Cell
from tdlint.server.settings import FileSettings
from tdlint.server.text import LineIndex


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
        partial = Analysis(snapshot, lines, result.diagnostics, error=result.error)
        wanted = on_result(partial) if on_result is not None else True
        return wanted

    try:
        if snapshot.cells is not None:
            return _notebook(snapshot, lines, on_result)
        result, outline = analyse_source(
            snapshot.text,
            snapshot.filename,
            selection,
            settings.keras_version,
            on_result=diagnostics_known,
        )
    except Exception as exc:  # a bug in tdlint: logged, and the server goes on
        error = f"internal error: {type(exc).__name__}: {exc}"
        analysis = Analysis(snapshot, lines, error=error, complete=True)
        if on_result is not None:
            on_result(analysis)
        return analysis
    outline = outline if wanted else None
    return Analysis(snapshot, lines, result.diagnostics, outline, result.error, complete=True)


def _notebook(
    snapshot: Snapshot, lines: LineIndex, on_result: Callable[[Analysis], bool] | None
) -> Analysis:
    selection = snapshot.settings.selection
    wanted = True

    def diagnostics_known(result: FileResult) -> bool:
        nonlocal wanted
        wanted = on_result(Analysis(snapshot, lines, result.diagnostics)) if on_result else True
        return wanted

    found = analyse_notebook(
        snapshot.text,
        snapshot.filename,
        selection,
        snapshot.settings.keras_version,
        on_result=diagnostics_known,
    )
    outline = found.outline if wanted else None
    diagnostics = found.result.diagnostics
    return Analysis(
        snapshot, lines, diagnostics, outline, found.result.error, complete=True, notebook=found
    )
