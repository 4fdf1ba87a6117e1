"""TDL107 unbuildable-weights."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.diagnostics import Finding, Severity
from tdlint.rules.base import Invalid, Rule, RuleContext, describe_origin, shape_errors


class UnbuildableWeights(Rule):
    """A layer cannot create its weights: an axis they are sized by is undefined (`None`), or
    its channels do not split into `groups`.

    `Dense` sizes its kernel by the input's last axis, recurrent layers by the feature axis,
    convolutions by the channel axis, normalization layers by their `axis`.  When that axis
    is dynamic (`Input(shape=(None, None))`, a `Flatten` of a variable-length input), Keras
    refuses to build the layer ("Shapes used to initialize variables must be fully-defined",
    "The last dimension of the inputs to a `Dense` layer should be defined"). A grouped
    convolution needs input channels and filters divisible by `groups`.
    """

    code = "TDL107"
    name = "unbuildable-weights"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for kind in ("undefined", "weights"):
            for app in shape_errors(ctx, kind):
                origin = describe_origin(ctx, app.input)
                yield Finding(
                    app.layer.call,
                    f"{app.error.message} {origin}",  # type: ignore[union-attr]
                    "Give that axis a size (in `Input(shape=...)`), pool or pad variable-length "
                    "axes before layers with weights, or pick `groups` that divide the channels."
                    if kind == "weights"
                    else "Give that axis a size in `Input(shape=...)`, or pool the variable-length "
                    "axis (e.g. `GlobalAveragePooling1D()`) before this layer.",
                )

    VALID = [
        """
import keras
from keras import layers
tokens = keras.Input(shape=(None,))
x = layers.Embedding(1000, 16)(tokens)
x = layers.LSTM(8)(x)
out = layers.Dense(1)(x)
model = keras.Model(tokens, out)
""",
        """
from keras import layers, Input
inp = Input(shape=(32, 32, 8))
x = layers.Conv2D(16, 3, groups=4)(inp)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(None, 3))
x = layers.Flatten()(inp)
out = layers.Dense(4)(x)
""",
            message="undefined (None) in (None, None)",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(10, None))
x = layers.LSTM(4)(inp)
""",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(12, 12, 3))
x = layers.Conv2D(8, 3, groups=4)(inp)
""",
            message="3 input channels do not split into 4 groups",
        ),
    ]
