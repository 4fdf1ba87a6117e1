"""TDL201 fit-input-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.arrays import Array
from tdlint.diagnostics import Finding, Severity
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.datafit import data_calls, input_problem, model_inputs


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
        for fit in data_calls(ctx.graph.models):
            if fit.model.uncertain:
                continue
            expected = model_inputs(fit.model)
            given = fit.x if isinstance(fit.x, (list, tuple)) else [fit.x]
            if len(given) != len(expected):
                continue  # dicts, generators, datasets: not judged
            for i, (array, shape) in enumerate(zip(given, expected, strict=True)):
                if not isinstance(array, Array) or shape is None:
                    continue
                problem = input_problem(shape, array)
                if problem is not None:
                    which = f"input {i + 1} of " if len(expected) > 1 else ""
                    yield Finding(
                        fit.call.node,
                        f"`{fit.call.method}` gets {which}`{fit.model.name or 'the model'}` "
                        f"{problem}",
                        _help(shape, array),
                    )

    VALID = [
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
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(64, 30)
model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.fit(X, np.zeros((64, 1)))
""",
            message="rank 2 (64, 30) for an input of rank 3 (None, 10, 3)",
        ),
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_shape=(8,))])
model.predict(np.array([1, 2, 3, 4, 5, 6, 7, 8]))
""",
            message="no sample axis",
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
    ]


def _help(expected: tuple, array: Array) -> str:
    rank = len(expected)
    if array.rank is not None and array.rank < rank:
        return "Reshape the data to the model's input (e.g. `X.reshape(n, timesteps, features)` or `np.expand_dims`), or fix `input_shape`."
    return (
        "Make the data and the model's `input_shape` agree: reshape the data, or fix `input_shape`."
    )
