"""TDL202 fit-target-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.arrays import Array
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import is_known
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.datafit import data_calls, model_output, target_problem


class FitTargetShapeMismatch(Rule):
    """The labels passed to `fit`/`evaluate` do not match the model's output and loss.

    Cross-entropy losses check label shapes strictly: `categorical_crossentropy` needs one-hot
    labels shaped like the output, `sparse_categorical_crossentropy` integer class ids shaped
    like the output without its class axis. Labels with another class count, integer labels
    with `categorical_crossentropy`, one-hot labels with `sparse_categorical_crossentropy`,
    2D labels for a 3D output, and features and labels with different sample counts all stop
    `fit` with "Arguments `target` and `output` must have the same shape" or a cardinality
    error.

    Element-wise losses (`mse`, `mae`...) broadcast, but labels of lower rank than the output
    line their sample axis up with one of the output's axes: `(n,)` labels for a `Dense(3)`
    fail on Keras 3 and Keras 1-2.3, and tf.keras 2.x trains all three units on one label.
    """

    code = "TDL202"
    name = "fit-target-shape-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for fit in data_calls(ctx.graph.trained_models, validation=True):
            if fit.model.uncertain or not isinstance(fit.y, Array):
                continue
            callee = f"`{fit.call.method}`" + ("'s `validation_data`" if fit.validation else "")
            x = fit.x if isinstance(fit.x, Array) else None
            counts = (x.samples, fit.y.samples) if x is not None else (None, None)
            if all(is_known(c) for c in counts) and counts[0] != counts[1]:
                yield Finding(
                    fit.call.node,
                    f"{callee} gets {counts[0]} samples of features but {counts[1]} of labels",
                    "Features and labels must have one row per sample each.",
                )
                continue
            problem = target_problem(fit.loss, model_output(fit.model), fit.y)
            if problem is not None:
                yield Finding(
                    fit.call.node,
                    f"{callee} gets {problem}",
                    "Shape the labels like the model's output (or pick the loss that fits the "
                    "labels you have).",
                )

    VALID = [
        """
import numpy as np
import keras
from keras.utils import to_categorical
X = np.random.rand(50, 8)
y = to_categorical(np.random.randint(0, 3, size=(50,)), 3)
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y)
""",
        """
import numpy as np
import keras
X = np.random.rand(50, 8)
y = np.random.randint(0, 3, size=(50,))
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(X, y)
""",
        # One value per sample for one unit: the loss makes the ranks agree.
        """
import numpy as np
import keras
X = np.random.rand(50, 8)
y = np.random.rand(50)
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
    ]

    INVALID = [
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(50, 8)
y = np.random.randint(0, 3, size=(50,))
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y)
""",
            message="integer class labels (50,)",
        ),
        Invalid(
            """
import numpy as np
import keras
from keras.utils import to_categorical
X = np.random.rand(50, 8)
y = to_categorical(np.random.randint(0, 10, size=(50,)), 10)
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y)
""",
            message="labels with 10 classes",
        ),
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(50, 8)
y = np.eye(4)[np.random.randint(0, 4, size=(50,))]
y = np.zeros((50, 4))
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4, activation="softmax")])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(X, y)
""",
            message="one-hot labels (50, 4)",
        ),
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(50, 8)
y = np.random.rand(40, 1)
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
            message="50 samples of features but 40 of labels",
        ),
        # One value per sample for three units: the batch axis meets the units axis.
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(50, 8)
y = np.random.rand(50)
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
            message="lines the labels' sample axis up with the output's axis of 3",
        ),
        Invalid(
            """
import numpy as np
import keras
from keras.utils import to_categorical
X = np.random.rand(50, 8)
y = to_categorical(np.random.randint(0, 3, size=(50,)), 3)
X_val = np.random.rand(20, 8)
y_val = np.random.randint(0, 3, size=(20,))
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y, validation_data=(X_val, y_val))
""",
            message="`fit`'s `validation_data` gets integer class labels (20,)",
        ),
    ]
