"""Precision and recall of TDL001 (and its neighbours) on a hand-labelled corpus of real code.

The corpus is not part of tdlint (real code is read, never committed): a folder ``files/`` and
a ``labels.json`` list with one object per labelled site::

    {"file": "owner__repo__path.py", "line": 12, "cell": null, "label": "mistake",
     "category": "many-to-one-bug", "split": "dev", "chained_dense_lines": [...],
     "applied_lines": [...]}

``label`` is ``mistake`` (a many-to-one model that forgot to reduce the sequence),
``intended`` (a per-timestep head written on purpose) or ``none`` (a near-miss file with no
site; ``line`` is null). For notebooks, ``cell`` is the 1-based index among all cells and
``line`` is within the cell. A finding counts for a site when it is reported on the site's
line (or one of its ``chained_dense_lines``/``applied_lines``) in the same file and cell.

    python benchmarks/td001_precision.py /path/to/corpus [--codes TDL001,TDL203] [--split dev]

prints, per code and split: findings on mistakes (true positives), on intended heads (false
alarms), elsewhere (unlabelled lines), the mistakes missed, precision and recall, and then
lists every false alarm and miss so they can be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tdlint.api import check_file
from tdlint.config import Settings


@dataclass
class Site:
    file: str
    cell: int | None
    lines: set[int]
    label: str
    category: str
    split: str
    why: str


@dataclass
class Tally:
    true: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    mistakes: int = 0

    def precision(self) -> float:
        reported = len(self.true) + len(self.false)
        return len(self.true) / reported if reported else 1.0

    def recall(self) -> float:
        return len(self.true) / self.mistakes if self.mistakes else 1.0


def load_sites(corpus: Path) -> tuple[list[Site], dict[str, str]]:
    sites, splits = [], {}
    for entry in json.loads((corpus / "labels.json").read_text(encoding="utf-8")):
        splits[entry["file"]] = entry.get("split", "dev")
        if entry["line"] is None:
            continue
        lines = {
            entry["line"],
            *entry.get("chained_dense_lines", ()),
            *entry.get("applied_lines", ()),
        }
        sites.append(
            Site(
                entry["file"],
                entry.get("cell"),
                lines,
                entry["label"],
                entry.get("category", ""),
                entry.get("split", "dev"),
                entry.get("why", ""),
            )
        )
    return sites, splits


def findings(corpus: Path, names: list[str], codes: list[str]) -> dict[str, list[tuple]]:
    """(code, cell, row, message) of every finding of ``codes``, by file name."""
    settings = Settings(select=tuple(codes))
    found: dict[str, list[tuple]] = {}
    for name in names:
        result = check_file(corpus / "files" / name, settings)
        if result.error:
            print(f"  {name}: {result.error}", file=sys.stderr)
        found[name] = [(d.code, d.cell, d.location.row, d.message) for d in result.diagnostics]
    return found


def tally(code: str, split: str, sites: list[Site], found: dict[str, list[tuple]]) -> Tally:
    result = Tally()
    chosen = [s for s in sites if split in ("all", s.split)]
    result.mistakes = sum(1 for s in chosen if s.label == "mistake")
    files = {s.file for s in chosen} | {f for f in found if split == "all"}
    for site in chosen:
        hit = any(
            c == code and cell == site.cell and row in site.lines
            for c, cell, row, _ in found.get(site.file, ())
        )
        where = f"{site.file}{f' cell {site.cell}' if site.cell else ''}:{min(site.lines)}"
        if site.label == "mistake":
            (result.true if hit else result.missed).append(f"{where} [{site.why[:90]}]")
        elif hit:
            result.false.append(f"{where} ({site.category}) [{site.why[:90]}]")
    for name in files:
        for c, cell, row, message in found.get(name, ()):
            if c != code:
                continue
            labelled = any(s.file == name and s.cell == cell and row in s.lines for s in sites)
            if not labelled:
                result.unlabelled.append(
                    f"{name}{f' cell {cell}' if cell else ''}:{row} {message[:100]}"
                )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--codes", default="TDL001,TDL203,TDL004")
    parser.add_argument("--split", default="all", choices=("all", "dev", "heldout"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every case")
    args = parser.parse_args(argv)
    sites, splits = load_sites(args.corpus)
    names = sorted(splits)
    codes = args.codes.split(",")
    found = findings(args.corpus, names, codes)
    labels = Counter(s.label for s in sites if args.split in ("all", s.split))
    print(f"corpus: {len(names)} files, sites: {dict(labels)} (split: {args.split})")
    print(f"{'code':<8}{'found':>6}{'on mistakes':>12}{'on intended':>12}{'unlabelled':>11}"
          f"{'missed':>8}{'precision':>11}{'recall':>8}")  # fmt: skip
    tallies = {}
    for code in codes:
        t = tallies[code] = tally(code, args.split, sites, found)
        total = len(t.true) + len(t.false) + len(t.unlabelled)
        print(
            f"{code:<8}{total:>6}{len(t.true):>12}{len(t.false):>12}{len(t.unlabelled):>11}"
            f"{len(t.missed):>8}{t.precision():>11.0%}{t.recall():>8.0%}"
        )
    for code, t in tallies.items():
        shown = [("false alarms", t.false), ("missed mistakes", t.missed)]
        if args.verbose:
            shown += [("unlabelled findings", t.unlabelled), ("found mistakes", t.true)]
        for title, items in shown:
            if items:
                print(f"\n{code} {title}:")
                for item in sorted(items):
                    print(f"  {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
