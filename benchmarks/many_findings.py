"""How the time to check one file grows with the number of findings in it.

Run it by hand (it is not a test, and CI does not run it):

    python benchmarks/many_findings.py                       # 125, 250, 500, 1000 copies
    python benchmarks/many_findings.py --copies 250,500 --runs 3

Each file repeats a 7-line model: once with a TDL001 finding in every copy (a 1-unit sigmoid
head trained with binary cross-entropy on an LSTM's sequence output, so each finding also has
a fix and its preview), once without (the LSTM returns its last step only). Both files have
the same size and the same models, so the difference between the two columns is what the
findings cost. Time per file should grow linearly with both.

Each file is checked in this process through ``tdlint.api.check_file`` (no cache, no process
start-up), with the per-file timeout raised so that a slow file is timed rather than skipped;
the best of ``--runs`` runs is shown.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HEADER = "from keras.models import Sequential\nfrom keras.layers import LSTM, Dense, Dropout\n\n"
MODEL = (
    "model_{i} = Sequential()\n"
    "model_{i}.add(LSTM(32, return_sequences={returns}, input_shape=(10, 8)))\n"
    "model_{i}.add(Dropout(0.2))\n"
    'model_{i}.add(Dense(1, activation="sigmoid"))\n'
    'model_{i}.compile(loss="binary_crossentropy", optimizer="adam")\n'
    "model_{i}.summary()\n"
    "print(model_{i}.name)\n"
)


def source(copies: int, findings: bool) -> str:
    """``copies`` copies of the model, each with a TDL001 finding or none."""
    returns = "True" if findings else "False"
    return HEADER + "".join(MODEL.format(i=i, returns=returns) for i in range(copies))


def time_check(path: Path, runs: int, timeout: float) -> tuple[float, int, str | None]:
    """Best wall time of ``runs`` checks, the number of findings, and why the file was
    skipped or failed (None when it was checked)."""
    from tdlint.api import check_file
    from tdlint.config import Settings

    settings = Settings(file_timeout=timeout, respect_gitignore=False)
    best = float("inf")
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = check_file(path, settings)
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, len(result.diagnostics), result.skipped or result.error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="125,250,500,1000", help="comma-separated counts")
    parser.add_argument("--runs", type=int, default=1, help="best of this many runs per file")
    parser.add_argument("--timeout", type=float, default=300.0, help="per-file limit, seconds")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.copies.split(",") if c.strip()]

    print(
        f"{'copies':>7} {'lines':>7} {'findings':>9} {'with (s)':>10} {'without (s)':>12} "
        f"{'ratio':>6} {'with/copy (ms)':>15}"
    )
    with tempfile.TemporaryDirectory(prefix="tdlint-many-findings-") as scratch:
        for copies in counts:
            row = {}
            for findings in (True, False):
                path = Path(scratch) / f"m{copies}_{'with' if findings else 'without'}.py"
                text = source(copies, findings)
                path.write_text(text, encoding="utf-8")
                row[findings] = time_check(path, args.runs, args.timeout)
                print(f"  checked {path.name}", file=sys.stderr)
            (with_s, found, problem), (without_s, clean, problem_without) = row[True], row[False]
            lines = text.count("\n")
            ratio = with_s / without_s if without_s else float("nan")
            print(
                f"{copies:>7} {lines:>7} {found:>9} {with_s:>10.2f} {without_s:>12.2f} "
                f"{ratio:>6.2f} {with_s / copies * 1000:>15.2f}"
            )
            for label, what in (("with", problem), ("without", problem_without)):
                if what:
                    print(f"        ({label}: {what})")
            if clean:
                print(f"        (without: {clean} findings, expected none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
