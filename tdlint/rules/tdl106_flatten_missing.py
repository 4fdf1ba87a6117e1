"""TDL106 flatten-missing."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.graph import Application, Model
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.losses import CLASSIFICATION_LOSSES, loss_name
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import Invalid, Rule, RuleContext, describe_origin, through_shape_preserving


class FlattenMissing(Rule):
    """A `Dense` directly on a convolutional feature map in a classifier: the classic missing
    `Flatten`.

    `Dense` acts on the last axis only, so on a `(batch, height, width, channels)` feature map
    it gives one prediction per pixel, and the model's output stays 4D.  With a classification
    loss (`categorical_crossentropy`, `sparse_categorical_crossentropy`,
    `binary_crossentropy`...) that expects one vector per sample, `fit` then fails on the label
    shape.  The rule needs all three pieces of evidence: the `Dense` on a 4D/5D map, a 4D/5D
    model output, and a classification loss in `compile`.
    """

    code = "TDL106"
    name = "flatten-missing"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for model in ctx.graph.models:
            loss = loss_name(model.loss)
            if loss not in CLASSIFICATION_LOSSES or not _spatial_output(model):
                continue
            for app in model.applications:
                if app.layer.spec.name == "Dense" and (app.input.rank or 0) >= 4:
                    yield self._finding(ctx, app, model, loss)
                    break

    def _finding(self, ctx: RuleContext, app: Application, model: Model, loss: str) -> Finding:
        source, _ = through_shape_preserving(app.input)
        pooling = "GlobalAveragePooling2D" if app.input.rank == 4 else "GlobalAveragePooling3D"
        return Finding(
            app.layer.call,
            f"`{ctx.code(app.layer.call)}` is applied to the {app.input.rank}D feature map "
            f"{format_shape(app.input.shape)} {describe_origin(ctx, source)}; the model's output "
            f"is then {format_shape(model.output_shapes[0])}, but `{loss}` expects one vector "
            "per sample",
            f"Add `Flatten()` (or `{pooling}()`) before this `Dense`.",
        )

    VALID = [
        """
from keras import Sequential, layers
model = Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, 3),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam")
""",
        # Per-pixel Dense in a segmentation model with a per-pixel loss target: no evidence.
        """
from keras import Sequential, layers
model = Sequential([
    layers.Input(shape=(64, 64, 3)),
    layers.Conv2D(16, 3, padding="same"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="mse", optimizer="adam")
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Dense
model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D((2, 2)))
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
""",
            message="the model's output is then (None, 13, 13, 10)",
        ),
        Invalid(
            """
import keras
inp = keras.Input(shape=(32, 32, 3))
x = keras.layers.Conv2D(8, 3)(inp)
out = keras.layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inp, out)
model.compile("adam", keras.losses.BinaryCrossentropy())
""",
        ),
    ]


def _spatial_output(model: Model) -> bool:
    return any(shape is not None and len(shape) >= 4 for shape in model.output_shapes)
