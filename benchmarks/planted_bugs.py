"""Planted bugs: does the test suite notice small, plausible mistakes?

Each bug below is a one-spot text edit to tdlint's source (an off-by-one, a dropped field, a
wrong default, a negated or missing condition). The script copies the tree to a scratch
folder, checks that the tests it will run pass there, then plants each bug alone, runs the
tests that should notice it, and restores the file. A bug is *caught* when those tests fail.

    python benchmarks/planted_bugs.py                  # every bug
    python benchmarks/planted_bugs.py --list           # names and what each one breaks
    python benchmarks/planted_bugs.py json-help noqa-second-file-line   # some of them

It is a hand-written complement to mutation testing (docs/contributing.md): mutmut's mutants
are mechanical, these are the mistakes a person makes. A bug whose text no longer occurs in
the source (the code moved on) is reported as *stale*, not counted. Exit status: 0 when every
bug is caught, 1 otherwise. It runs tests in one process at a time (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("tdlint", "tests", "examples", "docs", "fuzz", "pyproject.toml", "README.md")

CLI = ("tests/test_cli.py", "tests/test_exit_codes.py")
REPORTS = ("tests/test_report_formats.py", "tests/test_cli.py")
NOQA = ("tests/test_noqa.py", "tests/test_cli.py", "tests/test_workflow.py", "tests/test_codes.py")
FIXES = ("tests/test_fixes.py", "tests/test_cli.py", "tests/test_trust.py")
ARRAYS = ("tests/test_arrays_oracle.py", "tests/test_rules.py")
WRITES = ("tests/test_sourcefile.py", "tests/test_cli.py", "tests/test_trust.py")
CACHE = ("tests/test_cache.py", "tests/test_workflow.py")
RULES = (
    "tests/test_rules.py",
    "tests/test_rule_conditions.py",
    "tests/test_arrays_oracle.py",
    "tests/test_fit_oracle.py",
)
LAYERS = ("tests/test_layer_oracle.py",)


@dataclass(frozen=True)
class Bug:
    name: str
    path: str  # relative to the repository
    old: str  # must occur exactly once in the file
    new: str
    tests: tuple[str, ...]
    what: str


BUGS = [
    # ------------------------------------------------------------------ machine formats
    Bug(
        "json-end-location",
        "tdlint/report/json.py",
        '"end_location": _location(d.end_location),',
        '"end_location": _location(d.location),',
        REPORTS,
        "JSON end_location equal to the start",
    ),
    Bug(
        "json-help",
        "tdlint/report/json.py",
        '"help": d.help,',
        '"help": None,',
        REPORTS,
        "JSON help dropped",
    ),
    Bug(
        "json-filename",
        "tdlint/report/json.py",
        '"filename": os.path.abspath(d.filename),',
        '"filename": d.filename,',
        REPORTS,
        "JSON filename not made absolute",
    ),
    Bug(
        "github-end-column",
        "tdlint/report/github.py",
        '"endColumn": end.column,',
        '"endColumn": start.column,',
        REPORTS,
        "GitHub annotation ends where it starts",
    ),
    Bug(
        "sarif-end-line",
        "tdlint/report/sarif.py",
        '"endLine": end.row,',
        '"endLine": end.row - 1,',
        REPORTS,
        "SARIF region ends a line early",
    ),
    Bug(
        "concise-column",
        "tdlint/report/text.py",
        'text.append(f"{cell}:{d.location.row}:{d.location.column}: ", style="cyan")',
        'text.append(f"{cell}:{d.location.row}:{d.location.column - 1}: ", style="cyan")',
        REPORTS,
        "0-based columns in the concise format",
    ),
    Bug(
        "full-carets",
        "tdlint/report/text.py",
        'text.append(" " * start + "^" * max(end - start, 1) + "\\n", style="bold red")',
        'text.append(" " * start + "^" * max(end - start - 1, 1) + "\\n", style="bold red")',
        REPORTS,
        "one caret short under the span",
    ),
    Bug(
        "summary-unsafe-count",
        "tdlint/report/text.py",
        "    if unsafe_enabled:\n        safe, unsafe = safe + unsafe, 0\n",
        "",
        REPORTS,
        "--unsafe-fixes still counts unsafe fixes as hidden",
    ),
    # ------------------------------------------------------------------ exit codes
    Bug(
        "exit-zero-hides-errors",
        "tdlint/cli.py",
        "    if errors:\n        return EXIT_ERROR\n"
        "    if args.exit_zero:\n        return EXIT_CLEAN\n",
        "    if args.exit_zero:\n        return EXIT_CLEAN\n"
        "    if errors:\n        return EXIT_ERROR\n",
        CLI,
        "--exit-zero also hides an unreadable file",
    ),
    Bug(
        "fix-exits-1-after-fixing",
        "tdlint/cli.py",
        "    return EXIT_FINDINGS if remaining else EXIT_CLEAN\n",
        "    return EXIT_FINDINGS if remaining or fixed else EXIT_CLEAN\n",
        CLI,
        "--fix exits 1 when it fixed everything",
    ),
    Bug(
        "diff-with-errors",
        "tdlint/cli.py",
        "return _exit_status(args, errors=bool(errors), remaining=0, fixed=0, would_fix=count)",
        "return _exit_status(args, errors=False, remaining=0, fixed=0, would_fix=count)",
        CLI,
        "--diff exits 0/1 although a file could not be read",
    ),
    Bug(
        "stdin-fix-only",
        "tdlint/cli.py",
        "    if args.fix or args.fix_only or args.diff:\n",
        "    if args.fix or args.diff:\n",
        CLI,
        "`tdlint - --fix-only` prints nothing instead of the fixed source",
    ),
    Bug(
        "shapes-unreadable",
        "tdlint/cli.py",
        'cannot read: {exc}", file=sys.stderr)\n                status = EXIT_ERROR\n',
        'cannot read: {exc}", file=sys.stderr)\n                status = EXIT_FINDINGS\n',
        CLI,
        "`tdlint shapes` exits 1 on an unreadable file",
    ),
    # ------------------------------------------------------------------ noqa
    Bug(
        "noqa-second-file-line",
        "tdlint/noqa.py",
        "found.file_codes = (found.file_codes or frozenset()) | current",
        "found.file_codes = current",
        NOQA,
        "two file-level noqa lines: the first is lost",
    ),
    Bug(
        "noqa-statement-end",
        "tdlint/noqa.py",
        "for candidate in (row, self.statement_end.get(row, row)):",
        "for candidate in (row,):",
        NOQA,
        "noqa on the last line of a multi-line statement ignored",
    ),
    Bug(
        "noqa-lowercase-codes",
        "tdlint/noqa.py",
        "return frozenset(c.upper() for c in _SPLIT.split(text.strip()) if c)",
        "return frozenset(c for c in _SPLIT.split(text.strip()) if c)",
        NOQA,
        "`# noqa: tdl001` no longer matches",
    ),
    Bug(
        "noqa-old-spelling",
        "tdlint/noqa.py",
        "not comment.codes or code in comment.codes or old_spelling(code) in comment.codes",
        "not comment.codes or code in comment.codes",
        NOQA,
        "`# noqa: TD001` stops suppressing TDL001",
    ),
    # ------------------------------------------------------------------ fixes and writes
    Bug(
        "fix-insertions-twice",
        "tdlint/fixes.py",
        "return a.start == b.start  # two insertions at one point",
        "return False  # two insertions at one point",
        FIXES,
        "two insertions at one point write the same import twice",
    ),
    Bug(
        "fix-touching-overlap",
        "tdlint/fixes.py",
        "return a.start < b.end and b.start < a.end or",
        "return a.start <= b.end and b.start <= a.end or",
        FIXES,
        "edits that only touch are taken for overlapping",
    ),
    Bug(
        "fix-unsafe-applied",
        "tdlint/fixes.py",
        "return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)",
        "return fix is not None",
        FIXES,
        "unsafe fixes applied without --unsafe-fixes",
    ),
    Bug(
        "write-in-place",
        "tdlint/sourcefile.py",
        "            os.replace(tmp, self.path)\n",
        "            with open(self.path, 'w', encoding=self.encoding, newline='') as out:\n"
        "                out.write((_BOM if self.bom else '') + text)\n"
        "            os.unlink(tmp)\n",
        WRITES,
        "the fixed file is rewritten in place, not replaced",
    ),
    Bug(
        "write-loses-bom",
        "tdlint/sourcefile.py",
        'handle.write((_BOM if self.bom else "") + text)',
        "handle.write(text)",
        WRITES,
        "a UTF-8 BOM is dropped by --fix",
    ),
    Bug(
        "write-loses-mode",
        "tdlint/sourcefile.py",
        "            os.chmod(tmp, stat.st_mode & 0o7777)\n",
        "",
        WRITES,
        "--fix resets the file's permissions",
    ),
    # ------------------------------------------------------------------ cache
    Bug(
        "cache-ignores-code",
        "tdlint/cache.py",
        'digest.update(__version__.encode() + b"\\0" + code_fingerprint().encode())',
        "digest.update(__version__.encode())",
        CACHE,
        "a changed tdlint replays results of the old code",
    ),
    Bug(
        "cache-ignores-keras-version",
        "tdlint/runner.py",
        'f"{sorted(selection.codes)}|{settings.keras_version}|{path.suffix}"',
        'f"{sorted(selection.codes)}|{path.suffix}"',
        CACHE,
        "--keras-version does not change the cache key",
    ),
    # ------------------------------------------------------------------ data arrays
    Bug(
        "expand-dims-negative",
        "tdlint/analysis/arrays.py",
        "position = axis if axis >= 0 else len(shape) + 1 + axis",
        "position = axis if axis >= 0 else len(shape) + axis",
        ARRAYS,
        "np.expand_dims(x, -1) puts the axis one place early",
    ),
    Bug(
        "reshape-minus-one",
        "tdlint/analysis/arrays.py",
        "rest = product(d for d in shape if d != -1)",
        "rest = product(d for d in shape[1:] if d != -1)",
        ARRAYS,
        "reshape(a, -1) ignores the first given dim",
    ),
    Bug(
        "index-int-keeps-axis",
        "tdlint/analysis/arrays.py",
        "        elif is_known(item) or isinstance(item, UnknownInt):\n"
        "            if next(dims, None) is None:\n"
        "                return Array(None, array.kind)\n",
        "        elif is_known(item) or isinstance(item, UnknownInt):\n"
        "            if next(dims, None) is None:\n"
        "                return Array(None, array.kind)\n"
        "            out.append(1)\n",
        ARRAYS,
        "X[:, 0] keeps the indexed axis",
    ),
    Bug(
        "nested-tuples",
        "tdlint/analysis/arrays.py",
        "    while isinstance(level, (list, tuple)):\n",
        "    while isinstance(level, list):\n",
        ARRAYS,
        "np.array([(1, 2), (3, 4)]) loses its inner axis",
    ),
    Bug(
        "mixed-literal-kind",
        "tdlint/analysis/arrays.py",
        'else ("float" if kinds <= {"int", "float"} else None)',
        'else ("int" if kinds <= {"int", "float"} else None)',
        ARRAYS,
        "[1, 2.5] taken for an integer array",
    ),
    Bug(
        "vstack-1d",
        "tdlint/analysis/data.py",
        "as_2d = [Array((1, *a.shape), a.kind) if a.rank == 1 else a for a in items]",
        "as_2d = list(items)",
        ARRAYS,
        "np.vstack of 1-D arrays concatenates them",
    ),
    Bug(
        "linspace-num-position",
        "tdlint/analysis/data.py",
        'num = _arg(positional, keywords, 2, "num", 50)',
        'num = _arg(positional, keywords, 1, "num", 50)',
        ARRAYS,
        "np.linspace reads num from the stop argument",
    ),
    Bug(
        "concatenate-default-axis",
        "tdlint/analysis/data.py",
        '"concatenate": _joined(new_axis=False),',
        '"concatenate": _joined(new_axis=False, default_axis=-1),',
        ARRAYS,
        "np.concatenate without axis joins the last axis",
    ),
    Bug(
        "zeros-positional-dtype",
        "tdlint/analysis/data.py",
        'dtype = _arg(positional, keywords, 2 if default_kind is None else 1, "dtype")',
        'dtype = _arg(positional, keywords, 2, "dtype")',
        ARRAYS,
        "np.zeros(shape, int) taken for a float array",
    ),
    Bug(
        "uniform-size-position",
        "tdlint/analysis/data.py",
        '"random.uniform": _random_size("float", 2),',
        '"random.uniform": _random_size("float", 1),',
        ARRAYS,
        "np.random.uniform(low, high, size) reads the size from `high`",
    ),
    Bug(
        "to-categorical-single-label",
        "tdlint/analysis/data.py",
        "if len(shape) > 1 and shape[-1] == 1:",
        "if shape[-1] == 1:",
        ARRAYS,
        "to_categorical of labels shaped (1,) drops the sample axis",
    ),
    # ------------------------------------------------------------------ rules' conditions
    Bug(
        "unknown-dims-disagree",
        "tdlint/rules/datafit.py",
        "return all(not (is_known(a) and is_known(b)) or a == b "
        "for a, b in zip(got, want, strict=True))",
        "return all(a == b for a, b in zip(got, want, strict=True))",
        RULES,
        "an unknown dim counts as a mismatch (false TDL201)",
    ),
    Bug(
        "missing-trailing-axis",
        "tdlint/rules/datafit.py",
        "if len(got) == len(want) - 1 and want[-1] == 1 and _dims_agree(got[1:], want[1:-1]):",
        "if len(got) == len(want) - 1 and _dims_agree(got[1:], want[1:-1]):",
        RULES,
        "any missing last axis is accepted, not only one of size 1",
    ),
    Bug(
        "non-positive-dim",
        "tdlint/analysis/propagate.py",
        "if any(is_known(d) and d <= 0 for d in output[1:]):",
        "if any(is_known(d) and d < 0 for d in output[1:]):",
        RULES,
        "a dim of 0 is not reported (TDL104)",
    ),
    # ------------------------------------------------------------------ layer options
    Bug(
        "keepdims-channels-first",
        "tdlint/keras/layers/conv.py",
        "return join_channels(args, x[0], channels, (1,) * len(spatial))",
        "return (x[0], *(1,) * len(spatial), channels)",
        LAYERS,
        "global pooling with keepdims ignores channels_first",
    ),
    Bug(
        "transpose-same-output-padding",
        "tdlint/keras/layers/conv.py",
        "return (n - 1) * s + k % 2 + output_padding",
        "return n * s + output_padding",
        LAYERS,
        "transposed conv, padding='same' with output_padding",
    ),
]


def copy_tree(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".tdlint_cache", "mutants", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target / name)


def run_tests(tree: Path, tests: tuple[str, ...]) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("TDLINT_TESTS_IN_PROCESS", None)
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    start = time.monotonic()
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    return result.returncode, time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="bugs to plant (default: all)")
    parser.add_argument("--list", action="store_true", help="list the bugs and exit")
    args = parser.parse_args(argv)
    if args.list:
        for bug in BUGS:
            print(f"{bug.name:32} {bug.path:34} {bug.what}")
        return 0
    unknown = set(args.names) - {b.name for b in BUGS}
    if unknown:
        parser.error(f"no such bug: {', '.join(sorted(unknown))}")
    chosen = [b for b in BUGS if not args.names or b.name in args.names]

    with tempfile.TemporaryDirectory(prefix="tdlint-planted-") as scratch:
        tree = Path(scratch)
        copy_tree(tree)
        suites = sorted({t for bug in chosen for t in bug.tests})
        code, seconds = run_tests(tree, tuple(suites))
        if code != 0:
            print(f"the tests fail without any bug planted (exit {code}); fix that first")
            return 2
        print(f"baseline: {len(suites)} test files pass ({seconds:.0f} s)\n")
        caught = missed = stale = 0
        for bug in chosen:
            path = tree / bug.path
            original = path.read_text(encoding="utf-8")
            if original.count(bug.old) != 1:
                print(f"  stale   {bug.name:32} (its text is not in {bug.path} exactly once)")
                stale += 1
                continue
            path.write_text(original.replace(bug.old, bug.new), encoding="utf-8")
            try:
                code, seconds = run_tests(tree, bug.tests)
            finally:
                path.write_text(original, encoding="utf-8")
            if code == 1:
                verdict, caught = "caught", caught + 1
            elif code == 0:
                verdict, missed = "MISSED", missed + 1
            else:  # 2..5: the tests could not even run: the bug is noticed, loudly
                verdict, caught = f"caught (pytest exit {code})", caught + 1
            print(f"  {verdict:7} {bug.name:32} {seconds:5.1f} s  {bug.what}")
    counted = caught + missed
    print(f"\ncaught {caught} of {counted} planted bugs" + (f" ({stale} stale)" if stale else ""))
    return 0 if missed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
