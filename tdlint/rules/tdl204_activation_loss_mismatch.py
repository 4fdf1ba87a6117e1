"""TDL204 activation-loss-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.diagnostics import Finding, Severity
from tdlint.keras.losses import loss_name
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.datafit import from_logits, model_output, output_activation


class ActivationLossMismatch(Rule):
    """The output layer's activation and the loss do not go together.

    `softmax` over a single unit always outputs 1.0, so the model learns nothing;
    `from_logits=True` expects raw scores, not probabilities from `sigmoid`/`softmax`;
    `binary_crossentropy` on a multi-unit `softmax` treats mutually exclusive classes as
    independent ones; `categorical_crossentropy` on one unit is always zero. All of them train
    without an error.
    """

    code = "TDL204"
    name = "activation-loss-mismatch"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for model in ctx.graph.models:
            out = model_output(model)
            tensor = model.current if model.kind == "sequential" else (model.outputs or [None])[0]
            if model.uncertain or out is None or tensor is None or tensor.producer is None:
                continue
            activation = output_activation(tensor)
            units = out[-1] if out else None
            problem = _problem(activation, units, model.loss)
            if problem is not None:
                node = model.compile_node or tensor.producer.layer.call
                yield Finding(node, problem, _HELP)

    VALID = [
        """
import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
        """
import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(5)])
model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
""",
    ]

    INVALID = [
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1, activation="softmax")])
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
            message="`softmax` over 1 unit always outputs 1.0",
        ),
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(5, activation="softmax")])
model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
""",
            message="from_logits=True",
        ),
        Invalid(
            """
import keras
inp = keras.Input(shape=(8,))
out = keras.layers.Dense(4, activation="softmax")(inp)
model = keras.Model(inp, out)
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
        ),
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1), keras.layers.Activation("sigmoid")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
""",
            message="always zero",
        ),
    ]


_HELP = (
    "Binary or multi-label: `Dense(n, activation='sigmoid')` with `binary_crossentropy`. One class "
    "out of many: `Dense(classes, activation='softmax')` with `categorical_crossentropy` (one-hot "
    "labels) or `sparse_categorical_crossentropy` (integer labels). With `from_logits=True`, leave "
    "the last layer linear."
)


def _problem(activation: str | None, units: object, loss_value: object) -> str | None:
    loss = loss_name(loss_value)
    if activation == "softmax" and units == 1:
        return "`softmax` over 1 unit always outputs 1.0: the model cannot learn"
    if loss is None:
        return None
    if activation in ("sigmoid", "softmax") and from_logits(loss_value) is True:
        return f"a `{activation}` output with a loss that has `from_logits=True`, which expects raw scores"
    if loss == "binary_crossentropy" and activation == "softmax" and units not in (None, 1):
        return f"`binary_crossentropy` on a {units}-unit `softmax` output; softmax classes are exclusive"
    if loss == "categorical_crossentropy" and units == 1:
        return "`categorical_crossentropy` on a 1-unit output is always zero: nothing is learned"
    return None
