"""TDL110 shared-layer-input-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.analysis.graph import Application, Layer
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.catalogue import lookup
from tdlint.keras.shapes import format_shape, is_known
from tdlint.rules.base import (
    Invalid,
    Rule,
    RuleContext,
    application_site,
    creation_apart,
)


class SharedLayerInputMismatch(Rule):
    """A layer applied again to an input its weights do not fit.

    A layer object creates its weights for the first input it gets: a `Dense` a kernel of
    that input's width, an `LSTM` or a convolution kernels of its feature or channel count.
    Applied again (a shared layer, a Siamese tower), it must get inputs of that size; Keras
    refuses another ("Input 0 of layer "dense" is incompatible with the layer: expected axis
    -1 of input shape to have value 4, but received input with shape (None, 6)"). Layers
    whose weights do not depend on the input (`Dropout`, `Activation`, pooling, `Embedding`)
    may be shared freely.
    """

    code = "TDL110"
    name = "shared-layer-input-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for layer in ctx.graph.layers:
            if len(layer.applications) < 2 or lookup(layer.spec.name) is not layer.spec:
                continue  # applied once; or a model, a custom or unknown layer, a Lambda
            for builder, app in _mismatches(layer):
                yield Finding(
                    _site(ctx, app),
                    _message(ctx, layer, builder, app),
                    "Give every input the size the layer was built for (project it with "
                    "`Dense`, or reshape it), or use a separate layer for each input size.",
                    related=creation_apart(app),
                )

    VALID = [
        """
import keras
from keras import layers
left = keras.Input(shape=(10, 16))
right = keras.Input(shape=(12, 16))
shared_lstm = layers.LSTM(8)
encoded = layers.Concatenate()([shared_lstm(left), shared_lstm(right)])
dropout = layers.Dropout(0.2)
wide, narrow = keras.Input(shape=(6,)), keras.Input(shape=(4,))
features = layers.Concatenate()([dropout(wide), dropout(narrow), encoded])
model = keras.Model([left, right, wide, narrow], layers.Dense(1)(features))
""",
        # Only one of the branches runs: the layer is built by whichever it is.
        """
import keras
from keras import layers
import sys
head = layers.Dense(2)
if len(sys.argv) > 1:
    inp = keras.Input(shape=(4,))
    out = head(inp)
else:
    inp = keras.Input(shape=(6,))
    out = head(inp)
""",
    ]

    INVALID = [
        Invalid(
            """
import keras
from keras import layers
dense = layers.Dense(8)
x1 = keras.Input(shape=(4,))
x2 = keras.Input(shape=(6,))
a = dense(x1)
b = dense(x2)
""",
            message="`Dense` was built for input (None, 4) at line 7; applied to (None, 6) "
            "here, it needs axis -1 to be 4, not 6",
            row=8,
        ),
        Invalid(
            """
import keras
from keras import layers
tower = layers.Conv2D(16, 3, activation="relu")
rgb = keras.Input(shape=(32, 32, 3))
gray = keras.Input(shape=(32, 32, 1))
features = layers.Concatenate()([
    layers.GlobalAveragePooling2D()(tower(rgb)),
    layers.GlobalAveragePooling2D()(tower(gray)),
])
""",
            message="needs axis -1 to be 3, not 1",
        ),
    ]


def _mismatches(layer: Layer) -> Iterator[tuple[Application, Application]]:
    """(the application that built the layer, a later one whose input its weights do not
    fit), for each such later application."""
    apps = sorted(layer.applications, key=lambda a: a.order)
    for i, app in enumerate(apps[1:], start=1):
        builder = _certain_builder(apps[:i], app)
        if builder is None or not is_known(builder.params) or not is_known(app.params):
            continue
        if builder.params != app.params:
            yield builder, app


def _certain_builder(earlier: list[Application], app: Application) -> Application | None:
    """The application that certainly built the layer before ``app`` runs: the first one that
    runs whenever ``app`` does (not in a branch ``app`` is outside of). None when an
    application that may or may not run comes first: then which input built it is unknown."""
    for candidate in earlier:
        if candidate.run != app.run or _exclusive(candidate, app):
            continue  # another run of the analysis, or a branch that excludes ``app``
        depth = len(candidate.branches)
        return candidate if app.branches[:depth] == candidate.branches else None
    return None


def _exclusive(a: Application, b: Application) -> bool:
    """Made in different branches of one undecided ``if`` (or loop): never both run."""
    for (point_a, branch_a), (point_b, branch_b) in zip(a.branches, b.branches, strict=False):
        if point_a != point_b:
            return False
        if branch_a != branch_b:
            return True
    return False


def _site(ctx: RuleContext, app: Application) -> cst.CSTNode:
    """Where the layer meets the input: the call applying it, or, for a layer placed in a
    Sequential model (applied where it was created, for the other rules), that model."""
    site = application_site(app)
    if site is app.layer.call:
        for model in ctx.graph.models:
            if app in model.applications:
                return model.node
    return site


def _message(ctx: RuleContext, layer: Layer, builder: Application, app: Application) -> str:
    built, now = _shapes(builder), _shapes(app)
    where = ctx.at(_site(ctx, builder))
    head = f"`{layer.display}` was built for input {built} at {where}; applied to {now} here"
    axis = _differing_axis(layer, builder, app)
    if axis is not None:
        index, want, got = axis
        return f"{head}, it needs axis {index} to be {want}, not {got}"
    return f"{head}, its weights ({builder.params} parameters) do not fit it ({app.params} needed)"


def _shapes(app: Application) -> str:
    if len(app.inputs) == 1:
        return format_shape(app.input.shape)
    return "[" + ", ".join(format_shape(t.shape) for t in app.inputs) + "]"


def _differing_axis(
    layer: Layer, builder: Application, app: Application
) -> tuple[int, int, int] | None:
    """The axis the weights are sized by, as Keras names it (-1 for the feature axis, 1 for
    channels first), when the two inputs have other known sizes there; else the one axis
    where they differ, if only one does."""
    if len(builder.inputs) != 1 or len(app.inputs) != 1:
        return None
    a, b = builder.input.shape, app.input.shape
    if a is None or b is None or len(a) != len(b):
        return None
    differing = [i for i in range(1, len(a)) if is_known(a[i]) and is_known(b[i]) and a[i] != b[i]]
    fmt = layer.args.get("data_format")
    feature = 1 if isinstance(fmt, str) and fmt.lower() in ("channels_first", "th") else len(a) - 1
    axis = feature if feature in differing else differing[0] if len(differing) == 1 else None
    if axis is None:
        return None
    return (-1 if axis == len(a) - 1 else axis), a[axis], b[axis]
