"""Ops that make a tensor of a given shape: ``ones``, ``zeros``, ``full``, random tensors;
and ``categorical``, which draws samples from logits.

The shape is an argument; a size in it may be a tensor (``tf.shape(x)[0]`` where ``x``'s shape
is not known): the op's inputs are those, and their sizes are unknown. Without any, Keras
makes the tensor at once (a constant)."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    broadcast,
    constant_shape,
    dim_of,
    register,
)
from tdlint.keras.shapes import UNKNOWN, is_known


class Created(Op):
    params = ("shape", "dtype")
    operands = ("shape",)
    listed = frozenset({"shape"})
    creates = True

    def shape(self, args: Args, *sizes: Any) -> Any:
        shape = args.get("shape", UNKNOWN)
        if is_known(shape):
            shape = (shape,)
        if not isinstance(shape, (tuple, list)) or any(is_known(d) and d < 0 for d in shape):
            raise ValueError(shape)
        return tuple(dim_of(d) for d in shape)

    def output_shape_unknown_input(self, args: Args) -> Any:
        return self.shape(args)  # the sizes given as tensors are unknown, not the others


@register
class Filled(Created):
    """``ops.ones(shape)``, ``tf.zeros(shape)``, ``K.ones(shape)``..."""

    name = "filled"
    spellings = (
        *("ops:ones", "ops:zeros", "ops:empty"),
        *("tf:ones", "tf:zeros", "backend:ones", "backend:zeros"),
    )


@register
class Full(Created):
    """``ops.full(shape, fill_value)`` and ``tf.fill(dims, value)``."""

    name = "full"
    params = ("shape", "fill_value", "dtype")
    operands = ("shape", "fill_value")
    renames: ClassVar[dict[str, str]] = {"dims": "shape", "value": "fill_value"}
    spellings = ("ops:full", "tf:fill")


@register
class RandomTensor(Created):
    """``keras.random.uniform(shape, minval, maxval)``, ``tf.random.normal(shape, mean,
    stddev)``, ``K.random_uniform``...: the bounds (or moments) may be tensors too."""

    name = "random"
    params = ("shape", "arg1", "arg2", "dtype", "seed")
    operands = ("shape", "arg1", "arg2")
    renames: ClassVar[dict[str, str]] = {
        "minval": "arg1",
        "maxval": "arg2",
        "mean": "arg1",
        "stddev": "arg2",
    }
    spellings = (
        *(f"random:{name}" for name in ("uniform", "normal", "truncated_normal")),
        *(f"backend:{name}" for name in ("random_uniform", "random_normal", "truncated_normal")),
    )


@register
class Categorical(Op):
    """``keras.random.categorical(logits, num_samples)`` and ``tf.random.categorical``:
    ``(batch, num_classes)`` logits, ``(batch, num_samples)`` samples."""

    name = "categorical"
    params = ("logits", "num_samples", "dtype", "seed")
    operands = ("logits",)
    spellings = ("random:categorical",)

    def shape(self, args: Args, logits: Any) -> Any:
        if len(logits) != 2:
            raise ValueError(logits)
        return (logits[0], dim_of(args.get("num_samples", UNKNOWN)))


@register
class Linspace(Op):
    """``ops.linspace(start, stop, num)`` and ``tf.linspace``: ``num`` evenly spaced values
    inserted at ``axis`` (0) into the broadcast shape of ``start`` and ``stop``; of plain
    numbers, a constant vector (``[p for p in tf.linspace(0.0, rate, depth)]``)."""

    name = "linspace"
    params = ("start", "stop", "num", "endpoint", "retstep", "dtype", "axis")
    operands = ("start", "stop")
    creates = True
    defaults: ClassVar[dict[str, Any]] = {"num": 50, "axis": 0}
    spellings = ("ops:linspace", "tf:linspace")

    def shape(self, args: Args, *operands: Any) -> Any:
        if args.get("retstep", False) is not False:
            raise ValueError("retstep returns a pair")
        tensors = iter(operands)
        bounds = []
        for name in ("start", "stop"):
            value = constant_shape(args.get(name, UNKNOWN))
            bounds.append(value if value is not None else next(tensors))
        shape = list(broadcast(*bounds))
        axis = args.get("axis")
        if not is_known(axis) or not -len(shape) - 1 <= axis <= len(shape):
            raise ValueError(axis)
        at = axis if axis >= 0 else len(shape) + 1 + axis
        return tuple(shape[:at] + [dim_of(args.get("num"))] + shape[at:])

    def output_shape_unknown_input(self, args: Args) -> Any:
        raise ValueError("unknown bounds")
