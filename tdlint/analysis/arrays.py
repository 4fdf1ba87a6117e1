"""Arrays built in the file: their shapes (and integer/float kind), without running anything.

The model-versus-data rules compare what reaches ``fit``/``predict`` with the model. Only
arrays built from literals and a few NumPy/Keras/scikit-learn helpers are known; anything read
from files stays unknown, and nothing is guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tdlint.keras.shapes import UNKNOWN, Symbol, UnknownInt, is_known, is_unknown, product

MAX_ELEMENTS = 10**12  # beyond this an array is certainly not built from a literal


@dataclass(frozen=True)
class Array:
    """An array value: ``shape`` (ints or unknowns; None when even the rank is unknown) and
    ``kind``: "int", "float", "bool" or None (unknown)."""

    shape: tuple[Any, ...] | None
    kind: str | None = None

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    @property
    def samples(self) -> Any:
        return self.shape[0] if self.shape else UNKNOWN


UNKNOWN_ARRAY = Array(None)

_INT_DTYPES = ("int", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
_FLOAT_DTYPES = ("float", "float16", "float32", "float64", "double", "half")


def dtype_kind(dtype: Any) -> str | None:
    """``"int32"``, ``np.int64``, ``int`` -> "int"; floats -> "float"; else None."""
    name = getattr(dtype, "path", dtype)
    if isinstance(name, str):
        name = name.rpartition(".")[2].lower()
        if name in _INT_DTYPES or name.startswith("int") or name.startswith("uint"):
            return "int"
        if name in _FLOAT_DTYPES or name.startswith("float"):
            return "float"
        if name in ("bool", "bool_"):
            return "bool"
    if dtype is int:
        return "int"
    if dtype is float:
        return "float"
    return None


def from_literal(value: Any) -> Array:
    """``np.array([[1, 2], [3, 4]])``: the nesting gives the shape. Only lists of numbers (or
    of arrays of one shape) count: anything unknown inside makes the whole shape unknown."""
    leaves = _leaves(value)
    if leaves and all(isinstance(leaf, Array) for leaf in leaves):
        shapes = {leaf.shape for leaf in leaves}
        inner = shapes.pop() if len(shapes) == 1 else None
        outer = from_literal(_replace_leaves(value)).shape
        if inner is None or outer is None:
            return UNKNOWN_ARRAY
        kinds = {leaf.kind for leaf in leaves}
        return Array((*outer, *inner), kinds.pop() if len(kinds) == 1 else None)
    if not all(isinstance(leaf, (bool, int, float)) for leaf in leaves):
        return UNKNOWN_ARRAY
    shape: list[Any] = []
    level = value
    while isinstance(level, (list, tuple)):
        shape.append(len(level))
        if not level:
            break
        level = level[0]
    kinds = {_scalar_kind(v) for v in _leaves(value)}
    kind = kinds.pop() if len(kinds) == 1 else ("float" if kinds <= {"int", "float"} else None)
    return Array(tuple(shape), kind)


def _replace_leaves(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_replace_leaves(v) for v in value]
    return 0


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _scalar_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, Array):
        return value.kind
    return None


def shape_argument(value: Any) -> tuple[Any, ...] | None:
    """A shape argument: ``(3, 4)``, ``[3, 4]`` or ``5``; None (unknown rank) otherwise: an
    unknown value may be a whole tuple."""
    if is_known(value):
        return (value,)
    if isinstance(value, (tuple, list)):
        return tuple(v if is_known(v) or isinstance(v, Symbol) else UNKNOWN for v in value)
    return None


def reshape(array: Array, target: Any) -> Array:
    shape = shape_argument(target)
    if shape is None:
        return Array(None, array.kind)
    if -1 in shape and array.shape is not None:
        total = product(array.shape)
        rest = product(d for d in shape if d != -1)
        missing = total // rest if is_known(total) and is_known(rest) and rest else UNKNOWN
        shape = tuple(missing if d == -1 else d for d in shape)
    elif -1 in shape:
        shape = tuple(UNKNOWN if d == -1 else d for d in shape)
    return Array(shape, array.kind)


def expand_dims(array: Array, axis: Any) -> Array:
    if array.shape is None or not is_known(axis):
        return Array(None, array.kind)
    shape = list(array.shape)
    position = axis if axis >= 0 else len(shape) + 1 + axis
    if not 0 <= position <= len(shape):
        return Array(None, array.kind)
    shape.insert(position, 1)
    return Array(tuple(shape), array.kind)


def stack(arrays: list[Array], axis: Any, new_axis: bool) -> Array:
    """``np.stack`` (a new axis) or ``np.concatenate`` (along an existing one)."""
    if not arrays or any(a.shape is None for a in arrays) or not is_known(axis):
        return UNKNOWN_ARRAY
    kinds = {a.kind for a in arrays}
    kind = kinds.pop() if len(kinds) == 1 else None
    first = list(arrays[0].shape)  # type: ignore[arg-type]
    if new_axis:
        position = axis if axis >= 0 else len(first) + 1 + axis
        if not 0 <= position <= len(first):
            return UNKNOWN_ARRAY  # NumPy raises; list.insert would quietly clamp
        first.insert(position, len(arrays))
        return Array(tuple(first), kind)
    position = axis if axis >= 0 else len(first) + axis
    if not 0 <= position < len(first):
        return UNKNOWN_ARRAY
    sizes = [a.shape[position] for a in arrays]  # type: ignore[index]
    first[position] = sum(sizes) if all(is_known(s) for s in sizes) else UNKNOWN
    return Array(tuple(first), kind)


def index(array: Array, items: list[Any]) -> Array:
    """``x[:, None]``, ``x[..., np.newaxis]``, ``x[2:10]``, ``x[0]``: one entry per index
    item: a slice (bounds or None), an int, None (new axis) or Ellipsis."""
    if array.shape is None:
        return Array(None, array.kind)
    shape = list(array.shape)
    out: list[Any] = []
    dims = iter(range(len(shape)))
    consumed = sum(1 for item in items if item is not None and item is not Ellipsis)
    for item in items:
        if item is None:
            out.append(1)
        elif item is Ellipsis:
            for _ in range(len(shape) - consumed):
                out.append(shape[next(dims)])
        elif isinstance(item, slice):
            position = next(dims, None)
            if position is None:
                return Array(None, array.kind)
            out.append(_slice_length(shape[position], item))
        elif is_known(item) or isinstance(item, UnknownInt):
            if next(dims, None) is None:
                return Array(None, array.kind)
        elif (
            isinstance(item, Array)
            and item.rank
            and (item.kind == "int" or (item.kind is None and item.rank == 1))
        ):
            # x[indices]: the axis is replaced by the indices' shape (a shuffle, a selection,
            # ``np.eye(n)[labels]``); with several index arrays NumPy broadcasts them together
            if next(dims, None) is None or sum(isinstance(i, Array) for i in items) > 1:
                return Array(None, array.kind)
            out.extend(item.shape)  # type: ignore[arg-type]
        else:  # a boolean mask, an unknown: the shape is unknown
            return Array(None, array.kind)
    out.extend(shape[d] for d in dims)
    return Array(tuple(out), array.kind)


def _slice_length(length: Any, item: slice) -> Any:
    if not is_known(length) or is_unknown(item.start):
        return UNKNOWN
    bounds = (item.start, item.stop, item.step)
    if not all(b is None or is_known(b) for b in bounds):
        return UNKNOWN
    return len(range(*slice(*bounds).indices(length)))


def transpose(array: Array) -> Array:
    return Array(None if array.shape is None else tuple(reversed(array.shape)), array.kind)


def arange(*bounds: Any) -> Array:
    if not bounds or not all(isinstance(b, (int, float)) for b in bounds):
        return Array((UNKNOWN,), None)
    kind = "int" if all(isinstance(b, int) for b in bounds) else "float"
    try:
        length = (
            max(0, math.ceil((bounds[1] - bounds[0]) / bounds[2])) if len(bounds) == 3 else None
        )
        if length is None:
            start, stop = (0, bounds[0]) if len(bounds) == 1 else bounds[:2]
            length = max(0, math.ceil(stop - start))
    except (ZeroDivisionError, TypeError, ValueError):
        return Array((UNKNOWN,), kind)
    return Array((length,), kind)


def sized(shape: tuple[Any, ...] | None, kind: str | None) -> Array:
    """An array of a computed shape, unless it is implausibly large for literal data."""
    if shape is not None and is_known(product(shape)) and product(shape) > MAX_ELEMENTS:
        return Array(tuple(UNKNOWN for _ in shape), kind)
    return Array(shape, kind)


# Arithmetic NumPy does element by element; with ints on both sides these stay ints.
_ELEMENTWISE = frozenset(
    {"Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Modulo", "Power"}
)


def elementwise(op: str, a: Any, b: Any) -> Array | None:
    """``labels % 5``, ``x / 255.0``, ``a + b``: NumPy's broadcasting of an array with a
    number or another array; None when an operand is neither (so nothing is guessed)."""
    if op not in _ELEMENTWISE or not (isinstance(a, Array) or isinstance(b, Array)):
        return None
    shapes, kinds = [], []
    for operand in (a, b):
        if isinstance(operand, Array):
            shapes.append(operand.shape)
            kinds.append(operand.kind)
        elif isinstance(operand, (int, float)) and not isinstance(operand, bool):
            shapes.append(())
            kinds.append("int" if isinstance(operand, int) else "float")
        else:
            return None
    kind = "float" if op == "Divide" or "float" in kinds else None
    if kinds == ["int", "int"] and op != "Divide":
        kind = "int"
    if shapes[0] is None or shapes[1] is None:
        return Array(None, kind)
    return Array(_broadcast(shapes[0], shapes[1]), kind)


def _broadcast(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...] | None:
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    out: list[Any] = []
    for x, y in zip(a, b, strict=True):
        if is_known(x) and is_known(y):
            if x != y and 1 not in (x, y):
                return None  # NumPy raises; the shape is not this file's to guess
            out.append(y if x == 1 else x)
        else:
            out.append(x if y == 1 else y if x == 1 else UNKNOWN)
    return tuple(out)


def transpose_axes(array: Array, axes: Any) -> Array:
    """``x.transpose(0, 2, 1)``, ``np.transpose(x, (0, 2, 1))``: the axes in that order."""
    if array.shape is None:
        return Array(None, array.kind)
    if axes is None or axes == ():
        return transpose(array)
    if isinstance(axes, int) and not isinstance(axes, bool):
        axes = (axes,)
    if not isinstance(axes, (tuple, list)) or sorted(axes, key=repr) != sorted(
        range(len(array.shape)), key=repr
    ):
        return Array(None, array.kind)
    return Array(tuple(array.shape[axis] for axis in axes), array.kind)


# Reductions: what is left of the shape, and the kind of the result (None: NumPy's rules
# for it depend on the dtype in ways not followed here).
REDUCTIONS = {
    "sum": None, "prod": None, "max": None, "min": None, "amax": None, "amin": None,
    "mean": "float", "std": "float", "var": "float", "median": "float",
    "argmax": "int", "argmin": "int", "any": "bool", "all": "bool",
}  # fmt: skip


def reduce(array: Array, name: str, axis: Any, keepdims: Any = False) -> Array:
    """``x.sum()``, ``np.argmax(x, axis=-1)``, ``x.mean(axis=0, keepdims=True)``."""
    kind = REDUCTIONS[name]
    if kind is None and array.kind == "float":
        kind = "float"
    if array.shape is None or keepdims not in (True, False):
        return Array(None, kind)
    rank = len(array.shape)
    if axis is None:
        return Array((1,) * rank if keepdims else (), kind)
    axes = axis if isinstance(axis, tuple) else (axis,)
    if name in ("argmax", "argmin") and len(axes) != 1:
        return Array(None, kind)
    if not all(isinstance(a, int) and not isinstance(a, bool) and -rank <= a < rank for a in axes):
        return Array(None, kind)
    gone = {a % rank for a in axes}
    return Array(
        tuple(
            1 if i in gone else d for i, d in enumerate(array.shape) if keepdims or i not in gone
        ),
        kind,
    )


def squeeze(array: Array, axis: Any = None) -> Array:
    """``np.squeeze(x)``: the axes of size 1 removed (all of them, or those named)."""
    if array.shape is None:
        return Array(None, array.kind)
    rank = len(array.shape)
    if axis is None:
        if not all(is_known(d) for d in array.shape):
            return Array(None, array.kind)
        return Array(tuple(d for d in array.shape if d != 1), array.kind)
    axes = axis if isinstance(axis, tuple) else (axis,)
    if not all(isinstance(a, int) and -rank <= a < rank for a in axes):
        return Array(None, array.kind)
    gone = {a % rank for a in axes}
    if any(array.shape[i] != 1 for i in gone):
        return Array(None, array.kind)  # NumPy refuses
    return Array(tuple(d for i, d in enumerate(array.shape) if i not in gone), array.kind)
