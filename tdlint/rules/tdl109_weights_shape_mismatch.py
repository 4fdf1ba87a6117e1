"""TDL109 weights-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import libcst as cst

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Layer
from tdlint.diagnostics import Finding, Severity
from tdlint.keras.shapes import Shape, format_shape, is_known, product
from tdlint.keras.versions import Line
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword


class WeightsShapeMismatch(Rule):
    """A layer's `weights=[...]` arrays do not have the shapes of the layer's weights.

    Keras sets the initial weights when it builds the layer, and refuses arrays of another
    shape ("Layer weight shape (20000, 100) not compatible with provided weight shape
    (10000, 100)") or another number of them. The usual way in: an embedding matrix built for
    another vocabulary or vector width than the `Embedding` it initialises, or a `Dense`
    kernel for another input width. Reported only when both shapes are known.
    """

    code = "TDL109"
    name = "weights-shape-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for layer in ctx.graph.layers:
            finding = _check_layer(ctx, layer)
            if finding is not None:
                yield finding

    VALID = [
        """
import numpy as np
import keras
from keras import layers
vocab_size, dim = 1000, 16
matrix = np.random.rand(vocab_size, dim)
tokens = keras.Input(shape=(20,))
x = layers.Embedding(vocab_size, dim, weights=[matrix], trainable=False)(tokens)
out = layers.Dense(1)(layers.GlobalAveragePooling1D()(x))
model = keras.Model(tokens, out)
""",
        # The matrix's shape is not known statically: nothing is said.
        """
from keras import layers
def embedding_for(matrix):
    return layers.Embedding(5000, 100, weights=[matrix])
""",
    ]

    INVALID = [
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense
MAX_WORDS, EMBEDDING_DIM = 20000, 100
embedding_matrix = np.zeros((10000, EMBEDDING_DIM))
model = Sequential()
model.add(Embedding(MAX_WORDS, EMBEDDING_DIM, weights=[embedding_matrix], input_length=50))
model.add(LSTM(32))
model.add(Dense(1, activation="sigmoid"))
""",
            message="weight shape (20000, 100) is not compatible with provided weight shape "
            "(10000, 100) (`embedding_matrix`)",
        ),
        Invalid(
            """
import numpy as np
import tensorflow as tf
inp = tf.keras.Input(shape=(16,))
kernel, bias = np.ones((8, 4)), np.zeros(4)
out = tf.keras.layers.Dense(4, weights=[kernel, bias])(inp)
""",
            message="weight 1 of 2",
        ),
        Invalid(
            """
import numpy as np
import tensorflow as tf
inp = tf.keras.Input(shape=(16,))
out = tf.keras.layers.Dense(4, weights=[np.ones((16, 4))])(inp)
""",
            message="2 weights (kernel, bias), but `weights=` gives 1",
        ),
    ]


def _check_layer(ctx: RuleContext, layer: Layer) -> Finding | None:
    given = layer.args.values.get("weights")
    if not isinstance(given, (list, tuple)) or layer.args.foreign_signature:
        return None
    layout = _layout(ctx, layer)
    expected = None if layout == "other" else _expected_shapes(layer)
    if expected is None:
        return None
    elements = _written_elements(layer.call)
    if elements is not None and len(elements) != len(expected):
        names = ", ".join(_weight_names(layer, len(expected)))
        message = (
            f"`{layer.display}` has {len(expected)} weight{'s' if len(expected) > 1 else ''} "
            f"({names}), but `weights=` gives {len(elements)}"
        )
        return Finding(layer.call, message, _help(layer))
    if len(given) != len(expected):
        return None
    for i, (want, array) in enumerate(zip(expected, given, strict=True)):
        if not isinstance(array, Array) or array.shape is None:
            continue
        which = f" (weight {i + 1} of {len(expected)})" if len(expected) > 1 else ""
        written = f" (`{ctx.code(elements[i], 40)}`)" if elements is not None else ""
        got = format_shape(array.shape)
        by_size = layout == "sizes" and i == 0  # the kernel, laid out otherwise in Keras 1
        if not by_size and _differ(want, array.shape):
            message = (
                f"`{layer.display}`{which}: layer weight shape {format_shape(want)} is not "
                f"compatible with provided weight shape {got}{written}"
            )
            return Finding(layer.call, message, _help(layer))
        if by_size and _sizes_differ(want, array.shape):
            message = (
                f"`{layer.display}`{which}: the provided weight shape {got}{written} holds "
                f"{product(array.shape)} values, the layer's weight {format_shape(want)} "
                f"{product(want)} (Keras 1 lays the axes out otherwise, but not their sizes)"
            )
            return Finding(layer.call, message, _help(layer))
    return None


def _layout(ctx: RuleContext, layer: Layer) -> str:
    """How the arrays can be compared on the Keras lines the file may run on: "same" (every
    axis), "sizes" (the kernel only by how many values it holds) or "other" (not at all)."""
    if Line.KERAS1 in ctx.graph.version.of(layer.path):
        return layer.spec.keras1_weights
    return "same"


def _expected_shapes(layer: Layer) -> list[Shape] | None:
    """The layer's weight shapes, for the input of its first application (Keras builds it
    there); None where the catalogue does not model them."""
    first = min(layer.applications, key=lambda app: app.order, default=None)
    x = first.input.shape if first is not None and len(first.inputs) == 1 else None
    try:
        return layer.spec.weight_shapes(layer.args, x)
    except Exception:  # a catalogue function on values it does not expect: unknown
        return None


def _differ(want: Shape, got: tuple[Any, ...]) -> bool:
    """Certainly different: another rank, or an axis both know with other sizes."""
    if len(want) != len(got):
        return True
    return any(is_known(a) and is_known(b) and a != b for a, b in zip(want, got, strict=True))


def _sizes_differ(want: Shape, got: tuple[Any, ...]) -> bool:
    a, b = product(want), product(got)
    return is_known(a) and is_known(b) and a != b


def _written_elements(call: cst.Call) -> list[cst.BaseExpression] | None:
    """The arrays of ``weights=[a, b]`` as written, when it is a list or tuple literal."""
    arg = first_keyword(call, "weights")
    value = arg.value if arg is not None else None
    if not isinstance(value, (cst.List, cst.Tuple)):
        return None
    if any(isinstance(e, cst.StarredElement) for e in value.elements):
        return None
    return [e.value for e in value.elements]


def _weight_names(layer: Layer, count: int) -> list[str]:
    if layer.spec.name == "Embedding":
        return ["embeddings"]
    if layer.spec.is_rnn:
        return ["kernel", "recurrent kernel", "bias"][:count]
    return ["kernel", "bias"][:count]


def _help(layer: Layer) -> str:
    if layer.spec.name == "Embedding":
        return (
            "Build the matrix for this layer's vocabulary and width, or size the layer by "
            "the matrix: `Embedding(matrix.shape[0], matrix.shape[1], weights=[matrix])`."
        )
    return (
        "Pass one array per weight, in `get_weights()` order (kernel, then bias), each of "
        "the shape the layer builds for its input; or set them with `layer.set_weights(...)` "
        "after building it."
    )
