"""Products that sum over axes named by the caller: ``einsum``, ``tensordot``."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    axis_of,
    broadcast,
    register,
)
from tdlint.keras.shapes import UNKNOWN, is_known

_EINSUM_OPERANDS = ("x1", "x2", "x3", "x4", "x5")


@register
class Einsum(Op):
    """``ops.einsum("bij,bjk->bik", a, b)``: each letter names an axis; those in the output
    stay (all letters seen once, in alphabetical order, when there is no ``->``), the rest
    are summed over. An axis a letter names in several operands broadcasts, as Keras's."""

    name = "einsum"
    params = ("subscripts", *_EINSUM_OPERANDS)
    operands = _EINSUM_OPERANDS
    renames: ClassVar[dict[str, str]] = {"equation": "subscripts"}
    other_args = frozenset({"optimize", "preferred_element_type"})
    spellings = ("ops:einsum", "tf:einsum", "linalg:einsum")

    def shape(self, args: Args, *shapes: Any) -> Any:
        subscripts = args.get("subscripts", UNKNOWN)
        if not isinstance(subscripts, str):
            raise ValueError(subscripts)
        inputs, arrow, output = subscripts.replace(" ", "").partition("->")
        specs = inputs.split(",")
        if len(specs) != len(shapes):
            raise ValueError(subscripts)
        letters: dict[str, Any] = {}
        rest: tuple[Any, ...] = ()  # what "..." stands for, broadcast over the operands
        for spec, shape in zip(specs, shapes, strict=True):
            named, dots = _match(spec, shape)
            rest = broadcast(rest, dots)
            for letter, dim in named:
                known = letters.get(letter, 1)
                letters[letter] = broadcast((known,), (dim,))[0]  # raises where sizes differ
        if not arrow:
            once = [c for c in sorted(letters) if inputs.count(c) == 1]
            output = "..." + "".join(once)
        if output.count("...") > 1 or any(c not in letters for c in output.replace("...", "")):
            raise ValueError(subscripts)
        before, dots, after = output.partition("...")
        if rest and not dots:
            raise ValueError(subscripts)  # the axes "..." covers must go somewhere
        return (
            *(letters[c] for c in before),
            *(rest if dots else ()),
            *(letters[c] for c in after),
        )


def _match(spec: str, shape: Any) -> tuple[list[tuple[str, Any]], tuple[Any, ...]]:
    """The axes one operand's letters name, and the ones its ``...`` covers."""
    if spec.count("...") > 1 or not spec.replace("...", "").isalpha():
        raise ValueError(spec)
    before, dots, after = spec.partition("...")
    named = len(before) + len(after)
    if len(shape) < named or (not dots and len(shape) != named):
        raise ValueError((spec, shape))
    tail = shape[len(shape) - len(after) :] if after else ()
    pairs = [*zip(before, shape[: len(before)], strict=True), *zip(after, tail, strict=True)]
    return pairs, tuple(shape[len(before) : len(shape) - len(after)])


@register
class Tensordot(Op):
    """``ops.tensordot(x1, x2, axes=2)``: sums over the last ``axes`` axes of ``x1`` and the
    first of ``x2``, or over the two lists of axes given."""

    name = "tensordot"
    params = ("x1", "x2", "axes")
    operands = ("x1", "x2")
    defaults: ClassVar[dict[str, Any]] = {"axes": 2}
    renames: ClassVar[dict[str, str]] = {"a": "x1", "b": "x2"}
    spellings = ("ops:tensordot", "tf:tensordot", "linalg:tensordot")

    def shape(self, args: Args, a: Any, b: Any) -> Any:
        axes = args.get("axes")
        if is_known(axes):
            if not 0 <= axes <= min(len(a), len(b)):
                raise ValueError(axes)
            first, second = list(range(len(a) - axes, len(a))), list(range(axes))
        elif isinstance(axes, (tuple, list)) and len(axes) == 2:
            first, second = (_axis_list(axes[0], len(a)), _axis_list(axes[1], len(b)))
            if len(first) != len(second):
                raise ValueError(axes)
        else:
            raise ValueError(axes)
        for i, j in zip(first, second, strict=True):
            if is_known(a[i]) and is_known(b[j]) and a[i] != b[j]:
                raise ValueError((a, b, axes))
        return (
            *(d for i, d in enumerate(a) if i not in first),
            *(d for j, d in enumerate(b) if j not in second),
        )


def _axis_list(value: Any, rank: int) -> list[int]:
    items = value if isinstance(value, (tuple, list)) else [value]
    return [axis_of(a, rank) for a in items]
