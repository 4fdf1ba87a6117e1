"""TDL004 implicit-per-timestep-dense (opt-in)."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.sequence_intent import (
    PER_SEQUENCE,
    dense_on_sequences,
    evidence,
    time_distributed_fix,
)


class ImplicitPerTimestepDense(Rule):
    """A `Dense` applied to an RNN's sequence output without `TimeDistributed` to say so.

    The strict reading of TDL001, for teams that want every per-timestep `Dense` to state its
    intent: `TimeDistributed(Dense(...))` computes the same thing as a `Dense` on a 3D tensor,
    and tells the reader (and tdlint) that one output per timestep is meant. Off unless
    selected. Heads that the file's evidence says should be per sequence are left to TDL001
    and TDL203: wrapping them would only restate the mistake.
    """

    code = "TDL004"
    name = "implicit-per-timestep-dense"
    severity = Severity.WARNING
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for found in dense_on_sequences(ctx.graph):
            if evidence(ctx, found).kind == PER_SEQUENCE:
                continue
            app, rnn = found.head, found.rnn
            message = (
                f"`{ctx.code(app.layer.call)}` runs once per timestep on the sequence output of "
                f"`{rnn.layer.display}` ({ctx.at(rnn.layer.call)}): "
                f"{format_shape(rnn.output.shape)} -> {format_shape(app.output.shape)}"
            )
            help_text = "Write `TimeDistributed(Dense(...))` to state that this is meant."
            yield Finding(app.layer.call, message, help_text, time_distributed_fix(ctx, app))

    VALID = [
        # Stated with TimeDistributed.
        """
from tensorflow.keras.layers import LSTM, Dense, TimeDistributed
from tensorflow.keras.models import Sequential
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(TimeDistributed(Dense(5)))
""",
        # One output per sequence: no time axis, nothing to state.
        """
from keras import layers, models
model = models.Sequential([layers.Input(shape=(10, 8)), layers.LSTM(32), layers.Dense(1)])
""",
        # The labels say one value per sequence: a mistake for TDL001/TDL203, not a wrap.
        """
import numpy as np
import keras
X = np.random.rand(32, 10, 4)
y = np.random.rand(32, 1)
model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8, return_sequences=True), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
    ]

    INVALID = [
        # A tagger whose intent is clear to TDL001 (labels with a time axis), yet unstated.
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense
X = np.zeros((100, 10, 8))
Y = np.zeros((100, 10, 5))
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(Dense(5, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, Y)
""",
            fixed="""
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
X = np.zeros((100, 10, 8))
Y = np.zeros((100, 10, 5))
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(TimeDistributed(Dense(5, activation="softmax")))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, Y)
""",
            message="(None, 10, 32) -> (None, 10, 5)",
        ),
        # Inside a model too (an attention score), through Dropout, with a module alias.
        Invalid(
            """
import tensorflow as tf
L = tf.keras.layers
inp = tf.keras.Input(shape=(20, 16))
seq = L.Bidirectional(L.GRU(16, return_sequences=True))(inp)
scores = L.Dense(1, activation="tanh")(L.Dropout(0.2)(seq))
model = tf.keras.Model(inp, L.Flatten()(scores))
""",
            fixed="""
import tensorflow as tf
L = tf.keras.layers
inp = tf.keras.Input(shape=(20, 16))
seq = L.Bidirectional(L.GRU(16, return_sequences=True))(inp)
scores = L.TimeDistributed(L.Dense(1, activation="tanh"))(L.Dropout(0.2)(seq))
model = tf.keras.Model(inp, L.Flatten()(scores))
""",
            message="(None, 20, 32) -> (None, 20, 1)",
        ),
        # A decoder's head (seq2seq), functional API.
        Invalid(
            """
from keras import layers, Model, Input
inp = Input(shape=(12, 6))
seq, h, c = layers.LSTM(24, return_sequences=True, return_state=True)(inp)
out = layers.Dense(2)(seq)
model = Model(inp, out)
""",
            fixed="""
from keras import layers, Model, Input
inp = Input(shape=(12, 6))
seq, h, c = layers.LSTM(24, return_sequences=True, return_state=True)(inp)
out = layers.TimeDistributed(layers.Dense(2))(seq)
model = Model(inp, out)
""",
        ),
    ]
