"""How well tdlint reads real notebooks: its verdict on every code cell against IPython's.

Run it by hand on a folder of notebooks (it is not a test; it needs IPython, a test dependency):

    python benchmarks/notebooks.py /work/corpus/notebooks
    python benchmarks/notebooks.py NOTEBOOKS... --static --examples 20 --json out.json

For each code cell of each Python notebook, IPython's verdict (tests/ipython_oracle.py: the
shell's transform, then compiled as ``run_cell`` compiles; ``--static`` leaves out the shell's
automagic, as ``TransformerManager().transform_cell`` alone does) is compared with tdlint's: a
cell tdlint reports as TDL000 is one it rejects. The target is no TDL000 on a cell IPython
accepts and a TDL000 on every cell it rejects. tdlint's verdict comes from its notebook reader
(``Notebook.check_cells``) and, for the cells that compile, LibCST's parse of the joined source,
which the analysis needs; nothing is filtered by the "mentions keras" prefilter here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import ipython_oracle  # noqa: E402  (tests/ipython_oracle.py)
import libcst as cst  # noqa: E402

from tdlint.notebook import Notebook, NotebookError  # noqa: E402
from tdlint.parsing import parse_for_analysis  # noqa: E402


@dataclass
class Figures:
    notebooks: int = 0
    unreadable: int = 0
    other_language: int = 0
    cells: int = 0
    ipython_accepts: int = 0
    ipython_rejects: int = 0
    agree: int = 0
    false_tdl000: int = 0  # IPython accepts, tdlint reports TDL000
    missed: int = 0  # IPython rejects, tdlint is silent
    libcst_rejects_joined: int = 0  # notebooks whose compiling cells LibCST cannot parse
    constructs: Counter[str] = field(default_factory=Counter)
    unreadable_reasons: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    tdlint_seconds: float = 0.0  # reading the notebooks and compiling their cells
    libcst_seconds: float = 0.0  # LibCST's parse of the joined cells, for scale


def notebooks_under(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found.extend(sorted(path.rglob("*.ipynb")) if path.is_dir() else [path])
    return found


def cell_texts(data: dict) -> list[tuple[int, str]]:
    """(1-based cell number, source) of each code cell, nbformat 4 or 3."""
    cells = data.get("cells")
    if not isinstance(cells, list):
        cells = [c for sheet in data.get("worksheets", []) for c in sheet.get("cells", [])]
    out = []
    for number, cell in enumerate(cells, start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", cell.get("input", ""))
            out.append((number, "".join(source) if isinstance(source, list) else source))
    return out


def libcst_rejects(notebook: Notebook) -> int | None:
    """The cell where LibCST's parse of the joined (compiling) cells fails, if it does."""
    try:
        parse_for_analysis(notebook.source)
    except cst.ParserSyntaxError as exc:
        return notebook.cell_of(exc.editor_line)[0]
    except (cst.CSTValidationError, RecursionError):
        pass
    return None


def example(figures: Figures, kind: str, limit: int, **fields: object) -> None:
    bucket = figures.examples.setdefault(kind, [])
    if len(bucket) < limit:
        bucket.append(fields)


def measure(paths: list[Path], automagic: bool, limit: int) -> Figures:
    figures = Figures()
    for path in paths:
        figures.notebooks += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        started = time.perf_counter()
        try:
            notebook = Notebook.parse(text)
        except NotebookError as exc:
            figures.unreadable += 1
            figures.unreadable_reasons[str(exc).split(":")[0]] += 1
            continue
        if notebook.language is not None:
            figures.other_language += 1
            continue
        rejected = {cell.number for cell in notebook.check_cells()}
        figures.tdlint_seconds += time.perf_counter() - started
        started = time.perf_counter()
        libcst_cell = libcst_rejects(notebook)
        figures.libcst_seconds += time.perf_counter() - started
        if libcst_cell is not None:
            figures.libcst_rejects_joined += 1
            rejected.add(libcst_cell)
        for cell in notebook.code_cells:
            figures.constructs["dedented cell"] += bool(cell.syntax.margin)
            if cell.syntax.not_python:
                figures.constructs[cell.syntax.not_python.split(" around ")[0]] += 1
            for block in cell.syntax.hidden:
                figures.constructs[block.kind] += 1
        for number, source in cell_texts(json.loads(text)):
            figures.cells += 1
            verdict = ipython_oracle.verdict(source, automagic)
            if verdict.ok:
                figures.ipython_accepts += 1
            else:
                figures.ipython_rejects += 1
            tdlint_ok = number not in rejected
            where = {"notebook": str(path), "cell": number, "source": source[:300]}
            if verdict.ok == tdlint_ok:
                figures.agree += 1
            elif verdict.ok:
                figures.false_tdl000 += 1
                example(figures, "IPython accepts, tdlint reports TDL000", limit, **where)
            else:
                figures.missed += 1
                example(
                    figures, "IPython rejects, tdlint silent", limit, error=verdict.error, **where
                )
    return figures


def report(figures: Figures, automagic: bool) -> str:
    python_notebooks = figures.notebooks - figures.unreadable - figures.other_language
    share = figures.agree / figures.cells if figures.cells else 1.0
    lines = [
        f"oracle: IPython {'shell (with automagic)' if automagic else 'static transforms only'}",
        f"notebooks: {figures.notebooks} ({python_notebooks} Python, "
        f"{figures.other_language} other language, {figures.unreadable} unreadable: "
        f"{dict(figures.unreadable_reasons)})",
        f"code cells: {figures.cells} (IPython accepts {figures.ipython_accepts}, "
        f"rejects {figures.ipython_rejects})",
        f"agreement: {figures.agree}/{figures.cells} ({share:.2%})",
        f"  IPython accepts, tdlint TDL000: {figures.false_tdl000}",
        f"  IPython rejects, tdlint silent: {figures.missed}",
        f"notebooks whose compiling cells LibCST cannot parse: {figures.libcst_rejects_joined}",
        f"IPython syntax tdlint read (cells or constructs): {dict(figures.constructs)}",
        f"seconds: tdlint reading notebooks and compiling cells {figures.tdlint_seconds:.2f}, "
        f"LibCST parsing the joined cells (for scale) {figures.libcst_seconds:.2f}",
    ]
    for kind, items in figures.examples.items():
        lines.append(f"\n{kind} (first {len(items)}):")
        for item in items:
            error = f"  [{item['error']}]" if "error" in item else ""
            lines.append(f"- {item['notebook']} cell {item['cell']}{error}")
            lines.extend(f"    | {line}" for line in str(item["source"]).splitlines()[:6])
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="notebooks, or folders searched for *.ipynb")
    parser.add_argument("--static", action="store_true", help="oracle without automagic")
    parser.add_argument("--examples", type=int, default=10, help="examples per disagreement")
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args()
    automagic = not args.static
    figures = measure(notebooks_under(args.paths), automagic, args.examples)
    print(report(figures, automagic))
    if args.json:
        # Not asdict: it rebuilds a Counter from its items, counting them as keys.
        data = {f.name: getattr(figures, f.name) for f in fields(figures)}
        Path(args.json).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
