"""Positions in a document's text: tdlint's (1-based rows and columns, in code points, and
offsets into the text) to the editor's (0-based lines, columns in the negotiated encoding's
code units: UTF-16 unless the client chose UTF-8 or UTF-32), and back.

Lines end where tdlint and LibCST end them (``\\r\\n``, ``\\r`` or ``\\n``), not where
``str.splitlines`` does (it also splits at form feeds and other separators): rows agree with
the diagnostics.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from lsprotocol import types

from tdlint.diagnostics import Location
from tdlint.positions import LINE_END, line_starts


def _units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in the position encoding."""
    if text.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class LineIndex:
    text: str
    encoding: str = types.PositionEncodingKind.Utf16

    def __post_init__(self) -> None:
        self.starts = line_starts(self.text)

    def line(self, row: int) -> str:
        """The text of a 0-based line, without its line end ("" past the end)."""
        if not 0 <= row < len(self.starts):
            return ""
        start = self.starts[row]
        end = self.starts[row + 1] if row + 1 < len(self.starts) else len(self.text)
        match = LINE_END.search(self.text, start, end)
        return self.text[start : match.start() if match else end]

    @property
    def line_count(self) -> int:
        return len(self.starts)

    # ------------------------------------------------------------------ to the editor
    def position(self, row: int, column: int) -> types.Position:
        """0-based line and 0-based code-point column -> an LSP position (clamped)."""
        row = max(0, min(row, len(self.starts) - 1))
        line = self.line(row)
        column = max(0, min(column, len(line)))
        return types.Position(line=row, character=_units(line[:column], self.encoding))

    def at_location(self, location: Location) -> types.Position:
        return self.position(location.row - 1, location.column - 1)

    def range(self, start: Location, end: Location) -> types.Range:
        return types.Range(start=self.at_location(start), end=self.at_location(end))

    def at_offset(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        row = bisect.bisect_right(self.starts, offset) - 1
        return self.position(row, offset - self.starts[row])

    def offset_range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.at_offset(start), end=self.at_offset(end))

    def line_range(self, row: int) -> types.Range:
        """A 0-based line from its first non-blank character to its end."""
        line = self.line(row)
        indent = len(line) - len(line.lstrip())
        return types.Range(start=self.position(row, indent), end=self.position(row, len(line)))

    def end(self) -> types.Position:
        return self.position(len(self.starts) - 1, len(self.line(len(self.starts) - 1)))

    # ------------------------------------------------------------------ from the editor
    def column(self, position: types.Position) -> int:
        """An LSP position's 0-based code-point column on its line."""
        line = self.line(position.line)
        if line.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            return min(position.character, len(line))
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return index
            units += _units(char, self.encoding)
        return len(line)

    def location(self, position: types.Position) -> Location:
        """An LSP position as tdlint's 1-based (row, column)."""
        return Location(position.line + 1, self.column(position) + 1)

    def word_at(self, position: types.Position) -> str:
        """The identifier under (or just before) the position, or ""."""
        line = self.line(position.line)
        column = self.column(position)
        start = column
        while start > 0 and (line[start - 1].isalnum() or line[start - 1] == "_"):
            start -= 1
        end = column
        while end < len(line) and (line[end].isalnum() or line[end] == "_"):
            end += 1
        word = line[start:end]
        return word if word.isidentifier() else ""
