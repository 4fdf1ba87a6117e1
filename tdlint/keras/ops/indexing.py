"""Basic indexing of tensors: ``x[:, 0]``, ``x[..., None]``, ``x[:, 2:5]``."""

from __future__ import annotations

from typing import Any

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    register_operator,
)
from tdlint.keras.shapes import UNKNOWN, Unknown, is_known

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
