"""Differential benchmark: thousands of random model programs, real Keras 3 against tdlint.

    python benchmarks/differential.py --seeds 3000 --start 0

Prints the counts (built, rejected by shape, rejected otherwise, covered, equal, caught,
false alarms) with percentages, then the first few discrepancies of each kind with their
source.  The generator and the classification live in ``tests/differential``; the test-suite
runs the same comparison over a few hundred seeds (``tests/test_differential.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests"
# Run as a script, this directory comes first on sys.path, and this file would shadow the
# tests' ``differential`` package (a namespace package): look in tests/ instead.
sys.path[:] = [str(TESTS), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

from differential.compare import Kind, Report, compare  # noqa: E402
from oracle.harness import keras_available  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Random Keras models: real Keras 3 against tdlint."
    )
    parser.add_argument("--seeds", type=int, default=3000, help="how many programs (3000)")
    parser.add_argument("--start", type=int, default=0, help="first seed (0)")
    parser.add_argument("--show", type=int, default=3, help="discrepancies shown per kind (3)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="Keras subprocesses run side by side (one per CPU, up to 4)",
    )
    parser.add_argument("--keep", type=Path, help="write the programs to this directory")
    return parser.parse_args(argv)


def print_discrepancies(report: Report, show: int) -> None:
    for kind in Kind:
        found = report.of_kind(kind)
        if not found:
            continue
        print(f"\n=== {kind.value}: {len(found)} (first {min(show, len(found))}) ===")
        for discrepancy in found[:show]:
            print(f"\n--- {discrepancy.describe()}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not keras_available():
        print("needs keras and jax installed", file=sys.stderr)
        return 2
    seeds = range(args.start, args.start + args.seeds)
    began = time.perf_counter()
    report = compare(seeds, jobs=args.jobs, directory=args.keep)
    elapsed = time.perf_counter() - began
    print(f"differential: seeds {seeds.start}..{seeds.stop - 1}, {elapsed:.0f} s\n")
    print(report.counts.table())
    print_discrepancies(report, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
