"""Models built at their first call, against Keras 3: a Sequential without an input shape
gets its shapes from the first tensor it is applied to, or from ``model.build(shape)``, as in
Keras; each of its rows must equal the output shape and parameter count of Keras's layer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle.harness import keras_available, run_keras_files

from tdlint.api import infer_shapes

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

HEADER = "import keras\nfrom keras import layers\n"

# Each program names the Sequential models to compare in `CHECK`.
PROGRAMS = [
    """
augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.Rescaling(1 / 255)])
head = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(3)])
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Flatten()(augment(inputs))
model = keras.Model(inputs, head(x))
CHECK = ["augment", "head"]
""",
    """
built = keras.Sequential([layers.Conv2D(4, 3), layers.MaxPooling2D(), layers.Conv2D(2, 3)])
built.build((None, 16, 12, 3))
CHECK = ["built"]
""",
    """
ffn = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(8)])


class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.ffn = ffn
        self.norm = layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.ffn(x))


inputs = keras.Input(shape=(5, 8))
model = keras.Model(inputs, Block()(inputs))
# Built inside a custom layer's call, which Keras 3 traces with the dynamic axis set to 83:
# Keras's `layer.output` keeps that 83, and so does tdlint's dim (which it prints as None).
CHECK = ["ffn"]
""",
    """
tower = keras.Sequential([layers.Conv1D(6, 3, padding="same"), layers.GlobalAveragePooling1D()])
a = keras.Input(shape=(9, 4))
b = keras.Input(shape=(9, 4))
model = keras.Model([a, b], layers.Concatenate()([tower(a), tower(b)]))
CHECK = ["tower"]
""",
]

KERAS_RECORD = """
def record(namespace):
    return {
        name: [[list(layer.output.shape), layer.count_params()] for layer in namespace[name].layers]
        for name in namespace["CHECK"]
    }
"""


def test_models_built_at_their_first_call_agree_with_keras(tmp_path: Path) -> None:
    paths = []
    for i, program in enumerate(PROGRAMS):
        path = tmp_path / f"first_{i}.py"
        path.write_text(HEADER + program)
        paths.append(path)
    keras_rows: dict[str, dict[str, Any]] = run_keras_files(KERAS_RECORD, paths)
    problems = []
    for path in paths:
        summaries = {s.model: s for s in infer_shapes(path.read_text(), str(path))}
        for name, expected in keras_rows[str(path)].items():
            summary = summaries[name]
            got = [
                [None if r.output_shape is None else list(r.output_shape), r.params]
                for r in summary.layers
            ]
            if got != expected:
                problems.append(f"{path.name} {name}:\n  tdlint {got}\n  keras  {expected}")
            if summary.status != "known":
                problems.append(f"{path.name} {name}: {summary.status}")
    assert not problems, "\n".join(problems)


# Subclassed models Keras builds when they are first used: by `build`, by `fit`'s data, or
# called on a tensor. Keras's per-layer parameter counts, total and output shape (the model
# called on a batch of 2, the batch axis then written as None) must be tdlint's.
SUBCLASSED = [
    """
class Classifier(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv = layers.Conv2D(8, 3, activation="relu")
        self.pool = layers.GlobalAveragePooling2D()
        self.out = layers.Dense(num_classes)

    def call(self, x):
        return self.out(self.pool(self.conv(x)))


x_train = np.zeros((20, 12, 12, 1))
model = Classifier(4)
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, np.zeros((20, 4)), epochs=1, verbose=0)
""",
    """
class TwoTowers(keras.Model):
    def __init__(self):
        super().__init__()
        self.towers = [layers.Dense(6), layers.Dense(3)]
        self.join = layers.Concatenate()
        self.scale = self.add_weight(shape=(9,), initializer="ones")

    def call(self, x):
        return self.join([tower(x) for tower in self.towers]) * self.scale


model = TwoTowers()
model.build((None, 5))
""",
]

KERAS_SUBCLASSED_RECORD = """
def record(namespace):
    model = namespace["model"]
    out = model(np.zeros([2, *namespace["INPUT"]], dtype="float32"))
    return {
        "layers": [layer.count_params() for layer in model.layers],
        "params": model.count_params(),
        "output": [None, *list(out.shape)[1:]],
    }
"""


def test_subclassed_models_built_by_their_use_agree_with_keras(tmp_path: Path) -> None:
    paths = []
    for i, program in enumerate(SUBCLASSED):
        path = tmp_path / f"sub_{i}.py"
        inputs = "(12, 12, 1)" if i == 0 else "(5,)"
        path.write_text(f"import numpy as np\n{HEADER}{program}INPUT = {inputs}\n")
        paths.append(path)
    expected = run_keras_files(KERAS_SUBCLASSED_RECORD, paths, backend="jax")
    for path in paths:
        [summary] = [s for s in infer_shapes(path.read_text(), str(path)) if s.model == "model"]
        assert summary.kind == "subclassed" and summary.status == "known", summary
        want = expected[str(path)]
        assert [r.params for r in summary.layers] == want["layers"], path.read_text()
        assert summary.params == want["params"]
        assert list(summary.outputs[0]) == want["output"]
