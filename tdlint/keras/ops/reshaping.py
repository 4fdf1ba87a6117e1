"""Ops that change a tensor's shape: reshape, expand_dims, squeeze, transpose (swapaxes,
moveaxis), concatenate, stack, one_hot, batch_flatten."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    add_spelling,
    axes_of,
    axis_of,
    dim_of,
    register,
    reshaped,
)
from tdlint.keras.shapes import UNKNOWN, Unknown, is_known

# ---------------------------------------------------------------- shape changes


@register
class Reshape(Op):
    name = "reshape"
    params = ("x", "newshape")
    renames: ClassVar[dict[str, str]] = {"tensor": "x", "shape": "newshape", "a": "x"}
    spellings = ("ops:reshape", "tf:reshape", "backend:reshape")

    def shape(self, args: Args, x: Any) -> Any:
        return reshaped(x, args.get("newshape", UNKNOWN))


@register
class ExpandDims(Op):
    name = "expand_dims"
    params = ("x", "axis")
    renames: ClassVar[dict[str, str]] = {"input": "x", "a": "x"}
    spellings = ("ops:expand_dims", "tf:expand_dims")
    defaults: ClassVar[dict[str, Any]] = {"axis": UNKNOWN}

    def shape(self, args: Args, x: Any) -> Any:
        axes = args.get("axis")
        items = list(axes) if isinstance(axes, (tuple, list)) else [axes]
        rank = len(x) + len(items)
        out: list[Any] = list(x)
        for axis in sorted(axis_of(a, rank) for a in items):
            out.insert(axis, 1)
        return tuple(out)


class BackendExpandDims(ExpandDims):
    """``K.expand_dims(x)``: the last axis by default."""

    name = "backend-expand_dims"
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}


add_spelling("keras.backend.expand_dims", BackendExpandDims())


@register
class Squeeze(Op):
    name = "squeeze"
    params = ("x", "axis")
    defaults: ClassVar[dict[str, Any]] = {"axis": None}
    renames: ClassVar[dict[str, str]] = {"input": "x", "a": "x"}
    spellings = ("ops:squeeze", "tf:squeeze", "backend:squeeze")

    def shape(self, args: Args, x: Any) -> Any:
        axes = axes_of(args.get("axis"), len(x))
        if axes is None:
            if not all(is_known(d) for d in x):
                return None  # which axes have size 1 is known only at run time
            return tuple(d for d in x if d != 1)
        if any(is_known(x[i]) and x[i] != 1 for i in axes):
            raise ValueError(axes)
        return tuple(d for i, d in enumerate(x) if i not in axes)


@register
class Transpose(Op):
    name = "transpose"
    params = ("x", "axes")
    defaults: ClassVar[dict[str, Any]] = {"axes": None}
    renames: ClassVar[dict[str, str]] = {"perm": "axes", "a": "x", "pattern": "axes"}
    other_args = frozenset({"conjugate"})
    spellings = (
        "ops:transpose",
        "tf:transpose",
        "backend:permute_dimensions",
        "backend:transpose",
    )

    def shape(self, args: Args, x: Any) -> Any:
        axes = args.get("axes")
        if axes is None:
            return tuple(reversed(x))
        order = [axis_of(a, len(x)) for a in axes]
        if sorted(order) != list(range(len(x))):
            raise ValueError(axes)
        return tuple(x[i] for i in order)


@register
class Swapaxes(Op):
    name = "swapaxes"
    params = ("x", "axis1", "axis2")
    spellings = ("ops:swapaxes",)

    def shape(self, args: Args, x: Any) -> Any:
        i = axis_of(args.get("axis1", UNKNOWN), len(x))
        j = axis_of(args.get("axis2", UNKNOWN), len(x))
        out = list(x)
        out[i], out[j] = out[j], out[i]
        return tuple(out)


@register
class MatrixTranspose(Op):
    """``tf.linalg.matrix_transpose(a)`` and ``tf.linalg.adjoint``: the last two axes
    swapped."""

    name = "matrix_transpose"
    params = ("x",)
    renames: ClassVar[dict[str, str]] = {"a": "x", "matrix": "x"}
    other_args = frozenset({"conjugate"})
    spellings = ("linalg:matrix_transpose", "linalg:adjoint")

    def shape(self, args: Args, x: Any) -> Any:
        if len(x) < 2:
            raise ValueError(x)
        return (*x[:-2], x[-1], x[-2])


@register
class Moveaxis(Op):
    """``ops.moveaxis(x, source, destination)``: NumPy's, the other axes in their order."""

    name = "moveaxis"
    params = ("x", "source", "destination")
    renames: ClassVar[dict[str, str]] = {"a": "x"}
    spellings = ("ops:moveaxis",)

    def shape(self, args: Args, x: Any) -> Any:
        source = axes_of(args.get("source", UNKNOWN), len(x))
        destination = axes_of(args.get("destination", UNKNOWN), len(x))
        if source is None or destination is None or len(source) != len(destination):
            raise ValueError((source, destination))
        if len(set(source)) != len(source) or len(set(destination)) != len(destination):
            raise ValueError((source, destination))
        order = [i for i in range(len(x)) if i not in source]
        for dest, src in sorted(zip(destination, source, strict=True)):
            order.insert(dest, src)
        return tuple(x[i] for i in order)


@register
class Concatenate(Op):
    name = "concatenate"
    params = ("xs", "axis")
    operands = ("xs",)
    listed = frozenset({"xs"})
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    renames: ClassVar[dict[str, str]] = {"values": "xs", "tensors": "xs"}
    spellings = ("ops:concatenate", "tf:concat")

    def shape(self, args: Args, *shapes: Any) -> Any:
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(shapes)
        axis = axis_of(args.get("axis"), rank)
        out = list(shapes[0])
        for other in shapes[1:]:
            for i, d in enumerate(other):
                if i != axis:
                    out[i] = _same_dim(out[i], d)
        joined = [s[axis] for s in shapes]
        out[axis] = _sum_dims(joined)
        return tuple(out)


@register
class BackendConcatenate(Concatenate):
    """``K.concatenate``: the last axis by default."""

    name = "backend-concatenate"
    spellings = ("backend:concatenate",)
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}


@register
class Stack(Op):
    name = "stack"
    params = ("xs", "axis")
    operands = ("xs",)
    listed = frozenset({"xs"})
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    renames: ClassVar[dict[str, str]] = {"values": "xs", "x": "xs"}
    spellings = ("ops:stack", "tf:stack", "backend:stack")

    def shape(self, args: Args, *shapes: Any) -> Any:
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(shapes)
        out = list(shapes[0])
        for other in shapes[1:]:
            out = [_same_dim(a, b) for a, b in zip(out, other, strict=True)]
        out.insert(axis_of(args.get("axis"), rank + 1), len(shapes))
        return tuple(out)


def _same_dim(a: Any, b: Any) -> Any:
    """Two dims that must be equal: the known one (None where either is dynamic)."""
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return a if is_known(a) else b if is_known(b) else UNKNOWN
    if a is None or b is None:
        return a if b is None else b
    if a != b:
        raise ValueError((a, b))
    return a


def _sum_dims(dims: Sequence[Any]) -> Any:
    if any(isinstance(d, Unknown) for d in dims):
        return UNKNOWN
    if any(d is None for d in dims):
        return None
    return sum(dims)


@register
class OneHot(Op):
    name = "one_hot"
    params = ("x", "num_classes")
    renames: ClassVar[dict[str, str]] = {"indices": "x", "depth": "num_classes"}
    other_args = frozenset({"axis", "dtype", "on_value", "off_value", "sparse"})
    spellings = ("ops:one_hot", "tf:one_hot", "backend:one_hot")

    def shape(self, args: Args, x: Any) -> Any:
        if args.get("axis", -1) != -1:
            return None
        return (*x, dim_of(args.get("num_classes", UNKNOWN)))


@register
class Flatten(Op):
    """``K.flatten`` and ``K.batch_flatten``."""

    name = "batch_flatten"
    params = ("x",)
    spellings = ("backend:batch_flatten",)

    def shape(self, args: Args, x: Any) -> Any:
        rest = x[1:]
        size = UNKNOWN if any(isinstance(d, Unknown) for d in rest) else None
        if all(is_known(d) for d in rest):
            size = math.prod(rest)
        return (x[0], size)
