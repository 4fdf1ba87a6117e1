"""Tensor shapes as tdlint sees them, without running anything.

A shape is a tuple of dims that includes the batch axis, as Keras prints it.
A dim is one of:

* an ``int``: known statically;
* ``None``: dynamic, exactly as Keras writes it (the batch axis, ``Input(shape=(None, 8))``);
* ``UNKNOWN``: tdlint cannot know it statically (a function parameter, data read at run time).

A whole shape may be unknown too (``None`` where a ``Shape`` is expected): not even the rank
is known. Rules never fire on what is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TypeAlias


class Unknown:
    """A statically unknown value (a dim, an argument), with a few words on where it came
    from when tdlint knows (``parameter `timesteps` of `build_model```)."""

    __slots__ = ("origin",)

    def __init__(self, origin: str = "") -> None:
        self.origin = origin

    def __repr__(self) -> str:
        return "?"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test is_unknown() first")


# The generic unknown, for when there is nothing more to say.
UNKNOWN = Unknown()


class UnknownInt(Unknown):
    """An integer whose value is not known statically: a loop index over ``range(n)``, a
    ``len()``. Indexing an array with it drops an axis, as any integer does."""

    __slots__ = ()


UNKNOWN_INT = UnknownInt("an integer not known statically")


class UnknownRange(Unknown):
    """``range(n)`` for an unknown ``n``: a loop over it counts with unknown integers."""

    __slots__ = ()


UNKNOWN_RANGE = UnknownRange("a range of unknown length")


class Symbol(Unknown):
    """A dim tdlint cannot evaluate but can name: ``len(chars)``, ``x_train.shape[1]``,
    ``vocab_size``. It is printed by its name and is equal only to itself; everywhere else it
    is an unknown (no rule fires on it, and arithmetic on it gives a plain unknown)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        super().__init__(f"`{name}`, not known statically")
        self.name = name

    def __repr__(self) -> str:
        return self.name


class IntSymbol(Symbol, UnknownInt):
    """A symbol known to be an integer (``len(chars)``): indexing with it drops an axis."""

    __slots__ = ()


def plain(dim: object) -> object:
    """A dim with any symbol turned into a plain unknown (keeping where it came from): what
    a computation that does not simply pass the dim on gives."""
    if isinstance(dim, IntSymbol):
        return UnknownInt(dim.origin)
    return Unknown(dim.origin) if isinstance(dim, Symbol) else dim


def symbol(name: str, value: object) -> object:
    """``value`` (a plain unknown) named ``name``; any other value as it is."""
    if type(value) is Unknown:
        return Symbol(name)
    if type(value) is UnknownInt:
        return IntSymbol(name)
    return value


class DynamicSize(int):
    """A dynamic axis given a size while a custom layer's output shape is worked out (as
    Keras 3 does it): it computes as that size, but it is written as Keras writes a dynamic
    axis, ``None`` (in a finding inside the layer, say). Arithmetic on it gives plain ints."""

    def __repr__(self) -> str:
        return "None"


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


Dim: TypeAlias = "int | None | Unknown"
Shape: TypeAlias = tuple[Dim, ...]


def is_known(dim: object) -> bool:
    """True for a statically known int dim (not dynamic, not unknown)."""
    return isinstance(dim, int) and not isinstance(dim, bool)


def combine(fn: Callable[..., int], *dims: Dim) -> Dim:
    """Apply integer arithmetic to dims: unknown wins over dynamic, dynamic over known."""
    for d in dims:
        if isinstance(d, Unknown):
            return plain(d)  # keeps its origin; ``2 * units`` is not ``units``
    if any(d is None for d in dims):
        return None
    return fn(*dims)


def product(dims: Iterable[Dim]) -> Dim:
    return combine(lambda *xs: math.prod(xs), *dims)


def format_shape(shape: Shape | None) -> str:
    """``(None, 10, 64)`` as Keras prints shapes; ``?`` marks what tdlint cannot know."""
    if shape is None:
        return "?"
    inner = ", ".join("None" if d is None else repr(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def shape_to_json(shape: Shape | None) -> list[int | str | None] | None:
    """A shape for JSON: a list with an int for a known dim, null for a dynamic one (as Keras
    writes it), a symbol's name (``"len(chars)"``) for a dim tdlint can name but not
    evaluate, and ``"?"`` for a dim it cannot know; null when not even the rank is known."""
    if shape is None:
        return None
    return [_dim_to_json(d) for d in shape]


def _dim_to_json(d: Dim) -> int | str | None:
    if d is None or isinstance(d, DynamicSize):
        return None
    if is_known(d):
        return d  # type: ignore[return-value]
    return d.name if isinstance(d, Symbol) else "?"


def is_symbolic(shape: Shape | None) -> bool:
    """A shape whose rank is known and every dim known, dynamic or a symbol."""
    return shape is not None and all(
        not isinstance(d, Unknown) or isinstance(d, Symbol) for d in shape
    )


def unknown_origin(shape: Shape | None) -> str:
    """Where the first unknown dim of a shape came from, if anything is known of it."""
    for d in shape or ():
        if isinstance(d, Unknown) and not isinstance(d, Symbol) and d.origin:
            return d.origin
    return ""


def fully_known(shape: Shape | None) -> bool:
    """A shape whose rank and every dim are known (ints, or None for a dynamic axis)."""
    return shape is not None and not any(isinstance(d, Unknown) for d in shape)
