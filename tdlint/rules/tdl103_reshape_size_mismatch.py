"""TDL103 reshape-size-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import Invalid, Rule, RuleContext, describe_origin, shape_errors


class ReshapeSizeMismatch(Rule):
    """A `Reshape` whose target holds a different number of elements than its input, or that
    has more than one `-1`.

    `Reshape` only rearranges: the product of the target dims must equal the product of the
    input's non-batch dims.  Keras refuses to build the model ("The total size of the tensor
    must be unchanged").
    """

    code = "TDL103"
    name = "reshape-size-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for app in shape_errors(ctx, "reshape"):
            yield Finding(
                app.layer.call,
                f"{app.error.message}; the input is {format_shape(app.input.shape)} "  # type: ignore[union-attr]
                f"{describe_origin(ctx, app.input)}",
                "Pick a target whose sizes multiply to the input's size, or let Keras compute "
                "one axis with a single `-1`.",
            )

    VALID = [
        """
from keras import layers, Input
inp = Input(shape=(28, 28))
x = layers.Reshape((28, 28, 1))(inp)
y = layers.Reshape((-1, 4))(inp)
""",
        # The input size is unknown: silent.
        """
from keras import layers, Input
inp = Input(shape=(None, 8))
x = layers.Reshape((4, 2, -1))(inp)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(28, 28))
x = layers.Reshape((28, 28, 3))(inp)
""",
            message="784 elements into 2352",
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense, Reshape
model = Sequential([Dense(100, input_shape=(10,)), Reshape((-1, -1))])
""",
            message="only infer one unknown dimension",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(10,))
x = layers.Reshape((-1, 3))(inp)
""",
        ),
    ]
