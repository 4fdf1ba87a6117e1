"""Differential testing: generated model programs, built by real Keras 3 and read by tdlint.

``compare(seeds)`` writes one program per seed (see ``generator.py``) to a temporary directory,
runs them all through the Keras runner (``oracle/keras_runner.py``, numpy backend) while
tdlint reads them in-process, and classifies every program:

* **built**: Keras built the model; **rejected by shape**: Keras raised a shape error (see
  ``keras_shape_error``); **rejected otherwise**: any other failure (a bad argument...),
  left out of every other count;
* **covered**: a built model whose output shape tdlint knows entirely;
* **equal**: a covered model whose shape (and parameter count, when tdlint knows it) is
  exactly Keras's;
* **caught**: a model rejected by shape that tdlint reports with a shape rule;
* **false alarm**: a built model that tdlint reports with a shape rule.

Every disagreement is kept as a ``Discrepancy`` with the seed and the source.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from differential.generator import Program, generate
from oracle.harness import run_keras

from tdlint.api import check_source, infer_shapes

# The rules that report what Keras would refuse at build time.
SHAPE_RULES = frozenset({"TDL003", "TDL101", "TDL102", "TDL103", "TDL104", "TDL107"})
MODEL_NAME = "model"  # every generated program assigns its model to this name
MAX_CHUNK = 500  # programs per Keras subprocess: about a minute of building

Shape = tuple[int | None, ...]
Outputs = tuple[Shape, ...]  # one shape per model output


# --------------------------------------------------------------------------------------
# Classifying what Keras raised
# --------------------------------------------------------------------------------------

# Keras wraps errors raised inside ``call()`` with a trailer that prints the arguments,
# KerasTensor shapes included: that text says nothing about the error itself.
_CALL_CONTEXT = re.compile(r"Exception encountered when calling [\w.]+\(\)\.\s*")
_ARGUMENTS_TRAILER = re.compile(r"\s*Arguments received by .*", re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Failures about arguments, whatever words they contain (checked first).
_NOT_SHAPE = (
    re.compile(r"The `padding` argument must be"),
    re.compile(r"`strides > 1` not supported in conjunction with `dilation_rate > 1`"),
    re.compile(r"missing \d+ required positional argument"),
    re.compile(r"unexpected keyword argument"),
    re.compile(r"Invalid value for argument"),
    re.compile(r"`output_padding` must be strictly less than `strides`"),
)

# What Keras 3 says when shapes do not fit, by family (seen on thousands of generated models).
KERAS_SHAPE_ERRORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("rank", re.compile(r"is incompatible with the layer: expected (min_|max_)?ndim=")),
    ("rank", re.compile(r"Kernel shape must have the same length as input")),
    ("rank", re.compile(r"`TimeDistributed` Layer should be passed an `input_shape`")),
    ("reshape", re.compile(r"The total size of the tensor must be unchanged")),
    ("reshape", re.compile(r"can only specify one unknown dimension")),
    ("non-positive", re.compile(r"Computed output size would be (zero or )?negative")),
    ("non-positive", re.compile(r"`?cropping`? (argument|parameter) .*(should|must) be smaller")),
    ("non-positive", re.compile(r"[Nn]egative dimension")),
    ("merge", re.compile(r"requires inputs with matching shapes")),
    ("merge", re.compile(r"Inputs have incompatible shapes|Incompatible shapes")),
    ("undefined", re.compile(r"should be defined|must be (fully-)?defined|only support static")),
    # Keras doing arithmetic on an undefined (None) axis, e.g. a Conv1D on (batch, 4, None).
    ("undefined", re.compile(r"unsupported operand type\(s\) for .*'NoneType'")),
    ("groups", re.compile(r"must be evenly divisible by the number of groups")),
)

# Anything else a shape error may say, once the call trailer is gone.
_SHAPE_WORDS = re.compile(
    r"\bshapes?\b|\branks?\b|\bn?dims?\b|\bdimensions?\b|\bsizes?\b|\baxis\b|\baxes\b",
    re.IGNORECASE,
)
_SHAPE_ERROR_TYPES = frozenset({"ValueError", "AssertionError", "TypeError"})


def keras_error_text(message: str) -> str:
    """The message without colour codes and without the ``call()`` argument trailer."""
    text = _ANSI.sub("", message)
    text = _ARGUMENTS_TRAILER.sub("", text)
    return _CALL_CONTEXT.sub("", text).strip()


def keras_shape_error(error_type: str, message: str) -> str | None:
    """The family of a Keras build error (``rank``, ``reshape``, ``merge``,
    ``non-positive``, ``undefined``, ``other shape``), or None when it is not about shapes."""
    if error_type not in _SHAPE_ERROR_TYPES:
        return None
    text = keras_error_text(message)
    if any(pattern.search(text) for pattern in _NOT_SHAPE):
        return None
    for family, pattern in KERAS_SHAPE_ERRORS:
        if pattern.search(text):
            return family
    return "other shape" if _SHAPE_WORDS.search(text) else None


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


class Kind(str, Enum):
    """The kinds of disagreement between tdlint and Keras."""

    WRONG_SHAPE = "wrong shape"  # tdlint's output shape differs from Keras's
    WRONG_PARAMS = "wrong params"  # tdlint's parameter count differs from Keras's
    NOT_COVERED = "not covered"  # Keras built it, tdlint does not know the output shape
    FALSE_ALARM = "false alarm"  # Keras built it, tdlint reports a shape rule
    MISSED = "missed"  # Keras refused the shapes, tdlint reports no shape rule
    CRASH = "tdlint crash"  # tdlint raised


@dataclass(frozen=True)
class KerasResult:
    built: bool
    shape: Outputs | None = None
    params: int | None = None
    error: str = ""  # "ValueError: message", when it failed
    shape_error: str | None = None  # the family, when it failed on shapes


@dataclass(frozen=True)
class TdlintResult:
    found: bool  # tdlint reported a model named ``model``
    shape: Outputs | None = None  # None unless every dim is known (an int or dynamic)
    params: int | None = None
    findings: tuple[str, ...] = ()  # "TDL101: message" for the shape rules
    crash: str = ""
    lost_at: str = ""  # the first layer whose output shape tdlint does not know


@dataclass(frozen=True)
class Discrepancy:
    kind: Kind
    seed: int
    source: str
    detail: str  # what differed, in one line

    def describe(self) -> str:
        return f"seed {self.seed}: {self.detail}\n{self.source}"


@dataclass
class Counts:
    programs: int = 0
    built: int = 0
    rejected_shape: int = 0
    rejected_other: int = 0
    covered: int = 0  # of built
    equal: int = 0  # of covered
    caught: int = 0  # of rejected_shape
    false_alarms: int = 0  # of built
    crashes: int = 0
    # Rejections by shape and those caught, per Keras error family ("rank", "merge"...).
    rejected_by_family: Counter[str] = field(default_factory=Counter)
    caught_by_family: Counter[str] = field(default_factory=Counter)

    def table(self) -> str:
        """The counts with their percentages, one per line."""
        rows: list[tuple[str, int, int, str]] = [  # name, count, out of, what of
            ("built", self.built, self.programs, "of programs"),
            ("rejected by shape", self.rejected_shape, self.programs, "of programs"),
            ("rejected otherwise", self.rejected_other, self.programs, "of programs (left out)"),
            ("covered", self.covered, self.built, "of built"),
            ("equal", self.equal, self.covered, "of covered"),
            ("caught", self.caught, self.rejected_shape, "of rejected by shape"),
        ]
        for family, rejected in sorted(self.rejected_by_family.items()):
            caught = self.caught_by_family[family]
            rows.append((f"  {family}", caught, rejected, f"of {rejected}"))
        rows += [
            ("false alarms", self.false_alarms, self.built, "of built"),
            ("tdlint crashes", self.crashes, self.programs, "of programs"),
        ]
        lines = [f"{'programs':<20}{self.programs:>6}"]
        for name, count, whole, what in rows:
            share = f"{100 * count / whole:5.1f}%" if whole else "    -"
            lines.append(f"{name:<20}{count:>6}  {share}  {what}")
        return "\n".join(lines)


@dataclass
class Report:
    counts: Counts
    discrepancies: list[Discrepancy]

    def of_kind(self, kind: Kind) -> list[Discrepancy]:
        return [d for d in self.discrepancies if d.kind is kind]


# --------------------------------------------------------------------------------------
# Running both sides
# --------------------------------------------------------------------------------------


def keras_result(raw: dict[str, Any]) -> KerasResult:
    """Read one file's entry from ``run_keras``."""
    error = raw["error"]
    if error is not None:
        family = keras_shape_error(error["type"], error["message"])
        text = f"{error['type']}: {keras_error_text(error['message'])}"
        return KerasResult(built=False, error=text, shape_error=family)
    described = raw["models"].get(MODEL_NAME)
    if described is None or described["output_shape"] is None:
        return KerasResult(built=False, error="no model named `model` was built")
    shape = described["output_shape"]
    several = bool(shape) and all(isinstance(dims, list) for dims in shape)
    outputs = tuple(tuple(dims) for dims in shape) if several else (tuple(shape),)
    if any(isinstance(d, int) and d <= 0 for dims in outputs for d in dims):
        # An empty axis, made inside a user layer's call: the NumPy backend runs it on
        # arrays and lets it through, where Keras's own layers and TensorFlow refuse it.
        text = f"an axis of size 0 in {show(outputs)}, made inside a user layer"
        return KerasResult(built=False, error=text, shape_error="non-positive")
    return KerasResult(True, outputs, described["params"])


def _static_outputs(outputs: Sequence[object]) -> Outputs | None:
    """tdlint's output shapes if every dim of every one is an int or dynamic, else None."""
    for shape in outputs:
        if not isinstance(shape, tuple):
            return None
        if not all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in shape):
            return None
    return tuple(outputs)  # type: ignore[arg-type]


def show(outputs: Outputs | None) -> str:
    """A model's output shapes as Keras prints them: one shape, or a list of them."""
    if outputs is None:
        return "unknown"
    if len(outputs) == 1:
        return str(outputs[0])
    return f"[{', '.join(map(str, outputs))}]"


def tdlint_result(source: str, filename: str) -> TdlintResult:
    """Read one program with tdlint, in-process."""
    try:
        summaries = [s for s in infer_shapes(source, filename) if s.model == MODEL_NAME]
        findings = tuple(
            f"{d.code}: {d.message}"
            for d in check_source(source, filename)
            if d.code in SHAPE_RULES
        )
    except Exception as exc:  # a crash is a finding of its own, not the end of the run
        return TdlintResult(found=False, crash=f"{type(exc).__name__}: {exc}")
    if not summaries:
        return TdlintResult(found=False, findings=findings)
    summary = summaries[-1]
    lost = next(
        (row for row in summary.layers if _static_outputs([row.output_shape]) is None), None
    )
    lost_at = "" if lost is None else f"{lost.layer} (line {lost.line}) {lost.note}".rstrip()
    return TdlintResult(
        found=True,
        shape=_static_outputs(summary.outputs),
        params=summary.params,
        findings=findings,
        lost_at=lost_at,
    )


def _run_keras_in_chunks(
    pool: ThreadPoolExecutor, paths: Sequence[Path], jobs: int
) -> list[Future[dict[str, Any]]]:
    """One ``run_keras`` call per job, each under ``MAX_CHUNK`` programs (the runner has a
    time limit)."""
    size = max(1, min(MAX_CHUNK, -(-len(paths) // max(1, jobs))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    return [pool.submit(run_keras, chunk) for chunk in chunks]


def compare(seeds: Iterable[int], jobs: int = 1, directory: Path | None = None) -> Report:
    """Generate, build and read one program per seed.

    Keras runs in ``jobs`` subprocesses side by side (one ``run_keras`` call each, more if
    a job would exceed ``MAX_CHUNK`` programs) while tdlint reads the programs in this
    process. ``directory`` keeps the programs (a temporary directory if None).
    """
    programs = [generate(seed) for seed in seeds]
    with tempfile.TemporaryDirectory(prefix="tdlint-differential-") as tmp:
        root = directory or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        paths = [root / f"seed_{program.seed}.py" for program in programs]
        for program, path in zip(programs, paths, strict=True):
            path.write_text(program.source, encoding="utf-8")
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = _run_keras_in_chunks(pool, paths, jobs)
            tdlint = [
                tdlint_result(p.source, str(path)) for p, path in zip(programs, paths, strict=True)
            ]
            raw: dict[str, Any] = {}
            for future in futures:
                raw.update(future.result())
    keras = [keras_result(raw[str(path)]) for path in paths]
    return classify(programs, keras, tdlint)


def classify(
    programs: Sequence[Program], keras: Sequence[KerasResult], tdlint: Sequence[TdlintResult]
) -> Report:
    """Count the programs by outcome and keep every disagreement."""
    counts = Counts(programs=len(programs))
    found: list[Discrepancy] = []
    for program, k, t in zip(programs, keras, tdlint, strict=True):
        kinds_and_details: list[tuple[Kind, str]] = []
        if t.crash:
            counts.crashes += 1
            kinds_and_details.append((Kind.CRASH, t.crash))
        if k.built:
            counts.built += 1
            traced = USER_LAYER.search(program.source) is not None
            kinds_and_details += _check_built(counts, k, t, traced)
        elif k.shape_error is not None:
            counts.rejected_shape += 1
            counts.rejected_by_family[k.shape_error] += 1
            if t.findings:
                counts.caught += 1
                counts.caught_by_family[k.shape_error] += 1
            elif not t.crash:
                kinds_and_details.append((Kind.MISSED, f"Keras: {k.error}"))
        else:
            counts.rejected_other += 1
        found += [
            Discrepancy(kind, program.seed, program.source, d) for kind, d in kinds_and_details
        ]
    return Report(counts, found)


# A class of the program's own that extends Keras's Layer.
USER_LAYER = re.compile(r"^class \w+\([\w.]*Layer\):", re.MULTILINE)


def _dynamic_where_keras_traced(ours: Outputs, keras: Outputs) -> bool:
    """Keras 3's NumPy, JAX and PyTorch backends run a user layer's ``call`` with each
    dynamic axis set to 83, then 89, and call an output dim equal in both runs static
    (three pooling layers take 83 and 89 samples to 7); TensorFlow keeps it dynamic, and
    so does tdlint. Such a dim, dynamic for tdlint and static for Keras, is not a
    disagreement: every other dim must be equal."""
    if len(ours) != len(keras) or any(len(a) != len(b) for a, b in zip(ours, keras, strict=True)):
        return False
    pairs = [pair for a, b in zip(ours, keras, strict=True) for pair in zip(a, b, strict=True)]
    return all(x == y or (x is None and isinstance(y, int)) for x, y in pairs)


def _check_built(
    counts: Counts, k: KerasResult, t: TdlintResult, traced: bool
) -> list[tuple[Kind, str]]:
    """Count a model Keras built; what tdlint got wrong about it. ``traced``: the program
    has a user layer, whose output shape Keras works out by running its ``call``."""
    wrong: list[tuple[Kind, str]] = []
    if t.findings:
        counts.false_alarms += 1
        findings = "; ".join(t.findings)
        wrong.append((Kind.FALSE_ALARM, f"Keras built {show(k.shape)}; tdlint says {findings}"))
    if t.params is not None and t.params != k.params:
        detail = f"params: tdlint {t.params}, Keras {k.params} (output {show(k.shape)})"
        wrong.append((Kind.WRONG_PARAMS, detail))
    if t.shape is None:
        if not t.crash:
            why = "no model `model` found" if not t.found else "output shape unknown"
            where = f", first unknown after {t.lost_at}" if t.lost_at else ""
            wrong.append((Kind.NOT_COVERED, f"{why}{where}; Keras gives {show(k.shape)}"))
        return wrong
    counts.covered += 1
    if t.shape != k.shape and not (traced and _dynamic_where_keras_traced(t.shape, k.shape)):
        wrong.append((Kind.WRONG_SHAPE, f"shape: tdlint {show(t.shape)}, Keras {show(k.shape)}"))
    elif t.params is None or t.params == k.params:
        counts.equal += 1
    return wrong
