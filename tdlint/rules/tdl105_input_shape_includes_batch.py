"""TDL105 input-shape-includes-batch."""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword


class InputShapeIncludesBatch(Rule):
    """An `input_shape=` or `Input(shape=)` that looks like it includes the sample axis.

    `input_shape` and `Input(shape=...)` describe *one sample*; Keras adds the batch axis
    itself.  Passing the whole data array's shape (`input_shape=X.shape`) or a tuple that
    starts with the number of samples (`X.shape[0]`, `len(X)`) makes the model expect one more
    axis than the data has: a leading cause of "expected ndim=3, found ndim=4" at `fit`.
    """

    code = "TDL105"
    name = "input-shape-includes-batch"
    severity = Severity.WARNING
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for keyword in _shape_arguments(ctx):
            value = keyword.value
            owner = _whole_shape_of(value)
            if owner is not None:
                code = ctx.module.code_for_node(owner)
                fix = FixPlan(
                    Applicability.UNSAFE,
                    f"Use `{code}.shape[1:]`",
                    (NodeEdit(value, f"{code}.shape[1:]"),),
                )
                yield Finding(
                    value,
                    f"`{code}.shape` includes the sample axis; the model will expect one axis "
                    "more than each sample has",
                    f"Describe one sample: `{code}.shape[1:]`.",
                    fix,
                )
            elif _starts_with_sample_count(value):
                yield Finding(
                    value,
                    "the first entry looks like the number of samples; `input_shape` describes "
                    "one sample, without the batch axis",
                    "Drop the first entry (Keras adds the batch axis itself).",
                )

    VALID = [
        """
import numpy as np
from keras import layers, Sequential
X = np.load("x.npy")
model = Sequential([layers.LSTM(8, input_shape=X.shape[1:]), layers.Dense(1)])
""",
        """
import keras
inp = keras.Input(shape=(X_train.shape[1], X_train.shape[2]))
""",
        # One sample's shape is exactly what input_shape wants.
        """
import keras
sample = X_train[0]
inp = keras.Input(shape=sample.shape)
""",
    ]

    INVALID = [
        Invalid(
            """
import numpy as np
from keras import layers, Sequential
X = np.load("x.npy")
model = Sequential([layers.LSTM(8, input_shape=X.shape), layers.Dense(1)])
""",
            fixed="""
import numpy as np
from keras import layers, Sequential
X = np.load("x.npy")
model = Sequential([layers.LSTM(8, input_shape=X.shape[1:]), layers.Dense(1)])
""",
        ),
        Invalid(
            """
import keras
inp = keras.Input(shape=(X_train.shape[0], X_train.shape[1]))
""",
        ),
        Invalid(
            """
from tensorflow.keras.layers import Dense
first = Dense(16, input_shape=(len(samples), 8))
""",
        ),
    ]


def _shape_arguments(ctx: RuleContext) -> Iterator[cst.Arg]:
    """``input_shape=`` of layers, ``shape=`` (or the first argument) of ``Input``."""
    seen: set[int] = set()
    for layer in ctx.graph.layers:
        arg = first_keyword(layer.call, "input_shape")
        if arg is not None and id(arg) not in seen:
            seen.add(id(arg))
            yield arg
    for tensor in ctx.graph.inputs:
        call = tensor.node
        if not isinstance(call, cst.Call):
            continue
        arg = first_keyword(call, "shape")
        if arg is None and call.args and call.args[0].keyword is None:
            arg = call.args[0]
        if arg is not None and id(arg) not in seen:
            seen.add(id(arg))
            yield arg


# Names people give whole data sets (``X``, ``x_train``, ``train_data``...), not one sample
# (a lone lower-case ``x`` is as often one sample or a tensor, so it is not judged).
_MATRIX_NAME = re.compile(r"^X(_\w+)?$|^x_\w+$")
_DATASET_WORD = re.compile(
    r"(^|_)(data|dataset|train|training|test|val|valid|validation|inputs|features|samples)(_|$)"
)


def _looks_like_dataset(name: str) -> bool:
    return bool(_MATRIX_NAME.match(name) or _DATASET_WORD.search(name.lower()))


def _whole_shape_of(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """``X`` in ``X.shape`` (the whole shape, not a slice of it), when ``X`` is named like a
    data set: ``sample.shape`` or ``image.shape`` are one sample's shape, and correct."""
    if not (isinstance(value, cst.Attribute) and value.attr.value == "shape"):
        return None
    owner = value.value
    name = owner.attr.value if isinstance(owner, cst.Attribute) else getattr(owner, "value", "")
    return owner if isinstance(name, str) and _looks_like_dataset(name) else None


def _starts_with_sample_count(value: cst.BaseExpression) -> bool:
    if not isinstance(value, (cst.Tuple, cst.List)) or len(value.elements) < 2:
        return False
    first = value.elements[0].value
    if isinstance(first, cst.Call) and isinstance(first.func, cst.Name):
        return first.func.value == "len"
    return (
        isinstance(first, cst.Subscript)
        and _whole_shape_of(first.value) is not None
        and len(first.slice) == 1
        and isinstance(first.slice[0].slice, cst.Index)
        and isinstance(first.slice[0].slice.value, cst.Integer)
        and first.slice[0].slice.value.value == "0"
    )
