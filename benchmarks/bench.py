"""Time tdlint against its peers on a synthetic or a real corpus.

Run it by hand (it is not a test, and CI does not run it):

    python benchmarks/bench.py                           # 200 synthetic files, 5 runs each
    python benchmarks/bench.py --corpus PATH --runs 3    # any tree of .py files
    python benchmarks/bench.py --scale 1,4,16 --json bench.json

Every tool runs as a whole process, from a scratch directory (so no project configuration
applies), on a private copy of the corpus's .py files. Wall time is measured around the
process, CPU time comes from ``os.wait4`` (the process and its waited-for children), and peak
memory from GNU time. See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import functools
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata, util
from pathlib import Path

import corpus  # benchmarks/corpus.py, found because it sits beside this script

# Directories no linter walks into (a subset of the usual excludes).
SKIP_DIRS = frozenset(
    {"__pycache__", "build", "dist", "node_modules", "site-packages", "venv", "_build"}
)
GNU_TIME = "/usr/bin/time"
VERSION = re.compile(r"\d+(?:\.\d+)+\S*")
EXCEPTION = re.compile(r"^[\w.]+(?:Error|Exception|Exit|Interrupt)\b")
FINDING = re.compile(r"^(.+?):\d+:\d+: ([A-Z]+\d+)\b", re.MULTILINE)  # path, code
# Peers: (row label, arguments before the path). pylint runs one cheap check, so its row is
# about its parse (astroid) and start-up; --persistent=n keeps it from writing stats to ~/.cache.
PEERS = {
    "ruff": ("ruff check --no-cache", ["check", "--no-cache", "--output-format", "concise"]),
    "fixit": ("fixit lint", ["lint"]),
    "pylint": (
        "pylint unused-import only",
        ["--disable=all", "--enable=unused-import", "--persistent=n", "--recursive=y"],
    ),
}
COLD, WARM, ONE_FILE = "tdlint check (cold)", "tdlint check (warm cache)", "tdlint check, 1 file"
FLOOR, FLOOR_PER_CORE, FLOOR_KERAS = (
    "libcst parse_module, 1 core",
    "  ÷ cores tdlint uses",
    "libcst parse, files with 'keras'",
)


@dataclass
class Run:
    wall: float  # seconds, around the whole process
    cpu: float  # user + system seconds of the process and its waited-for children
    max_rss_mib: float | None  # the largest single process of the tree
    returncode: int


@dataclass
class Result:
    name: str
    files: int
    command: list[str] | None = None
    runs: list[Run] = field(default_factory=list)
    skipped: str | None = None  # why it did not run
    comparable: bool = True  # on the corpus, like tdlint's run: the ratio to tdlint makes sense
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def cores(self) -> float:
        """CPU seconds per wall second: how many cores the process kept busy."""
        return self.cpu / self.median if self.median else 0.0

    @property
    def peak_mib(self) -> float | None:
        sizes = [r.max_rss_mib for r in self.runs if r.max_rss_mib is not None]
        return max(sizes) if sizes else None

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        if self.runs:
            data |= {"median": self.median, "min": self.best, "cpu_median": self.cpu}
            data |= {"peak_mib": self.peak_mib, "files_per_second": self.files / self.median}
        return data


@dataclass(frozen=True)
class Tool:
    name: str
    command: list[str] | None  # None: not installed
    version: str = ""


def _load() -> str:
    """The 1-minute load average: above 0 on an idle machine means the numbers are noisy."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- finding and running tools ----------------------------------------------------------------


def find_tool(name: str) -> Tool:
    """The executable beside this Python first, then on PATH, then ``python -m name``."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    command = [found] if found else None
    if command is None and util.find_spec(name) is not None:
        command = [sys.executable, "-m", name]
    if command is None:
        return Tool(name, None)
    output = subprocess.run([*command, "--version"], capture_output=True, text=True).stdout
    version = VERSION.search(output)
    return Tool(name, command, version.group() if version else "?")


def ensure_bytecode(package: str) -> None:
    """pip compiles a package's bytecode when it installs it, so users never pay for that; an
    editable install run with PYTHONDONTWRITEBYTECODE never gets any, and each timed run
    would compile tdlint's sources again (about 0.08 s). Compile them once, as pip would."""
    spec = util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not list(folder.glob("__pycache__/*.pyc")):
        compileall.compile_dir(folder, quiet=1)
        log(f"bench: compiled the bytecode of {folder}, as an install would")


@functools.cache
def gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time, whose ``-f %M`` gives a child's own peak RSS."""
    if not os.path.exists(GNU_TIME):
        return None
    version = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True)
    return GNU_TIME if "GNU" in version.stdout + version.stderr else None


def run_process(command: Sequence[str], cwd: Path) -> tuple[Run, str]:
    """Run once; return the measurements and what the process printed.

    Wall and CPU time come from ``os.wait4``. Its ``ru_maxrss`` cannot be used as it is:
    Linux starts a spawned child's peak RSS at this script's own peak, which would be the
    floor of every row. So the peak comes from GNU time, which forks the tool from a process
    of a megabyte or two. Without GNU time, the ``wait4`` figure is used only when it is above
    this script's own peak (then it must be the tool's).
    """
    timer = gnu_time()
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as stats:
        launcher = [timer, "-o", stats.name, "-f", "%M"] if timer else []
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*launcher, *command],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
        # GNU time writes "Command exited with non-zero status N" before the format line.
        lines = stats.read().split()
        peak_kib = int(lines[-1]) if timer and lines and lines[-1].isdigit() else None
    if not timer:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak_kib = usage.ru_maxrss if usage.ru_maxrss > own else None
        if peak_kib is not None and sys.platform == "darwin":  # bytes there, KiB on Linux
            peak_kib //= 1024
    peak = None if peak_kib is None else peak_kib / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, proc.returncode), output


def crash_message(output: str) -> str | None:
    """The exception that ended the process, if one did. A crash exits 1, like findings; a
    traceback printed for one file by a tool that went on (fixit does this) is no crash."""
    lines = output.strip().splitlines()
    if "Traceback (most recent call last)" in output and EXCEPTION.match(lines[-1]):
        return lines[-1]
    return None


def measure(name: str, command: list[str], cwd: Path, runs: int, files: int) -> tuple[Result, str]:
    result = Result(name, files, command)
    output = ""
    for index in range(runs):
        run, output = run_process(command, cwd)
        result.runs.append(run)
        crash = crash_message(output)
        if crash:
            result.note = f"CRASHED: {crash}"
        log(f"  {name}: run {index + 1}/{runs}: {run.wall:.3f} s (exit {run.returncode})")
    return result, output


def parse_floor(name: str, paths: list[Path], runs: int) -> Result:
    """Read and ``libcst.parse_module`` every file in this process, on one core."""
    try:
        import libcst
    except ImportError:
        return Result(name, len(paths), skipped="libcst is not importable by this Python")
    result = Result(name, len(paths))
    for index in range(runs):
        failures = 0
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        for path in paths:
            try:
                libcst.parse_module(path.read_bytes())
            except (libcst.ParserSyntaxError, RecursionError):
                failures += 1
        wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
        result.runs.append(Run(wall, cpu, None, 0))
        log(f"  {name}: run {index + 1}/{runs}: {wall:.3f} s")
        if failures:
            result.note = f"{failures} file{'s' * (failures != 1)} did not parse"
    return result


def divided(result: Result, name: str, cores: int) -> Result:
    """The floor if the work were spread evenly over ``cores`` processes."""
    runs = [Run(r.wall / cores, r.cpu, None, 0) for r in result.runs]
    return Result(name, result.files, runs=runs, note=f"{cores} core{'s' * (cores != 1)}")


# --- the corpus -------------------------------------------------------------------------------


def python_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and d[:1] != ".")
        for filename in sorted(filenames):
            if filename.endswith(".py"):
                yield Path(dirpath, filename)


def copy_corpus(source: Path, dest: Path) -> None:
    """The .py files of ``source``, and nothing else, under ``dest``."""
    for path in python_files(source):
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def replicate(source: Path, dest: Path, times: int) -> None:
    for index in range(times):
        shutil.copytree(source, dest / f"copy_{index:02d}")


def corpus_stats(paths: list[Path]) -> dict[str, int]:
    data = [p.read_bytes() for p in paths]
    return {
        "files": len(data),
        "keras_files": sum(b"keras" in d for d in data),
        "lines": sum(d.count(b"\n") for d in data),
        "bytes": sum(map(len, data)),
    }


def pick_one_file(paths: list[Path]) -> Path:
    """The Keras file of median size (any file if none mentions Keras)."""
    keras = [p for p in paths if b"keras" in p.read_bytes()] or paths
    return sorted(keras, key=lambda p: (p.stat().st_size, str(p)))[len(keras) // 2]


# --- one size of the corpus -------------------------------------------------------------------


@dataclass
class Scale:
    factor: int  # copies of the corpus
    files: int
    results: list[Result]
    findings: list[tuple[str, str]]  # (path, code) of each diagnostic of tdlint's cold run
    planted: PlantedCheck | None = None  # the check against the synthetic manifest

    def median(self, name: str) -> float | None:
        return next((r.median for r in self.results if r.name == name and r.runs), None)

    def to_json(self) -> dict[str, object]:
        return {
            "scale": self.factor,
            "files": self.files,
            "findings": dict(sorted(Counter(code for _, code in self.findings).items())),
            "planted_check": self.planted.to_json() if self.planted else None,
            "results": [r.to_json() for r in self.results],
        }


@dataclass
class Setup:
    tdlint: Tool
    has_cache: bool
    peers: list[Tool]
    runs: int
    work: Path
    tdlint_cores: int | None = None  # None: measure it from the cold run


def run_scale(
    setup: Setup, root: Path, one_file: Path | None
) -> tuple[list[Result], list[tuple[str, str]]]:
    """Every measurement on the tree ``root`` (a path relative to ``setup.work``)."""
    paths = list(python_files(setup.work / root))
    files, runs, work = len(paths), setup.runs, setup.work
    tdlint = setup.tdlint.command
    assert tdlint is not None
    check = [*tdlint, "check", "--output-format", "concise"]
    no_cache = ["--no-cache"] if setup.has_cache else []

    cold, output = measure(COLD, [*check, *no_cache, str(root)], work, runs, files)
    findings = FINDING.findall(output)
    results = [cold]
    if setup.has_cache:
        run_process([*check, str(root)], work)  # fills the cache
        results.append(measure(WARM, [*check, str(root)], work, runs, files)[0])
    else:
        results.append(Result(WARM, files, skipped="no cache: `tdlint check` has no --no-cache"))
    if one_file is not None:
        one = measure(ONE_FILE, [*check, str(one_file)], work, runs, 1)[0]
        one.comparable = False
        one.note = f"{one_file}; {one.note}" if one.note else str(one_file)
        results.append(one)

    for peer in setup.peers:
        label, peer_args = PEERS[peer.name]
        if peer.command is None:
            results.append(Result(label, files, skipped=f"{peer.name} is not installed"))
        else:
            command = [*peer.command, *peer_args, str(root)]
            results.append(measure(label, command, work, runs, files)[0])

    floor = parse_floor(FLOOR, paths, runs)
    results += [floor]
    if not floor.skipped:
        if setup.tdlint_cores:
            per_core = divided(floor, FLOOR_PER_CORE, setup.tdlint_cores)
            per_core.note += " (--tdlint-cores)"
        else:
            # Busy cores of the cold run: a competing process on the machine lowers it.
            cores = max(1, min(os.cpu_count() or 1, round(cold.cores)))
            per_core = divided(floor, FLOOR_PER_CORE, cores)
            per_core.note += f" (tdlint's cold run: {cold.cores:.2f} CPU s per wall s)"
        results.append(per_core)
    keras_paths = [p for p in paths if b"keras" in p.read_bytes()]
    results.append(parse_floor(FLOOR_KERAS, keras_paths, runs))
    return results, findings


# --- output -----------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(results: list[Result]) -> str:
    cold = next(r for r in results if r.name == COLD)
    header = (
        "measurement",
        "files",
        "median s",
        "min s",
        "cpu s",
        "cores",
        "peak MiB",
        "files/s",
        "tdlint/this",
        "exit",
    )
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for r in results:
        if r.skipped:
            rows.append((r.name, str(r.files), f"skipped: {r.skipped}"))
            continue
        ratio = _num(cold.median / r.median, 2) if r.comparable else "-"
        exits = ",".join(str(c) for c in sorted({run.returncode for run in r.runs}))
        rows.append(
            (
                r.name,
                str(r.files),
                _num(r.median),
                _num(r.best),
                _num(r.cpu),
                _num(r.cores, 2),
                _num(r.peak_mib, 1),
                _num(r.files / r.median, 1),
                ratio,
                exits if r.command else "-",
            )
        )
        if r.note:
            notes.append(f"  {r.name.strip()}: {r.note}")
    full = [header, *(row for row in rows if len(row) == len(header))]
    widths = [max(len(row[i]) for row in full) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        if len(row) == 3:  # a skipped row: the reason spans the numeric columns
            return f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]}"
        cells = [f"{row[0]:<{widths[0]}}"]
        cells += [f"{cell:>{width}}" for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths), *map(line, rows)]
    return "\n".join(out + (["notes:", *notes] if notes else []))


def scaling_table(scales: list[Scale]) -> str:
    """Median seconds at each size, and how far from linear the largest size is."""
    first, last = scales[0], scales[-1]
    factor = last.factor / first.factor
    header = ["measurement", *(f"{s.factor}x ({s.files} files)" for s in scales)]
    header.append(f"t({last.factor}x)/({factor:g}·t({first.factor}x))")
    rows = []
    for name in [r.name for r in first.results if r.runs and r.comparable]:
        medians = [s.median(name) for s in scales]
        linear = medians[-1] / (factor * medians[0]) if medians[0] and medians[-1] else None
        rows.append([name, *(_num(m) for m in medians), _num(linear, 2)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, ["-" * w for w in widths], *rows]:
        cells = [f"{row[0]:<{widths[0]}}"]
        cells += [f"{c:>{w}}" for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
    return "\n".join(lines)


@dataclass
class PlantedCheck:
    """tdlint's findings against the mistakes planted in the synthetic corpus. A planted file
    may have more findings than its planted code (another rule can see the same mistake from
    another side); a clean file should have none."""

    planted: int
    found: int
    on_clean_files: Counter[str]
    more_on_planted_files: Counter[str]

    @property
    def ok(self) -> bool:
        return self.found == self.planted and not self.on_clean_files

    def to_json(self) -> dict[str, object]:
        # Not dataclasses.asdict: it rebuilds a Counter from its (key, count) pairs.
        return {
            "planted": self.planted,
            "found": self.found,
            "on_clean_files": dict(self.on_clean_files),
            "more_on_planted_files": dict(self.more_on_planted_files),
        }


def planted_check(
    findings: list[tuple[str, str]], manifest: corpus.Manifest, factor: int
) -> PlantedCheck:
    planted = {f.path: set(f.expected) for f in manifest.files}
    found: set[tuple[str, str]] = set()
    check = PlantedCheck(sum(map(len, planted.values())) * factor, 0, Counter(), Counter())
    for path, code in findings:
        parts = Path(path).parts  # corpus/..., or x4/copy_01/... for a replicated corpus
        tails = ("/".join(parts[i:]) for i in range(len(parts)))
        codes = planted.get(next((t for t in tails if t in planted), ""), set())
        if not codes:
            check.on_clean_files[code] += 1
        elif code in codes:
            found.add((path, code))
        else:
            check.more_on_planted_files[code] += 1
    check.found = len(found)
    return check


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{code} {n}" for code, n in sorted(counter.items())) or "none"


def findings_line(scale: Scale) -> str:
    line = f"tdlint findings: {_counts(Counter(code for _, code in scale.findings))}"
    check = scale.planted
    if check is None:
        return line
    return (
        f"{line}\nplanted mistakes found: {check.found} of {check.planted} "
        f"({'ok' if check.ok else 'NOT OK'}); "
        f"findings on clean files: {_counts(check.on_clean_files)}; "
        f"more on the planted files: {_counts(check.more_on_planted_files)}"
    )


# --- main -------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_argument_group("corpus")
    source.add_argument("--corpus", type=Path, help="a real tree of .py files (default: synthetic)")
    source.add_argument("--files", type=int, default=200, help="synthetic files (default 200)")
    source.add_argument(
        "--keras-ratio", type=float, default=0.5, help="share of synthetic Keras files (0.5)"
    )
    source.add_argument("--seed", type=int, default=0, help="synthetic corpus seed (0)")
    source.add_argument(
        "--scale", default="1", help="comma-separated copies of the corpus, e.g. 1,4,16"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (5)")
    parser.add_argument(
        "--skip", default="", help="comma-separated peers not to run: ruff,fixit,pylint"
    )
    parser.add_argument(
        "--tdlint-cores",
        type=int,
        help="cores tdlint uses, for the floor ÷ cores row (default: measured, which a busy "
        "machine lowers)",
    )
    parser.add_argument("--json", type=Path, help="write the raw numbers to this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args(argv)
    args.scales = sorted({int(s) for s in args.scale.split(",") if s.strip()})
    if not args.scales or min(args.scales) < 1 or args.runs < 1:
        parser.error("--scale needs positive integers and --runs at least 1")
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus}: not a directory")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tdlint = find_tool("tdlint")
    if tdlint.command is None:
        log("bench: tdlint is not installed (pip install -e .)")
        return 2
    ensure_bytecode("tdlint")
    help_text = subprocess.run([*tdlint.command, "check", "--help"], capture_output=True, text=True)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    peers = [find_tool(name) for name in ("ruff", "fixit", "pylint") if name not in skip]
    work = Path(tempfile.mkdtemp(prefix="tdlint-bench-"))
    has_cache = "--no-cache" in help_text.stdout
    setup = Setup(tdlint, has_cache, peers, args.runs, work, args.tdlint_cores)
    try:
        report = bench(args, setup)
    finally:
        if args.keep:
            log(f"bench: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        log(f"bench: wrote {args.json}")
    return 0


def bench(args: argparse.Namespace, setup: Setup) -> dict[str, object]:
    source = setup.work / "corpus"
    manifest = None
    if args.corpus is not None:
        log(f"bench: copying the .py files of {args.corpus}")
        copy_corpus(args.corpus, source)
        title = f"Corpus {args.corpus}"
    else:
        log(f"bench: writing {args.files} synthetic files (seed {args.seed})")
        manifest = corpus.generate(source, args.files, args.keras_ratio, args.seed)
        title = f"Synthetic corpus (seed {args.seed}, keras ratio {args.keras_ratio})"
    paths = list(python_files(source))
    if not paths:
        raise SystemExit(f"bench: no .py files in {args.corpus}")
    stats = corpus_stats(paths)
    one_file = pick_one_file(paths).relative_to(setup.work)
    versions = {t.name: t.version for t in [setup.tdlint, *setup.peers] if t.command}
    with contextlib.suppress(metadata.PackageNotFoundError):
        versions["libcst"] = metadata.version("libcst")
    environment = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "versions": versions,
    }

    scales: list[Scale] = []
    for factor in args.scales:
        root = Path("corpus")
        if factor > 1:
            root = Path(f"x{factor}")
            log(f"bench: replicating the corpus {factor} times")
            replicate(source, setup.work / root, factor)
        log(f"bench: {factor}x, {stats['files'] * factor} files, {args.runs} runs each")
        load_before = _load()
        results, findings = run_scale(setup, root, one_file if factor == args.scales[0] else None)
        scale = Scale(factor, stats["files"] * factor, results, findings)
        if manifest is not None:
            scale.planted = planted_check(findings, manifest, factor)
        scales.append(scale)
        cold = results[0]
        print(
            f"\n{title}, {factor}x: {stats['files'] * factor} files "
            f"({stats['keras_files'] * factor} mention keras), "
            f"{stats['lines'] * factor:,} lines, {stats['bytes'] * factor / 1e6:.1f} MB; "
            f"{args.runs} runs each"
        )
        print(
            ", ".join(f"{name} {version}" for name, version in versions.items())
            + f"; Python {environment['python']}, {os.cpu_count()} CPUs, "
            f"load average {load_before} before and {_load()} after; "
            f"tdlint kept {cold.cores:.2f} cores busy"
        )
        print(findings_line(scale))
        print()
        print(table(results), flush=True)
    if len(scales) > 1:
        print("\nScaling: median seconds per size; 1.00 in the last column is linear")
        print(scaling_table(scales))

    return {
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "environment": environment,
        "corpus": stats | ({"synthetic": manifest.summary()} if manifest else {}),
        "one_file": str(one_file),
        "tdlint_has_cache": setup.has_cache,
        "scales": [s.to_json() for s in scales],
    }


if __name__ == "__main__":
    raise SystemExit(main())
