"""Notebooks (LSP 3.17 notebook document sync): the code cells are analysed together as
``tdlint check`` analyses an ``.ipynb`` file (``tdlint.api.analyse_notebook``), and each
finding is published on its cell's document.

The editor sends cells, not the ``.ipynb`` JSON: the server writes the cells into a minimal
notebook JSON (in memory) and analyses that, so a notebook is read one way only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from tdlint.api import NotebookAnalysis
from tdlint.diagnostics import Diagnostic, Location
from tdlint.server.convert import to_lsp
from tdlint.server.text import LineIndex

if TYPE_CHECKING:
    from tdlint.server.analysis import Analysis


@dataclass(frozen=True)
class Cell:
    uri: str
    text: str
    code: bool  # a Python code cell (markup and other languages are not analysed)


def notebook_json(cells: tuple[Cell, ...]) -> str:
    """The cells as an ``.ipynb`` text, as tdlint reads one."""
    data = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": cell.text,
            }
            if cell.code
            else {"cell_type": "markdown", "metadata": {}, "source": cell.text}
            for cell in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data)


def cells_of(workspace: Any, uri: str) -> tuple[Cell, ...] | None:
    """The notebook's cells now (None when it is not open)."""
    notebook = workspace.get_notebook_document(notebook_uri=uri)
    if notebook is None:
        return None
    cells = []
    for cell in notebook.cells:
        document = workspace.text_documents.get(cell.document)
        text = document.source if document is not None else ""
        language = document.language_id if document is not None else None
        code = cell.kind == types.NotebookCellKind.Code and language in (None, "python")
        cells.append(Cell(cell.document, text, code))
    return tuple(cells)


def notebook_path(uri: str) -> Path | None:
    from pygls.uris import to_fs_path

    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


class Placed:
    """A notebook analysis in the cells' terms: which cell each diagnostic is on, the text
    of each cell (for positions), and the way between cells and the joined source."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.found: NotebookAnalysis | None = analysis.notebook  # None while partial
        self.cells: tuple[Cell, ...] = analysis.snapshot.cells or ()
        encoding = analysis.snapshot.encoding
        self.lines = {cell.uri: LineIndex(cell.text, encoding) for cell in self.cells}

    def cell(self, number: int | None) -> Cell | None:
        if number is None or not 0 < number <= len(self.cells):
            return None
        return self.cells[number - 1]

    def number(self, uri: str) -> int | None:
        for index, cell in enumerate(self.cells):
            if cell.uri == uri:
                return index + 1
        return None

    def resolve(self, cell_number: int | None, row: int) -> tuple[str, LineIndex] | None:
        cell = self.cell(cell_number)
        return None if cell is None else (cell.uri, self.lines[cell.uri])

    def to_lsp(self, d: Diagnostic) -> tuple[str, types.Diagnostic] | None:
        cell = self.cell(d.cell)
        if cell is None:
            return None
        return cell.uri, to_lsp(d, self.lines[cell.uri], self.resolve)

    def by_cell(self) -> list[tuple[str, list[types.Diagnostic]]]:
        """Every cell's diagnostics (an empty list clears a cell's old ones)."""
        found: dict[str, list[types.Diagnostic]] = {cell.uri: [] for cell in self.cells}
        for d in self.analysis.diagnostics:
            placed = self.to_lsp(d)
            if placed is not None:
                found[placed[0]].append(placed[1])
        return list(found.items())

    # ------------------------------------------------------------------ positions
    def in_cell(self, location: Location) -> tuple[str, Location] | None:
        """A location of the joined source, in its cell."""
        notebook = self.found.notebook if self.found is not None else None
        if notebook is None:
            return None
        number, where = notebook.place(location)
        cell = self.cell(number)
        return None if cell is None else (cell.uri, where)

    def in_joined(self, uri: str, location: Location) -> Location | None:
        notebook = self.found.notebook if self.found is not None else None
        number = self.number(uri)
        if notebook is None or number is None:
            return None
        return notebook.joined(number, location)
