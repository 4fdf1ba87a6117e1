"""Jupyter notebooks: their code cells, as one Python source to check, and back.

Code cells are joined in order, so shapes flow from cell to cell as they do when the notebook
runs top to bottom. Each cell is read as IPython reads it (``tdlint.ipython_syntax``): a magic,
a shell command or a help query is replaced, line for line, by Python marked with a
``# tdlint-magic-N`` comment, a ``%%bash`` cell becomes marker comments, an indented cell is
dedented. A cell IPython cannot compile is reported as a syntax error of its own and left out
of the analysis, so one broken cell does not stop the others from being checked. After fixing,
every marker is put back exactly as it was and dedented cells get their indentation back.
Diagnostics are mapped back to ``cell N, line L``, and to the line of the ``.ipynb`` file that
stores it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from tdlint.diagnostics import Diagnostic, Fix, Location, Severity
from tdlint.ipython_syntax import AUTOMAGICS, CellError, CellSyntax, compile_error, read_cell
from tdlint.notebook_json import FileLocator
from tdlint.syntax import relabel_rows

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_BLANK = re.compile(r"[ \t]*(?:\r\n|\r|\n)?")
# Each code cell starts with this line in the joined source: fixes that add or remove lines
# cannot blur the cell boundaries.
_CELL = "# {tag}-cell\n"


class NotebookError(ValueError):
    """Not a notebook tdlint can read (empty, bad JSON, no cells list)."""


@dataclass
class _CodeCell:
    index: int  # in the notebook's list of all cells, 0-based
    syntax: CellSyntax
    start: int = 0  # row of the cell's first line in the joined source
    error: CellError | None = None  # IPython cannot compile it

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def margin(self) -> str:
        """The indentation IPython removes from every line of the cell."""
        return self.syntax.margin

    @property
    def checked(self) -> bool:
        return self.syntax.not_python is None and self.error is None


@dataclass
class Notebook:
    data: dict[str, Any]
    text: str  # the file as read, to keep its formatting choices
    # Not None for a notebook in another language (from its metadata): nothing to check.
    language: str | None = None
    code_cells: list[_CodeCell] = field(default_factory=list)
    source: str = ""
    # The original line behind each marker, and the marker line itself as joined.
    magics: list[str] = field(default_factory=list)
    marker_lines: list[str] = field(default_factory=list)
    tag: str = "tdlint"

    @classmethod
    def parse(cls, text: str) -> Notebook:
        if not text.strip():
            raise NotebookError("empty notebook: the file has no content")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise NotebookError(f"not valid notebook JSON: {exc}") from None
        if not isinstance(data, dict):
            raise NotebookError("not a notebook: the JSON is not an object")
        notebook = cls(data, text, language=_other_language(data))
        for index, cell in enumerate(_all_cells(data)):
            if not isinstance(cell, dict):
                raise NotebookError(f"not a notebook: cell {index + 1} is not an object")
            if cell.get("cell_type") != "code" or not _is_python_cell(cell):
                continue
            syntax = read_cell(_cell_lines(cell, index))
            notebook.code_cells.append(_CodeCell(index, syntax))
        notebook.tag = _unused_tag(
            "".join(line for c in notebook.code_cells for line in c.syntax.lines)
        )
        notebook._join()
        return notebook

    # ------------------------------------------------------------------ reading
    def check_cells(self) -> list[_CodeCell]:
        """Compile every cell as IPython would; the cells that fail are left out of the
        joined source from now on (they would stop the whole notebook from parsing).
        Returns them."""
        broken = []
        for cell in self.code_cells:
            if cell.syntax.not_python is None:
                cell.error = compile_error(cell.syntax.python_source())
                if cell.error is not None:
                    broken.append(cell)
        if broken:
            self._join()
        return broken

    def _join(self) -> None:
        lines: list[str] = []
        self.magics, self.marker_lines = [], []
        for cell in self.code_cells:
            lines.append(_CELL.format(tag=self.tag))
            cell.start = len(lines) + 1
            if not cell.checked:
                lines.extend(self._marker(line, "") for line in cell.syntax.lines)
                continue
            if not cell.syntax.hidden and not cell.margin:  # plain Python: as it is
                lines.extend(cell.syntax.lines)
                if lines[-1] != _CELL.format(tag=self.tag):
                    lines[-1] = _ensure_newline(lines[-1])
                continue
            for original, (python, block) in zip(
                cell.syntax.lines, cell.syntax.python_lines(), strict=True
            ):
                if block is None:
                    lines.append(_ensure_newline(cell.syntax.strip_margin(original)))
                else:
                    lines.append(self._marker(original, python))
        self.source = "".join(lines)

    def _marker(self, original: str, python: str) -> str:
        """The joined line for an original line of IPython syntax: ``python`` (what stands for
        it) and a comment naming the original."""
        self.magics.append(original)
        comment = f"# {self.tag}-magic-{len(self.magics) - 1}"
        line = f"{python}  {comment}\n" if python.strip() else f"{comment}\n"
        self.marker_lines.append(line)
        return line

    # ------------------------------------------------------------------ diagnostics
    def _cell_at(self, row: int) -> _CodeCell:
        current = self.code_cells[0]
        for cell in self.code_cells:
            if cell.start - 1 <= row:
                current = cell
        return current

    def cell_of(self, row: int) -> tuple[int, int]:
        """(1-based cell number in the notebook, 1-based row within that cell)."""
        cell = self._cell_at(row)
        return cell.number, row - cell.start + 1

    def row_label(self, row: int) -> str:
        cell, line = self.cell_of(row)
        return f"cell {cell}, line {line}"

    def joined_row(self, cell_number: int, row: int) -> int | None:
        for cell in self.code_cells:
            if cell.number == cell_number:
                return cell.start + row - 1
        return None

    def place(self, location: Location) -> tuple[int, Location]:
        """A location of the joined source as (cell number, location within the cell)."""
        cell, where = self._location(location)
        return cell.number, where

    def joined(self, cell_number: int, location: Location) -> Location | None:
        """A location within a cell as one of the joined source (None: not a code cell)."""
        for cell in self.code_cells:
            if cell.number == cell_number:
                row = cell.start + location.row - 1
                shift = self._column(cell, location.row, 0)
                return Location(row, max(1, location.column - shift))
        return None

    def _column(self, cell: _CodeCell, row: int, column: int) -> int:
        """A column of the joined source as a column of the stored line (dedented cells)."""
        lines = cell.syntax.lines
        if cell.margin and 0 < row <= len(lines) and not _is_blank(lines[row - 1]):
            return column + len(cell.margin)
        return column

    def _location(self, location: Location) -> tuple[_CodeCell, Location]:
        cell = self._cell_at(location.row)
        row = max(location.row - cell.start + 1, 1)  # the engine may point at a cell marker
        return cell, Location(row, self._column(cell, row, location.column))

    def map_diagnostic(self, d: Diagnostic, locator: FileLocator | None = None) -> Diagnostic:
        """A diagnostic of the joined source as one of the notebook: cell, row and column in
        the cell; where that is in the file, when ``locator`` is given."""
        cell, start = self._location(d.location)
        end_cell, end = self._location(d.end_location)
        if end_cell is not cell:
            end = start
        fix = d.fix if d.fix is None else self._mapped_fix(d.fix)
        noqa_row = None
        if d.noqa_row is not None:
            noqa_row = self._location(Location(d.noqa_row, 1))[1].row
        return replace(
            d,
            cell=cell.number,
            location=start,
            end_location=end,
            noqa_row=noqa_row,
            fix=fix,
            alternatives=tuple(self._mapped_fix(f) for f in d.alternatives),
            source_lines=self._source_lines(cell, start.row, len(d.source_lines)),
            fix_diff=tuple(self._indented(cell, line) for line in d.fix_diff),
            file_location=locator.locate(cell.index, start.row, start.column) if locator else None,
            file_end_location=locator.locate(cell.index, end.row, end.column) if locator else None,
        )

    def _mapped_fix(self, fix: Fix) -> Fix:
        """A fix's edits with their rows and columns in their cells (offsets unchanged)."""
        edits = tuple(
            replace(
                e,
                location=self._location(e.location)[1],
                end_location=self._location(e.end_location)[1],
            )
            for e in fix.edits
        )
        return replace(fix, edits=edits)

    def locate(self, d: Diagnostic, locator: FileLocator) -> Diagnostic:
        """A diagnostic already in cell terms, with where it is in the file."""
        index = d.cell - 1 if d.cell is not None else -1
        return replace(
            d,
            file_location=locator.locate(index, d.location.row, d.location.column),
            file_end_location=locator.locate(index, d.end_location.row, d.end_location.column),
        )

    def _source_lines(self, cell: _CodeCell, row: int, count: int) -> tuple[str, ...]:
        return tuple(line.rstrip("\r\n") for line in cell.syntax.lines[row - 1 : row - 1 + count])

    def _indented(self, cell: _CodeCell, diff_line: str) -> str:
        sign, text = diff_line[:1], diff_line[1:]
        return sign + cell.margin + text if cell.margin and text.strip() else diff_line

    def syntax_errors(self, filename: str, code: str, name: str) -> list[Diagnostic]:
        """One diagnostic per cell IPython cannot compile (after ``check_cells``)."""
        out = []
        for cell in self.code_cells:
            if cell.error is None:
                continue
            error, lines = cell.error, cell.syntax.lines
            row = min(error.row, len(lines) - 1)
            end_row = min(max(error.end_row, row), len(lines) - 1)
            location = Location(row + 1, error.column + self._margin(cell, row))
            end = Location(end_row + 1, error.end_column + self._margin(cell, end_row))
            # Python names rows of the cell ("detected at line 3"): say which cell.
            message = relabel_rows(
                error.message, lambda n, number=cell.number: f"cell {number}, line {n}"
            )
            out.append(
                Diagnostic(
                    code=code,
                    name=name,
                    message=message,
                    severity=Severity.ERROR,
                    filename=filename,
                    location=location,
                    end_location=max(end, location),
                    help=_automagic_help(cell, row) or error.help,
                    cell=cell.number,
                    source_lines=(lines[row].rstrip("\r\n"),),
                )
            )
        return out

    @staticmethod
    def _margin(cell: _CodeCell, row: int) -> int:
        """Columns IPython's dedent took off a stored line of the cell."""
        lines = cell.syntax.lines
        return 0 if _is_blank(lines[row]) else len(cell.margin)

    def locator(self) -> FileLocator:
        return FileLocator(self.text)

    # ------------------------------------------------------------------ writing back
    def with_source(self, fixed: str) -> str:
        """The notebook's JSON text with the code cells replaced from ``fixed`` (a changed
        version of ``self.source``, same cell boundaries); other content untouched."""
        marker = re.compile(rf"^.*# {re.escape(self.tag)}-magic-(\d+)\s*$")
        chunks: list[list[str]] = []
        seen: list[int] = []
        cells = iter(self.code_cells)
        cell: _CodeCell | None = None
        for line in split_lines(fixed):
            if line == _CELL.format(tag=self.tag):
                chunks.append([])
                cell = next(cells, None)
                continue
            if not chunks or cell is None:
                raise NotebookError("the fixed source lost a cell boundary")
            match = marker.match(line)
            if match is None:
                chunks[-1].append(self._dedented_back(cell, line))
                continue
            number = int(match.group(1))
            if number >= len(self.magics) or line != self.marker_lines[number]:
                raise NotebookError("a fix changed a line of IPython syntax")
            seen.append(number)
            chunks[-1].append(_ensure_newline(self.magics[number]))
        if len(chunks) != len(self.code_cells):
            raise NotebookError("the fixed source lost a cell boundary")
        if seen != list(range(len(self.magics))):
            raise NotebookError("a fix removed a line of IPython syntax")
        data = json.loads(self.text)
        all_cells = _all_cells(data)
        for code_cell, cell_lines in zip(self.code_cells, chunks, strict=True):
            original = code_cell.syntax.lines
            if original and not original[-1].endswith(("\n", "\r")) and cell_lines:
                cell_lines[-1] = cell_lines[-1].rstrip("\r\n")
            if cell_lines != original:
                stored = all_cells[code_cell.index]
                key = _source_key(stored)
                stored[key] = (
                    "".join(cell_lines) if isinstance(stored.get(key), str) else cell_lines
                )
        return _dump_like(data, self.text)

    @staticmethod
    def _dedented_back(cell: _CodeCell, line: str) -> str:
        return cell.margin + line if cell.margin and not _is_blank(line) else line


# ---------------------------------------------------------------------- the JSON document


def _all_cells(data: dict[str, Any]) -> list[Any]:
    """Every cell, in order: nbformat 4's ``cells``, or the worksheets' cells of nbformat 3."""
    cells = data.get("cells")
    if isinstance(cells, list):
        return cells
    sheets = data.get("worksheets")
    if isinstance(sheets, list) and all(
        isinstance(s, dict) and isinstance(s.get("cells", []), list) for s in sheets
    ):
        return [cell for sheet in sheets for cell in sheet.get("cells", [])]
    raise NotebookError("not a notebook: no list of cells")


def _source_key(cell: dict[str, Any]) -> str:
    """nbformat 3 keeps a code cell's source under ``input``."""
    return "input" if "input" in cell and "source" not in cell else "source"


def _cell_lines(cell: dict[str, Any], index: int) -> list[str]:
    source = cell.get(_source_key(cell), "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return split_lines("".join(source))
    if isinstance(source, str):
        return split_lines(source)
    raise NotebookError(f"not a notebook: the source of cell {index + 1} is not text")


def _other_language(data: dict[str, Any]) -> str | None:
    """The notebook's language when it is not Python, from its metadata as ruff reads it
    (``language_info``, else ``kernelspec``; neither: Python)."""
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, name in (("language_info", "name"), ("kernelspec", "language")):
        info = metadata.get(key)
        if isinstance(info, dict) and isinstance(info.get(name), str):
            language = info[name]
            return None if language.lower() == "python" else language
    return None


def _is_python_cell(cell: dict[str, Any]) -> bool:
    """VS Code marks a cell in another language; nbformat 3 names each cell's language."""
    metadata = cell.get("metadata")
    vscode = metadata.get("vscode") if isinstance(metadata, dict) else None
    if isinstance(vscode, dict) and vscode.get("languageId", "python") != "python":
        return False
    language = cell.get("language", "python")
    return not isinstance(language, str) or language.lower() == "python"


def _unused_tag(text: str) -> str:
    """The word in marker comments: ``tdlint``, unless the code already contains it (then a
    marker could be mistaken for a line the user wrote)."""
    tag, n = "tdlint", 0
    while f"{tag}-magic" in text or f"{tag}-cell" in text:
        n += 1
        tag = f"tdlint{n}"
    return tag


def split_lines(text: str) -> list[str]:
    """Lines with their endings, as LibCST counts them (``\\r\\n``, ``\\r`` or ``\\n``)."""
    return _LINE.findall(text)


def _is_blank(line: str) -> bool:
    return _BLANK.fullmatch(line) is not None


def _ensure_newline(line: str) -> str:
    return line if line.endswith(("\n", "\r")) else line + "\n"


def _automagic_help(cell: _CodeCell, row: int) -> str | None:
    """A line such as ``pip install keras`` runs as a magic only in a cell of its own."""
    words = cell.syntax.strip_margin(cell.syntax.lines[row]).split(None, 1)
    if not words or words[0] not in AUTOMAGICS:
        return None
    return (
        f"IPython runs `{words[0]} ...` as the `%{words[0]}` magic only when it is the only line "
        f"of its cell; write `%{words[0]}` here"
    )


def _dump_like(data: dict[str, Any], original: str) -> str:
    """JSON in the original file's style: its indent (Jupyter writes 1) or its compact form,
    and non-ASCII characters raw or escaped as they were."""
    escaped = original.isascii() and re.search(r"\\u[0-9a-fA-F]{4}", original) is not None
    indent_match = re.search(r"^\{\s*\n( +)\"", original)
    if indent_match is None and "\n" not in original.strip():
        compact = (",", ":") if re.match(r'\{"[^"]*":[^ ]', original.strip()) else (", ", ": ")
        text = json.dumps(data, ensure_ascii=escaped, separators=compact)
    else:
        indent = len(indent_match.group(1)) if indent_match else 1
        text = json.dumps(data, indent=indent, ensure_ascii=escaped)
    return text + "\n" if original.endswith("\n") else text
