"""TDL203 sequence-output-for-sequence-label."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Application, Model
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras.losses import loss_name
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import Invalid, Rule, RuleContext, rnn_layer, through_shape_preserving
from tdlint.rules.datafit import (
    data_calls,
    model_output,
    output_activation,
    silently_broadcast,
    target_problem,
)
from tdlint.rules.edits import call_with_keyword

PER_SEQUENCE_CLASSIFIERS = {"binary_crossentropy": "sigmoid"}


class SequenceOutputForSequenceLabel(Rule):
    """The model outputs one prediction per timestep (a `Dense` after `return_sequences=True`),
    but everything else says there is one label per sequence.

    The evidence: labels of lower rank than the 3D output in `fit`/`evaluate`, or a
    per-sequence classifier's head (`Dense(1, activation="sigmoid")` with
    `binary_crossentropy`). With `mse` and similar losses the labels broadcast over the
    timesteps and the model **trains without any error**, learning the wrong thing: the worst
    kind of shape bug. Mismatches Keras does reject are TDL202's.
    """

    code = "TDL203"
    name = "sequence-output-for-sequence-label"
    severity = Severity.WARNING
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for model in ctx.graph.models:
            out = model_output(model)
            if model.uncertain or out is None or len(out) != 3:
                continue
            head = _dense_on_rnn_sequence(model)
            if head is None:
                continue
            evidence = _evidence(model, out)
            if evidence is not None:
                yield self._finding(ctx, model, head, out, evidence)

    def _finding(
        self,
        ctx: RuleContext,
        model: Model,
        head: tuple[Application, Application],
        out: tuple,
        evidence: str,
    ) -> Finding:
        dense, rnn = head
        recurrent = rnn_layer(rnn.layer)
        fix = None
        if len(recurrent.applications) <= 1 and len(dense.layer.applications) == 1:
            fix = FixPlan(
                Applicability.UNSAFE,
                f"Set `return_sequences=False` on the {recurrent.name}",
                (
                    NodeEdit(
                        recurrent.call,
                        call_with_keyword(ctx.module, recurrent.call, "return_sequences", "False"),
                    ),
                ),
            )
        return Finding(
            dense.layer.call,
            f"`{model.name or 'the model'}` outputs one prediction per timestep "
            f"{format_shape(out)}, but {evidence}",
            f"For one output per sequence, set `return_sequences=False` on the {recurrent.name} "
            f"at {ctx.at(rnn.layer.call)} (or pool the sequence before the `Dense`).",
            fix,
        )

    VALID = [
        # Sequence tagging: 3D labels for a 3D output.
        """
import numpy as np
import keras
X = np.random.rand(32, 10, 4)
y = np.random.rand(32, 10, 1)
model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8, return_sequences=True), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
        """
import numpy as np
import keras
X = np.random.rand(32, 10, 4)
y = np.random.rand(32, 1)
model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
    ]

    INVALID = [
        # The silent one: mse broadcasts (32, 1) labels over the 10 timesteps.
        Invalid(
            """
import numpy as np
import keras
X = np.random.rand(32, 10, 4)
y = np.random.rand(32, 1)
model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8, return_sequences=True), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
            fixed="""
import numpy as np
import keras
X = np.random.rand(32, 10, 4)
y = np.random.rand(32, 1)
model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8, return_sequences=False), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y)
""",
            message="labels (32, 1) have one value per sequence",
        ),
        # No data in sight, but a per-sequence binary classifier's head.
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense
model = Sequential()
model.add(Embedding(5000, 32, input_length=100))
model.add(LSTM(64, return_sequences=True))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
            message="a 1-unit sigmoid with `binary_crossentropy`",
        ),
    ]


def _dense_on_rnn_sequence(model: Model) -> tuple[Application, Application] | None:
    """The model's head: a Dense on the sequence output of an RNN (TDL001's pattern)."""
    if not model.applications:
        return None
    tensor = model.current if model.kind == "sequential" else (model.outputs or [None])[0]
    if tensor is None:
        return None
    source, _ = through_shape_preserving(tensor)
    dense = source.producer
    if dense is None or dense.layer.spec.name != "Dense":
        return None
    origin, _ = through_shape_preserving(dense.input)
    rnn = origin.producer
    if rnn is None or not rnn.layer.spec.is_rnn or origin is not rnn.outputs[0]:
        return None
    return dense, rnn


def _evidence(model: Model, out: tuple) -> str | None:
    loss = loss_name(model.loss)
    for fit in data_calls([model]):
        y = fit.y
        if isinstance(y, Array) and y.rank is not None and y.rank < 3:
            if target_problem(loss, out, y) is not None:
                return None  # Keras refuses it: TDL202 reports that
            trains = (
                " and `fit` trains on them silently" if silently_broadcast(loss, out, y) else ""
            )
            return f"the labels {format_shape(tuple(y.shape))} have one value per sequence{trains}"
    activation = output_activation(
        model.current if model.kind == "sequential" else model.outputs[0]
    )
    if (
        loss in PER_SEQUENCE_CLASSIFIERS
        and out[-1] == 1
        and activation == PER_SEQUENCE_CLASSIFIERS[loss]
    ):
        return f"a 1-unit {activation} with `{loss}` is a per-sequence classifier's head"
    return None
