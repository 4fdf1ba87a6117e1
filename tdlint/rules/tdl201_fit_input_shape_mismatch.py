"""TDL201 fit-input-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.analysis.arrays import Array
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.versions import OLD
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.datafit import argument, code_name, data_calls, input_problem, model_inputs


class FitInputShapeMismatch(Rule):
    """The features passed to `fit`/`evaluate`/`predict` do not match the model's input.

    Keras checks every input array against the model: the rank must match (Keras only adds a
    missing trailing axis of size 1), and so must every known non-batch dimension. A single
    sample passed without its batch axis (`predict(x[0])`) fails the same way. The error only
    comes when `fit` starts, often after the data has been loaded and prepared.
    """

    code = "TDL201"
    name = "fit-input-shape-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for fit in data_calls(ctx.graph.trained_models, validation=True):
            if fit.model.uncertain:
                continue
            expected = model_inputs(fit.model)
            given = fit.x if isinstance(fit.x, (list, tuple)) else [fit.x]
            callee = code_name(fit.call.node.func) or f"`{fit.call.method}`"
            if fit.validation:
                callee += "'s `validation_data`"
            if len(given) != len(expected):
                # Fewer arrays than inputs always fails; Keras 3 lets a Sequential take more.
                # Arrays of unknown shape may be anything (a pipeline of a dict of columns).
                known = all(isinstance(a, Array) and a.shape is not None for a in given)
                if known and len(given) < len(expected):
                    yield Finding(
                        fit.call.node,
                        f"{callee} gets {_count(len(given), 'array')} for a model with "
                        f"{_count(len(expected), 'input')}",
                        "Pass one array per model input, in the order of the model's inputs.",
                    )
                continue  # dicts, generators, datasets: not judged
            data = fit.x_node if fit.validation else argument(fit.call.node, 0, "x")
            items = _items(data, len(expected))
            lines = ctx.graph.version.of(fit.model.keras_path)
            strict = lines if lines <= OLD else frozenset()
            for i, (array, shape) in enumerate(zip(given, expected, strict=True)):
                if not isinstance(array, Array) or shape is None:
                    continue
                several = len(expected) > 1
                target = f"input {i + 1}" if several else "an input"
                problem = input_problem(shape, array, target, strict)
                if problem is not None:
                    yield Finding(
                        fit.call.node,
                        f"{callee} gets {_data_name(data, items, i, several)} {problem}",
                        _help(shape, array, fit.unbatched),
                    )

    VALID = [
        # validation arrays shaped like the training ones; a list of arrays per input
        """
import numpy as np
import keras
X_train, y_train = np.random.rand(100, 20, 3), np.random.rand(100, 1)
X_val, y_val = np.random.rand(30, 20, 3), np.random.rand(30, 1)
model = keras.Sequential([keras.Input(shape=(20, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=10)
a, b = keras.Input(shape=(4,)), keras.Input(shape=(6,))
two = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
two.compile(loss="mse", optimizer="adam")
two.fit([np.random.rand(10, 4), np.random.rand(10, 6)], np.random.rand(10, 1))
""",
        # a pipeline of a dict of columns, one per named input: not one array
        """
import pandas as pd
import tensorflow as tf
import keras
df = pd.read_csv("heart.csv")
labels = df.pop("target")
ds = tf.data.Dataset.from_tensor_slices((dict(df), labels)).batch(32)
age, sex = keras.Input(shape=(1,), name="age"), keras.Input(shape=(1,), name="sex")
model = keras.Model([age, sex], keras.layers.Dense(1)(keras.layers.concatenate([age, sex])))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(ds, epochs=5)
""",
        """
import numpy as np
import keras
X = np.random.rand(64, 10, 3)
y = np.random.rand(64, 1)
model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
""",
        # A missing trailing axis of size 1 is added by Keras.
        """
import numpy as np
import keras
X = np.zeros((32, 20))
model = keras.Sequential([keras.Input(shape=(20, 1)), keras.layers.Conv1D(4, 3), keras.layers.GlobalMaxPooling1D()])
model.predict(X)
""",
        # A batched pipeline.
        """
import numpy as np
import tensorflow as tf
X = np.zeros((100, 10, 3))
y = np.zeros((100,))
ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(100).batch(32).prefetch(2)
model = tf.keras.Sequential([tf.keras.Input(shape=(10, 3)), tf.keras.layers.LSTM(8), tf.keras.layers.Dense(1)])
model.fit(ds, epochs=2)
""",
        # Data read from a file: unknown, silent.
        """
import numpy as np
import keras
X = np.load("features.npy")
model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(8)])
model.predict(X)
""",
    ]

    INVALID = [
        # A tf.data pipeline that was never batched: each element, one sample, is a batch.
        Invalid(
            """
import numpy as np
import tensorflow as tf
X = np.zeros((100, 10, 3))
y = np.zeros((100,))
ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(100)
model = tf.keras.Sequential([tf.keras.Input(shape=(10, 3)), tf.keras.layers.LSTM(8), tf.keras.layers.Dense(1)])
model.compile(loss="mse")
model.fit(ds, epochs=2)
""",
            message="`model.fit` gets `ds` without a sample axis: (10, 3) is one sample",
        ),
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(64, 30)
model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.fit(X, np.zeros((64, 1)))
""",
            message="`model.fit` gets `X` of rank 2 (64, 30) for an input of rank 3 (None, 10, 3)",
        ),
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_shape=(8,))])
model.predict(np.array([1, 2, 3, 4, 5, 6, 7, 8]))
""",
            message="`model.predict` gets `np.array([1, 2, 3, 4, 5, 6, 7, 8])` without a sample axis: (8,) is one sample of an input (None, 8)",
        ),
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(100, 28, 28)
inp = keras.Input(shape=(28, 28, 3))
out = keras.layers.Dense(1)(keras.layers.Flatten()(keras.layers.Conv2D(4, 3)(inp)))
model = keras.Model(inp, out)
model.evaluate(X, np.zeros((100, 1)))
""",
        ),
        Invalid(
            """
import numpy as np
import keras
numbers = keras.Input(shape=(10,))
series = keras.Input(shape=(5, 3))
both = keras.layers.Concatenate()([numbers, keras.layers.Flatten()(series)])
model = keras.Model([numbers, series], keras.layers.Dense(1)(both))
x_num = np.zeros((64, 10))
x_seq = np.zeros((64, 15))
model.fit([x_num, x_seq], np.zeros((64, 1)))
""",
            message="`model.fit` gets `x_seq` of rank 2 (64, 15) for input 2 of rank 3 (None, 5, 3)",
        ),
        # Found after a whole epoch: the validation arrays are checked like the training ones.
        Invalid(
            """
import numpy as np
import keras
X_train, y_train = np.random.rand(100, 20, 3), np.random.rand(100, 1)
X_val, y_val = np.random.rand(30, 20), np.random.rand(30, 1)
model = keras.Sequential([keras.Input(shape=(20, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=10)
""",
            message="`model.fit`'s `validation_data` gets `X_val` of rank 2 (30, 20)",
        ),
        Invalid(
            """
import numpy as np
import keras
a, b = keras.Input(shape=(4,)), keras.Input(shape=(6,))
model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
model.compile(loss="mse", optimizer="adam")
model.fit(np.random.rand(10, 4), np.random.rand(10, 1))
""",
            message="`model.fit` gets 1 array for a model with 2 inputs",
        ),
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _items(data: cst.BaseExpression | None, count: int) -> list[cst.BaseExpression] | None:
    """The elements of a literal list or tuple of inputs (``[x_text, x_image]``)."""
    if not isinstance(data, (cst.List, cst.Tuple)) or len(data.elements) != count:
        return None
    if not all(isinstance(e, cst.Element) for e in data.elements):
        return None  # ``[*xs]``
    return [e.value for e in data.elements]


def _data_name(
    data: cst.BaseExpression | None,
    items: list[cst.BaseExpression] | None,
    index: int,
    several: bool,
) -> str:
    """How the message names the array: its code (`` `x_train` ``, `` `xs[1]` `` for one of
    several in a list), else its place among the model's inputs."""
    if not several:
        return (code_name(data) if data is not None else None) or "the data"
    if items is not None:
        named = code_name(items[index])
        if named is not None:
            return named
    whole = code_name(data) if data is not None else None
    if whole is not None and isinstance(data, (cst.Name, cst.Attribute)):
        return f"`{whole.strip('`')}[{index}]`"  # ``xs`` holds the arrays: ``xs[1]``
    return f"array {index + 1}"


def _help(expected: tuple, array: Array, unbatched: bool = False) -> str:
    if unbatched:
        return (
            "A `tf.data` pipeline's elements are batches to Keras: batch it before `fit` "
            "(`dataset.batch(32)`)."
        )
    rank = len(expected)
    if array.rank is not None and array.rank < rank:
        return "Reshape the data to the model's input (e.g. `X.reshape(n, timesteps, features)` or `np.expand_dims`), or fix `input_shape`."
    return (
        "Make the data and the model's `input_shape` agree: reshape the data, or fix `input_shape`."
    )
