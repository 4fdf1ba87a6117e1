"""TDL204 activation-loss-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.diagnostics import Finding, Severity
from tdlint.keras.losses import loss_name
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.datafit import activation_layer, from_logits, model_output


class ActivationLossMismatch(Rule):
    """The output layer's activation and the loss do not go together.

    `softmax` over a single unit always outputs 1.0, so the model learns nothing;
    `from_logits=True` expects raw scores, not probabilities from `sigmoid`/`softmax`;
    `binary_crossentropy` on a multi-unit `softmax` treats mutually exclusive classes as
    independent ones; `categorical_crossentropy` on one unit is always zero. All of them train
    without an error. The finding is on the layer that sets the activation; the message names
    the line of the `compile` with the loss.
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
            activation, layer = activation_layer(tensor)
            units = out[-1] if out else None
            if _problem(activation, units, model.loss, "") is None:
                continue  # the usual case: no line to name (positions cost a code generation)
            compiled = f" (`compile` at {ctx.at(model.compile_node)})" if model.compile_node else ""
            problem = _problem(activation, units, model.loss, compiled)
            if problem is not None:
                # On the layer whose activation is wrong, where it is written (the message
                # names the compile); a `noqa` on the compile, where it was reported, holds.
                node = (layer or tensor.producer.layer).call
                related = (model.compile_node,) if model.compile_node else ()
                yield Finding(node, problem, _HELP, related=related)

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
        # A softmax classifier compiled several lines below with the loss that fits it.
        """
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Flatten()(inputs)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)

model.summary()

model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
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
            row=3,
        ),
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(5, activation="softmax")])
model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
""",
            message="a `softmax` output with a loss that has `from_logits=True` (`compile` at line 4)",
            row=3,
        ),
        Invalid(
            """
import keras
inp = keras.Input(shape=(8,))
out = keras.layers.Dense(4, activation="softmax")(inp)
model = keras.Model(inp, out)
model.compile(loss="binary_crossentropy", optimizer="adam")
""",
            message="`binary_crossentropy` (`compile` at line 6) on a 4-unit `softmax` output",
            row=4,
        ),
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1), keras.layers.Activation("sigmoid")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
""",
            # On the `Activation` layer: it sets the output's activation.
            message="`categorical_crossentropy` (`compile` at line 4) on a 1-unit output is "
            "always zero",
            row=3,
        ),
        # An image classifier whose head is written far from its compile: reported on the
        # Dense, where the activation is, and the message names the compile's line.
        Invalid(
            """
from tensorflow import keras
from tensorflow.keras import layers

NUM_CLASSES = 10

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="predictions")(x)
model = keras.Model(inputs, outputs, name="cifar_cnn")

model.summary()

model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
""",
            message="`binary_crossentropy` (`compile` at line 17) on a 10-unit `softmax` output",
            row=12,
        ),
        # The same mistake in a Sequential built with `add`, the head created apart.
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense, Dropout

model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(20,)))
model.add(Dropout(0.5))
head = Dense(1, activation="softmax")
model.add(head)

model.compile(loss="binary_crossentropy", optimizer="sgd")
""",
            message="`softmax` over 1 unit always outputs 1.0",
            row=8,
        ),
    ]


_HELP = (
    "Binary or multi-label: `Dense(n, activation='sigmoid')` with `binary_crossentropy`. One class "
    "out of many: `Dense(classes, activation='softmax')` with `categorical_crossentropy` (one-hot "
    "labels) or `sparse_categorical_crossentropy` (integer labels). With `from_logits=True`, leave "
    "the last layer linear."
)


def _problem(
    activation: str | None, units: object, loss_value: object, compiled: str
) -> str | None:
    """What is wrong, or None; ``compiled`` says where the loss is set, after its name."""
    loss = loss_name(loss_value)
    if activation == "softmax" and units == 1:
        return "`softmax` over 1 unit always outputs 1.0: the model cannot learn"
    if loss is None:
        return None
    if activation in ("sigmoid", "softmax") and from_logits(loss_value) is True:
        return (
            f"a `{activation}` output with a loss that has `from_logits=True`{compiled}, which "
            "expects raw scores"
        )
    if loss == "binary_crossentropy" and activation == "softmax" and units not in (None, 1):
        return (
            f"`binary_crossentropy`{compiled} on a {units}-unit `softmax` output; softmax "
            "classes are exclusive"
        )
    if loss == "categorical_crossentropy" and units == 1:
        return (
            f"`categorical_crossentropy`{compiled} on a 1-unit output is always zero: nothing is "
            "learned"
        )
    return None
