"""TDL102 merge-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.diagnostics import Finding, Severity
from tdlint.rules.base import Invalid, Rule, RuleContext, describe_origin, shape_errors


class MergeShapeMismatch(Rule):
    """`Concatenate`, `Add`, `Multiply` and the other merge layers get shapes they cannot
    combine.

    `Concatenate` needs inputs of one rank that agree on every axis but the concatenation
    axis; the element-wise merges (`Add`, `Subtract`, `Multiply`, `Average`, `Maximum`,
    `Minimum`) need shapes that broadcast.  Keras refuses to build the model ("A `Concatenate`
    layer requires inputs with matching shapes except for the concatenation axis", "Inputs have
    incompatible shapes").
    """

    code = "TDL102"
    name = "merge-shape-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for app in shape_errors(ctx, "merge"):
            origins = "; ".join(
                f"input {i + 1} {describe_origin(ctx, t)}" for i, t in enumerate(app.inputs)
            )
            yield Finding(
                app.layer.call,
                f"{app.error.message} ({origins})",  # type: ignore[union-attr]
                "Make the inputs agree: project them to one size with `Dense`, pool or reshape "
                "the larger one, or concatenate along the axis that differs.",
            )

    VALID = [
        """
from keras import layers, Input, Model
a = Input(shape=(10, 16))
b = Input(shape=(10, 8))
x = layers.Concatenate()([a, b])
y = layers.Add()([layers.Dense(8)(a), b])
model = Model([a, b], [x, y])
""",
        # Broadcasting a size-1 axis is fine.
        """
from keras import layers, Input
a = Input(shape=(10, 16))
g = Input(shape=(1, 16))
x = layers.Multiply()([a, g])
""",
    ]

    INVALID = [
        Invalid(
            """
from keras import layers, Input
a = Input(shape=(10, 16))
b = Input(shape=(12, 8))
x = layers.Concatenate()([a, b])
""",
            message="axis 1: 10 and 12",
        ),
        Invalid(
            """
import keras
x = keras.Input(shape=(64,))
shortcut = keras.layers.Dense(32)(x)
residual = keras.layers.Dense(64)(x)
out = keras.layers.add([shortcut, residual])
""",
        ),
        Invalid(
            """
from keras import layers, Input
a = Input(shape=(10, 16))
b = Input(shape=(16,))
x = layers.concatenate([a, b], axis=-1)
""",
            message="different ranks",
        ),
    ]
