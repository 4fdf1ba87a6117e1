"""How much of real model code `tdlint shapes` understands (issue 12's targets).

    python benchmarks/shape_coverage.py DIR [DIR...]           # the figures per folder
    python benchmarks/shape_coverage.py DIR --causes 25        # and the commonest first unknowns
    python benchmarks/shape_coverage.py DIR --list unknown     # every model that is not known

For every `.py` file under each folder (a notebook's code cells too), the models tdlint finds
and their layer rows, as `tdlint shapes` prints them. It prints:

* **rows known**: layer rows whose output shape is known: every dim an int, `None` for a
  dynamic axis, or a named symbol (`len(chars)`); a `?` anywhere, or an unresolved layer,
  makes the row unknown;
* **params known**: models with at least one layer whose total parameter count is known;
* **first causes**: for each model that is not fully known, the first row whose shape is
  unknown, grouped by its layer name and note: where knowledge is lost first.

Run it by hand, on real code nobody here wrote (for example the keras-io examples); quote it.
Nothing here is timed: see bench.py for speed.
"""

from __future__ import annotations

import argparse
import collections
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tdlint.analysis.summary import ModelSummary
from tdlint.api import infer_notebook_shapes, infer_shapes
from tdlint.notebook import NotebookError


@dataclass
class Coverage:
    files: int = 0
    models: int = 0
    models_with_layers: int = 0
    params_known: int = 0
    rows: int = 0
    rows_known: int = 0
    causes: collections.Counter[str] = field(default_factory=collections.Counter)
    unknown_models: list[str] = field(default_factory=list)

    def add(self, summaries: list[ModelSummary], where: str) -> None:
        self.files += 1
        for summary in summaries:
            self.models += 1
            if summary.layers:
                self.models_with_layers += 1
                self.params_known += summary.params is not None
            known = [not row.unknown and row.shape_known() for row in summary.layers]
            self.rows += len(known)
            self.rows_known += sum(known)
            if not all(known) or not summary.layers:
                self.unknown_models.append(f"{where}:{summary.line} {summary.model}")
                self.causes[_first_cause(summary, known)] += 1

    def print(self, name: str) -> None:
        print(f"{name}: {self.files} files, {self.models} models")
        print(f"  rows known:   {_share(self.rows_known, self.rows)}")
        print(f"  params known: {_share(self.params_known, self.models_with_layers)} models")


def _first_cause(summary: ModelSummary, known: list[bool]) -> str:
    if not summary.layers:
        return f"(no rows) {summary.empty_reason or summary.kind}"
    row = summary.layers[known.index(False)]
    kind = f"unresolved {row.unknown_kind or 'layer'}" if row.unknown else "shape"
    return f"{kind}: {row.layer}" + (f" ({row.note})" if row.note and not row.unknown else "")


def _share(part: int, whole: int) -> str:
    percent = f"{100 * part / whole:.1f}%" if whole else "-"
    return f"{part:,} of {whole:,} ({percent})"


def _summaries(path: Path) -> list[ModelSummary] | None:
    """What ``tdlint shapes`` finds in a file (None for one that is not Python or a notebook)."""
    if path.suffix not in (".py", ".ipynb") or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".py":
        return infer_shapes(text, str(path))
    try:
        return infer_notebook_shapes(text, str(path))
    except NotebookError:
        return []


def measure(folder: Path) -> Coverage:
    coverage = Coverage()
    for path in sorted(folder.rglob("*")):
        summaries = _summaries(path)
        if summaries is not None:
            coverage.add(summaries, str(path.relative_to(folder)))
    return coverage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--causes", type=int, default=0, help="print the N commonest causes")
    parser.add_argument("--list", choices=["unknown"], help="list the models not fully known")
    args = parser.parse_args(argv)
    for folder in args.folders:
        if not folder.is_dir():
            print(f"shape_coverage: not a folder: {folder}", file=sys.stderr)
            return 2
        coverage = measure(folder)
        coverage.print(str(folder))
        if args.causes:
            for cause, count in coverage.causes.most_common(args.causes):
                print(f"    {count:5}  {cause}")
        if args.list:
            print("\n".join(f"    {m}" for m in coverage.unknown_models))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
