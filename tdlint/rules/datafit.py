"""What Keras 3 does with the arrays given to ``fit``/``evaluate``/``predict``, for the TDL2xx
rules: which input shapes a model accepts, and which label shapes a loss accepts.

Written from Keras 3's own behaviour (checked by running it): the data adapter adds a missing
trailing axis of size 1 to features; losses first squeeze or expand a last axis of size 1
when the ranks differ by one, then categorical and binary cross-entropy need equal shapes,
sparse categorical cross-entropy needs the label shape to be the output's without its last
axis, and the regression losses broadcast.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import libcst as cst

from tdlint.analysis.arrays import Array, from_literal
from tdlint.analysis.data import grown_array
from tdlint.analysis.datasets import Dataset
from tdlint.analysis.graph import DataCall, Layer, Model, Tensor
from tdlint.analysis.model_api import output_shape
from tdlint.analysis.nested import built_at_first_call
from tdlint.analysis.tables import Frame, Series
from tdlint.analysis.values import GrownList
from tdlint.keras.losses import LossObject, loss_name
from tdlint.keras.shapes import UNKNOWN, format_shape, is_known
from tdlint.keras.versions import Line, crashing

_EMPTY_MODULE = cst.Module(body=())

SAME_SHAPE_LOSSES = frozenset(
    {
        "categorical_crossentropy",
        "binary_crossentropy",
        "categorical_focal_crossentropy",
        "binary_focal_crossentropy",
        "kl_divergence",
        "categorical_hinge",
    }
)
SPARSE_LOSSES = frozenset({"sparse_categorical_crossentropy"})
# Element-wise losses: labels broadcast against the output (and may do so silently).
BROADCAST_LOSSES = frozenset(
    {
        "mean_squared_error",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error",
        "huber",
        "log_cosh",
        "hinge",
        "squared_hinge",
    }
)


@dataclass(frozen=True)
class Fit:
    """One ``fit``/``evaluate``/``predict``... call of a model, with its arrays."""

    model: Model
    call: DataCall
    x: Any
    y: Any
    # The labels come from a windowing helper: one per window, whatever their shape.
    one_label_per_window: bool = False
    # The call was given labels of its own (``fit(X, y)``), rather than a pipeline or a
    # generator that carries them.
    labels_given: bool = False
    # The data is a tf.data pipeline that was never batched: Keras takes each of its
    # elements, one sample, for a batch.
    unbatched: bool = False
    # ``fit(..., validation_data=(x_val, y_val))``: the arrays checked at the end of each
    # epoch (after a whole epoch of training, when they do not fit), and their expressions.
    validation: bool = False
    x_node: cst.BaseExpression | None = None

    @property
    def loss(self) -> str | None:
        """The loss this call trained with (the compile in effect when it ran)."""
        return loss_name(self.call.loss)


def data_calls(models: list[Model], validation: bool = False) -> Iterator[Fit]:
    """Every ``fit``/``evaluate``/``predict``... call of the models, with its features ``x``
    and labels ``y`` as evaluated: arrays when tdlint knows them. A ``Dataset`` pipeline gives
    its batches; a generator gives nothing known. With ``validation``, also the
    ``validation_data`` of each ``fit``, as a call of its own."""
    seen: set[int] = set()
    for model in models:
        for call in model.data_calls:
            if id(call.node) in seen:
                continue
            seen.add(id(call.node))
            x = call.positional[0] if call.positional else call.keywords.get("x")
            y, windowed, given, unbatched = None, False, False, False
            if isinstance(x, Dataset):  # a tf.data pipeline, or a generator of batches
                # An unbatched pipeline's elements are taken as batches: the same arrays.
                windowed, unbatched = x.one_label_per_window, not x.batched
                x, y = x.features, x.labels
            elif call.method.endswith("_generator"):
                x, y = UNKNOWN, UNKNOWN
            elif not call.method.startswith("predict"):
                y = call.positional[1] if len(call.positional) > 1 else call.keywords.get("y")
                given = y is not None
            yield Fit(model, call, as_array(x), as_array(y), windowed, given, unbatched)
            if validation and call.method in ("fit", "fit_generator"):
                yield from _validation(model, call)


def _validation(model: Model, call: DataCall) -> Iterator[Fit]:
    data = call.keywords.get("validation_data")
    if isinstance(data, Dataset):
        yield Fit(model, call, data.features, data.labels, validation=True)
    elif isinstance(data, tuple) and len(data) in (2, 3):
        node = argument(call.node, -1, "validation_data")
        items = node.elements if isinstance(node, cst.Tuple) else ()
        first = items[0] if len(items) == len(data) else None
        x_node = first.value if isinstance(first, cst.Element) else None
        x, y = as_array(data[0]), as_array(data[1])
        yield Fit(model, call, x, y, labels_given=True, validation=True, x_node=x_node)


def as_array(value: Any) -> Any:
    """What Keras makes of data that is not yet a NumPy array: a pandas table or column, a
    list grown in a loop, a list of numbers. Lists of arrays (one per input or output of a
    model) and everything else are left as they are."""
    if isinstance(value, (Frame, Series)):
        return value.attribute("values")
    if isinstance(value, GrownList):
        return grown_array(value)
    leaves = list(_leaves(value)) if isinstance(value, (list, tuple)) else []
    if leaves and all(isinstance(leaf, (int, float)) for leaf in leaves):
        return from_literal(value)  # not [[], []]: no data at all, as nothing was appended
    return value


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def shape_text(shape: Any) -> str:
    return format_shape(tuple(shape)) if shape is not None else "?"


def input_problem(
    expected: tuple[Any, ...],
    array: Array,
    target: str = "an input",
    strict: frozenset[Line] = frozenset(),
) -> str | None:
    """Why Keras would refuse ``array`` for a model input of shape ``expected``, or None: a
    phrase to follow the array's name ("of rank 2 (64, 30) for an input of rank 3 ...");
    ``target`` names the input ("input 2" of a model with several). ``strict``: the Keras
    lines the model is trained on, when all of them check ranks strictly (Keras 1 and 2.0-2.3
    add an axis to 1D arrays only)."""
    if array.shape is None or expected is None:
        return None
    got, want = array.shape, expected
    if len(got) == len(want) - 1 and want[-1] == 1 and _dims_agree(got[1:], want[1:-1]):
        if strict and len(got) > 1:
            return (
                f"of rank {len(got)} {shape_text(got)} for {target} of rank {len(want)} "
                f"{shape_text(want)}: {crashing(strict)} do not add the missing axis of size 1 "
                "(tf.keras 2 and Keras 3 do)"
            )
        return None  # Keras adds the missing trailing axis of size 1
    if len(got) != len(want):
        # One sample, when its dims are those of the input (unknown dims do not say so).
        one_sample = len(got) == len(want) - 1 and all(map(is_known, got))
        if one_sample and _dims_agree(got, want[1:]):
            return (
                f"without a sample axis: {shape_text(got)} is one sample of {target} "
                f"{shape_text(want)}"
            )
        return (
            f"of rank {len(got)} {shape_text(got)} for {target} of rank {len(want)} "
            f"{shape_text(want)}"
        )
    if not _dims_agree(got[1:], want[1:]):
        return f"of shape {shape_text(got)} for {target} of shape {shape_text(want)}"
    return None


# Longer code is not repeated in a message: the finding's range shows it.
_NAMED_CODE_LIMIT = 40


def code_name(node: cst.CSTNode) -> str | None:
    """The code of a short one-line expression, in backticks (`` `x_train` ``), or None."""
    text = _EMPTY_MODULE.code_for_node(node).strip()
    if not text or "\n" in text or len(text) > _NAMED_CODE_LIMIT:
        return None
    return f"`{text}`"


def argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The expression passed as parameter ``keyword`` (or positionally at ``position``)."""
    positional = 0
    for arg in call.args:
        if arg.star:
            return None  # ``*args``: positions unknown from here on
        if arg.keyword is not None:
            if arg.keyword.value == keyword:
                return arg.value
            continue
        if positional == position:
            return arg.value
        positional += 1
    return None


def _dims_agree(got: tuple[Any, ...], want: tuple[Any, ...]) -> bool:
    if len(got) != len(want):
        return False
    return all(not (is_known(a) and is_known(b)) or a == b for a, b in zip(got, want, strict=True))


def adjusted(y: tuple[Any, ...], out: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Keras 3's ``squeeze_or_expand_to_same_rank(y_true, y_pred)``."""
    if len(y) == len(out) + 1 and y[-1] == 1:
        if len(out) == 1:
            return y, (*out, 1)
        return y[:-1], out
    if len(out) == len(y) + 1 and out[-1] == 1:
        if len(y) == 1:
            return (*y, 1), out
        return y, out[:-1]
    return y, out


def target_problem(loss: str | None, out: tuple[Any, ...] | None, y: Array) -> str | None:
    """Why the loss would refuse labels ``y`` for an output ``out``, or None."""
    if loss is None or out is None or y.shape is None:
        return None
    labels, output = adjusted(tuple(y.shape), tuple(out))
    if loss in SAME_SHAPE_LOSSES:
        if len(labels) == len(output) and _dims_agree(labels[1:], output[1:]):
            return None
        if (
            len(y.shape) == 1
            and y.kind == "int"
            and len(out) == 2
            and loss.startswith("categorical")
        ):
            return (
                f"integer class labels {shape_text(y.shape)} with `{loss}`, which needs one-hot "
                f"labels like the output {shape_text(out)}: use `to_categorical(y)` or "
                "`sparse_categorical_crossentropy`"
            )
        if len(labels) != len(output):
            return (
                f"labels of rank {len(y.shape)} {shape_text(y.shape)} for an output of rank "
                f"{len(out)} {shape_text(out)}; `{loss}` needs equal shapes"
            )
        if len(labels) == 2 and is_known(labels[-1]) and is_known(output[-1]):
            return (
                f"labels with {labels[-1]} classes {shape_text(y.shape)} for an output with "
                f"{output[-1]} units {shape_text(out)}"
            )
        return (
            f"labels {shape_text(y.shape)} for an output {shape_text(out)}; "
            f"`{loss}` needs equal shapes"
        )
    if loss in SPARSE_LOSSES:
        labels = tuple(y.shape)
        if len(labels) == len(out) and labels[-1] == 1:
            labels = labels[:-1]
        if len(labels) == len(out) - 1 and _dims_agree(labels[1:], tuple(out[1:-1])):
            return None
        if len(y.shape) == len(out) and is_known(y.shape[-1]) and y.shape[-1] > 1:
            return (
                f"one-hot labels {shape_text(y.shape)} with `{loss}`, which needs integer class "
                f"ids {shape_text((y.shape[0], *out[1:-1]))}: use `categorical_crossentropy` "
                "or `np.argmax(y, -1)`"
            )
        return (
            f"labels {shape_text(y.shape)} for an output {shape_text(out)}; `{loss}` needs the "
            "output's shape without its last axis"
        )
    if loss not in BROADCAST_LOSSES:
        return None
    met = sample_axis_meets(labels, output)
    if met is not None:
        return (
            f"labels {shape_text(y.shape)} for an output {shape_text(out)}: `{loss}` lines the "
            f"labels' sample axis up with the output's axis of {met}, which fails on Keras 3 "
            f'("Incompatible shapes for broadcasting") and Keras 1-2.3{_tf_keras_note(y, out)}'
        )
    if not broadcasts(labels[1:], output[1:]):
        return (
            f"labels {shape_text(y.shape)} that do not broadcast against the output "
            f"{shape_text(out)}"
        )
    return None


def sample_axis_meets(labels: tuple[Any, ...], output: tuple[Any, ...]) -> Any:
    """The output dim that labels of lower rank line their sample axis up with, when that
    cannot broadcast; else None. An element-wise loss subtracts the labels from the output as
    they are, aligned from the last axis, so a batch of 32 rows meets (say) 3 units."""
    if len(labels) >= len(output):
        return None
    met = output[len(output) - len(labels)]
    return met if is_known(met) and met != 1 else None


def _tf_keras_note(y: Array, out: tuple[Any, ...]) -> str:
    """tf.keras 2.x (``match_dtype_and_rank`` in its compile utilities) expands 1D labels for
    a 2D output: there the same labels train, broadcast over every unit."""
    if y.shape is not None and len(y.shape) == 1 and len(out) == 2:
        return (
            f"; tf.keras 2.x makes them {shape_text((y.shape[0], 1))} and trains every one "
            f"of the {out[-1]} units on the same label"
        )
    return ""


def broadcasts(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if is_known(x) and is_known(y) and x != y and 1 not in (x, y):
            return False
    return True


def silently_broadcast(loss: str | None, out: tuple[Any, ...] | None, y: Array) -> bool:
    """A regression loss whose labels are broadcast over extra output axes: it trains."""
    if loss not in BROADCAST_LOSSES or out is None or y.shape is None:
        return False
    labels, output = adjusted(tuple(y.shape), tuple(out))
    if sample_axis_meets(labels, output) is not None:
        return False  # not silent: Keras 3 refuses them (target_problem)
    return len(labels) < len(output) or any(
        a == 1 and is_known(b) and b > 1 for a, b in zip(labels[1:], output[1:], strict=False)
    )


def output_activation(tensor: Tensor) -> str | None:
    """The activation that produced an output tensor: ``softmax``, ``sigmoid``, ``linear``..."""
    return activation_layer(tensor)[0]


def activation_layer(tensor: Tensor) -> tuple[str | None, Layer | None]:
    """The activation that produced an output tensor, and the layer that sets it (a `Dense`
    with its ``activation=``, an `Activation` or `Softmax` after it; the wrapped layer of a
    `TimeDistributed`); the layer is None when no layer produced the tensor."""
    app = tensor.producer
    while app is not None:
        layer = app.layer.inner or app.layer
        name = layer.spec.name
        if name == "Softmax":
            return "softmax", layer
        activation = layer.args.get("activation")
        if name == "Activation" or activation is not None:
            return (activation.lower() if isinstance(activation, str) else None), layer
        if layer.spec.shape_preserving and name not in ("Activation",):
            app = app.input.producer
            continue
        linear = layer.spec.name in ("Dense", "Conv1D", "Conv2D", "Conv3D")
        return ("linear" if linear else None), layer
    return None, None


def from_logits(loss: Any) -> bool | None:
    if isinstance(loss, LossObject):
        value = loss.kwargs.get("from_logits", False)
        return value if isinstance(value, bool) else None
    return False if loss_name(loss) is not None else None


def model_output(model: Model) -> tuple[Any, ...] | None:
    return output_shape(model)  # a Sequential built by its first fit included


def model_inputs(model: Model) -> list[tuple[Any, ...] | None]:
    built = built_at_first_call(model)
    return list(built.inputs) if built is not None else [t.shape for t in model.inputs]
