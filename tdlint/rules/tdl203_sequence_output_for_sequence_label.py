"""TDL203 sequence-output-for-sequence-label."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.graph import Application, Layer, Model
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import Invalid, Rule, RuleContext, rnn_layer, through_shape_preserving
from tdlint.rules.datafit import (
    model_output,
    silently_broadcast,
    target_problem,
)
from tdlint.rules.sequence_intent import (
    PER_SEQUENCE,
    SequenceHead,
    evidence,
    label_evidence,
    reduce_sequence_fix,
    sequence_source,
)


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
            reason = _evidence(ctx, model, *head)
            if reason is not None:
                yield self._finding(ctx, model, head, out, reason)

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
        fix = reduce_sequence_fix(ctx, dense, rnn)
        subject = f"`{model.name}`" if model.name else "The model"  # a name is code; this is not
        return Finding(
            dense.layer.call,
            f"{subject} outputs one prediction per timestep {format_shape(out)}, but {evidence}",
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
        # TimeDistributed states one output per timestep, but the labels still say one per
        # sequence: the wrap does not make the model right. The fix unwraps it too.
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import GRU, Dense, TimeDistributed
X = np.random.rand(64, 20, 3)
y = np.random.rand(64, 1)
model = Sequential()
model.add(GRU(16, return_sequences=True, input_shape=(20, 3)))
model.add(TimeDistributed(Dense(1)))
model.compile(loss="mae", optimizer="adam")
model.fit(X, y)
""",
            fixed="""
import numpy as np
from keras.models import Sequential
from keras.layers import GRU, Dense, TimeDistributed
X = np.random.rand(64, 20, 3)
y = np.random.rand(64, 1)
model = Sequential()
model.add(GRU(16, return_sequences=False, input_shape=(20, 3)))
model.add(Dense(1))
model.compile(loss="mae", optimizer="adam")
model.fit(X, y)
""",
            message="the labels (64, 1) have one value per sequence and `fit` trains on them "
            "silently",
        ),
    ]


def _dense_on_rnn_sequence(model: Model) -> tuple[Application, Application] | None:
    """The model's head: a Dense on the sequence output of an RNN (TDL001's pattern), or a
    `TimeDistributed(Dense)` there: the wrap states per-timestep output, but the labels may
    still say otherwise."""
    if not model.applications:
        return None
    tensor = model.current if model.kind == "sequential" else (model.outputs or [None])[0]
    if tensor is None:
        return None
    source, _ = through_shape_preserving(tensor)
    head = source.producer
    if head is None or _dense_of(head.layer) is None:
        return None
    rnn = sequence_source(head)
    return None if rnn is None else (head, rnn)


def _dense_of(layer: Layer) -> Layer | None:
    """The Dense itself, bare or inside TimeDistributed."""
    if layer.spec.name == "TimeDistributed":
        layer = layer.inner  # type: ignore[assignment]
    return layer if layer is not None and layer.spec.name == "Dense" else None


def _evidence(ctx: RuleContext, model: Model, head: Application, rnn: Application) -> str | None:
    """Why one label per sequence is meant, from the labels (or, for a bare `Dense` head,
    from the rest of the file's evidence too); None when nothing says so, or when Keras itself
    refuses the labels (TDL202 reports that)."""
    out = model_output(model)
    if head.layer.spec.name == "Dense":
        seen = evidence(ctx, SequenceHead(head, rnn))
    else:  # TimeDistributed states per-timestep output: only the labels can contradict it
        seen = label_evidence([model])
    if seen.kind != PER_SEQUENCE:
        return None
    y, loss = seen.labels, seen.loss
    if y is not None and out is not None:
        if target_problem(loss, out, y) is not None:
            return None  # Keras refuses it: TDL202 reports that
        if silently_broadcast(loss, out, y):
            return f"{seen.reason} and `fit` trains on them silently"
    return seen.reason
