"""What `tdlint check --fix --unsafe-fixes` does to a corpus of old Keras code (issue 16).

    python benchmarks/upgrade_corpus.py --corpus /work/corpus/keras_examples/1.2.2/examples \\
        --corpus /work/corpus/keras_examples/2.3.1/examples
    python benchmarks/upgrade_corpus.py --corpus DIR --run            # and run the fixed files
    python benchmarks/upgrade_corpus.py --corpus DIR --keras-version 1.2   # a setting for all

Each corpus's `.py` files are copied to a scratch folder (the corpus itself is never touched,
nor copied into this repository); there tdlint checks them (JSON report: findings by rule),
fixes them with the unsafe fixes, and checks them again. Printed, as plain tables:

* findings by rule before and after the fix; *fixed* is the difference (a fix can also make
  or hide other findings, so it is a count of findings gone, not of edits); TDL3xx rules,
  the Keras-version hazards, are marked `*`;
* files changed by the fix, fixed files that parse (`compile()`), fixed files with no TDL3xx
  finding left (`check --select TDL3`), and the files that fail either;
* with `--run`: each fixed file run under Keras 3 (jax) as a script in one Python, with a
  time limit per file, sorted into ran / ran past the time limit / network (a dataset
  download) / missing module / error. The examples train for many epochs on downloaded data:
  "ran past the limit" means it got that far without raising. `--fake-datasets` gives them
  random data of the real shapes and sizes from `keras.datasets` instead, so that a
  download no longer hides what comes after it; other downloads (`get_file`, weights) still
  fail as network.

Without the TDL3xx rules (before issue 16 lands) the re-lint column says so. Nothing here is
timed. Run it by hand and quote it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT_RUNNER = REPO / "tests" / "oracle" / "script_runner.py"
HAZARD_PREFIX = "TDL3"

# What a failed run raised, first match wins: a download that could not happen, a module
# that is not installed here, the time limit.
NETWORK_SIGNS = (
    "URLError",
    "HTTPError",
    "URL fetch failure",
    "gaierror",
    "Temporary failure in name resolution",
    "Name or service not known",
    "ConnectionError",
    "ConnectionRefusedError",
    "Network is unreachable",
)


@dataclass
class CorpusResult:
    label: str
    files: list[str]
    before: Counter[str]
    after: Counter[str]
    changed: list[str]
    unparsable: list[str]
    unclean: dict[str, list[str]]  # file: TDL3xx codes left after the fix
    with_findings: int  # files with a finding before the fix
    relint_note: str = ""  # why the re-lint could not be done, if it could not
    corpus: Path = Path()
    runs: dict[str, str] = field(default_factory=dict)  # fixed file: outcome class
    runs_before: dict[str, str] = field(default_factory=dict)  # the original: outcome class
    run_errors: dict[str, str] = field(default_factory=dict)  # fixed file: what it raised


def tdlint(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tdlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=3600,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def findings(folder: Path, extra: list[str]) -> list[dict[str, object]]:
    args = ["check", "-n", "--isolated", "--exit-zero", "--output-format", "json"]
    proc = tdlint([*args, *extra, "."], folder)
    if proc.returncode != 0:
        raise SystemExit(f"tdlint failed in {folder} (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def by_code(found: list[dict[str, object]]) -> Counter[str]:
    return Counter(str(f["code"]) for f in found)


def parses(path: Path) -> bool:
    try:
        compile(path.read_text(encoding="utf-8", errors="replace"), str(path), "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def relint(folder: Path, setting: list[str]) -> tuple[dict[str, list[str]], str]:
    """The TDL3xx findings left, by file; or why they could not be asked for."""
    args = ["check", "-n", "--isolated", "--select", HAZARD_PREFIX, "--output-format", "json"]
    proc = tdlint([*args, *setting, "."], folder)
    if proc.returncode == 2:
        return {}, f"not run: {proc.stderr.strip().splitlines()[-1]}"
    left: dict[str, list[str]] = {}
    for finding in json.loads(proc.stdout):
        left.setdefault(Path(str(finding["filename"])).name, []).append(str(finding["code"]))
    return left, ""


def measure(corpus: Path, scratch: Path, setting: list[str]) -> CorpusResult:
    folder = scratch / corpus.name
    folder.mkdir(parents=True)
    files = sorted(p.name for p in corpus.glob("*.py"))
    for name in files:
        shutil.copy(corpus / name, folder / name)
    originals = {name: (folder / name).read_text(errors="replace") for name in files}
    found = findings(folder, setting)
    before = by_code(found)
    with_findings = len({str(f["filename"]) for f in found})
    after = by_code(findings(folder, ["--fix", "--unsafe-fixes", *setting]))
    changed = [n for n in files if (folder / n).read_text(errors="replace") != originals[n]]
    unparsable = [n for n in files if not parses(folder / n)]
    unclean, note = relint(folder, setting)
    label = f"{corpus.parent.name}/{corpus.name}" if corpus.parent.name else corpus.name
    return CorpusResult(
        label, files, before, after, changed, unparsable, unclean, with_findings, note, corpus
    )


def classify(error: str | None) -> str:
    if error is None:
        return "ran"
    if error.startswith("ScriptTimeout"):
        return "past the time limit"
    if any(sign in error for sign in NETWORK_SIGNS):
        return "network"
    if error.startswith("ModuleNotFoundError") and "keras" not in error:
        return "missing module"
    return "error"


def run_fixed(result: CorpusResult, scratch: Path, per_file: int, fake_data: bool) -> None:
    """The originals and the fixed files, run under Keras 3 in one Python (one jax start)."""
    folder = scratch / result.label.split("/")[-1]
    originals = scratch / "originals"
    originals.mkdir()
    names = [name for name in result.files if name not in result.unparsable]
    for name in names:
        shutil.copy(result.corpus / name, originals / name)
    paths = [str(d / name) for d in (originals, folder) for name in names]
    cwd = scratch / "run"
    cwd.mkdir()
    flags = ["--fake-datasets"] if fake_data else []
    out = scratch / "outcomes.json"  # not stdout: a stopped script's threads may print there
    proc = subprocess.run(
        [
            sys.executable,
            str(SCRIPT_RUNNER),
            "--tf-alias",
            f"--timeout={per_file}",
            f"--out={out}",
            *flags,
            *paths,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=per_file * len(paths) + 600,
        env={**os.environ, "KERAS_BACKEND": "jax"},
    )
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"the Keras runner failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    outcomes = json.loads(out.read_text())
    for name in names:
        result.runs_before[name] = classify(outcomes[str(originals / name)]["error"])
        error = outcomes[str(folder / name)]["error"]
        result.runs[name] = classify(error)
        if error:
            result.run_errors[name] = _short(error)


def _short(error: str) -> str:
    """The first line of an error, without the paths of installed modules."""
    line = re.sub(r" \(/[^)]*\)", "", error.splitlines()[0])
    return line if len(line) <= 110 else line[:107] + "..."


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def report(result: CorpusResult) -> str:
    codes = sorted(set(result.before) | set(result.after))
    rows = [
        [
            ("* " if code.startswith(HAZARD_PREFIX) else "  ") + code,
            str(result.before[code]),
            str(result.after[code]),
            str(result.before[code] - result.after[code]),
        ]
        for code in codes
    ]
    total = sum(result.before.values()), sum(result.after.values())
    rows.append(["  all", str(total[0]), str(total[1]), str(total[0] - total[1])])
    n = len(result.files)
    clean = "n/a" if result.relint_note else str(n - len(result.unclean))
    lines = [
        f"== {result.label}: {n} files",
        table(rows, ["rule", "before", "after fix", "fixed"]),
        "",
        table(
            [
                ["files with a finding before", str(result.with_findings)],
                ["files changed by the fix", str(len(result.changed))],
                ["fixed files that parse", f"{n - len(result.unparsable)} of {n}"],
                [f"fixed files clean for {HAZARD_PREFIX}xx", f"{clean} of {n}"],
            ],
            ["", "count"],
        ),
    ]
    if result.relint_note:
        lines.append(f"re-lint for {HAZARD_PREFIX}xx {result.relint_note}")
    lines += [f"  does not parse: {name}" for name in result.unparsable]
    lines += [f"  {HAZARD_PREFIX}xx left: {n}: {', '.join(c)}" for n, c in result.unclean.items()]
    if result.runs:
        before, after = Counter(result.runs_before.values()), Counter(result.runs.values())
        kinds = ["ran", "past the time limit", "network", "missing module", "error"]
        rows = [[k, str(before[k]), str(after[k])] for k in kinds if before[k] or after[k]]
        lines += ["", table(rows, ["run on Keras 3", "original", "fixed"])]
        for name in sorted(result.run_errors):
            lines.append(f"  {result.runs[name]:20} {name}: {result.run_errors[name]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, required=True, metavar="DIR")
    parser.add_argument("--keras-version", help="pass this setting to tdlint for every file")
    parser.add_argument("--run", action="store_true", help="run the fixed files on Keras 3")
    parser.add_argument("--run-timeout", type=int, default=30, metavar="SECONDS")
    parser.add_argument(
        "--fake-datasets",
        action="store_true",
        help="with --run: keras.datasets give random data of the real shapes, not downloads",
    )
    args = parser.parse_args(argv)
    setting = ["--keras-version", args.keras_version] if args.keras_version else []
    for corpus in args.corpus:
        if not corpus.is_dir() or not any(corpus.glob("*.py")):
            parser.error(f"{corpus}: not a folder of .py files")
    with tempfile.TemporaryDirectory(prefix="tdlint-upgrade-") as tmp:
        for i, corpus in enumerate(args.corpus):
            scratch = Path(tmp) / str(i)
            result = measure(corpus.resolve(), scratch, setting)
            if args.run:
                run_fixed(result, scratch, args.run_timeout, args.fake_datasets)
            print(report(result), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
