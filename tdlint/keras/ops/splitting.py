"""Ops that return several tensors: ``split``, ``unstack``, ``meshgrid``."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    SeveralOutputs,
    axis_of,
    register,
)
from tdlint.keras.shapes import UNKNOWN, Unknown, is_known


@register
class Split(SeveralOutputs):
    """``ops.split(x, indices_or_sections, axis=0)``: NumPy's, ``N`` equal parts or cuts at
    the given indices."""

    name = "split"
    params = ("x", "indices_or_sections", "axis")
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    renames: ClassVar[dict[str, str]] = {"ary": "x"}
    spellings = ("ops:split",)

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        sections = args.get("indices_or_sections", UNKNOWN)
        if is_known(sections) and sections > 0:
            return sections
        if isinstance(sections, (tuple, list)):
            return len(sections) + 1
        raise ValueError(sections)

    def shape(self, args: Args, x: Any) -> Any:
        axis = axis_of(args.get("axis"), len(x))
        sections = args.get("indices_or_sections", UNKNOWN)
        if is_known(sections):
            return _with_axis(x, axis, [_part(x[axis], sections)] * sections)
        cuts = [0, *sections, x[axis]]
        return _with_axis(x, axis, [_between(a, b) for a, b in zip(cuts, cuts[1:], strict=False)])


@register
class TfSplit(SeveralOutputs):
    """``tf.split(value, num_or_size_splits, axis=0)``: ``N`` equal parts, or parts of the
    given sizes (one of them may be -1: the rest)."""

    name = "split"
    params = ("x", "num_or_size_splits", "axis", "num")
    defaults: ClassVar[dict[str, Any]] = {"axis": 0, "num": None}
    renames: ClassVar[dict[str, str]] = {"value": "x"}
    spellings = ("tf:split",)

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        splits = args.get("num_or_size_splits", UNKNOWN)
        if is_known(splits) and splits > 0:
            return splits
        if isinstance(splits, (tuple, list)):
            return len(splits)
        num = args.get("num")
        if is_known(num) and num > 0:
            return num
        raise ValueError(splits)

    def shape(self, args: Args, x: Any) -> Any:
        axis = axis_of(args.get("axis"), len(x))
        splits = args.get("num_or_size_splits", UNKNOWN)
        if is_known(splits):
            return _with_axis(x, axis, [_part(x[axis], splits)] * splits)
        sizes = [s if is_known(s) else UNKNOWN for s in splits]
        if sizes.count(-1) > 1 or any(is_known(s) and s < -1 for s in sizes):
            raise ValueError(splits)
        if -1 in sizes:
            sizes[sizes.index(-1)] = _rest(x[axis], [s for s in sizes if s != -1])
        elif is_known(x[axis]) and all(is_known(s) for s in sizes) and sum(sizes) != x[axis]:
            raise ValueError(splits)
        return _with_axis(x, axis, sizes)


def _part(dim: Any, sections: int) -> Any:
    """One of ``sections`` equal parts of an axis; raises where it does not divide."""
    if sections <= 0:
        raise ValueError(sections)
    if not is_known(dim):
        return dim if dim is None else UNKNOWN
    if dim % sections:
        raise ValueError((dim, sections))
    return dim // sections


def _between(start: Any, stop: Any) -> Any:
    """The size of the part between two cuts (the last at the axis's end)."""
    if isinstance(start, Unknown) or isinstance(stop, Unknown):
        return UNKNOWN
    if start is None or stop is None:
        return None
    if not (is_known(start) and is_known(stop)) or start < 0 or stop < start:
        raise ValueError((start, stop))  # NumPy's other readings: left unknown
    return stop - start


def _rest(dim: Any, others: list[Any]) -> Any:
    """The size ``-1`` stands for: what the others leave of the axis."""
    if isinstance(dim, Unknown) or any(isinstance(s, Unknown) for s in others):
        return UNKNOWN
    if dim is None:
        return None
    rest = dim - sum(others)
    if rest < 0:
        raise ValueError(others)
    return rest


def _with_axis(x: Any, axis: int, sizes: list[Any]) -> list[tuple[Any, ...]]:
    return [(*x[:axis], size, *x[axis + 1 :]) for size in sizes]


@register
class Unstack(SeveralOutputs):
    """``ops.unstack(x, num=None, axis=0)``: one tensor per entry along ``axis``, which
    goes; ``num`` is that axis's size when not given."""

    name = "unstack"
    params = ("x", "num", "axis")
    defaults: ClassVar[dict[str, Any]] = {"num": None, "axis": 0}
    renames: ClassVar[dict[str, str]] = {"value": "x"}
    spellings = ("ops:unstack", "tf:unstack")

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        num = args.get("num")
        if num is None and shapes is not None:
            [x] = shapes
            num = x[axis_of(args.get("axis"), len(x))]
        if not is_known(num):
            raise ValueError(num)
        return num

    def shape(self, args: Args, x: Any) -> Any:
        axis = axis_of(args.get("axis"), len(x))
        num = self.count(args, [x])
        if is_known(x[axis]) and x[axis] != num:
            raise ValueError(num)
        return [(*x[:axis], *x[axis + 1 :])] * num


@register
class Meshgrid(SeveralOutputs):
    """``ops.meshgrid(*x, indexing="xy")``: one grid per input, each of shape the inputs'
    sizes (the first two swapped with ``"xy"``)."""

    name = "meshgrid"
    params = ("x1", "x2", "x3", "x4")
    operands = ("x1", "x2", "x3", "x4")
    defaults: ClassVar[dict[str, Any]] = {"indexing": "xy"}
    other_args = frozenset({"indexing", "sparse", "copy"})
    spellings = ("ops:meshgrid", "tf:meshgrid")

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        count = sum(1 for name in self.operands if name in args)
        if not count:
            raise ValueError("no inputs")
        return count

    def shape(self, args: Args, *shapes: Any) -> Any:
        indexing = args.get("indexing")
        if indexing not in ("xy", "ij") or args.get("sparse", False) is not False:
            raise ValueError(indexing)
        sizes = [_size(s) for s in shapes]
        if indexing == "xy" and len(sizes) >= 2:
            sizes[0], sizes[1] = sizes[1], sizes[0]
        return [tuple(sizes)] * len(shapes)


def _size(shape: Any) -> Any:
    """How many entries a tensor of ``shape`` has (NumPy flattens each input)."""
    if None in shape:
        return None
    if not all(is_known(d) for d in shape):
        return UNKNOWN
    size = 1
    for d in shape:
        size *= d
    return size
