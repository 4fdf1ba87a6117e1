"""Indexing of tensors: ``x[:, 0]``, ``x[..., None]``, ``x[:, 2:5]`` (NumPy's basic
indexing), ``take``/``gather`` and ``slice``."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    axis_of,
    dim_of,
    register,
    register_operator,
)
from tdlint.keras.shapes import UNKNOWN, Unknown, is_known

# ---------------------------------------------------------------- shape queries


class ShapeOf(Op):
    """``tf.shape(x)`` of a tensor whose rank is not known: a vector of its sizes, computed
    from ``x`` at run time (a size taken from it keeps a tensor built from it in the model).
    Of a tensor of known rank, the interpreter gives the static dims instead."""

    name = "shape"
    params = ("x",)

    def shape(self, args: Args, x: Any) -> Any:
        return (len(x),)

    def output_shape_unknown_input(self, args: Args) -> Any:
        return (UNKNOWN,)


SHAPE_OF = ShapeOf()


# ---------------------------------------------------------------- indexing


class GetItem(Op):
    """``x[...]`` with ints, slices, ``None`` and ``...``: NumPy's basic indexing. The index
    items are the argument ``index`` (a tuple of ``slice``, int, None or Ellipsis)."""

    name = "getitem"
    params = ("x", "index")

    def shape(self, args: Args, x: Any) -> Any:
        items = list(args.get("index", UNKNOWN))
        if items.count(Ellipsis) > 1:
            return None
        used = sum(1 for i in items if i is not None and i is not Ellipsis)
        if used > len(x):
            raise ValueError(items)
        if Ellipsis in items:
            at = items.index(Ellipsis)
            items[at : at + 1] = [slice(None)] * (len(x) - used)
        items += [slice(None)] * (len(x) - sum(1 for i in items if i is not None))
        out: list[Any] = []
        dims = iter(x)
        for item in items:
            if item is None:
                out.append(1)
                continue
            dim = next(dims)
            if isinstance(item, slice):
                out.append(_sliced(dim, item))
            elif not (is_known(item) or isinstance(item, Unknown)) or (
                is_known(item) and is_known(dim) and not -dim <= item < dim
            ):
                raise ValueError(item)
            # an int (even one of unknown value) drops the axis
        return tuple(out)


def _sliced(dim: Any, item: slice) -> Any:
    parts = (item.start, item.stop, item.step)
    if any(isinstance(p, Unknown) for p in parts):
        return UNKNOWN
    if parts == (None, None, None):
        return dim
    if is_known(dim):
        return len(range(dim)[item])
    if dim is None:
        return None  # depends on the dynamic length
    return UNKNOWN


register_operator("GetItem", GetItem())


# ---------------------------------------------------------------- gathering and slicing


@register
class Take(Op):
    """``ops.take(x, indices, axis=None)``: the ``axis`` of ``x`` replaced by the indices'
    shape (without an axis, the indices' shape: they index the flattened tensor)."""

    name = "take"
    params = ("x", "indices", "axis")
    operands = ("x", "indices")
    defaults: ClassVar[dict[str, Any]] = {"axis": None}
    renames: ClassVar[dict[str, str]] = {"a": "x"}
    other_args = frozenset({"mode"})
    spellings = ("ops:take",)

    def shape(self, args: Args, x: Any, indices: Any) -> Any:
        axis = args.get("axis")
        if axis is None:
            return indices
        i = axis_of(axis, len(x))
        return (*x[:i], *indices, *x[i + 1 :])


@register
class Gather(Op):
    """``tf.gather(params, indices, axis=None, batch_dims=0)`` and ``K.gather``: as ``take``
    along ``axis`` (by default the first after the ``batch_dims`` leading axes the two
    share), the indices' batch axes not repeated."""

    name = "gather"
    params = ("x", "indices", "validate_indices", "axis", "batch_dims")
    operands = ("x", "indices")
    defaults: ClassVar[dict[str, Any]] = {"axis": None, "batch_dims": 0}
    renames: ClassVar[dict[str, str]] = {"params": "x", "reference": "x"}
    spellings = ("tf:gather", "backend:gather")

    def shape(self, args: Args, x: Any, indices: Any) -> Any:
        batch_dims = args.get("batch_dims")
        if not is_known(batch_dims):
            raise ValueError(batch_dims)
        if batch_dims < 0:
            batch_dims += len(indices)
        if not 0 <= batch_dims <= min(len(indices), len(x)):
            raise ValueError(batch_dims)
        axis = args.get("axis")
        i = axis_of(batch_dims if axis is None else axis, len(x))
        if i < batch_dims:
            raise ValueError((axis, batch_dims))
        return (*x[:i], *indices[batch_dims:], *x[i + 1 :])


@register
class Slice(Op):
    """``ops.slice(inputs, start_indices, shape)`` and ``tf.slice(input_, begin, size)``: a
    block of the given size (-1: to the end of the axis)."""

    name = "slice"
    params = ("x", "start_indices", "shape")
    renames: ClassVar[dict[str, str]] = {
        "inputs": "x",
        "input_": "x",
        "begin": "start_indices",
        "size": "shape",
    }
    spellings = ("ops:slice", "tf:slice")

    def shape(self, args: Args, x: Any) -> Any:
        starts, sizes = args.get("start_indices", UNKNOWN), args.get("shape", UNKNOWN)
        if not isinstance(sizes, (tuple, list)) or len(sizes) != len(x):
            raise ValueError(sizes)
        if isinstance(starts, (tuple, list)) and len(starts) != len(x):
            raise ValueError(starts)
        out: list[Any] = []
        for i, (dim, size) in enumerate(zip(x, sizes, strict=True)):
            start = starts[i] if isinstance(starts, (tuple, list)) else UNKNOWN
            if size != -1:
                out.append(dim_of(size))
            elif dim is None:
                out.append(None)
            elif is_known(dim) and is_known(start):
                out.append(dim - start)
            else:
                out.append(UNKNOWN)
        return tuple(out)
