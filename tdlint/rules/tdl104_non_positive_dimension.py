"""TDL104 non-positive-dimension."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.graph import Application
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import Invalid, Rule, RuleContext, shape_errors


class NonPositiveDimension(Rule):
    """A stack of convolutions, pooling or cropping shrinks a spatial axis to zero or below.

    Each `valid` convolution takes `kernel_size - 1` off every spatial axis (more with
    dilation), each stride and pooling divides it; a deep stack on small inputs runs out of
    pixels.  Keras refuses to build the model ("Computed output size would be zero or
    negative").  The message walks the stack from the first layer that shrinks the axis.
    """

    code = "TDL104"
    name = "non-positive-dimension"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for app in shape_errors(ctx, "non-positive"):
            steps = " -> ".join(
                f"{step.layer.display} ({ctx.at(step.layer.call)}) "
                f"{format_shape(step.output.shape)}"
                for step in _shrinking_steps(app)
            )
            message = app.error.message  # type: ignore[union-attr]
            if steps:
                message += f"; the stack so far: {steps}"
            yield Finding(
                app.layer.call,
                message,
                'Use `padding="same"`, smaller kernels, strides or pool sizes, fewer '
                "down-sampling layers, or a larger input.",
            )

    VALID = [
        """
from keras import layers, Input
inp = Input(shape=(8, 8, 3))
x = layers.Conv2D(8, 3, padding="same")(inp)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(8, 3)(x)
x = layers.MaxPooling2D()(x)
""",
        # Dynamic spatial dims are never judged.
        """
from keras import layers, Input
inp = Input(shape=(None, None, 3))
x = layers.Conv2D(8, 7)(inp)
x = layers.MaxPooling2D(8)(x)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense
model = Sequential([
    Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
    MaxPooling2D((2, 2)),
    Conv2D(64, (3, 3), activation="relu"),
    MaxPooling2D((2, 2)),
    Conv2D(64, (3, 3), activation="relu"),
    MaxPooling2D((2, 2)),
    Conv2D(128, (3, 3), activation="relu"),
    Flatten(),
    Dense(10),
])
""",
            message="the stack so far: Conv2D (line 5) (None, 26, 26, 32)",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(10, 3))
x = layers.Conv1D(16, 11)(inp)
""",
            message="(None, 10, 3) to (None, 0, 16)",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(4, 4, 3))
x = layers.Cropping2D(((2, 2), (0, 0)))(inp)
""",
        ),
    ]


def _shrinking_steps(app: Application) -> list[Application]:
    """The spatial layers (and what keeps shape between them) before ``app``, oldest first."""
    steps: list[Application] = []
    tensor = app.input
    while tensor.producer is not None and len(steps) < 12:
        spec = tensor.producer.layer.spec
        if not (spec.shrinks_spatial or spec.shape_preserving):
            break
        if spec.shrinks_spatial:
            steps.append(tensor.producer)
        tensor = tensor.producer.input
    return steps[::-1]
