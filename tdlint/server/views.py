"""One document as the editor sees it, over the analysis that covers it: a ``.py`` file is
its own analysis; a notebook's cell is a part of its notebook's. Positions go both ways
between the document and the analysed source (the joined cells, for a notebook)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lsprotocol import types

from tdlint import noqa
from tdlint.diagnostics import Diagnostic, Location
from tdlint.server.analysis import Analysis
from tdlint.server.convert import to_lsp
from tdlint.server.notebooks import Placed
from tdlint.server.text import LineIndex


@dataclass
class View:
    uri: str
    analysis: Analysis
    lines: LineIndex
    text: str
    placed: Placed | None = None  # for a notebook's cell
    _joined: dict[int, Diagnostic] = field(default_factory=dict, repr=False)

    @classmethod
    def of_file(cls, analysis: Analysis) -> View:
        return cls(analysis.snapshot.uri, analysis, analysis.lines, analysis.text)

    @classmethod
    def of_cell(cls, analysis: Analysis, uri: str) -> View | None:
        placed = Placed(analysis)
        if uri not in placed.lines:
            return None
        cell = placed.cell(placed.number(uri))
        assert cell is not None
        view = cls(uri, analysis, placed.lines[uri], cell.text, placed)
        found = analysis.notebook
        if found is not None:
            view._joined = {
                id(d): j
                for d, j in zip(found.result.diagnostics, found.joined, strict=True)
                if j is not None
            }
        return view

    # ------------------------------------------------------------------ diagnostics
    def _mine(self, found: tuple[Diagnostic, ...]) -> Iterator[Diagnostic]:
        number = None if self.placed is None else self.placed.number(self.uri)
        return (d for d in found if d.cell == number)

    def diagnostics(self) -> list[Diagnostic]:
        return list(self._mine(self.analysis.diagnostics))

    def to_lsp(self, d: Diagnostic) -> types.Diagnostic:
        if self.placed is not None:
            return to_lsp(d, self.lines, self.placed.resolve)
        place = (self.uri, self.lines)
        return to_lsp(d, self.lines, lambda cell, row: place if cell is None else None)

    def range(self, d: Diagnostic) -> types.Range:
        return self.lines.range(d.location, d.end_location)

    # ------------------------------------------------------------------ fixes
    def edits(self, d: Diagnostic, index: int | None) -> dict[str, list[types.TextEdit]] | None:
        """The edits of the diagnostic's fix (``index`` None) or of one of its alternatives,
        by document; None when they cannot be placed (a notebook edit outside any cell)."""
        if self.placed is None:
            fix = d.fix if index is None else d.alternatives[index]
            assert fix is not None
            edits = [
                types.TextEdit(range=self.lines.offset_range(e.start, e.end), new_text=e.content)
                for e in fix.edits
            ]
            return {self.uri: edits}
        # A notebook: the edits of the joined source, placed in their cells.
        joined = self._joined.get(id(d))
        if joined is None:
            return None
        fix = joined.fix if index is None else joined.alternatives[index]
        if fix is None:
            return None
        found: dict[str, list[types.TextEdit]] = {}
        for edit in fix.edits:
            start = self.placed.in_cell(edit.location)
            end = self.placed.in_cell(edit.end_location)
            if start is None or end is None or start[0] != end[0]:
                return None
            lines = self.placed.lines[start[0]]
            text_edit = types.TextEdit(range=lines.range(start[1], end[1]), new_text=edit.content)
            found.setdefault(start[0], []).append(text_edit)
        return found

    @property
    def suppressions(self) -> noqa.Suppressions:
        if self.placed is None:
            return self.analysis.suppressions
        return noqa.parse(self.text)

    # ------------------------------------------------------------------ positions
    def to_source(self, location: Location) -> Location | None:
        """A location of this document in the analysed source."""
        if self.placed is None:
            return location
        return self.placed.in_joined(self.uri, location)

    def from_source(self, location: Location) -> Location | None:
        """A location of the analysed source in this document (None: elsewhere)."""
        if self.placed is None:
            return location
        placed = self.placed.in_cell(location)
        return placed[1] if placed is not None and placed[0] == self.uri else None
