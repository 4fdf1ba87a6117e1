"""TDL003 time-distributed-without-time-axis."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.graph import Application, Tensor
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import (
    Invalid,
    Rule,
    RuleContext,
    application_site,
    creation_apart,
    creation_note,
    describe_origin,
    rnn_layer,
    through_shape_preserving,
)
from tdlint.rules.edits import call_with_keyword


class TimeDistributedWithoutTimeAxis(Rule):
    """`TimeDistributed(layer)` receives a tensor with no time axis for it to iterate over.

    The wrapper applies its layer to every step of axis 1, so it needs one axis more than the
    wrapped layer does: 3D for `Dense`, 5D for `Conv2D`.  Given a 2D `(batch, features)` tensor
    (typically the output of an RNN with `return_sequences=False`), Keras refuses to build the
    model: "`TimeDistributed` Layer should be passed an `input_shape` with at least 3
    dimensions" (Keras 1 and 2 raise a bare `AssertionError`).
    """

    code = "TDL003"
    name = "time-distributed-without-time-axis"
    severity = Severity.ERROR
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for app in ctx.graph.applications:
            layer = app.layer
            if layer.spec.name != "TimeDistributed" or layer.inner is None:
                continue
            rank = app.input.rank
            need = layer.spec.input_rank(layer.args)
            if rank is None or need.min is None or rank >= need.min:
                continue
            yield self._finding(ctx, app, need.min)

    def _finding(self, ctx: RuleContext, app: Application, needed: int) -> Finding:
        source, _ = through_shape_preserving(app.input)
        origin = describe_origin(ctx, source)
        message = (
            f"`{app.layer.display}`{creation_note(ctx, app)} needs a {needed}D input "
            f"(batch, time, ...), but gets "
            f"{app.input.rank}D {format_shape(app.input.shape)} {origin}"
        )
        help_text, fix = self._help_and_fix(ctx, app, source, needed)
        # Reported where the wrapper meets the tensor (``z = td(x)``); the fix edits the RNN.
        return Finding(application_site(app), message, help_text, fix, related=creation_apart(app))

    def _help_and_fix(
        self, ctx: RuleContext, app: Application, source: Tensor, needed: int
    ) -> tuple[str, FixPlan | None]:
        producer = source.producer
        if producer is not None and rnn_layer(producer.layer).spec.is_rnn:
            rnn = rnn_layer(producer.layer)
            where = ctx.at(producer.layer.call)
            help_text = (
                f"Set `return_sequences=True` on the {rnn.name} at {where} to keep its "
                "time axis; to feed an encoder's vector to a per-step decoder, repeat it with "
                "`RepeatVector(timesteps)` first."
            )
            fix = None
            single_use = len(rnn.applications) <= 1 and len(producer.layer.applications) == 1
            if needed == 3 and single_use and len(ctx.graph.consumers(source)) == 1:
                code = call_with_keyword(ctx.module, rnn.call, "return_sequences", "True")
                fix = FixPlan(
                    Applicability.UNSAFE,
                    f"Set `return_sequences=True` on the {rnn.name}",
                    (NodeEdit(rnn.call, code),),
                )
            return help_text, fix
        if producer is not None:
            return (
                "This tensor has no time axis. To run the wrapped layer once per step of a "
                "sequence made from this vector, add `RepeatVector(timesteps)` before it.",
                None,
            )
        return (
            "The input shape has no time axis: declare one, e.g. "
            "`input_shape=(timesteps, features)` for sequences of feature vectors.",
            None,
        )

    VALID = [
        """
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(TimeDistributed(Dense(5)))
""",
        # Encoder-decoder with RepeatVector: the decoder gets its time axis back.
        """
from keras import layers, Sequential, Input
model = Sequential([
    Input(shape=(7, 12)),
    layers.LSTM(64),
    layers.RepeatVector(4),
    layers.LSTM(64, return_sequences=True),
    layers.TimeDistributed(layers.Dense(12, activation="softmax")),
])
""",
        # A 5D video batch for a TimeDistributed Conv2D.
        """
import keras
inp = keras.Input(shape=(8, 32, 32, 3))
x = keras.layers.TimeDistributed(keras.layers.Conv2D(16, 3))(inp)
""",
        # Input rank unknown: a function parameter. Silent.
        """
from tensorflow.keras import layers
def head(x):
    return layers.TimeDistributed(layers.Dense(3))(x)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential()
model.add(LSTM(32, input_shape=(10, 8)))
model.add(TimeDistributed(Dense(5)))
""",
            fixed="""
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential()
model.add(LSTM(32, input_shape=(10, 8), return_sequences=True))
model.add(TimeDistributed(Dense(5)))
""",
            message="gets 2D (None, 32) from `LSTM` at line 5",
            row=6,
        ),
        # An explicit return_sequences=False, through Dropout, functional API.
        Invalid(
            """
import tensorflow as tf
inp = tf.keras.Input(shape=(20, 3))
x = tf.keras.layers.GRU(16, return_sequences=False)(inp)
x = tf.keras.layers.Dropout(0.1)(x)
out = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(1))(x)
model = tf.keras.Model(inputs=inp, outputs=out)
""",
            fixed="""
import tensorflow as tf
inp = tf.keras.Input(shape=(20, 3))
x = tf.keras.layers.GRU(16, return_sequences=True)(inp)
x = tf.keras.layers.Dropout(0.1)(x)
out = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(1))(x)
model = tf.keras.Model(inputs=inp, outputs=out)
""",
        ),
        # An input_shape without a time axis.
        Invalid(
            """
from keras import Sequential
from keras.layers import TimeDistributed, Dense
model = Sequential([TimeDistributed(Dense(8), input_shape=(16,))])
""",
            # Created and applied in one expression: no creation line to name.
            message="`TimeDistributed(Dense)` needs a 3D input (batch, time, ...), but gets 2D "
            "(None, 16) from the input shape",
            row=4,
        ),
        # TimeDistributed(Conv2D) on a 4D image batch: Conv2D needs 4D, so the wrapper 5D.
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(64, 64, 3))
x = layers.TimeDistributed(layers.Conv2D(8, 3))(inp)
""",
            message="needs a 5D input",
        ),
        # An encoder vector fed to a per-step layer without RepeatVector.
        Invalid(
            """
from keras import layers, Input
inp = Input(shape=(30,))
code = layers.Dense(16)(inp)
out = layers.TimeDistributed(layers.Dense(4))(code)
""",
            message="from `Dense` at line 4",
        ),
        # A subclassed forecaster: reported in `call`, where the wrapper meets the encoder's
        # vector, and the message names the line in `__init__` that creates it.
        Invalid(
            """
import keras
from keras import layers


class Forecaster(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = layers.LSTM(64)
        self.per_step = layers.TimeDistributed(layers.Dense(1))

    def call(self, x):
        code = self.encoder(x)
        return self.per_step(code)


model = Forecaster()
outputs = model(keras.Input(shape=(48, 3)))
""",
            fixed="""
import keras
from keras import layers


class Forecaster(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = layers.LSTM(64, return_sequences=True)
        self.per_step = layers.TimeDistributed(layers.Dense(1))

    def call(self, x):
        code = self.encoder(x)
        return self.per_step(code)


model = Forecaster()
outputs = model(keras.Input(shape=(48, 3)))
""",
            message="`TimeDistributed(Dense)` (created at line 10) needs a 3D input",
            row=14,
        ),
        # Functional: the wrapper created on one line, applied on a later one.
        Invalid(
            """
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(30, 4))
state = layers.GRU(16)(inputs)
per_step = layers.TimeDistributed(layers.Dense(4))

outputs = per_step(state)
""",
            message="(created at line 7) needs a 3D input (batch, time, ...), but gets 2D "
            "(None, 16) from `GRU` at line 6",
            row=9,
        ),
    ]
