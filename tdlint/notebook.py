"""Jupyter notebooks: their code cells, as one Python source to check, and back.

Code cells are joined in order, so shapes flow from cell to cell as they do when the
notebook runs top to bottom. IPython syntax is not Python: a line magic (``%matplotlib``),
a shell escape (``!pip install``) or a help query (``model?``) becomes ``pass`` with a marker,
and a cell magic (``%%bash``) turns its whole cell into marker comments; after fixing, every
marker is put back exactly as it was. Diagnostics are mapped back to ``cell N, line L``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from tdlint.diagnostics import Diagnostic, Location

_MARKER = "# tdlint-magic-{}"
# Each code cell starts with this line in the joined source: fixes that add or remove lines
# cannot blur the cell boundaries.
_CELL = "# tdlint-cell\n"
_MARKER_LINE = re.compile(r"^(\s*)(?:pass  )?# tdlint-magic-(\d+)\s*$")
# Cell magics whose body is still Python.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "tensorflow_version"}


class NotebookError(ValueError):
    """Not a notebook tdlint can read (bad JSON, no cells list)."""


@dataclass
class Notebook:
    data: dict[str, Any]
    text: str  # the file as read, to keep its formatting choices
    # (cell index in data["cells"], first line of the cell in the joined source)
    cells: list[tuple[int, int]] = field(default_factory=list)
    magics: list[str] = field(default_factory=list)
    source: str = ""

    @classmethod
    def parse(cls, text: str) -> Notebook:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise NotebookError(f"not valid notebook JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            raise NotebookError("not a notebook: no list of cells")
        notebook = cls(data, text)
        notebook._join()
        return notebook

    def _join(self) -> None:
        lines: list[str] = []
        for index, cell in enumerate(self.data["cells"]):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            lines.append(_CELL)
            self.cells.append((index, len(lines) + 1))
            lines.extend(self._python_lines(_cell_lines(cell)))
        self.source = "".join(lines)

    def _python_lines(self, cell_lines: list[str]) -> list[str]:
        if not cell_lines:
            return []
        first = cell_lines[0].strip()
        out: list[str] = []
        if first.startswith("%%"):
            name = first[2:].split()[0] if first[2:].split() else ""
            if name not in _PYTHON_CELL_MAGICS:
                return [self._hide(line, comment_only=True) for line in cell_lines]
            out.append(self._hide(cell_lines[0], comment_only=True))
            cell_lines = cell_lines[1:]
        for line in cell_lines:
            stripped = line.strip()
            is_magic = stripped[:1] in ("%", "!") or (
                stripped.endswith("?") and not stripped.startswith("#")
            )
            out.append(self._hide(line) if is_magic else _ensure_newline(line))
        return out

    def _hide(self, line: str, comment_only: bool = False) -> str:
        self.magics.append(line)
        marker = _MARKER.format(len(self.magics) - 1)
        indent = line[: len(line) - len(line.lstrip())]
        return f"{marker}\n" if comment_only else f"{indent}pass  {marker}\n"

    # ------------------------------------------------------------------ diagnostics
    def cell_of(self, row: int) -> tuple[int, int]:
        """(1-based cell number in the notebook, 1-based row within that cell)."""
        current = self.cells[0]
        for cell in self.cells:
            if cell[1] <= row:
                current = cell
        return current[0] + 1, row - current[1] + 1

    def row_label(self, row: int) -> str:
        cell, line = self.cell_of(row)
        return f"cell {cell}, line {line}"

    def map_diagnostic(self, d: Diagnostic) -> Diagnostic:
        cell, row = self.cell_of(d.location.row)
        end_cell, end_row = self.cell_of(d.end_location.row)
        end = Location(end_row, d.end_location.column) if end_cell == cell else Location(row, 1)
        fix = d.fix
        if fix is not None:
            edits = tuple(
                replace(
                    e,
                    location=Location(self.cell_of(e.location.row)[1], e.location.column),
                    end_location=Location(
                        self.cell_of(e.end_location.row)[1], e.end_location.column
                    ),
                )
                for e in fix.edits
            )
            fix = replace(fix, edits=edits)
        return replace(
            d,
            cell=cell,
            location=Location(row, d.location.column),
            end_location=end,
            noqa_row=None,
            fix=fix,
        )

    # ------------------------------------------------------------------ writing back
    def with_source(self, fixed: str) -> str:
        """The notebook's JSON text with the code cells replaced from ``fixed`` (a fixed
        version of ``self.source``, same cell boundaries); other content untouched."""
        chunks: list[list[str]] = []
        for line in fixed.splitlines(keepends=True):
            if line == _CELL:
                chunks.append([])
            elif chunks:
                chunks[-1].append(self._restore(line))
        if len(chunks) != len(self.cells):
            raise NotebookError("the fixed source lost a cell boundary")
        data = json.loads(self.text)
        for (index, _), cell_lines in zip(self.cells, chunks, strict=True):
            original = _cell_lines(data["cells"][index])
            if original and not original[-1].endswith("\n") and cell_lines:
                cell_lines[-1] = cell_lines[-1].rstrip("\n")
            if cell_lines != original:
                source = data["cells"][index]["source"]
                data["cells"][index]["source"] = (
                    "".join(cell_lines) if isinstance(source, str) else cell_lines
                )
        return _dump_like(data, self.text)

    def _restore(self, line: str) -> str:
        match = _MARKER_LINE.match(line)
        if match is None:
            return line
        original = self.magics[int(match.group(2))]
        return _ensure_newline(original)


def _cell_lines(cell: dict[str, Any]) -> list[str]:
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    return text.splitlines(keepends=True)


def _ensure_newline(line: str) -> str:
    return line if line.endswith("\n") else line + "\n"


def _dump_like(data: dict[str, Any], original: str) -> str:
    """JSON in the original file's style: its indent (Jupyter writes 1), non-ASCII kept."""
    indent_match = re.search(r"^\{\s*\n( +)\"", original)
    indent = len(indent_match.group(1)) if indent_match else 1
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return text + "\n" if original.endswith("\n") else text
