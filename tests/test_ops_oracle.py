"""Tensor ops against real Keras 3: every case is a functional model with ops between its
layers, built by Keras (the oracle) and read by tdlint; output shapes and parameter counts
must be equal. The other spellings of each op (``tf.concat``, ``K.mean``, operators) are
checked against the ``keras.ops`` spelling Keras runs."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle.harness import keras_available, run_keras, run_tdlint_shapes

from tdlint.api import infer_shapes

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

# (input shapes, output expression): `a`, `b`, `c` are the inputs.
CASES: list[tuple[list[tuple[Any, ...]], str]] = [
    ([(10, 8)], "ops.mean(a, axis=1)"),
    ([(10, 8)], "ops.mean(a, axis=-1, keepdims=True)"),
    ([(10, 8)], "ops.sum(a, axis=(1, 2))"),
    ([(10, 8)], "ops.max(a, axis=1, keepdims=True)"),
    ([(10, 8)], "ops.mean(a)"),
    ([(10, 8)], "ops.argmax(a, axis=-1)"),
    ([(10, 8)], "ops.concatenate([a, layers.Dense(4)(a)], axis=-1)"),
    ([(10, 8), (3, 8)], "ops.concatenate([a, b], axis=1)"),
    ([(10, 8)], "ops.stack([a, a, a], axis=1)"),
    ([(10, 8)], "ops.expand_dims(a, 1)"),
    ([(10, 8)], "ops.expand_dims(a, -1)"),
    ([(10, 1)], "ops.squeeze(a, axis=-1)"),
    ([(10, 8)], "ops.transpose(a, (0, 2, 1))"),
    ([(10, 8)], "ops.reshape(a, (-1, 80))"),
    ([(10, 8)], "ops.reshape(a, (-1, 5, 16))"),
    ([(10, 8)], "ops.reshape(a, (ops.shape(a)[0], 2, 5, 8))"),
    ([(10, 8)], "layers.Dense(3)(ops.reshape(a, (-1, 80)))"),
    ([(10, 8)], "ops.reshape(a[0], (-1, 16))"),  # no dynamic axis: -1 is worked out
    ([(10, 8)], "layers.Dense(2)(ops.reshape(a[0], (4, -1)))"),
    ([(10, 8)], "ops.matmul(a, ops.transpose(a, (0, 2, 1)))"),
    ([(10, 8), (8, 4)], "ops.matmul(a, b)"),
    ([(10, 8)], "a @ ops.transpose(a, (0, 2, 1))"),
    ([(10, 8)], "ops.relu(a)"),
    ([(10, 8)], "ops.softmax(a, axis=1)"),
    ([(10, 8)], "keras.activations.gelu(a)"),
    ([(10, 8)], "ops.sqrt(ops.square(a))"),
    ([(10, 8)], "a + 1.0"),
    ([(10, 8)], "a * layers.Dense(1)(a)"),
    ([(10, 8), (8,)], "a - b"),
    ([(10, 8)], "-a"),
    ([(10, 8)], "a / ops.sum(a, axis=-1, keepdims=True)"),
    ([(10, 8)], "ops.add(a, ops.mean(a, axis=1, keepdims=True))"),
    ([(10, 8)], "ops.maximum(a, 0.0)"),
    ([(10, 8)], "a[:, 0]"),
    ([(10, 8)], "a[:, -1, :]"),
    ([(10, 8)], "a[:, 2:5]"),
    ([(10, 8)], "a[..., 0]"),
    ([(10, 8)], "a[:, None]"),
    ([(10, 8)], "a[:, ::2, 1:]"),
    ([(10,)], "ops.one_hot(ops.cast(a, 'int32'), 5)"),
    ([(10, 8)], "a + layers.Embedding(10, 8)(ops.arange(0, 10))"),
    ([(12, 12, 3)], "ops.image.extract_patches(a, 4)"),
    ([(12, 12, 3)], "ops.image.extract_patches(a, (3, 3), strides=(2, 2), padding='same')"),
    ([(12, 12, 3)], "ops.image.resize(a, (24, 6))"),
    ([(10, 8)], "layers.Dense(ops.shape(a)[-1])(a)"),
    ([(10, 8)], "layers.Dense(a.shape[-1] * 2)(ops.mean(a, axis=1))"),
]


def _shape_code(shape: tuple[Any, ...]) -> str:
    return "(" + "".join(f"{d}, " for d in shape) + ")"


def _program(shapes: list[tuple[Any, ...]], expr: str) -> str:
    names = "abc"[: len(shapes)]
    inputs = "".join(
        f"{n} = keras.Input(shape={_shape_code(s)})\n" for n, s in zip(names, shapes, strict=True)
    )
    header = "import keras\nfrom keras import layers, ops\n"
    return header + inputs + f"out = {expr}\nmodel = keras.Model([{', '.join(names)}], out)\n"


@pytest.fixture(scope="module")
def keras_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, Any]]:
    root = tmp_path_factory.mktemp("ops")
    paths = []
    for i, (shapes, expr) in enumerate(CASES):
        path = root / f"op_{i:03}.py"
        path.write_text(_program(shapes, expr))
        paths.append(path)
    return paths, run_keras(paths)


def test_every_op_case_matches_keras(keras_results: tuple[list[Path], dict[str, Any]]) -> None:
    paths, results = keras_results
    reports = {Path(r["filename"]).name: r for r in run_tdlint_shapes(paths)}
    problems = []
    for path, (_, expr) in zip(paths, CASES, strict=True):
        expected = results[str(path)]
        assert expected["error"] is None, (expr, expected["error"])
        want = (expected["models"]["model"]["output_shape"], expected["models"]["model"]["params"])
        report = reports.get(path.name)
        got = (report["outputs"][-1], report["params"]) if report else None
        if got != want:
            problems.append(f"{expr}\n    tdlint {got}\n    keras  {want}")
    assert not problems, "\n".join(problems)


# Other spellings of the same ops: tdlint must give them the shape Keras gives the
# `keras.ops` spelling on the right (which the oracle above checks where it is a case).
SPELLINGS = [
    ("tf.concat([a, a], axis=-1)", "ops.concatenate([a, a], axis=-1)"),
    ("tf.concat([a, a], 1)", "ops.concatenate([a, a], axis=1)"),
    ("K.concatenate([a, a])", "ops.concatenate([a, a], axis=-1)"),
    ("tf.reduce_mean(a, axis=1)", "ops.mean(a, axis=1)"),
    ("tf.math.reduce_sum(a, 1, keepdims=True)", "ops.sum(a, axis=1, keepdims=True)"),
    ("K.mean(a, axis=-1, keepdims=True)", "ops.mean(a, axis=-1, keepdims=True)"),
    ("tf.reduce_max(a)", "ops.max(a)"),
    ("tf.expand_dims(a, axis=1)", "ops.expand_dims(a, 1)"),
    ("K.expand_dims(a)", "ops.expand_dims(a, -1)"),
    ("tf.squeeze(a[:, :, :1], [2])", "ops.squeeze(a[:, :, :1], axis=2)"),
    ("tf.transpose(a, perm=[0, 2, 1])", "ops.transpose(a, (0, 2, 1))"),
    ("K.permute_dimensions(a, (0, 2, 1))", "ops.transpose(a, (0, 2, 1))"),
    ("tf.reshape(a, [-1, 80])", "ops.reshape(a, (-1, 80))"),
    ("K.reshape(a, (-1, 5, 16))", "ops.reshape(a, (-1, 5, 16))"),
    ("tf.matmul(a, a, transpose_b=True)", "ops.matmul(a, ops.transpose(a, (0, 2, 1)))"),
    ("tf.linalg.matmul(a, a, transpose_a=True)", "ops.matmul(ops.transpose(a, (0, 2, 1)), a)"),
    ("tf.nn.relu(a)", "ops.relu(a)"),
    ("tf.nn.softmax(a, axis=1)", "ops.softmax(a, axis=1)"),
    ("tf.math.sigmoid(a)", "ops.sigmoid(a)"),
    ("K.sigmoid(a)", "ops.sigmoid(a)"),
    ("tf.add(a, a)", "a + a"),
    ("tf.multiply(a, 2.0)", "a * 2.0"),
    ("tf.stack([a, a], axis=1)", "ops.stack([a, a], axis=1)"),
    ("tf.one_hot(a[:, 0], 5)", "ops.one_hot(a[:, 0], 5)"),
    ("tf.argmax(a)", "ops.argmax(a, axis=0)"),
    ("tf.argmax(a, axis=-1)", "ops.argmax(a, axis=-1)"),
    ("tf.shape(a)[1] * a", "a * 10"),
    ("K.int_shape(a)[-1] + a", "a + 8"),
    ("tf.image.resize(a[..., None], (4, 4))", "ops.image.resize(a[..., None], (4, 4))"),
    (
        "tf.image.extract_patches(a[..., None], sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], "
        "rates=[1, 1, 1, 1], padding='VALID')",
        "ops.image.extract_patches(a[..., None], 2)",
    ),
    (  # the sizes as tuples, as keras-io's patch layers write them
        "tf.image.extract_patches(images=a[..., None], sizes=(1, 2, 2, 1), "
        "strides=(1, 2, 2, 1), rates=(1, 1, 1, 1), padding='VALID')",
        "ops.image.extract_patches(a[..., None], 2)",
    ),
]

SPELLING_HEADER = """\
import keras
import tensorflow as tf
from keras import backend as K
from keras import layers, ops
a = keras.Input(shape=(10, 8))
"""


def _output(expr: str) -> Any:
    [summary] = infer_shapes(SPELLING_HEADER + f"model = keras.Model(a, {expr})\n")
    return summary.outputs[-1]


@pytest.mark.parametrize(("spelling", "keras_ops"), SPELLINGS)
def test_other_spellings_give_the_keras_ops_shape(spelling: str, keras_ops: str) -> None:
    got = _output(spelling)
    assert got is not None and got == _output(keras_ops)


def test_the_keras_ops_side_of_the_spellings_holds_in_keras(tmp_path: Path) -> None:
    paths = []
    for i, (_, expr) in enumerate(SPELLINGS):
        path = tmp_path / f"s_{i:03}.py"
        path.write_text(_program([(10, 8)], expr))
        paths.append(path)
    results = run_keras(paths)
    for path, (_, expr) in zip(paths, SPELLINGS, strict=True):
        keras_shape = results[str(path)]["models"]["model"]["output_shape"]
        assert list(_output(expr)) == keras_shape, expr


# What tdlint cannot know stays unknown: an op it has no entry for, an axis it cannot read,
# an operand of unknown shape.
UNKNOWN_CASES = [
    "tf.nn.conv2d(a, w, 1, 'SAME')",
    "ops.mean(a, axis=n)",
    "ops.reshape(a, (n, -1))",
    "ops.concatenate([a, mystery], axis=-1)",
    "ops.squeeze(a)",
    "ops.mean(a, axis=1, keepdims=flag)",
]


@pytest.mark.parametrize("expr", UNKNOWN_CASES)
def test_what_cannot_be_known_stays_unknown(expr: str) -> None:
    source = SPELLING_HEADER + textwrap.dedent(
        f"""\
        n = int(input())
        flag = input() == "y"
        w = mystery = unknown_thing()
        model = keras.Model(a, {expr})
        """
    )
    [summary] = infer_shapes(source)
    shape = summary.outputs[-1]
    assert shape is None or any(not (d is None or isinstance(d, int)) for d in shape), shape
