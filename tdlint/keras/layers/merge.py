"""Merge layers: they take a list of tensors."""

from __future__ import annotations

from typing import Any

from tdlint.keras.catalogue import Args, LayerShapeError, LayerSpec, register
from tdlint.keras.shapes import Shape, combine, is_known, is_unknown, plain


class IncompatibleShapes(LayerShapeError):
    """Keras would raise at build time: the inputs cannot be merged."""

    kind = "merge"


def broadcast_dim(a: Any, b: Any) -> Any:
    if a is b and is_unknown(a):
        return a  # the same symbol on both sides
    if is_unknown(a):
        return plain(a)
    if is_unknown(b):
        return plain(b)
    if a is None or b is None:
        return None
    if a == 1:
        return b
    if b == 1 or a == b:
        return a
    raise IncompatibleShapes(f"{a} and {b}")


def broadcast(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    """Numpy-style broadcasting of two shapes without their batch axes, as Keras merges."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return a
    head = a[: len(a) - len(b)]
    return (*head, *(broadcast_dim(x, y) for x, y in zip(a[len(a) - len(b) :], b, strict=True)))


class _ElementwiseMerge(LayerSpec):
    """Add, Subtract, Multiply, Average, Maximum, Minimum: inputs broadcast together."""

    multi_input = True

    def output_shape(self, args: Args, xs: list[Shape]) -> Shape:
        batches = {x[0] for x in xs if is_known(x[0])}
        out = xs[0][1:]
        for x in xs[1:]:
            out = broadcast(out, x[1:])
        batch = batches.pop() if len(batches) == 1 else None
        return (batch, *out)


def _elementwise(name: str) -> type[LayerSpec]:
    return register(type(name, (_ElementwiseMerge,), {"name": name}))


Add = _elementwise("Add")
Subtract = _elementwise("Subtract")
Multiply = _elementwise("Multiply")
Average = _elementwise("Average")
Maximum = _elementwise("Maximum")
Minimum = _elementwise("Minimum")


@register
class Concatenate(LayerSpec):
    """Joins along ``axis`` (default -1); every other axis must agree."""

    name = "Concatenate"
    params = ("axis",)
    defaults = {"axis": -1}
    multi_input = True

    def output_shape(self, args: Args, xs: list[Shape]) -> Shape | None:
        axis = args.get("axis")
        ranks = {len(x) for x in xs}
        if not is_known(axis):
            return None
        if len(ranks) != 1:
            raise IncompatibleShapes("inputs of different ranks")
        rank = ranks.pop()
        axis = axis % rank
        out = list(xs[0])
        for x in xs[1:]:
            out[axis] = combine(lambda a, b: a + b, out[axis], x[axis])
            for i, (a, b) in enumerate(zip(out, x, strict=True)):
                if i in (0, axis):
                    continue
                if is_known(a) and is_known(b) and a != b:
                    raise IncompatibleShapes(f"axis {i}: {a} and {b}")
        return tuple(out)


@register
class Dot(LayerSpec):
    """Dot product of two tensors along ``axes``."""

    name = "Dot"
    params = ("axes", "normalize")
    multi_input = True

    def output_shape(self, args: Args, xs: list[Shape]) -> Shape | None:
        if len(xs) != 2:
            return None
        first, second = list(xs[0]), list(xs[1])
        axes = args.get("axes")
        if is_known(axes):
            axes = [axes % len(first), axes % len(second)] if axes < 0 else [axes, axes]
        elif not (isinstance(axes, (tuple, list)) and len(axes) == 2 and all(map(is_known, axes))):
            return None
        a, b = first[axes[0]], second[axes[1]]
        if is_known(a) and is_known(b) and a != b:
            raise IncompatibleShapes(f"dot axes of {a} and {b} values")
        first.pop(axes[0])
        second.pop(axes[1])
        second.pop(0)
        out = first + second
        return tuple(out + [1] if len(out) == 1 else out)
