"""``layers.Lambda`` layers whose function is in the file, against real Keras 3: Keras runs
the function on symbolic tensors to find the output shape, and so does tdlint. Keras is the
oracle: no expected shape is typed here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle.harness import keras_available, run_keras, run_tdlint_shapes

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

HEADER = "import keras\nfrom keras import layers, ops\nfrom keras import backend as K\n"

# Each program defines ``model``.
PROGRAMS = [
    # Lambdas of one expression, on 2D, 3D and 4D inputs.
    "inp = keras.Input((10, 8))\n"
    "model = keras.Model(inp, layers.Lambda(lambda t: ops.mean(t, axis=1))(inp))",
    "inp = keras.Input((10, 8))\n"
    "model = keras.Model(inp, layers.Dense(3)(layers.Lambda(lambda t: t[:, -1, :])(inp)))",
    "inp = keras.Input((6, 6, 3))\n"
    "x = layers.Lambda(lambda t: ops.reshape(t, (-1, 36, 3)))(inp)\n"
    "model = keras.Model(inp, layers.Lambda(lambda t: ops.expand_dims(t, -1))(x))",
    "inp = keras.Input((None, 4))\n"
    "model = keras.Model(inp, layers.Lambda(lambda t: ops.sum(t, axis=-1, keepdims=True))(inp))",
    # A function of the file, with `arguments=`, and two inputs.
    """
def head(x, n=1):
    return x[:, :n]

inp = keras.Input((10, 8))
model = keras.Model(inp, layers.Lambda(head, arguments={"n": 3})(inp))
""",
    """
def gap(pair):
    a, b = pair
    return ops.abs(a - b)

a = keras.Input((5,))
b = keras.Input((5,))
model = keras.Model([a, b], layers.Dense(1)(layers.Lambda(gap)([a, b])))
""",
    # A declared output shape wins; with two inputs, the batch axis is the first one's.
    """
a = keras.Input((4,))
b = keras.Input((4,))
d = layers.Lambda(lambda v: ops.sum(v[0] - v[1], axis=1, keepdims=True), output_shape=(1,))([a, b])
model = keras.Model([a, b], d)
""",
    # A sinusoidal embedding: Python's math on known numbers, constants, then the input.
    """
import math
half = 8
emb = math.log(10000) / (half - 1)
freqs = ops.exp(ops.arange(half, dtype="float32") * -emb)

def embed(t):
    angles = t[:, None] * freqs[None, :]
    return ops.concatenate([ops.sin(angles), ops.cos(angles)], axis=-1)

inp = keras.Input(())
model = keras.Model(inp, layers.Dense(math.ceil(10 / 3) + math.floor(math.pi))(layers.Lambda(embed)(inp)))
""",
    # The batch axis follows the dynamic axis through the function.
    "inp = keras.Input((4,))\n"
    "model = keras.Model(inp, layers.Lambda(lambda t: ops.reshape(t, (-1, 2, 2)))(inp))",
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Any, Any]:
    root = tmp_path_factory.mktemp("lambdas")
    paths = []
    for i, program in enumerate(PROGRAMS):
        paths.append(root / f"lambda_{i:02}.py")
        paths[-1].write_text(HEADER + program.strip() + "\n")
    reports = {Path(r["filename"]).name: r for r in run_tdlint_shapes(paths)}
    return paths, run_keras(paths), reports


def test_lambda_layers_match_keras(results: tuple[list[Path], Any, Any]) -> None:
    paths, keras_results, reports = results
    problems = []
    for path in paths:
        expected = keras_results[str(path)]
        assert expected["error"] is None, (path.read_text(), expected["error"])
        want = expected["models"]["model"]
        report = reports.get(path.name)
        got = (report["outputs"][-1], report["params"]) if report else None
        if got != (want["output_shape"], want["params"]):
            problems.append(f"{path.read_text()}\n    tdlint {got}\n    keras  {want}")
    assert not problems, "\n".join(problems)
