"""TDL001 dense-on-sequence-output."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Application, FileGraph
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import Invalid, Rule, RuleContext, rnn_layer, through_shape_preserving
from tdlint.rules.datafit import data_calls
from tdlint.rules.edits import ImportPlan, layers_package, spell_layer


class DenseOnSequenceOutput(Rule):
    """A `Dense` layer consumes the per-timestep output of an RNN with `return_sequences=True`.

    Since Keras 1.2, `Dense` on a 3D tensor acts on the last axis, so the model gives one output
    per timestep, `(batch, timesteps, units)`.  That is right for sequence tagging, but it is
    also the classic many-to-one mistake: a classifier whose output stayed 3D fails in `fit`
    with categorical losses and, with `mse`, trains silently against broadcast targets.
    The rule stays silent when the sequence is reduced further down (Flatten, pooling, another
    RNN...), where a per-timestep `Dense` is clearly a step inside the model, and when the
    model is trained on labels with a time axis, which says one output per timestep is meant
    (and in files using a CTC loss, whose models emit one distribution per timestep).
    """

    code = "TDL001"
    name = "dense-on-sequence-output"
    severity = Severity.WARNING
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for app in ctx.graph.applications:
            if app.layer.spec.name != "Dense" or app.input.rank != 3:
                continue
            source, passed = through_shape_preserving(app.input)
            rnn = source.producer
            if rnn is None or not rnn.layer.spec.is_rnn or source is not rnn.outputs[0]:
                continue
            if _reduced_downstream(ctx.graph, app) or _trained_per_timestep(ctx.graph, app):
                continue
            # Searched for last: most files have no candidate, and the search is not free.
            if _CTC.search(ctx.source):
                return  # CTC models emit one distribution per timestep by design
            yield self._finding(ctx, app, rnn)

    def _finding(self, ctx: RuleContext, app: Application, rnn: Application) -> Finding:
        dense, recurrent = app.layer, rnn_layer(rnn.layer)
        rnn_at = ctx.at(rnn.layer.call)
        message = (
            f"`{ctx.code(dense.call)}` is applied to the sequence output of "
            f"`{rnn.layer.display}` ({rnn_at}): {format_shape(rnn.output.shape)} -> "
            f"{format_shape(app.output.shape)}, one output per timestep"
        )
        help_text = (
            f"For one output per sequence, set `return_sequences=False` on the {recurrent.name} "
            f"at {rnn_at}, or pool the sequence (e.g. `GlobalAveragePooling1D()`). "
            f"For one output per timestep, `TimeDistributed(Dense(...))` states the intent."
        )
        severity = None
        if ctx.keras_version in ("1.0", "1.1"):
            # Before Keras 1.2, Dense took 2D input only: this model does not build at all.
            message += "; Keras 1.0-1.1 cannot build this (Dense needs 2D input)"
            severity = Severity.ERROR
        return Finding(app.layer.call, message, help_text, self._fix(ctx, app), severity)

    def _fix(self, ctx: RuleContext, app: Application) -> FixPlan | None:
        dense = app.layer
        if len(dense.applications) != 1:
            return None  # a shared layer: wrapping it would change its other uses
        plan = ImportPlan(ctx.graph, layers_package(dense))
        wrapper = spell_layer(ctx.graph, dense, "TimeDistributed", plan)
        wrapped = f"{wrapper}({ctx.module.code_for_node(dense.call)})"
        return FixPlan(
            Applicability.UNSAFE,
            "Wrap in `TimeDistributed`",
            (NodeEdit(dense.call, wrapped), *plan.edits()),
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
        # Trained on per-timestep labels: the per-timestep output is meant (a seq2seq decoder).
        """
import numpy as np
from keras import layers, Sequential, Input
X = np.zeros((100, 7, 12))
Y = np.zeros((100, 7, 12), dtype=bool)
model = Sequential([Input(shape=(7, 12)), layers.LSTM(32, return_sequences=True), layers.Dense(12, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, Y)
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
        Invalid(
            """
from keras.models import Sequential
from keras.layers import LSTM, Dense
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(Dense(1, activation="sigmoid"))
""",
            fixed="""
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential()
model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
model.add(TimeDistributed(Dense(1, activation="sigmoid")))
""",
            message="(None, 10, 32) -> (None, 10, 1)",
        ),
        # Through Dropout, inside Bidirectional, with the tf.keras module alias.
        Invalid(
            """
import tensorflow as tf
L = tf.keras.layers
model = tf.keras.Sequential([
    L.Bidirectional(L.GRU(16, return_sequences=True), input_shape=(None, 4)),
    L.Dropout(0.5),
    L.Dense(3, activation="softmax"),
])
""",
            fixed="""
import tensorflow as tf
L = tf.keras.layers
model = tf.keras.Sequential([
    L.Bidirectional(L.GRU(16, return_sequences=True), input_shape=(None, 4)),
    L.Dropout(0.5),
    L.TimeDistributed(L.Dense(3, activation="softmax")),
])
""",
            message="(None, None, 32) -> (None, None, 3)",
        ),
        # Functional API, the sequence output of a return_state RNN.
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
        Invalid(
            """
import keras
class Tagger(keras.Model):
    def __init__(self):
        super().__init__()
        self.rnn = keras.layers.LSTM(64, return_sequences=True)
        self.head = keras.layers.Dense(10)
    def call(self, x):
        return self.head(self.rnn(x))
""",
        ),
    ]


# Connectionist temporal classification (speech, OCR): per-timestep outputs are the point.
_CTC = re.compile(r"ctc_batch_cost|ctc_loss|CTCLoss|ctc_decode|\bCTC", re.IGNORECASE)


def _trained_per_timestep(graph: FileGraph, app: Application) -> bool:
    """Whether a model using this Dense is trained on labels with a time axis (3D or more):
    then one output per timestep is what the author means (seq2seq decoders, taggers)."""
    uses = {id(a) for a in app.layer.applications}  # a shared Dense: any of its models
    for model in graph.models:
        if not any(id(a) in uses for a in model.applications):
            continue
        for fit in data_calls([model]):
            labels = fit.y if isinstance(fit.y, (list, tuple)) else [fit.y]
            if any(isinstance(y, Array) and (y.rank or 0) >= 3 for y in labels):
                return True
    return False


def _reduced_downstream(graph: FileGraph, app: Application) -> bool:
    """Whether the Dense's per-timestep output is later reduced by a layer that consumes the
    time axis (Flatten, pooling, an RNN...), rather than ending up as a model output."""
    frontier, seen = [app.output], set()
    while frontier:
        tensor = frontier.pop()
        for consumer in graph.consumers(tensor):
            if id(consumer) in seen:
                continue
            seen.add(id(consumer))
            spec = consumer.layer.spec
            if spec.shape_preserving or spec.name == "Dense":
                frontier.extend(consumer.outputs)
            else:
                return True
    return False
