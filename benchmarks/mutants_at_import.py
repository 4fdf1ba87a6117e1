"""Mutants that mutmut cannot switch on: functions called while tdlint is imported.

mutmut forks each mutant's test run from a process that has already imported tdlint, so a
function that runs at import time (``tdlint/analysis/data.py`` builds its table of NumPy
functions with factories such as ``_filled("float")``) has already run, unmutated. Its
mutants are reported as survivors whatever the tests do.

This script runs each such mutant the slow way: a fresh ``pytest`` process with the mutant
chosen *before* tdlint is imported. Run it after ``mutmut run`` (it reads ``mutants/``):

    python benchmarks/mutants_at_import.py                      # data.py's factories
    python benchmarks/mutants_at_import.py "*x__filled*" --tests tests/test_arrays.py
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTORIES = [
    "tdlint.analysis.data.x__filled__mutmut_*",
    "tdlint.analysis.data.x__joined__mutmut_*",
    "tdlint.analysis.data.x__random_dims__mutmut_*",
    "tdlint.analysis.data.x__random_size__mutmut_*",
]
TESTS = ["tests/test_arrays.py", "tests/test_arrays_oracle.py", "tests/test_rules.py"]


def mutant_names(patterns: list[str]) -> list[str]:
    listing = subprocess.run(
        ["mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    names = [line.strip().rsplit(": ", 1)[0] for line in listing.splitlines() if ": " in line]
    return [n for n in names if any(fnmatch.fnmatch(n, p) for p in patterns)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", default=FACTORIES)
    parser.add_argument("--tests", nargs="+", default=TESTS)
    args = parser.parse_args(argv)
    names = mutant_names(args.patterns)
    if not names:
        print("no such mutants: run `mutmut run` first")
        return 2
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    survivors = []
    for name in names:
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
        command += ["-o", "pythonpath=.", *args.tests]
        run = subprocess.run(
            command,
            cwd=ROOT / "mutants",
            env={**env, "MUTANT_UNDER_TEST": name},
            capture_output=True,
            text=True,
        )
        if run.returncode == 0:
            survivors.append(name)
        print(f"{'survived' if run.returncode == 0 else 'killed  '} {name}", flush=True)
    print(f"\nkilled {len(names) - len(survivors)} of {len(names)}")
    return 0 if not survivors else 1


if __name__ == "__main__":
    raise SystemExit(main())
