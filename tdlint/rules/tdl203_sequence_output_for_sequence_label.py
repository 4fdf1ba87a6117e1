"""TDL203 sequence-output-for-sequence-label."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.analysis.graph import Application, DataCall, Layer, Model
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import format_shape
from tdlint.rules.base import (
    Invalid,
    Rule,
    RuleContext,
    application_site,
    rnn_layer,
    through_shape_preserving,
)
from tdlint.rules.datafit import (
    model_output,
    silently_broadcast,
    target_problem,
)
from tdlint.rules.sequence_intent import (
    PER_SEQUENCE,
    label_evidence,
    reduce_sequence_fix,
    sequence_source,
)


class SequenceOutputForSequenceLabel(Rule):
    """The model outputs one prediction per timestep (a `Dense` after `return_sequences=True`),
    but the labels it is trained on have one value per sequence.

    The evidence is the labels given to `fit`/`evaluate` (or the windowed pipeline they come
    from), of lower rank than the 3D output; the finding is on that call, where labels and
    output meet. With `mse` and similar losses the labels broadcast over the timesteps and the
    model **trains without any error**, learning the wrong thing: the worst kind of shape bug.
    Mismatches Keras does reject are TDL202's; a head with no labels in sight is TDL001's.
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
            seen = _label_evidence(model, out)
            if seen is not None:
                yield self._finding(ctx, model, head, out, seen)

    def _finding(
        self,
        ctx: RuleContext,
        model: Model,
        head: tuple[Application, Application],
        out: tuple,
        seen: tuple[DataCall, str],
    ) -> Finding:
        dense, rnn = head
        call, reason = seen
        recurrent = rnn_layer(rnn.layer)
        fix = reduce_sequence_fix(ctx, dense, rnn)
        subject = f"`{model.name}`" if model.name else "The model"  # a name is code; this is not
        site = application_site(dense)
        return Finding(
            call.node,
            f"{subject} outputs one prediction per timestep {format_shape(out)} from the "
            f"`{dense.layer.display}` at {ctx.at(site)}, but {reason}",
            f"For one output per sequence, set `return_sequences=False` on the {recurrent.name} "
            f"at {ctx.at(rnn.layer.call)} (or pool the sequence before the `Dense`).",
            fix,
            # Reported where it was before it moved to the labels' call: a `noqa` there holds.
            related=tuple(dict.fromkeys((dense.layer.call, site))),
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
        # No labels in sight, only a per-sequence binary classifier's head: TDL001 reports
        # that on the Dense; this rule needs the labels of a `fit` to speak.
        """
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense
model = Sequential()
model.add(Embedding(5000, 32, input_length=100))
model.add(LSTM(64, return_sequences=True))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
        # A functional regressor trained from a generator: its labels cannot be seen.
        """
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(48, 5))
h = layers.GRU(32, return_sequences=True)(inputs)
head = layers.Dense(1)
outputs = head(h)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer="adam")
model.fit(window_batches(train_series), epochs=10)
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
            row=8,
        ),
        # A functional regressor whose head is created apart; reported on the `fit` that
        # shows the labels, several lines below the Dense, which the message names.
        Invalid(
            """
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

series = np.load("load.npy")
X = np.stack([series[i : i + 48] for i in range(1000)])
y = np.random.rand(1000)

inputs = keras.Input(shape=(48, 5))
h = layers.GRU(32, return_sequences=True)(inputs)
head = layers.Dense(1)
outputs = head(h)
model = keras.Model(inputs, outputs, name="load_forecaster")
model.compile(loss="mae", optimizer="adam")

history = model.fit(
    X,
    y,
    epochs=10,
    validation_split=0.2,
)
""",
            fixed="""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

series = np.load("load.npy")
X = np.stack([series[i : i + 48] for i in range(1000)])
y = np.random.rand(1000)

inputs = keras.Input(shape=(48, 5))
h = layers.GRU(32, return_sequences=False)(inputs)
head = layers.Dense(1)
outputs = head(h)
model = keras.Model(inputs, outputs, name="load_forecaster")
model.compile(loss="mae", optimizer="adam")

history = model.fit(
    X,
    y,
    epochs=10,
    validation_split=0.2,
)
""",
            message="`model` outputs one prediction per timestep (None, 48, 1) from the `Dense` at "
            "line 13, but the labels (1000,) have one value per sequence and `fit` trains on them "
            "silently",
            row=17,
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
            row=11,
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


def _label_evidence(model: Model, out: tuple) -> tuple[DataCall, str] | None:
    """The ``fit``/``evaluate`` call whose labels say one value per sequence, and what they
    say; None when no call's labels say so, or when Keras itself refuses them (TDL202 reports
    that). The rest of the file's evidence (a binary classifier's head) is TDL001's: without
    labels there is nothing this rule adds to it."""
    seen = label_evidence([model])
    if seen.kind != PER_SEQUENCE or seen.call is None:
        return None
    y, loss = seen.labels, seen.loss
    if y is not None:
        if target_problem(loss, out, y) is not None:
            return None  # Keras refuses it: TDL202 reports that
        if silently_broadcast(loss, out, y):
            return seen.call, f"{seen.reason} and `fit` trains on them silently"
    return seen.call, seen.reason
