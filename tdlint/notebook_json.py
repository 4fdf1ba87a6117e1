"""Where a cell's source line is stored in the ``.ipynb`` file's JSON text.

Annotations of CI systems (GitHub, GitLab, SARIF viewers) point at lines of the file as stored,
so a finding in cell 4, line 5 must be reported on the line of the JSON text that holds that
source line: Jupyter writes a cell's ``source`` as a list with one string per line, each on a
line of the file. ``json`` does not say where it found a value, so this module walks the text
itself, along the few paths that lead to cell sources, skipping everything else (outputs can be
large) without recursion.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass

from tdlint.diagnostics import Location

_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_SCALAR = re.compile(r"[^\s,\]}]+")
# One decoded character of a JSON string's body: a surrogate pair, an escape, or itself.
_RAW_CHAR = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\.|[^\\]",
    re.DOTALL,
)
_LINE_END = re.compile(r"\r\n|\r|\n")

Span = tuple[int, int]  # [start, end) offsets of a value in the text


class _Malformed(ValueError):
    pass


def _space(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]


def _skip(text: str, pos: int) -> int:
    """The end of the value starting at ``pos``."""
    char = text[pos : pos + 1]
    if char == '"':
        match = _STRING.match(text, pos)
        if match is None:
            raise _Malformed(pos)
        return match.end()
    if char in ("[", "{"):
        depth = 0
        for token in _STRUCTURE.finditer(text, pos):
            value = token.group()
            if value in ("[", "{"):
                depth += 1
            elif value in ("]", "}"):
                depth -= 1
                if depth == 0:
                    return token.end()
        raise _Malformed(pos)
    match = _SCALAR.match(text, pos)
    if match is None:
        raise _Malformed(pos)
    return match.end()


def _members(text: str, span: Span) -> dict[str, Span]:
    """An object's members: key -> the span of its value (the last one for a repeated key,
    as ``json.loads`` keeps)."""
    start, _ = span
    if text[start : start + 1] != "{":
        return {}
    members: dict[str, Span] = {}
    pos = _space(text, start + 1)
    while text[pos : pos + 1] == '"':
        key_end = _skip(text, pos)
        key = json.loads(text[pos:key_end])
        pos = _space(text, key_end)
        if text[pos : pos + 1] != ":":
            raise _Malformed(pos)
        value_start = _space(text, pos + 1)
        value_end = _skip(text, value_start)
        members[key] = (value_start, value_end)
        pos = _space(text, value_end)
        if text[pos : pos + 1] == ",":
            pos = _space(text, pos + 1)
    return members


def _elements(text: str, span: Span) -> list[Span]:
    start, _ = span
    if text[start : start + 1] != "[":
        return []
    elements: list[Span] = []
    pos = _space(text, start + 1)
    while pos < len(text) and text[pos] != "]":
        end = _skip(text, pos)
        elements.append((pos, end))
        pos = _space(text, end)
        if text[pos : pos + 1] == ",":
            pos = _space(text, pos + 1)
    return elements


@dataclass(frozen=True)
class CellSource:
    """The JSON strings that hold one cell's source, in order."""

    strings: tuple[Span, ...]


def cell_sources(text: str) -> list[CellSource]:
    """Every cell's source strings, in the order of the notebook's cells (nbformat 4's
    ``cells``, or nbformat 3's worksheets). Empty when the text is not laid out as expected."""
    try:
        root = _members(text, (_space(text, 0), len(text)))
        if "cells" in root:
            cells = _elements(text, root["cells"])
        else:
            cells = [
                cell
                for sheet in _elements(text, root.get("worksheets", (0, 0)))
                for cell in _elements(text, _members(text, sheet).get("cells", (0, 0)))
            ]
        sources = []
        for cell in cells:
            members = _members(text, cell)
            span = members.get("source", members.get("input"))
            if span is None:
                sources.append(CellSource(()))
            elif text[span[0]] == '"':
                sources.append(CellSource((span,)))
            else:
                sources.append(CellSource(tuple(_elements(text, span))))
        return sources
    except (_Malformed, ValueError, IndexError):
        return []


class FileLocator:
    """Maps (cell index, row, column) in a cell's source to the line and column of the JSON
    text where that character is stored."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sources = cell_sources(text)
        self._line_starts: list[int] | None = None

    def locate(self, cell_index: int, row: int, column: int) -> Location | None:
        """``cell_index`` 0-based over all cells; ``row`` and ``column`` 1-based in the cell."""
        if not 0 <= cell_index < len(self.sources):
            return None
        strings = self.sources[cell_index].strings
        if not strings:
            return None
        decoded = [json.loads(self.text[start:end]) for start, end in strings]
        cell_text = "".join(decoded)
        starts = [0] + [m.end() for m in _LINE_END.finditer(cell_text)]
        if row - 1 >= len(starts):
            return None
        offset = min(starts[row - 1] + column - 1, len(cell_text))
        for (start, end), piece in zip(strings, decoded, strict=True):
            if offset < len(piece) or (start, end) == strings[-1]:
                return self._position(_raw_offset(self.text, start, end, min(offset, len(piece))))
            offset -= len(piece)
        return None

    def _position(self, offset: int) -> Location:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return Location(line, offset - self._line_starts[line - 1] + 1)


def _raw_offset(text: str, start: int, end: int, index: int) -> int:
    """The offset in ``text`` of decoded character ``index`` of the JSON string at
    ``[start, end)`` (its closing quote for the index just past its end)."""
    pos = start + 1
    for _ in range(index):
        match = _RAW_CHAR.match(text, pos, end - 1)
        if match is None:
            break
        pos = match.end()
    return pos
