"""Reductions over axes: ``mean``, ``sum``, ``max``... with ``axis`` and ``keepdims``,
``argmax``/``argmin``, ``norm`` and ``moments``; and ops along one axis that keep it
(``cumsum``, ``sort``, ``flip``, ``roll``)."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    SeveralOutputs,
    axes_of,
    axis_of,
    register,
)
from tdlint.keras.shapes import UNKNOWN, Shape, is_known

# ---------------------------------------------------------------- reductions


@register
class Reduce(Op):
    name = "reduce"
    params = ("x", "axis", "keepdims")
    defaults: ClassVar[dict[str, Any]] = {"axis": None, "keepdims": False}
    renames: ClassVar[dict[str, str]] = {
        "input_tensor": "x",
        "input": "x",
        "keep_dims": "keepdims",
        "a": "x",
    }
    other_args = frozenset({"dtype", "ddof", "correction"})
    spellings = tuple(
        f"{package}:{name}"
        for package, names in {
            "ops": "mean sum max min prod std var any all logsumexp amax amin",
            "backend": "mean sum max min prod std var any all logsumexp",
            "tf": "reduce_mean reduce_sum reduce_max reduce_min reduce_prod reduce_any "
            "reduce_all reduce_logsumexp reduce_std reduce_variance",
            "math": "reduce_mean reduce_sum reduce_max reduce_min reduce_prod reduce_any "
            "reduce_all reduce_logsumexp reduce_std reduce_variance",
        }.items()
        for name in names.split()
    )

    def shape(self, args: Args, x: Any) -> Any:
        return reduced(x, args.get("axis"), args.get("keepdims"))


def reduced(x: Shape, axis: Any, keepdims: Any) -> Shape | None:
    """Keras's ``reduce_shape``: ``axis`` None (all), an int or a tuple of them."""
    if not isinstance(keepdims, bool):
        return None
    axes = axes_of(axis, len(x))
    if axes is None:
        return (1,) * len(x) if keepdims else ()
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(x))
    return tuple(d for i, d in enumerate(x) if i not in axes)


@register
class ArgReduce(Op):
    """``argmax``/``argmin``: one axis removed (Keras's default axis is None: flattened)."""

    name = "argreduce"
    params = ("x", "axis")
    renames: ClassVar[dict[str, str]] = {"input": "x"}
    other_args = frozenset({"keepdims", "output_type"})
    spellings = ("ops:argmax", "ops:argmin", "backend:argmax", "backend:argmin")

    def shape(self, args: Args, x: Any) -> Any:
        if args.get("keepdims", False) is not False:
            return None
        axis = args.get("axis", UNKNOWN)
        if axis is None:
            return ()
        i = axis_of(axis, len(x))
        return tuple(d for j, d in enumerate(x) if j != i)


@register
class TfArgReduce(ArgReduce):
    """``tf.argmax`` and ``tf.math.argmax``: axis 0 by default (TensorFlow's, not NumPy's)."""

    name = "tf-argreduce"
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    spellings = ("tf:argmax", "tf:argmin", "math:argmax", "math:argmin")


@register
class Norm(Reduce):
    """``ops.norm(x, ord=None, axis=None, keepdims=False)`` and ``tf.norm``: a reduction over
    ``axis`` (all axes without one); ``ord`` changes values, not the shape."""

    name = "norm"
    params = ("x", "ord", "axis", "keepdims")
    renames: ClassVar[dict[str, str]] = {"tensor": "x", "keep_dims": "keepdims"}
    other_args = frozenset()
    spellings = ("ops:norm", "ops-linalg:norm", "tf:norm", "linalg:norm")

    def shape(self, args: Args, x: Any) -> Any:
        keepdims = args.get("keepdims")
        return reduced(x, args.get("axis"), False if keepdims is None else keepdims)


@register
class Moments(SeveralOutputs):
    """``ops.moments(x, axes)`` and ``tf.nn.moments``: the mean and the variance, each
    reduced over ``axes``."""

    name = "moments"
    params = ("x", "axes", "keepdims")
    defaults: ClassVar[dict[str, Any]] = {"keepdims": False}
    other_args = frozenset({"synchronized", "shift"})
    spellings = ("ops:moments", "nn:moments")

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        return 2

    def shape(self, args: Args, x: Any) -> Any:
        shape = reduced(x, args.get("axes", UNKNOWN), args.get("keepdims"))
        if shape is None:
            raise ValueError("keepdims")
        return [shape, shape]


# ---------------------------------------------------------------- along one axis


class AlongAxis(Op):
    """Ops along ``axis`` that keep the shape: ``cumsum``, ``sort``, ``flip``... Where
    ``flattens``, no axis means the flattened tensor (NumPy's ``cumsum`` and ``sort``)."""

    params = ("x", "axis")
    renames: ClassVar[dict[str, str]] = {"values": "x", "input": "x", "a": "x", "axes": "axis"}
    flattens: ClassVar[bool] = True

    def shape(self, args: Args, x: Any) -> Any:
        axis = args.get("axis")
        if axis is None:
            return (_size(x),) if self.flattens else x
        axes_of(axis, len(x))  # raises unless every axis is a literal in range
        return x


def _size(x: Shape) -> Any:
    if None in x:
        return None
    if not all(is_known(d) for d in x):
        return UNKNOWN
    return math.prod(x)


@register
class Cumulative(AlongAxis):
    name = "cumulative"
    defaults: ClassVar[dict[str, Any]] = {"axis": None}
    other_args = frozenset({"dtype"})
    spellings = ("ops:cumsum", "ops:cumprod")


@register
class TfCumulative(AlongAxis):
    """TensorFlow's and Keras 2's ``cumsum``: axis 0 by default."""

    name = "cumulative"
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    other_args = frozenset({"exclusive", "reverse"})
    spellings = tuple(
        f"{package}:{name}"
        for package in ("tf", "math", "backend")
        for name in ("cumsum", "cumprod")
    )


@register
class Sort(AlongAxis):
    name = "sort"
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}
    other_args = frozenset({"direction", "stable"})
    spellings = ("ops:sort", "ops:argsort", "tf:sort", "tf:argsort")


@register
class Flip(AlongAxis):
    name = "flip"
    defaults: ClassVar[dict[str, Any]] = {"axis": None}
    flattens = False
    spellings = ("ops:flip",)


@register
class TfReverse(Flip):
    """``tf.reverse(tensor, axis)`` and ``K.reverse(x, axes)``: the axes are required."""

    name = "reverse"
    renames: ClassVar[dict[str, str]] = {"tensor": "x", "axes": "axis"}
    defaults: ClassVar[dict[str, Any]] = {"axis": UNKNOWN}
    spellings = ("tf:reverse", "backend:reverse")


@register
class Roll(AlongAxis):
    name = "roll"
    params = ("x", "shift", "axis")
    defaults: ClassVar[dict[str, Any]] = {"axis": None}
    flattens = False
    spellings = ("ops:roll",)


@register
class TfRoll(Roll):
    """``tf.roll(input, shift, axis)``: the axis is required."""

    name = "roll"
    defaults: ClassVar[dict[str, Any]] = {"axis": UNKNOWN}
    spellings = ("tf:roll",)
