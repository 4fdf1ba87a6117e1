"""What models answer when code asks them (``model.layers[i]``, ``get_layer``, ``inputs``,
``outputs``, ``layer.output``), Sequentials built by their first ``fit``, and the data of
``predict_classes``, ``train_on_batch``, generators and ``fit_generator`` (issue 13 item 4)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle.harness import keras_available, run_keras_files

from tdlint.api import check_source, infer_shapes

HEADER = "import numpy as np\nimport keras\nfrom keras import layers\n"

# Feature extractors and heads cut out of a model, the way real scripts do it.
MODELS = """
inp = keras.Input(shape=(8,))
h = layers.Dense(16, activation="relu", name="hidden")(inp)
out = layers.Dense(3, activation="softmax", name="out")(h)
model = keras.Model(inp, out)

by_name = keras.Model(model.inputs, model.get_layer("hidden").output)
by_index = keras.Model(model.input, model.layers[1].output)
last = keras.Model(model.input, model.layers[-1].output)
extended = keras.Model(model.inputs, layers.Dense(2)(model.outputs[0]))
seq = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(5), layers.Dense(6)])
seq_cut = keras.Model(seq.inputs, seq.layers[0].output)
seq_whole = keras.Model(seq.inputs, seq.outputs)  # Keras 3 has no seq.input before a call

X = np.random.rand(40, 12)
built_by_fit = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(3)])
built_by_fit.compile(loss="mse", optimizer="adam")
built_by_fit.fit(X, np.random.rand(40, 3), epochs=1, verbose=0)
"""
NAMES = ["by_name", "by_index", "last", "extended", "seq_cut", "seq_whole", "built_by_fit"]

KERAS_RECORD = f"""
def record(namespace):
    return {{
        # a model built by `fit` traced a batch of 32: the batch axis is written None
        name: [[[None, *layer.output.shape[1:]], layer.count_params()]
               for layer in namespace[name].layers
               if type(layer).__name__ != "InputLayer"]
        for name in {NAMES!r}
    }}
"""


def summaries(source: str) -> dict[str, list[list]]:
    return {
        s.model: [
            [None if r.output_shape is None else list(r.output_shape), r.params] for r in s.layers
        ]
        for s in infer_shapes(source, "m.py")
    }


def test_models_cut_from_models_have_their_shapes() -> None:
    found = summaries(HEADER + MODELS)
    assert found["by_name"] == [[[None, 16], 144]]
    assert found["by_index"] == found["by_name"]
    assert found["last"] == [[[None, 16], 144], [[None, 3], 51]]
    assert found["extended"][-1] == [[None, 2], 8]
    assert found["seq_cut"] == [[[None, 5], 25]]
    assert found["seq_whole"] == [[[None, 5], 25], [[None, 6], 36]]
    assert found["built_by_fit"] == [[[None, 16], 208], [[None, 3], 51]]


@pytest.mark.oracle
def test_models_cut_from_models_agree_with_keras(tmp_path: Path) -> None:
    if not keras_available():
        pytest.skip("needs keras and jax")
    path = tmp_path / "models.py"
    path.write_text(HEADER + MODELS)
    expected = run_keras_files(KERAS_RECORD, [path], backend="jax")[str(path)]
    found = summaries(path.read_text())
    for name in NAMES:
        assert found[name] == expected[name], name


def test_what_tdlint_cannot_tell_stays_unknown() -> None:
    source = HEADER + textwrap.dedent(
        """
        a = keras.Input(shape=(4,))
        left = layers.Dense(3)(a)
        right = layers.Dense(5)(a)
        model = keras.Model(a, layers.Concatenate()([left, right]))
        # branches: Keras orders the layers by depth, not as written
        cut = keras.Model(model.input, model.layers[2].output)
        shared = layers.Dense(2)
        p, q = shared(left), shared(layers.Dense(3)(right))
        twice = keras.Model(a, shared.output)  # a layer applied twice has no one output
        nameless = keras.Model(a, model.get_layer("nope").output)
        """
    )
    found = {s.model: s for s in infer_shapes(source, "m.py")}
    assert found["cut"].status != "known"
    assert found["twice"].status != "known"
    assert found["nameless"].status != "known"
    assert check_source(source, "m.py") == []


GENERATOR = """
def batches(batch_size=32):
    while True:
        x = np.random.rand(batch_size, 20, 3)
        y = np.random.rand(batch_size, {labels})
        yield x, y


model = keras.Sequential(
    [keras.Input(shape=(20, 3)), layers.LSTM(8), layers.Dense(5, activation="softmax")]
)
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
"""


def test_a_generators_batches_are_checked_like_arrays() -> None:
    [finding] = check_source(HEADER + GENERATOR.format(labels=2), "m.py")
    assert finding.code == "TDL202" and "labels with 2 classes (32, 2)" in finding.message
    assert check_source(HEADER + GENERATOR.format(labels=5), "m.py", ignore=["TDL3"]) == []
    keras2 = (HEADER + GENERATOR.format(labels=2)).replace(
        "model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)",
        "model.fit_generator(batches(), steps_per_epoch=2)\n"
        "model.evaluate_generator(batches(), steps=2)",
    )
    assert [d.code for d in check_source(keras2, "m.py", ignore=["TDL3"])] == ["TDL202", "TDL202"]


def test_generators_tdlint_cannot_read_are_not_judged() -> None:
    source = HEADER + GENERATOR.format(labels=2).replace("yield x, y", "yield {'a': x}, y")
    assert check_source(source, "m.py") == []


def test_only_a_functions_own_yield_makes_it_a_generator() -> None:
    import libcst as cst

    from tdlint.analysis.generators import is_generator

    def first_function(code: str) -> cst.FunctionDef:
        return cst.parse_module(textwrap.dedent(code)).body[0]  # type: ignore[return-value]

    assert is_generator(first_function("def f():\n    while True:\n        x = yield 1\n"))
    assert not is_generator(
        first_function("def f():\n    def g():\n        yield 1\n    return g\n")
    )
    assert not is_generator(first_function("def f():\n    return (lambda: (yield))\n"))
    assert not is_generator(first_function("def f():\n    class C:\n        x = 1\n    return 2\n"))


@pytest.mark.oracle
def test_keras_3_fails_on_the_generator_tdlint_reports(tmp_path: Path) -> None:
    if not keras_available():
        pytest.skip("needs keras and jax")
    from oracle.harness import run_keras

    wrong, right = tmp_path / "wrong.py", tmp_path / "right.py"
    wrong.write_text(HEADER + GENERATOR.format(labels=2))
    right.write_text(HEADER + GENERATOR.format(labels=5))
    runs = run_keras([wrong, right], backend="jax")
    assert runs[str(wrong)]["error"] is not None and runs[str(right)]["error"] is None


KERAS2_METHODS = """
X = np.random.rand(50, {features})
y = np.random.rand(50, 1)
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy", optimizer="adam")
model.train_on_batch(X, y)
model.test_on_batch(X, y)
model.predict_on_batch(X)
model.predict_classes(X)
model.predict_proba(X)
"""


def test_every_data_method_reads_its_arrays() -> None:
    wrong = check_source(HEADER + KERAS2_METHODS.format(features=6), "m.py", ignore=["TDL3"])
    assert [d.code for d in wrong] == ["TDL201"] * 5
    assert {d.location.row for d in wrong} == {9, 10, 11, 12, 13}
    assert check_source(HEADER + KERAS2_METHODS.format(features=8), "m.py", ignore=["TDL3"]) == []


def test_a_sequential_built_by_fit_is_checked_against_its_labels() -> None:
    source = HEADER + textwrap.dedent(
        """
        X = np.random.rand(40, 12)
        y = keras.utils.to_categorical(np.random.randint(0, 4, size=(40,)), 4)
        model = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(X, y, epochs=1)
        """
    )
    [finding] = check_source(source, "m.py")
    assert finding.code == "TDL202" and "4 classes" in finding.message
    assert check_source(source.replace("Dense(3,", "Dense(4,"), "m.py") == []


def test_predict_returns_one_output_row_per_sample() -> None:
    source = HEADER + textwrap.dedent(
        """
        encoder = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(6)])
        codes = encoder.predict(np.random.rand(25, 10))
        batch_codes = encoder.predict_on_batch(np.random.rand(5, 10))
        probe = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])
        probe.compile(loss="mse", optimizer="adam")
        probe.fit(codes, np.zeros((25, 1)))
        """
    )
    [finding] = check_source(source, "m.py")
    assert finding.code == "TDL201" and "(25, 6)" in finding.message
    assert check_source(source.replace("shape=(4,)", "shape=(6,)"), "m.py") == []
    # a model with several outputs, or unknown data: nothing is claimed
    several = source.replace(
        "encoder = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(6)])",
        "i = keras.Input(shape=(10,))\nencoder = keras.Model(i, [layers.Dense(6)(i), layers.Dense(2)(i)])",
    )
    assert check_source(several, "m.py") == []


SUBCLASSED = """
class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense({units})

    def call(self, x):
        return self.out(self.hidden(x))


model = Regressor()
{build}
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(64, 30), np.random.rand(64, 1), epochs=1, verbose=0)
"""


def subclassed(units: int = 1, build: str = "") -> str:
    return HEADER + textwrap.dedent(SUBCLASSED.format(units=units, build=build))


def test_a_trained_subclassed_model_is_checked_against_its_labels() -> None:
    assert check_source(subclassed(), "m.py") == []
    wrong = subclassed(units=3).replace("np.random.rand(64, 1)", "np.random.rand(64, 2)")
    [finding] = check_source(wrong, "m.py")
    assert finding.code == "TDL202" and "(None, 3)" in finding.message


def test_build_of_a_subclass_sizes_its_layers_on_tf_keras_only() -> None:
    """tf.keras 2's build() runs call() and creates the weights; Keras 3's creates none, and
    the first fit builds the layers for its data (the oracle below runs it)."""
    built = subclassed(build="model.build((None, 20))")
    assert check_source(built, "m.py") == []
    assert check_source(built, "m.py", keras_version="3") == []
    codes = {d.code for d in check_source(built, "m.py", keras_version="2.12")}
    assert codes == {"TDL110", "TDL201"}


@pytest.mark.oracle
def test_keras_3_builds_a_subclass_at_its_first_fit(tmp_path: Path) -> None:
    if not keras_available():
        pytest.skip("needs keras and jax")
    path = tmp_path / "built.py"
    path.write_text(subclassed(build="model.build((None, 20))"))
    record = "def record(namespace):\n    return namespace['model'].layers[0].kernel.shape[0]"
    assert run_keras_files(record, [path], backend="jax")[str(path)] == 30
