"""The tensor-op catalogue's base: the ``Op`` entry, its registry, and the shape helpers
the entries share. The entries live in the modules beside this one, one per family.

An op (``keras.ops.concatenate``, ``tf.reduce_mean``, ``K.expand_dims``, ``x + y``,
``x[:, 0]``) is a catalogue entry like a layer: a ``LayerSpec`` whose inputs are its tensor
operands and whose arguments are the rest (``axis``, ``keepdims``...). Applying one records
an application in the graph, so that the layers after it see its output shape; it has no
weights, and ``tdlint shapes`` does not list it as a layer (Keras's summary does not either).

Every entry follows Keras 3's own shape rules (``keras/src/ops/operation_utils.py`` and the
ops' ``compute_output_spec``), and the oracle tests compare them with Keras. What an entry
cannot work out is unknown, never a guess: an entry returns ``None`` (a shape of unknown
rank) or ``UNKNOWN`` dims, and anything it raises means unknown too.

An op is registered under every spelling users write, as a path relative to its package:
``keras.ops`` (and ``keras.ops.numpy``/``nn``/``image``/``linalg``, and TensorFlow's NumPy API
``tensorflow.experimental.numpy``, which follows the same rules), ``keras.backend`` (``K``),
``keras.activations``, ``keras.random``, ``tensorflow``, ``tensorflow.math``, ``tensorflow.nn``,
``tensorflow.image``, ``tensorflow.linalg``, ``tensorflow.signal``, ``tensorflow.random``.

Most ops return one tensor; ``SeveralOutputs`` is the base of those that return a list
(``split``, ``unstack``, ``moments``), and an entry with ``creates`` makes a tensor from plain
values (``tf.ones((n, 1))``).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from tdlint.keras.catalogue import Args, LayerSpec, OutputShape
from tdlint.keras.shapes import UNKNOWN, Shape, Unknown, is_known

# The packages whose functions the catalogue names, under the prefixes users import them by.
_PACKAGES = {
    # TensorFlow's NumPy API (``tnp``) is another spelling of the NumPy-like ``keras.ops``.
    "ops": (
        "keras.ops",
        "keras.ops.numpy",
        "keras.ops.nn",
        "keras.ops.math",
        "keras.ops.core",
        "tensorflow.experimental.numpy",
    ),
    "image": ("keras.ops.image", "tensorflow.image"),
    "ops-image": ("keras.ops.image",),
    "ops-linalg": ("keras.ops.linalg",),
    "backend": ("keras.backend",),
    "activations": ("keras.activations",),
    "random": ("keras.random", "tensorflow.random"),
    "tf": ("tensorflow",),
    "math": ("tensorflow.math",),
    "nn": ("tensorflow.nn",),
    "tf-image": ("tensorflow.image",),
    "linalg": ("tensorflow.linalg",),
    "signal": ("tensorflow.signal",),
    "tfio-audio": ("tensorflow_io.audio",),  # TensorFlow I/O, imported as tfio
}


# The packages and the packages above them (``tfio.audio.dbscale``: ``tensorflow_io`` too).
_PACKAGE_PATHS = frozenset(
    path.rsplit(".", depth)[0]
    for paths in _PACKAGES.values()
    for path in paths
    for depth in range(path.count(".") + 1)
)


class Op(LayerSpec):
    """Base class of op entries. ``operands`` name the parameters that hold tensors; a
    parameter in ``listed`` holds a list of them (``concatenate([a, b])``)."""

    is_op: ClassVar[bool] = True
    multi_input: ClassVar[bool] = True  # shapes arrive as a list, one per operand
    operands: ClassVar[tuple[str, ...]] = ("x",)
    listed: ClassVar[frozenset[str]] = frozenset()
    # Spellings: "package:name" pairs, the package a key of _PACKAGES.
    spellings: ClassVar[tuple[str, ...]] = ()
    # Makes a tensor from plain values (``tf.ones((2, 3))``): a tensor even when no operand
    # is one. Its operands are the values that may be tensors (``tf.shape(x)[0]``).
    creates: ClassVar[bool] = False

    def accepted_args(self) -> frozenset[str]:
        return frozenset(self.params) | self.other_args | set(self.defaults) | {"name"}

    def output_shape(self, args: Args, x: Any) -> Any:
        return self.shape(args, *x)

    def shape(self, args: Args, *shapes: Any) -> Any:
        return None


class SeveralOutputs(Op):
    """Ops that return a list of tensors (``split``, ``unstack``, ``moments``). How many
    often follows from the arguments alone, so that ``a, b = tf.split(x, 2, axis=-1)`` still
    gives two tensors (of unknown shape) where the shapes cannot be worked out.
    ``shape`` returns the list of shapes."""

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        """How many tensors it returns (``shapes``: the operands', None when not known);
        raises when that is unknown too."""
        raise ValueError("unknown count")

    def output_shape(self, args: Args, x: Any) -> OutputShape:
        try:
            return list(self.shape(args, *x))
        except Exception:
            return [None] * self.count(args, x)

    def output_shape_unknown_input(self, args: Args) -> OutputShape:
        return [None] * self.count(args, None)


_OPS: dict[str, Op] = {}
_OPERATORS: dict[str, Op] = {}


def register(cls: type[Op]) -> type[Op]:
    op = cls()
    for spelling in cls.spellings:
        package, _, name = spelling.partition(":")
        for prefix in _PACKAGES[package]:
            _OPS.setdefault(f"{prefix}.{name}", op)
    return cls


def lookup_op(path: str) -> Op | None:
    """The entry for a function's canonical path (``keras.ops.mean``, ``tensorflow.concat``)."""
    return _OPS.get(path)


def is_op_package(path: str) -> bool:
    """A package of the catalogue's functions (``tensorflow.math``): its attributes are
    followed, as Keras's are."""
    return path in _PACKAGE_PATHS


def operator(name: str) -> Op | None:
    """The entry for a Python operator on tensors (LibCST's name: ``Add``, ``MatrixMultiply``),
    or None for one the catalogue does not have."""
    return _OPERATORS.get(name)


def register_operator(names: str, op: Op) -> None:
    """Python operators (LibCST's names, space-separated) that apply ``op`` to tensors."""
    for name in names.split():
        _OPERATORS[name] = op


def add_spelling(path: str, op: Op) -> None:
    """A spelling that needs an entry of its own (other defaults than the same function
    elsewhere: ``K.expand_dims`` adds the last axis, ``ops.expand_dims`` needs ``axis``)."""
    _OPS[path] = op


# ---------------------------------------------------------------- helpers


def axis_of(axis: Any, rank: int) -> int:
    """A canonical axis; raises (unknown) when it is not a literal int in range."""
    if not is_known(axis) or not -rank <= axis < rank:
        raise ValueError(axis)
    return axis % rank


def axes_of(axis: Any, rank: int) -> list[int] | None:
    """``axis=None`` (all), an int or a tuple of ints, canonical; raises when not literal."""
    if axis is None:
        return None
    items = axis if isinstance(axis, (tuple, list)) else [axis]
    return [axis_of(a, rank) for a in items]


def broadcast(a: Shape, b: Shape) -> Shape:
    """Keras's ``broadcast_shapes``; an unknown dim stays unknown unless the other is > 1."""
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out: list[Any] = []
    for x, y in zip(a, b, strict=True):
        if x is y and isinstance(x, Unknown):
            out.append(x)  # the same symbol on both sides
        elif isinstance(x, Unknown) or isinstance(y, Unknown):
            other = y if isinstance(x, Unknown) else x
            out.append(other if is_known(other) and other > 1 else UNKNOWN)
        elif x == 1:
            out.append(y)
        elif x is None:
            out.append(None if y == 1 else y)
        elif y in (1, None) or y == x:
            out.append(x)
        else:
            raise ValueError(f"cannot broadcast {a} and {b}")
    return tuple(out)


def scaled(dim: Any, factor: Any) -> Any:
    """``dim * factor`` (``tile``, ``repeat``): a dynamic dim stays dynamic, as in Keras."""
    if dim is None:
        return None
    if not (is_known(dim) and is_known(factor)):
        return UNKNOWN
    return dim * factor


def dim_of(value: Any) -> Any:
    """A dim given as an argument: an int, None (dynamic: ``ops.shape(x)[0]``), or unknown."""
    if value is None or is_known(value):
        return value
    return UNKNOWN


def reshaped(shape: Shape, target: Any) -> Shape:
    """Keras's ``compute_reshape_output_shape``, with unknowns kept unknown."""
    if is_known(target):
        target = (target,)
    if not isinstance(target, (tuple, list)):
        raise ValueError(target)
    new = tuple(dim_of(d) for d in target)
    if sum(1 for d in new if d == -1 and is_known(d)) > 1:
        raise ValueError(target)
    if None in shape or None in new:
        return tuple(None if d == -1 else d for d in new)
    if any(isinstance(d, Unknown) for d in (*shape, *new)):
        return tuple(UNKNOWN if d == -1 else d for d in new)
    size = math.prod(shape)
    if -1 not in new:
        if math.prod(new) != size:
            raise ValueError(target)
        return new
    known = math.prod(d for d in new if d != -1)
    if known == 0 or size % known:
        raise ValueError(target)
    return tuple(size // known if d == -1 else d for d in new)


def constant_shape(value: Any) -> Shape | None:
    """The shape of a Python constant used as an operand (``x * 0.5``, ``x + [1, 2]``)."""
    if isinstance(value, bool) or is_known(value) or isinstance(value, float):
        return ()
    if isinstance(value, (list, tuple)) and value:
        inner = [constant_shape(v) for v in value]
        if inner[0] is not None and all(s == inner[0] for s in inner):
            return (len(value), *inner[0])
    return None
