"""TDL001 dense-on-sequence-output."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from tdlint.analysis.graph import Application
from tdlint.diagnostics import Finding, FixPlan, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import (
    Invalid,
    Rule,
    RuleContext,
    application_site,
    creation_apart,
    creation_note,
    rnn_layer,
)
from tdlint.rules.sequence_intent import (
    PER_SEQUENCE,
    PER_TIMESTEP,
    UNKNOWN_LABELS,
    Evidence,
    SequenceHead,
    dense_on_sequences,
    evidence,
    reduce_sequence_fix,
    reduced_downstream,
    time_distributed_fix,
)


class DenseOnSequenceOutput(Rule):
    """A model's `Dense` head reads the per-timestep output of an RNN with
    `return_sequences=True`, and nothing in the file says one output per timestep is meant.

    Since Keras 1.2, `Dense` on a 3D tensor acts on the last axis, so the model gives one output
    per timestep, `(batch, timesteps, units)`: the classic many-to-one mistake, a classifier or
    regressor that forgot to reduce the sequence. It fails in `fit` with categorical losses
    and, with `mse`, trains silently against broadcast targets.
    Per-timestep heads are also common on purpose, so the rule first reads the file's evidence
    (see `tdlint.rules.sequence_intent`) and stays silent when the labels have a time axis, the
    RNN is a seq2seq decoder, a `RepeatVector` makes the steps, the head projects onto a
    vocabulary, the file uses CTC, or the labels cannot be seen (a generator, a `tf.data`
    pipeline, a custom training loop); and when the sequence is reduced further down. The
    message says what evidence it saw. TDL004 (opt-in) reports every implicit per-timestep
    `Dense`, for teams that want `TimeDistributed` to state the intent.
    """

    code = "TDL001"
    name = "dense-on-sequence-output"
    severity = Severity.WARNING
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for found in dense_on_sequences(ctx.graph):
            if reduced_downstream(ctx.graph, found.head):
                continue
            seen = evidence(ctx, found)
            if seen.kind in (PER_TIMESTEP, UNKNOWN_LABELS):
                continue
            yield self._finding(ctx, found, seen)

    def _finding(self, ctx: RuleContext, found: SequenceHead, seen: Evidence) -> Finding:
        app, rnn = found.head, found.rnn
        recurrent = rnn_layer(rnn.layer)
        rnn_at = ctx.at(rnn.layer.call)
        because = seen.reason or "nothing in the file says one output per timestep is meant"
        message = (
            f"`{ctx.code(app.layer.call)}`{creation_note(ctx, app)} is applied to the "
            f"sequence output of `{rnn.layer.display}` ({rnn_at}): "
            f"{format_shape(rnn.output.shape)} -> "
            f"{format_shape(app.output.shape)}, one output per timestep, but {because}"
        )
        help_text = (
            f"For one output per sequence, set `return_sequences=False` on the {recurrent.name} "
            f"at {rnn_at}, or pool the sequence (e.g. `GlobalAveragePooling1D()`). "
            f"If one output per timestep is meant, `TimeDistributed(Dense(...))` states it"
        )
        if not seen.reason:
            help_text += (
                " (tdlint saw no labels with a time axis, no decoder, no vocabulary-sized head)"
            )
        help_text += "."
        severity = None
        if ctx.keras_version in ("1.0", "1.1"):
            # Before Keras 1.2, Dense took 2D input only: this model does not build at all.
            message += "; Keras 1.0-1.1 cannot build this (Dense needs 2D input)"
            severity = Severity.ERROR
        reduce = reduce_sequence_fix(ctx, app, rnn)
        fix = reduce if seen.kind == PER_SEQUENCE else None
        # Reported where the Dense meets the sequence (``y = head(h)``), which is where the
        # shape goes wrong; the fix edits the RNN's creation.
        return Finding(
            application_site(app),
            message,
            help_text,
            fix,
            severity,
            related=creation_apart(app),
            alternatives=_alternatives(ctx, app, None if fix else reduce),
        )

    VALID = [
        # Many-to-one done right: the last RNN returns one vector per sequence.
        """
from keras import layers, models
model = models.Sequential([
    layers.Input(shape=(10, 8)),
    layers.LSTM(32),
    layers.Dense(1, activation="sigmoid"),
])
""",
        # Per-timestep output stated with TimeDistributed.
        """
from tensorflow.keras.layers import LSTM, Dense, TimeDistributed
from tensorflow.keras.models import Sequential
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(TimeDistributed(Dense(5)))
""",
        # The sequence is reduced after the per-timestep scoring Dense (attention).
        """
import keras
inp = keras.Input(shape=(20, 16))
seq = keras.layers.LSTM(32, return_sequences=True)(inp)
scores = keras.layers.Dense(1, activation="tanh")(seq)
flat = keras.layers.Flatten()(scores)
out = keras.layers.Dense(1)(flat)
model = keras.Model(inp, out)
""",
        # return_sequences from an unknown argument: nothing is known, nothing is said.
        """
from keras import layers, Sequential
def build(return_sequences):
    model = Sequential()
    model.add(layers.LSTM(32, return_sequences=return_sequences, input_shape=(10, 8)))
    model.add(layers.Dense(1))
    return model
""",
        # Trained on labels with a time axis: one output per timestep is meant.
        """
import numpy as np
from keras import layers, Sequential, Input
X = np.zeros((100, 7, 12))
Y = np.zeros((100, 7, 12), dtype=bool)
model = Sequential([Input(shape=(7, 12)), layers.LSTM(32, return_sequences=True), layers.Dense(12, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, Y)
""",
        # The head created apart and applied later, trained on labels with a time axis.
        """
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

X = np.random.rand(500, 50, 12)
Y = np.random.rand(500, 50, 3)
inputs = keras.Input(shape=(50, 12))
h = layers.GRU(32, return_sequences=True)(inputs)
head = layers.Dense(3, activation="softmax")

outputs = head(h)
model = keras.Model(inputs, outputs)
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, Y, epochs=3)
""",
        # A teacher-forcing decoder: it starts from the encoder's states.
        """
from keras.layers import Input, LSTM, Dense
from keras.models import Model
encoder_inputs = Input(shape=(None, 71))
_, state_h, state_c = LSTM(256, return_state=True)(encoder_inputs)
decoder_inputs = Input(shape=(None, 93))
decoder_outputs = LSTM(256, return_sequences=True)(decoder_inputs, initial_state=[state_h, state_c])
decoder_outputs = Dense(93, activation="softmax")(decoder_outputs)
model = Model([encoder_inputs, decoder_inputs], decoder_outputs)
""",
        # A language model: the head projects onto the Embedding's vocabulary.
        """
import keras
model = keras.Sequential([
    keras.Input(shape=(None,), dtype="int32"),
    keras.layers.Embedding(5000, 64),
    keras.layers.GRU(128, return_sequences=True),
    keras.layers.Dense(5000),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
""",
        # Labels from a generator: tdlint cannot see them, so it says nothing.
        """
from keras import layers, Sequential
model = Sequential([layers.Input(shape=(40, 3)), layers.GRU(16, return_sequences=True), layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(window_generator(), epochs=5)
""",
        # Not Keras: a Dense from elsewhere.
        """
from mylib import LSTM, Dense, Sequential
model = Sequential([LSTM(32, return_sequences=True, input_shape=(10, 8)), Dense(1)])
""",
        # PyTorch is never flagged.
        """
import torch.nn as nn
rnn = nn.LSTM(8, 32, batch_first=True)
head = nn.Linear(32, 1)
""",
    ]

    INVALID = [
        # The labels say one value per sequence: the fix the evidence supports reduces it.
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense
X = np.random.rand(200, 10, 8)
y = np.random.rand(200)
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
            fixed="""
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense
X = np.random.rand(200, 10, 8)
y = np.random.rand(200)
model = Sequential()
model.add(LSTM(32, return_sequences=False, input_shape=(10, 8)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
            message="(None, 10, 32) -> (None, 10, 1), one output per timestep, but the labels "
            "(200,) have one value per sequence",
            row=9,
        ),
        # No data in sight, but a binary classifier's head; through Dropout, in Bidirectional,
        # with the tf.keras module alias.
        Invalid(
            """
import tensorflow as tf
L = tf.keras.layers
model = tf.keras.Sequential([
    L.Bidirectional(L.GRU(16, return_sequences=True), input_shape=(None, 4)),
    L.Dropout(0.5),
    L.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
            fixed="""
import tensorflow as tf
L = tf.keras.layers
model = tf.keras.Sequential([
    L.Bidirectional(L.GRU(16, return_sequences=False), input_shape=(None, 4)),
    L.Dropout(0.5),
    L.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
            message="a 1-unit sigmoid with `binary_crossentropy` is a per-sequence classifier's",
            row=7,
        ),
        # Nothing says either way: reported, with no fix (the intent is the author's to state).
        Invalid(
            """
from keras import layers, Model, Input
inp = Input(shape=(12, 6))
seq = layers.LSTM(24, return_sequences=True)(inp)
out = layers.Dense(3, activation="softmax")(seq)
model = Model(inp, out, name="activity_classifier")
""",
            # Created and applied in one expression: no creation line to name.
            message='`layers.Dense(3, activation="softmax")` is applied to the sequence output',
            row=5,
        ),
        # Layers added in a loop with a constant count; constants propagated.
        Invalid(
            """
from tensorflow.keras import Sequential
from tensorflow.keras.layers import SimpleRNN, Dense
UNITS = 2 * 16
model = Sequential()
model.add(SimpleRNN(UNITS, return_sequences=True, input_shape=(30, 1)))
for _ in range(2):
    model.add(SimpleRNN(UNITS, return_sequences=True))
model.add(Dense(1))
""",
            message="(None, 30, 32) -> (None, 30, 1)",
        ),
        # A subclassed model: shapes unknown, but the RNN's sequence output is certain.
        # Reported in `call`, where the Dense meets the sequence, not where `__init__` makes it.
        Invalid(
            """
import keras
class Scorer(keras.Model):
    def __init__(self):
        super().__init__()
        self.rnn = keras.layers.LSTM(64, return_sequences=True)
        self.head = keras.layers.Dense(1)
    def call(self, x):
        return self.head(self.rnn(x))
""",
            message="`keras.layers.Dense(1)` (created at line 7) is applied to the sequence output",
            row=9,
        ),
        # The same with the model built and named: the head is applied on its own line.
        Invalid(
            """
import keras
from keras import layers


class SentimentModel(keras.Model):
    def __init__(self, vocab_size=20000):
        super().__init__()
        self.embed = layers.Embedding(vocab_size, 64)
        self.lstm = layers.LSTM(64, return_sequences=True)
        self.out = layers.Dense(1)

    def call(self, x):
        h = self.lstm(self.embed(x))
        return self.out(h)


model = SentimentModel()
model.build((None, 200))
""",
            message="`layers.Dense(1)` (created at line 11) is applied to the sequence output of "
            "`LSTM` (line 10)",
            row=15,
        ),
        # Functional: the head is created on one line and applied later; reported where
        # it is applied.
        Invalid(
            """
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(50, 12))
h = layers.GRU(32, return_sequences=True)(inputs)
h = layers.Dropout(0.2)(h)
head = layers.Dense(3, activation="softmax")

outputs = head(h)
model = keras.Model(inputs, outputs, name="activity_classifier")
""",
            message="(created at line 8) is applied to the sequence output of `GRU` (line 6): "
            "(None, 50, 32) -> (None, 50, 3)",
            row=10,
        ),
    ]


def _alternatives(
    ctx: RuleContext, app: Application, reduce: FixPlan | None
) -> tuple[FixPlan, ...]:
    """The two remedies the help names, for the author to choose in an editor: one output per
    sequence (when it is not already the fix), or one per timestep, stated."""
    found = []
    if reduce is not None:
        found.append(replace(reduce, message=f"{reduce.message} (one output per sequence)"))
    wrap = time_distributed_fix(ctx, app)
    if wrap is not None:
        found.append(replace(wrap, message=f"{wrap.message} (one output per timestep)"))
    return tuple(found)
