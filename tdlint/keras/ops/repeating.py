"""Ops that grow a tensor along its axes: ``tile``, ``repeat``, ``broadcast_to``, ``pad``."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    add_spelling,
    axis_of,
    broadcast,
    dim_of,
    register,
    scaled,
)
from tdlint.keras.shapes import UNKNOWN, Unknown, is_known


@register
class Tile(Op):
    """``ops.tile(x, repeats)``: NumPy's rule, the shorter of shape and ``repeats`` padded
    with ones on the left."""

    name = "tile"
    params = ("x", "repeats")
    renames: ClassVar[dict[str, str]] = {"A": "x", "reps": "repeats"}
    spellings = ("ops:tile",)

    def shape(self, args: Args, x: Any) -> Any:
        repeats = _repeats(args.get("repeats", UNKNOWN))
        rank = max(len(x), len(repeats))
        x = (1,) * (rank - len(x)) + tuple(x)
        repeats = (1,) * (rank - len(repeats)) + repeats
        return tuple(scaled(d, r) for d, r in zip(x, repeats, strict=True))


@register
class TfTile(Tile):
    """``tf.tile(input, multiples)`` and ``K.tile(x, n)``: one multiple per axis, exactly."""

    name = "tile"
    params = ("x", "multiples")
    renames: ClassVar[dict[str, str]] = {"input": "x", "n": "multiples"}
    spellings = ("tf:tile", "backend:tile")

    def shape(self, args: Args, x: Any) -> Any:
        multiples = _repeats(args.get("multiples", UNKNOWN))
        if len(multiples) != len(x):
            raise ValueError(multiples)  # TensorFlow refuses it
        return tuple(scaled(d, m) for d, m in zip(x, multiples, strict=True))


def _repeats(value: Any) -> tuple[Any, ...]:
    """``2`` or ``(1, 2, 3)``; raises when even their number is unknown."""
    if is_known(value):
        return (value,)
    if not isinstance(value, (tuple, list)):
        raise ValueError(value)
    return tuple(v if is_known(v) else UNKNOWN for v in value)


@register
class Repeat(Op):
    """``ops.repeat(x, repeats, axis=None)``: each element ``repeats`` times along ``axis``
    (the flattened tensor without one); ``repeats`` one int, or one per element."""

    name = "repeat"
    params = ("x", "repeats", "axis")
    defaults: ClassVar[dict[str, Any]] = {"axis": None}
    renames: ClassVar[dict[str, str]] = {"input": "x", "a": "x", "rep": "repeats"}
    spellings = ("ops:repeat", "tf:repeat", "backend:repeat_elements")

    def shape(self, args: Args, x: Any) -> Any:
        repeats = args.get("repeats", UNKNOWN)
        axis = args.get("axis")
        if axis is None:
            if None in x:
                return (None,)
            size = math.prod(x) if all(is_known(d) for d in x) else UNKNOWN
            return (_repeated(size, repeats),)
        i = axis_of(axis, len(x))
        return tuple(_repeated(d, repeats) if j == i else d for j, d in enumerate(x))


def _repeated(dim: Any, repeats: Any) -> Any:
    if is_known(repeats) or isinstance(repeats, Unknown):
        return scaled(dim, repeats)
    if not isinstance(repeats, (tuple, list)):
        raise ValueError(repeats)
    if dim is None:
        return None  # Keras keeps a dynamic axis dynamic
    if is_known(dim) and len(repeats) == 1:
        return scaled(dim, repeats[0])
    if is_known(dim) and len(repeats) != dim:
        raise ValueError(repeats)
    if not all(is_known(r) for r in repeats):
        return UNKNOWN
    return sum(repeats) if is_known(dim) else UNKNOWN


class BackendRepeat(Op):
    """Keras 2's ``K.repeat(x, n)``: ``(batch, dim)`` -> ``(batch, n, dim)``, as
    ``RepeatVector``."""

    name = "repeat"
    params = ("x", "n")

    def shape(self, args: Args, x: Any) -> Any:
        if len(x) != 2:
            raise ValueError(x)
        return (x[0], dim_of(args.get("n", UNKNOWN)), x[1])


add_spelling("keras.backend.repeat", BackendRepeat())


@register
class BroadcastTo(Op):
    name = "broadcast_to"
    params = ("x", "shape")
    renames: ClassVar[dict[str, str]] = {"input": "x", "array": "x"}
    spellings = ("ops:broadcast_to", "tf:broadcast_to")

    def shape(self, args: Args, x: Any) -> Any:
        target = args.get("shape", UNKNOWN)
        if is_known(target):
            target = (target,)
        if not isinstance(target, (tuple, list)):
            raise ValueError(target)
        out = tuple(dim_of(d) for d in target)
        broadcast(x, out)  # raises where Keras refuses
        return out


@register
class Pad(Op):
    """``ops.pad(x, pad_width)``: ``pad_width`` an int, one ``(before, after)`` pair for every
    axis, or one pair per axis. A dynamic axis stays dynamic."""

    name = "pad"
    params = ("x", "pad_width", "mode", "constant_values")
    renames: ClassVar[dict[str, str]] = {"array": "x"}
    spellings = ("ops:pad",)

    def shape(self, args: Args, x: Any) -> Any:
        return _padded(x, _pairs(args.get("pad_width", UNKNOWN), len(x)))


@register
class TfPad(Pad):
    """``tf.pad(tensor, paddings)``: one ``[before, after]`` pair per axis, exactly."""

    name = "pad"
    params = ("x", "paddings", "mode", "constant_values")
    renames: ClassVar[dict[str, str]] = {"tensor": "x", "input": "x"}
    spellings = ("tf:pad",)

    def shape(self, args: Args, x: Any) -> Any:
        paddings = args.get("paddings", UNKNOWN)
        if not isinstance(paddings, (tuple, list)) or len(paddings) != len(x):
            raise ValueError(paddings)
        return _padded(x, _pairs(paddings, len(x)))


def _pairs(width: Any, rank: int) -> list[tuple[Any, Any]]:
    """A ``pad_width`` as one ``(before, after)`` pair per axis (Keras's reading of it)."""
    if is_known(width):
        return [(width, width)] * rank
    if not isinstance(width, (tuple, list)) or not width:
        raise ValueError(width)
    if len(width) == 2 and all(is_known(w) or isinstance(w, Unknown) for w in width):
        return [(width[0], width[1])] * rank
    pairs = []
    for pair in width:
        if not isinstance(pair, (tuple, list)) or len(pair) not in (1, 2):
            raise ValueError(width)
        pairs.append((pair[0], pair[-1]))
    if len(pairs) == 1:
        return pairs * rank
    if len(pairs) != rank:
        raise ValueError(width)
    return pairs


def _padded(x: Any, pairs: list[tuple[Any, Any]]) -> Any:
    out: list[Any] = []
    for d, (before, after) in zip(x, pairs, strict=True):
        if d is None:
            out.append(None)
        elif is_known(d) and is_known(before) and is_known(after):
            out.append(d + before + after)
        else:
            out.append(UNKNOWN)
    return tuple(out)
