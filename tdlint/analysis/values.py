"""Abstract values the interpreter manipulates besides plain Python constants.

A value is one of:

* a Python constant (``int``, ``float``, ``str``, ``bool``, ``None``) or a ``tuple``/``list``/
  ``dict`` of values, known statically;
* ``UNKNOWN`` (from ``tdlint.keras.shapes``): anything tdlint cannot know;
* a graph object: ``Layer``, ``Tensor``, ``Model``;
* one of the small classes below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Tensor
from tdlint.keras.shapes import UNKNOWN, Unknown, is_unknown


@dataclass(frozen=True)
class Ref:
    """A reference to something imported, by dotted path (``tensorflow.keras.layers``)."""

    path: str

    def attr(self, name: str) -> Ref:
        return Ref(f"{self.path}.{name}")


@dataclass(eq=False)
class Function:
    """A user function or method: analysed on its own with unknown parameters, and with its
    arguments where it is called."""

    node: cst.FunctionDef
    # The scope it was defined in, when that is a function's (a closure: ``def block(width):
    # def apply(x): ...; return apply``): its names stay visible to calls of it.
    closure: Any = None


@dataclass(eq=False)
class UserClass:
    node: cst.ClassDef
    keras_base: str | None  # "model" / "layer-base" when it subclasses Keras
    methods: dict[str, cst.FunctionDef] = field(default_factory=dict)
    # The catalogue layer it subclasses (``Conv2D``), if any.
    base_layer: str | None = None
    # Class attributes its body assigns (``MAX_LEN = 256``), evaluated where it is defined.
    attrs: dict[str, Any] = field(default_factory=dict)
    # Annotated attributes in order (a dataclass's fields: its ``__init__`` parameters).
    fields: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Instance:
    """An instance of a user's class: ``self`` while analysing a subclassed Keras model or
    layer (attributes hold layers), or a plain object (``config = Config()``). An attribute
    it does not set itself is its class's."""

    cls: UserClass
    attrs: dict[str, Any] = field(default_factory=dict)
    # What its methods collect while they run (tdlint.analysis.classes.UserInstanceState).
    state: Any = None


@dataclass
class Super:
    """``super()`` in a method of the user's class: what its base class does with ``self``."""

    instance: Instance


class DataObject:
    """A value of a data library that tdlint models (a pandas DataFrame, a fitted scaler, a
    ``tf.data`` pipeline): it answers attribute access, method calls and indexing with what
    it knows of their results, and ``UNKNOWN`` for the rest. Subclasses live with the
    knowledge of their library (``tdlint.analysis.tables``, ``preprocessing``, ``datasets``)."""

    def attribute(self, name: str) -> Any:
        return UNKNOWN

    def call(self, method: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        return UNKNOWN

    def index(self, items: list[Any]) -> Any:
        """``value[a, b]``, one entry per item: a ``slice``, an int, a string, a list..."""
        return UNKNOWN


class GrownList(Unknown):
    """A list grown in a loop of unknown length: its length is unknown, but the items one
    pass of the loop appended say what kind of items it holds. Unknown to everything except
    ``np.array(...)``, which reads the items' shape."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Any, ...]) -> None:
        super().__init__("a list grown in a loop")
        self.items = items


def forget_contents(container: Any) -> None:
    """A dict or list changed in a way tdlint cannot follow (``d[key] = v`` with an unknown
    key, ``d[key].append(v)``): what it holds is unknown from now on. Changed in place, as
    Python changes it, so every name bound to it sees the change."""
    if isinstance(container, dict):
        for key in container:
            container[key] = UNKNOWN
    elif isinstance(container, list):
        container[:] = [UNKNOWN] * len(container)


CONSTANT_TYPES = (int, float, str, bool, type(None))


def is_constant(value: Any) -> bool:
    """A fully known Python constant (containers included)."""
    if isinstance(value, CONSTANT_TYPES):
        return True
    if isinstance(value, (tuple, list)):
        return all(is_constant(v) for v in value)
    if isinstance(value, dict):
        return all(is_constant(v) for v in value.values())
    return False


def same_value(a: Any, b: Any) -> bool:
    """Whether two values from different branches are certainly the same."""
    if a is b:
        return True
    if is_unknown(a) or is_unknown(b):
        return False
    if is_constant(a) and is_constant(b):
        return type(a) is type(b) and a == b
    return isinstance(a, Ref) and isinstance(b, Ref) and a == b


def join(a: Any, b: Any) -> Any:
    """What is certain of a value that is ``a`` on one path and ``b`` on another.

    Equal values stay; tuples and lists of one length join element by element (so a shape's
    rank survives a branch that changes one of its dims); anything else becomes unknown.
    """
    if same_value(a, b):
        return a
    if isinstance(a, (tuple, list)) and type(a) is type(b) and len(a) == len(b):
        return type(a)(join(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Array) and isinstance(b, Array):
        return _join_arrays(a, b)
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        from tdlint.analysis.tensor_ops import join_tensors  # it builds on the graph

        return join_tensors(a, b)
    return UNKNOWN


def _join_arrays(a: Array, b: Array) -> Array:
    """Arrays of one rank keep the rank and the dims they agree on."""
    kind = a.kind if a.kind == b.kind else None
    if a.shape is None or b.shape is None or len(a.shape) != len(b.shape):
        return Array(None, kind)
    return Array(
        tuple(x if x == y else UNKNOWN for x, y in zip(a.shape, b.shape, strict=True)), kind
    )
