"""Data-array shapes (tdlint/analysis/arrays.py, data.py) against real NumPy.

tdlint never runs the files it reads; it infers the shapes of the arrays a file builds. Here a
seeded generator writes small programs over the constructors, methods and indexing tdlint
understands; the test runs each program with NumPy itself (the test's own code, never through
tdlint) and compares every variable with what tdlint inferred for it. tdlint may say
"unknown"; a known dim, rank or dtype kind that differs from NumPy's is a failure, because
each one becomes a false TDL201/TDL202 on a correct program.

``to_categorical`` and ``train_test_split`` are computed with NumPy equivalents of Keras's and
scikit-learn's documented behaviour (neither library is needed).
"""

from __future__ import annotations

import math
import random
import textwrap
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
import pytest

from tdlint.analysis.arrays import Array
from tdlint.analysis.interpreter import Interpreter
from tdlint.api import check_source
from tdlint.keras.shapes import is_known

np = pytest.importorskip("numpy")

HEADER = (
    "import numpy as np\n"
    "from keras.utils import to_categorical\n"
    "from sklearn.model_selection import train_test_split\n"
)
PROGRAMS = 400
SEED = 20240601
# What the code achieves today (measured: see test_coverage_of_the_generated_programs); a
# change that makes tdlint lose shapes it knew must lower these on purpose.
MIN_KNOWN_ARRAYS = 0.91  # arrays whose every dim tdlint knows (91.6% now)
MIN_KNOWN_RANKS = 0.99  # arrays whose rank tdlint knows (99.6% now)


# ---------------------------------------------------------------------- NumPy equivalents


def to_categorical(x: Any, num_classes: int | None = None) -> Any:
    """Keras's ``to_categorical``: one-hot along a new last axis; a trailing axis of size 1
    (labels shaped (n, 1)) is replaced rather than kept."""
    labels = np.asarray(x, dtype="int64")
    shape = labels.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    flat = labels.reshape(-1)
    classes = int(flat.max()) + 1 if num_classes is None else num_classes
    return np.eye(classes, dtype="float32")[flat].reshape((*shape, classes))


def train_test_split(*arrays: Any, test_size: float = 0.25, **_: Any) -> list[Any]:
    """scikit-learn's ``train_test_split`` as far as shapes go: each array cut in two along
    its first axis (the test part rounded up), the other axes kept."""
    out = []
    for array in arrays:
        n_test = math.ceil(len(array) * test_size)
        out.extend([array[n_test:], array[:n_test]])
    return out


NAMESPACE = {"np": np, "to_categorical": to_categorical, "train_test_split": train_test_split}


# ---------------------------------------------------------------------- inference


def infer(source: str) -> dict[str, Any]:
    """tdlint's values for the module-level names of ``source`` (header included)."""
    interpreter = Interpreter(cst.parse_module(source), source)
    interpreter.run()
    return dict(interpreter.globals.vars)


def kind_of(value: Any) -> str:
    dtype = np.asarray(value).dtype
    return {"i": "int", "u": "int", "f": "float", "b": "bool"}.get(dtype.kind, dtype.kind)


@dataclass
class Tally:
    arrays: int = 0
    known: int = 0  # every dim known
    ranked: int = 0  # the rank known
    values: int = 0  # ints and tuples (len(), .shape)
    values_known: int = 0
    problems: list[str] = field(default_factory=list)


def compare(name: str, expected: Any, got: Any, tally: Tally, program: str) -> None:
    """Record one variable: NumPy's value ``expected`` against tdlint's ``got``."""

    def wrong(why: str) -> None:
        tally.problems.append(f"{name}: {why}\n{textwrap.indent(program, '    ')}")

    if isinstance(expected, list) and expected and isinstance(expected[0], np.ndarray):
        parts = got if isinstance(got, list) and len(got) == len(expected) else None
        for i, part in enumerate(expected):
            compare(f"{name}[{i}]", part, parts[i] if parts else None, tally, program)
        return
    if isinstance(expected, (np.ndarray, np.generic, float)) and not isinstance(expected, bool):
        tally.arrays += 1
        if not isinstance(got, Array) or got.shape is None:
            return  # unknown: allowed
        actual = np.shape(expected)
        tally.ranked += 1
        if len(got.shape) != len(actual):
            return wrong(f"tdlint {got.shape}, numpy {actual}")
        if any(is_known(g) and g != a for g, a in zip(got.shape, actual, strict=True)):
            return wrong(f"tdlint {got.shape}, numpy {actual}")
        tally.known += all(is_known(g) for g in got.shape)
        if got.kind is not None and got.kind != kind_of(expected):
            return wrong(f"tdlint kind {got.kind}, numpy dtype {np.asarray(expected).dtype}")
        return None
    if isinstance(expected, (int, tuple)) and not isinstance(expected, bool):
        tally.values += 1
        if isinstance(expected, int):
            if is_known(got):
                tally.values_known += 1
                if got != expected:
                    wrong(f"tdlint {got}, numpy {expected}")
            return None
        if isinstance(got, tuple):
            if len(got) != len(expected):
                return wrong(f"tdlint {got}, numpy {expected}")
            tally.values_known += all(is_known(g) for g in got)
            if any(is_known(g) and g != e for g, e in zip(got, expected, strict=True)):
                wrong(f"tdlint {got}, numpy {expected}")
    return None


# ---------------------------------------------------------------------- the generator


class Program:
    """A straight-line program built one statement at a time; every statement is run with
    NumPy as it is chosen, so later choices (axes, indices, reshape targets) fit the values
    NumPy actually has."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.env: dict[str, Any] = dict(NAMESPACE)
        self.arrays: list[str] = []

    @property
    def source(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)

    def emit(self, expr: str, name: str | None = None) -> str | None:
        """Add ``name = expr`` if NumPy accepts it; return the name (None if rejected)."""
        name = name or f"v{len(self.lines)}"
        try:
            with np.errstate(all="ignore"):  # x / 0 and the like: the shape is what counts
                exec(f"{name} = {expr}", self.env)  # the test's own generated code
        except Exception:  # an invalid choice: NumPy is the judge, the line is dropped
            return None
        self.lines.append(f"{name} = {expr}")
        value = self.env[name]
        if isinstance(value, np.ndarray) and value.size <= 10_000:
            self.arrays.append(name)
        return name

    def shape_of(self, name: str) -> tuple[int, ...]:
        return tuple(np.shape(self.env[name]))

    def pick(self) -> str:
        return self.rng.choice(self.arrays)


def dims(rng: random.Random, rank: int) -> tuple[int, ...]:
    return tuple(rng.randint(1, 5) for _ in range(rank))


def shape_code(rng: random.Random, shape: tuple[int, ...]) -> str:
    """A shape as users write it: a tuple, a list, or a bare int for one axis."""
    if len(shape) == 1 and rng.random() < 0.4:
        return str(shape[0])
    if rng.random() < 0.2:
        return "[" + ", ".join(map(str, shape)) + "]"
    return "(" + "".join(f"{d}, " for d in shape) + ")"


def nested_literal(rng: random.Random, shape: tuple[int, ...], scalars: str) -> str:
    if not shape:
        if scalars == "int":
            return str(rng.randint(-3, 9))
        if scalars == "float":
            return repr(round(rng.uniform(-2, 2), 2))
        if scalars == "bool":
            return rng.choice(["True", "False"])
        return rng.choice([str(rng.randint(0, 9)), "0.5"])  # mixed: NumPy makes floats
    inner = [nested_literal(rng, shape[1:], scalars) for _ in range(shape[0])]
    if rng.random() < 0.25:  # tuples nest like lists: [(1, 2), (3, 4)]
        return "(" + "".join(f"{item}, " for item in inner) + ")"
    return "[" + ", ".join(inner) + "]"


def source_expr(rng: random.Random) -> str:
    """A fresh array from a constructor."""
    rank = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
    shape = dims(rng, rank)
    choice = rng.randrange(14)
    if choice == 0:
        return f"np.zeros({shape_code(rng, shape)})"
    if choice == 1:
        dtype = rng.choice(["", ", dtype='int32'", ", dtype=np.float32", ", dtype=int"])
        return f"np.ones({shape_code(rng, shape)}{dtype})"
    if choice == 2:
        dtype = rng.choice(["", ", int", ", 'int32'", ", np.float32", ", dtype='uint8'", ", bool"])
        return f"np.{rng.choice(['empty', 'zeros', 'ones'])}({shape_code(rng, shape)}{dtype})"
    if choice == 3:
        fill = rng.choice(["0", "1.5", "-1", "True"])
        dtype = rng.choice(["", "", ", 'float32'", ", dtype=int"])
        return f"np.full({shape_code(rng, shape)}, {fill}{dtype})"
    if choice == 4:
        scalars = rng.choice(["int", "float", "bool", "mixed"])
        dtype = rng.choice(["", "", ", dtype='float32'", ", dtype='int64'"])
        return f"np.array({nested_literal(rng, shape, scalars)}{dtype})"
    if choice == 5:
        start, stop = rng.randint(-5, 5), rng.randint(-5, 15)
        step = rng.choice([1, 2, 3, -1, -2, 0.5, 0.25])
        form = rng.randrange(3)
        if form == 0:
            return rng.choice([f"np.arange({abs(stop) + 1})", f"np.arange({abs(stop) + 0.5})"])
        if form == 1:
            return f"np.arange({start}, {stop})"
        return f"np.arange({start}, {stop}, {step})"
    if choice == 6:
        num = rng.choice(["", ", 7", ", num=4", ", 1"])
        return f"np.linspace(0, 1{num})"
    if choice == 7:
        return f"np.random.rand({', '.join(map(str, shape))})"
    if choice == 8:
        return f"np.random.randn({', '.join(map(str, shape))})"
    if choice == 9:
        return f"np.random.randint(0, 10, size={shape_code(rng, shape)})"
    if choice == 10:
        return f"np.random.randint(0, 3, {shape_code(rng, shape)})"
    if choice == 11:
        return rng.choice(
            [
                f"np.random.random({shape_code(rng, shape)})",
                f"np.random.uniform(0, 1, {shape_code(rng, shape)})",
                f"np.random.normal(size={shape_code(rng, shape)})",
            ]
        )
    if choice == 12:
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        return rng.choice([f"np.eye({n})", f"np.eye({n}, {m})"])
    rows = [f"np.zeros({shape_code(rng, shape[1:] or (2,))})" for _ in range(shape[0])]
    return f"np.array([{', '.join(rows)}])"  # a list of arrays: the outer axis is the list


def index_item(rng: random.Random, length: int) -> str:
    choice = rng.randrange(6)
    if choice == 0 and length > 0:
        return str(rng.randint(-length, length - 1))
    if choice == 1:
        return ":"
    if choice == 2:
        return "None"
    bounds = [rng.choice(["", str(rng.randint(-6, 6))]) for _ in range(2)]
    if choice == 3:
        return f"{bounds[0]}:{bounds[1]}"
    step = rng.choice(["1", "2", "-1", "3", "-2"])
    return f"{bounds[0]}:{bounds[1]}:{step}"


def index_expr(rng: random.Random, name: str, shape: tuple[int, ...]) -> str:
    if not shape:
        return f"{name}[None]"
    form = rng.randrange(8)
    if form == 0 and shape[-1] > 0:
        return f"{name}[:, 0]" if len(shape) > 1 else f"{name}[0]"
    if form == 1:
        return f"{name}[..., None]"
    if form == 2 and shape[-1] > 0:
        return f"{name}[..., {rng.randint(-shape[-1], shape[-1] - 1)}]"
    if form == 3:
        return f"{name}[:, None]"
    items = []
    axes = rng.randint(1, len(shape))
    for axis in range(axes):
        items.append(index_item(rng, shape[axis]))
    if rng.random() < 0.3:
        items.insert(rng.randint(0, len(items)), "...")
    if rng.random() < 0.2:
        items.insert(rng.randint(0, len(items)), "np.newaxis")
    return f"{name}[{', '.join(items)}]"


def reshape_target(rng: random.Random, shape: tuple[int, ...]) -> list[str]:
    """A valid target for an array of ``shape`` (the size's factors), perhaps with a -1."""
    size = math.prod(shape)
    if size == 0:
        return [rng.choice(["0", "-1"])]
    parts: list[int] = []
    rest = size
    for _ in range(rng.randint(0, 3)):
        factors = [f for f in range(1, rest + 1) if rest % f == 0]
        f = rng.choice(factors)
        parts.append(f)
        rest //= f
    parts.append(rest)
    rng.shuffle(parts)
    target = [str(p) for p in parts]
    if rng.random() < 0.5:
        target[rng.randrange(len(target))] = "-1"
    return target


def derived_expr(rng: random.Random, program: Program) -> str:
    """An expression over arrays the program already has."""
    name = program.pick()
    shape = program.shape_of(name)
    rank = len(shape)
    choice = rng.randrange(24)
    if choice in (0, 1, 2):
        return index_expr(rng, name, shape)
    if choice == 3:
        target = reshape_target(rng, shape)
        style = rng.randrange(3)
        if style == 0:
            return f"{name}.reshape(({', '.join(target)},))"
        if style == 1:
            return f"{name}.reshape({', '.join(target)})"
        return f"np.reshape({name}, ({', '.join(target)},))"
    if choice == 4:
        return rng.choice(
            [f"{name}.reshape(-1)", f"{name}.reshape(-1, 1)", f"{name}.reshape(1, -1)"]
        )
    if choice == 5:
        axis = rng.randint(-rank - 1, rank)
        return rng.choice(
            [f"np.expand_dims({name}, {axis})", f"np.expand_dims({name}, axis={axis})"]
        )
    if choice == 6:
        count = rng.randint(1, 3)
        axis = rng.randint(-rank - 1, rank)
        return f"np.stack([{', '.join([name] * count)}], axis={axis})"
    if choice == 7 and rank:
        axis = rng.randint(-rank, rank - 1)
        other = list(shape)
        other[axis] = rng.randint(1, 4)
        partner = program.emit(f"np.ones({shape_code(rng, tuple(other))})")
        if partner is None:
            return f"{name}.copy()"
        return rng.choice(
            [
                f"np.concatenate([{name}, {partner}], axis={axis})",
                f"np.concatenate(({name}, {partner}, {name}), {axis})",
                f"np.concatenate([{name}, {partner}])",  # the default axis is 0
            ]
            if axis in (0, -rank)
            else [f"np.concatenate([{name}, {partner}], axis={axis})"]
        )
    if choice == 8:
        return f"np.vstack([{name}, {name}])"
    if choice == 9:
        return f"np.hstack(({name}, {name}))"
    if choice == 10:
        return rng.choice([f"{name}.T", f"{name}.transpose()"])
    if choice == 11:
        return rng.choice([f"{name}.flatten()", f"{name}.ravel()", f"{name}.copy()"])
    if choice == 12:
        return rng.choice(
            [f"{name}.astype('float32')", f"{name}.astype(int)", f"{name}.astype(np.uint8)"]
        )
    if choice == 13:
        return rng.choice([f"np.zeros_like({name})", f"np.ones_like({name})"])
    if choice == 14:
        classes = rng.choice(["", ", 10", ", num_classes=12"])
        labels = f"{name}.astype(int)" if rng.random() < 0.3 else None
        if labels is not None:
            labels_name = program.emit(labels)
            if labels_name is None:
                return f"{name}.copy()"
            name = labels_name
        else:
            name = program.emit(f"np.random.randint(0, 10, {shape_code(rng, shape)})") or name
        return f"to_categorical({name}{classes})"
    if choice == 15:
        return rng.choice(
            [
                f"np.zeros({name}.shape)",
                f"np.zeros({name}.shape[1:])",
                f"np.zeros((len({name}), 3))",
                f"np.ones(({name}.shape[0], {name}.ndim))",
                f"np.zeros({name}.size)",
            ]
        )
    if choice == 16:
        return f"np.array({name})"
    if choice == 17:
        return f"np.asarray([{name}, {name}])"
    if choice == 18:
        return f"{name}[np.arange(min(len({name}), 2))]" if rank else f"{name}.copy()"
    if choice == 19:  # arithmetic, reductions, masks: followed, or unknown, never guessed
        return rng.choice(
            [
                f"{name} / 255.0",
                f"{name} * 2",
                f"{name} - {name}.mean()",
                f"{name}.sum(axis=-1)",
                f"np.argmax({name}, axis=-1)",
                f"{name}[{name} > 0]",
                f"np.squeeze({name})",
                f"np.transpose({name})",
                f"{name}.max()",
            ]
        )
    if choice == 21:  # axes in a given order
        axes = list(range(rank))
        rng.shuffle(axes)
        listed = ", ".join(map(str, axes))
        return rng.choice(
            [f"{name}.transpose({listed})", f"np.transpose({name}, ({listed},))"]
            if rank
            else [f"{name}.transpose()"]
        )
    if choice == 22:  # element-wise arithmetic, broadcasting against arrays and numbers
        partner = program.pick()
        op = rng.choice(["+", "-", "*", "/", "%", "//"])
        number = rng.choice(["2", "255.0", "3"])
        return rng.choice(
            [f"{name} {op} {number}", f"{number} {op} {name}", f"{name} {op} {partner}"]
        )
    if choice == 23:  # one-hot rows picked by integer labels: np.eye(n)[labels]
        labels = program.emit(f"np.random.randint(0, 4, {shape_code(rng, shape)})")
        return f"np.eye(4)[{labels}]" if labels else f"{name}.copy()"
    return f"train_test_split({name}, {program.pick()}, test_size=0.2)"


def scalar_exprs(rng: random.Random, program: Program) -> None:
    """Values other than arrays: ``len(X)``, ``X.shape[1:]``, ``X.shape``, ``X.ndim``."""
    name = program.pick()
    expr = rng.choice(
        [
            f"len({name})",
            f"{name}.shape[1:]",
            f"{name}.shape",
            f"{name}.shape[-1]",
            f"{name}.ndim",
            f"{name}.size",
        ]
    )
    program.emit(expr)


def generate(seed: int) -> Program:
    rng = random.Random(seed)
    program = Program(rng)
    while not program.arrays:
        program.emit(source_expr(rng))
    for _ in range(rng.randint(2, 7)):
        roll = rng.random()
        if roll < 0.25:
            program.emit(source_expr(rng))
        elif roll < 0.9:
            program.emit(derived_expr(rng, program))
        else:
            scalar_exprs(rng, program)
    return program


def run_all() -> Tally:
    tally = Tally()
    for i in range(PROGRAMS):
        program = generate(SEED + i)
        inferred = infer(HEADER + program.source)
        for line in program.lines:
            name = line.split(" = ", 1)[0]
            compare(name, program.env[name], inferred.get(name), tally, program.source)
    return tally


@pytest.fixture(scope="module")
def tally() -> Tally:
    return run_all()


def test_no_known_shape_differs_from_numpy(tally: Tally) -> None:
    shown = "\n".join(tally.problems[:8])
    assert not tally.problems, f"{len(tally.problems)} disagreements with NumPy:\n{shown}"


def test_coverage_of_the_generated_programs(tally: Tally) -> None:
    # The generator itself must reach the interesting cases, and tdlint must know most of
    # them: "unknown" everywhere would pass the test above and help nobody.
    assert tally.arrays > 1500
    assert tally.ranked >= MIN_KNOWN_RANKS * tally.arrays, (tally.ranked, tally.arrays)
    assert tally.known >= MIN_KNOWN_ARRAYS * tally.arrays, (tally.known, tally.arrays)
    assert tally.values > 100 and tally.values_known >= 0.9 * tally.values


def test_the_comparison_catches_a_wrong_dim() -> None:
    # The oracle is only as good as compare(): a wrong dim, a wrong rank, a wrong kind and a
    # wrong len() are each reported; an unknown is not.
    tally = Tally()
    x = np.zeros((3, 4))
    compare("a", x, Array((3, 5), "float"), tally, "")
    compare("b", x, Array((3, 4, 1), "float"), tally, "")
    compare("c", x, Array((3, 4), "int"), tally, "")
    compare("d", 3, 4, tally, "")
    compare("e", (4,), (5,), tally, "")
    assert len(tally.problems) == 5
    ok = Tally()
    compare("f", x, Array(None), ok, "")
    compare("g", x, Array((3, 4), None), ok, "")
    compare("h", [x, x], [Array((3, 4), "float"), Array(None)], ok, "")
    assert ok.problems == [] and ok.arrays == 4 and ok.known == 2


# ---------------------------------------------------------------------- the issue's cases


@pytest.mark.parametrize(
    ("expr", "shape"),
    [
        ("np.expand_dims(np.zeros((4, 5)), -1)", (4, 5, 1)),
        ("np.expand_dims(np.zeros((4, 5)), -2)", (4, 1, 5)),
        ("np.expand_dims(np.zeros((4, 5)), -3)", (1, 4, 5)),
        ("np.expand_dims(np.zeros((4, 5)), axis=1)", (4, 1, 5)),
        ("np.zeros((4, 5)).reshape(-1)", (20,)),
        ("np.zeros((4, 5)).reshape(-1, 2)", (10, 2)),
        ("np.zeros((4, 5)).reshape((2, -1, 5))", (2, 2, 5)),
        ("np.reshape(np.zeros((4, 5)), (5, -1))", (5, 4)),
        ("np.zeros((4, 5))[:, 0]", (4,)),
        ("np.zeros((4, 5, 6))[:, 0]", (4, 6)),
        ("np.zeros((4, 5, 6))[:, :, -1]", (4, 5)),
        ("np.zeros((4, 5))[..., None]", (4, 5, 1)),
        ("np.zeros((4, 5))[None, ...]", (1, 4, 5)),
        ("np.zeros((4, 5, 6))[..., 0]", (4, 5)),
        ("np.zeros((4, 5, 6))[1:3, ..., ::2]", (2, 5, 3)),
        ("np.zeros((4, 5))[::-1]", (4, 5)),
        ("np.zeros((4, 5))[-3:]", (3, 5)),
        ("np.array([[1, 2, 3], [4, 5, 6]])", (2, 3)),
        ("np.array([[[1], [2]], [[3], [4]], [[5], [6]]])", (3, 2, 1)),
        ("np.array([[0.5, 1], [2, 3]])", (2, 2)),
        ("np.array([])", (0,)),
        ("np.array([(1, 2), (3, 4), (5, 6)])", (3, 2)),
        ("np.array(((1.0,), (2.0,)))", (2, 1)),
        ("np.concatenate([np.zeros((2, 3)), np.ones((4, 3))])", (6, 3)),
        ("np.array([np.zeros(3), np.ones(3)])", (2, 3)),
        ("np.stack([np.zeros((2, 3)), np.ones((2, 3)), np.ones((2, 3))], axis=-1)", (2, 3, 3)),
        ("np.concatenate([np.zeros((2, 3)), np.ones((2, 5))], axis=-1)", (2, 8)),
        ("np.vstack([np.zeros(3), np.ones(3)])", (2, 3)),
        ("np.hstack([np.zeros(3), np.ones(2)])", (5,)),
        ("np.zeros((2, 3, 4)).T", (4, 3, 2)),
        ("np.arange(10, 0, -3)", (4,)),
        ("np.arange(0, 1, 0.25)", (4,)),
        ("np.linspace(0, 1)", (50,)),
        ("to_categorical(np.zeros((6, 1)), 3)", (6, 3)),
        ("to_categorical(np.zeros(6), num_classes=3)", (6, 3)),
        ("to_categorical(np.zeros((6, 2)), 3)", (6, 2, 3)),
    ],
)
def test_issue_cases_equal_numpy(expr: str, shape: tuple[int, ...]) -> None:
    # The hand-written shape is checked against NumPy too, so the table cannot drift.
    assert np.shape(eval(expr, dict(NAMESPACE))) == shape
    got = infer(HEADER + f"x = {expr}\n")["x"]
    assert isinstance(got, Array) and got.shape == shape


def test_shape_values_equal_numpy() -> None:
    source = (
        HEADER + "X = np.zeros((8, 5, 3))\nn = len(X)\nrest = X.shape[1:]\nlast = X.shape[-1]\n"
    )
    values = infer(source)
    assert (values["n"], values["rest"], values["last"]) == (8, (5, 3), 3)


FIT = """\
import numpy as np
import keras
from keras import layers

{data}
model = keras.Sequential([keras.Input(shape={input_shape}), layers.Flatten(), layers.Dense({units}, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y)
"""


@pytest.mark.parametrize(
    ("data", "input_shape", "units"),
    [
        (
            "X = np.expand_dims(np.zeros((100, 8)), -1)[:, :, 0]\ny = np.eye(3)[np.zeros(100, int)]",
            "(8,)",
            3,
        ),
        ("X = np.zeros((100, 4, 2)).reshape(-1, 8)\ny = np.zeros((100, 3))", "(8,)", 3),
        ("X = np.zeros((100, 8, 3))[:, 0]\ny = np.zeros((100, 3))", "(3,)", 3),
        (
            "X = np.array([[1, 2], [3, 4], [5, 6]])\ny = np.array([[0, 1], [1, 0], [0, 1]])",
            "(2,)",
            2,
        ),
        ("X = np.zeros((100, 5))[..., None]\ny = np.zeros((100, 4))", "(5, 1)", 4),
    ],
)
def test_correct_programs_get_no_data_findings(data: str, input_shape: str, units: int) -> None:
    # Each of these is accepted by Keras; a wrong array shape would report TDL201/TDL202.
    source = FIT.format(data=data, input_shape=input_shape, units=units)
    exec(data, {"np": np})  # the data itself is valid NumPy
    codes = [d.code for d in check_source(source, "m.py")]
    assert not [c for c in codes if c in ("TDL201", "TDL202")], codes


def test_wrong_programs_do_get_data_findings() -> None:
    # The negative of the test above: the same shapes, off by one axis, are reported.
    source = FIT.format(
        data="X = np.zeros((100, 8, 3))[:, 0]\ny = np.zeros((100, 3))", input_shape="(8,)", units=3
    )
    assert "TDL201" in [d.code for d in check_source(source, "m.py")]
    source = FIT.format(
        data="X = np.zeros((100, 8))\ny = np.zeros((100, 3))[:, 0]", input_shape="(8,)", units=3
    )
    assert "TDL202" in [d.code for d in check_source(source, "m.py")]


def test_numpy_equivalents_follow_the_libraries() -> None:
    # to_categorical: a trailing axis of 1 is replaced; a rank-1 input of one label is not.
    assert to_categorical(np.array([[1], [2]]), 4).shape == (2, 4)
    assert to_categorical(np.array([1]), 4).shape == (1, 4)
    assert to_categorical(np.array([[0, 1, 2]])).shape == (1, 3, 3)
    assert to_categorical([2, 0]).tolist() == [[0, 0, 1], [1, 0, 0]]
    # train_test_split: test part rounded up, sizes add up, other axes kept.
    train, test = train_test_split(np.zeros((10, 3)), test_size=0.25)
    assert (train.shape, test.shape) == ((7, 3), (3, 3))


@pytest.mark.parametrize(
    ("expr", "kind"),
    [
        ("np.zeros((3, 2), int)", "int"),
        ("np.ones(4, 'int32')", "int"),
        ("np.empty((2,), np.float32)", "float"),
        ("np.full((2,), 1, 'float32')", "float"),
        ("np.full((2,), 1.5)", "float"),
        ("np.full((2,), 1)", "int"),
        ("np.zeros(3)", "float"),
        ("np.zeros(3, bool)", None),  # a dtype tdlint does not read: unknown, not "float"
        ("np.array([1, 2], dtype=bool)", None),
        ("np.zeros_like(np.zeros(3, int), dtype=flag)", None),
        ("np.random.randint(0, 5, size=3, dtype=np.int8)", "int"),
    ],
)
def test_dtype_arguments_decide_the_kind(expr: str, kind: str | None) -> None:
    got = infer(HEADER + f"flag = bool\nx = {expr}\n")["x"]
    assert isinstance(got, Array) and got.kind == kind
    numpy_kind = kind_of(eval(expr, {**NAMESPACE, "flag": bool}))
    assert kind is None or kind == numpy_kind
