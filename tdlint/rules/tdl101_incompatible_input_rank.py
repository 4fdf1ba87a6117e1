"""TDL101 incompatible-input-rank."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.graph import Application, Tensor
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import (
    Invalid,
    Rule,
    RuleContext,
    describe_origin,
    rnn_layer,
    shape_errors,
    through_shape_preserving,
)


class IncompatibleInputRank(Rule):
    """A layer receives a tensor of a rank it cannot take.

    Most Keras layers accept inputs of one rank only: recurrent layers need 3D
    `(batch, timesteps, features)`, `Conv2D` needs 4D `(batch, height, width, channels)`,
    `RepeatVector` needs 2D.  Keras refuses to build the model ("Input 0 of layer "lstm" is
    incompatible with the layer: expected ndim=3, found ndim=2").  The help names the usual
    cause: an RNN after an RNN with `return_sequences=False`, grayscale images without a channel
    axis, a `Dense` output fed to an RNN.
    """

    code = "TDL101"
    name = "incompatible-input-rank"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for app in shape_errors(ctx, "rank"):
            if app.layer.spec.name == "TimeDistributed" and _too_low(app):
                continue  # a missing time axis: TDL003 explains that one
            source, _ = through_shape_preserving(app.input)
            message = f"{app.error.message} {describe_origin(ctx, source)}"  # type: ignore[union-attr]
            yield Finding(app.layer.call, message, _help(ctx, app, source))

    VALID = [
        """
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3),
    layers.GlobalAveragePooling2D(),
    layers.RepeatVector(4),
    layers.LSTM(16, return_sequences=True),
    layers.LSTM(8),
])
""",
        # Unknown input rank (a function parameter): nothing is said.
        """
from keras import layers
def encoder(x):
    return layers.LSTM(8)(layers.Conv1D(4, 3)(x))
""",
    ]

    INVALID = [
        # The second RNN gets the first one's last state only.
        Invalid(
            """
from keras.models import Sequential
from keras.layers import LSTM, Dense
model = Sequential()
model.add(LSTM(64, input_shape=(20, 8)))
model.add(LSTM(32))
model.add(Dense(1))
""",
            message="`LSTM` expects 3D input, got 2D (None, 64) from `LSTM` at line 5",
        ),
        # Grayscale images without a channel axis.
        Invalid(
            """
import keras
inp = keras.Input(shape=(28, 28))
x = keras.layers.Conv2D(32, 3)(inp)
""",
            message="expects 4D input, got 3D (None, 28, 28)",
        ),
        # A Dense vector fed straight to an RNN.
        Invalid(
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, input_shape=(10,)),
    tf.keras.layers.GRU(16),
])
""",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(10, 4))
x = layers.RepeatVector(3)(inp)
""",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(100,))
x = layers.Conv1D(8, 5)(inp)
""",
            message="expects 3D input",
        ),
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(32, 32, 3))
x = layers.GlobalAveragePooling1D()(inp)
""",
        ),
    ]


def _too_low(app: Application) -> bool:
    need = app.layer.spec.input_rank(app.layer.args)
    rank = app.input.rank
    return need.min is not None and rank is not None and rank < need.min


def _help(ctx: RuleContext, app: Application, source: Tensor) -> str:
    spec = app.layer.spec
    rank = app.input.rank
    producer = source.producer
    if spec.is_rnn and rank == 2:
        if producer is not None and producer.layer.spec.is_rnn:
            rnn = rnn_layer(producer.layer)
            return (
                f"Set `return_sequences=True` on the {rnn.name} at "
                f"{ctx.at(producer.layer.call)} to pass the whole sequence on; to turn one "
                "vector into a sequence, use `RepeatVector(timesteps)`."
            )
        return (
            "An RNN needs (batch, timesteps, features). Give the vector a time axis with "
            "`RepeatVector(timesteps)`, or `Reshape((timesteps, features))`."
        )
    if (
        spec.name in ("Conv2D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose")
        and rank == 3
    ):
        return (
            "Images need a channel axis: (height, width, channels). For grayscale, add it: "
            "`shape=(height, width, 1)` or `np.expand_dims(x, -1)`."
        )
    if spec.name == "Conv1D" and rank == 2:
        return (
            "Conv1D needs (batch, steps, channels): add a channel axis, "
            "e.g. `Reshape((steps, 1))` or `input_shape=(steps, 1)`."
        )
    if spec.name == "RepeatVector":
        return "RepeatVector repeats a 2D (batch, features) vector; pool or flatten first."
    if spec.name.startswith("Global"):
        return "Use the global pooling layer whose dimension matches the input (1D, 2D or 3D)."
    need = spec.input_rank(app.layer.args)
    return f"Reshape the input to {need.describe()}, or use a layer made for {format_shape(app.input.shape)}."
