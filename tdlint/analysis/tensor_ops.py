"""Tensor ops applied to Keras tensors, for the interpreter: calls of catalogued functions
(``keras.ops.mean(x, axis=1)``, ``tf.concat([a, b], -1)``), Python operators (``x + y``,
``x @ w``, ``-x``), indexing (``x[:, 0]``) and the shape queries (``ops.shape(x)``,
``K.int_shape(x)``, ``x.shape``).

What an op does to shapes lives in the catalogue (``tdlint.keras.ops``); this module only
binds a call's arguments, turns its operands into tensors and records the application.
An op none of whose operands is a Keras tensor is left to the code that handled it before
(NumPy, the data libraries): ``NOT_AN_OP`` says so.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Application, Layer, Tensor
from tdlint.analysis.values import is_constant
from tdlint.keras import names
from tdlint.keras.catalogue import Args, bind
from tdlint.keras.ops import Op, constant_shape, lookup_op, operator
from tdlint.keras.ops.elementwise import JOIN
from tdlint.keras.ops.indexing import SHAPE_OF
from tdlint.keras.shapes import UNKNOWN, is_known

NOT_AN_OP = object()

# Functions that return a tensor's static shape as a tuple (None for a dynamic axis).
_SHAPE_QUERIES = frozenset(
    {
        "keras.ops.shape",
        "keras.ops.core.shape",
        "keras.backend.int_shape",
        "keras.backend.shape",
        "tensorflow.shape",
    }
)

# Functions that turn a value into a tensor of the same shape and contents: a constant stays
# the Python value (an op that reads it, ``ops.pad(x, ops.convert_to_tensor(widths))``, still
# can), a Keras tensor stays itself.
_CONVERSIONS = frozenset(
    {
        "keras.ops.convert_to_tensor",
        "keras.ops.core.convert_to_tensor",
        "keras.backend.constant",
        "tensorflow.convert_to_tensor",
        "tensorflow.constant",
    }
)

_VARIABLES = frozenset({"tensorflow.Variable", "keras.Variable", "keras.backend.variable"})
_CASTS = frozenset({"keras.ops.cast", "keras.backend.cast", "tensorflow.cast"})

# Functions that make a constant tensor from literal sizes: ``ops.arange(maxlen)``.
_RANGES = frozenset({"keras.ops.arange", "keras.ops.numpy.arange", "tensorflow.range"})


def op_path(path: str) -> str:
    """The catalogue's spelling of a resolved path: ``tf.keras.backend.mean`` is Keras's."""
    return names.canonical(path) or path


class OpEvaluator:
    """Mixed into the interpreter, which provides ``apply`` (it records applications)."""

    apply: Any

    def call_library_op(
        self, path: str, positional: list[Any], keywords: dict[str, Any], node: cst.CSTNode
    ) -> Any:
        """A library function on tensors, or ``NOT_AN_OP``."""
        path = op_path(path)
        if path in _SHAPE_QUERIES and len(positional) == 1 and not keywords:
            value = positional[0]
            if isinstance(value, Tensor) and value.shape is None:
                return self.call_op(SHAPE_OF, path, [value], {}, node)  # a size tensor
            if isinstance(value, Tensor):
                return tuple(value.shape)
            return NOT_AN_OP
        if path in _CONVERSIONS and len(positional) == 1 and set(keywords) <= {"dtype"}:
            value = positional[0]
            if isinstance(value, Tensor) or is_constant(value):
                return value
            return NOT_AN_OP
        if path in _VARIABLES and positional and isinstance(positional[0], Tensor):
            return positional[0]  # ``tf.Variable(init * tf.ones((d,)))``: a weight of that shape
        if path in _CASTS and positional and is_constant(positional[0]):
            return positional[0]  # ``tf.cast(0.5, x.dtype)``: a number all the same
        if path in _RANGES:
            return _range_tensor(positional, keywords, node)
        op = lookup_op(path)
        if op is None:
            return NOT_AN_OP
        compared = _compare_numbers(path, positional, keywords)
        if compared is not None:
            return compared
        return self.call_op(op, path, positional, keywords, node)

    def call_op(
        self,
        op: Op,
        path: str,
        positional: list[Any],
        keywords: dict[str, Any],
        node: cst.CSTNode,
    ) -> Any:
        args = bind(op, positional, keywords)
        operands: list[Any] = []
        for name in op.operands:
            if name not in args.values:
                continue
            value = args.values[name]
            if name in op.listed:
                if not isinstance(value, (list, tuple)):
                    return NOT_AN_OP if not isinstance(value, Tensor) else UNKNOWN
                operands.extend(value)
            else:
                operands.append(value)
        if op.creates:
            # ``tf.ones((n, 1))``: the sizes that are tensors are its inputs; without any,
            # Keras makes the tensor at once, a constant.
            operands = [v for v in operands if isinstance(v, Tensor)]
            if not operands:
                return _created(op, args)
        if not any(isinstance(v, Tensor) for v in operands):
            return NOT_AN_OP  # NumPy's, or a data library's: not on tensors
        if args.unknown_names or args.has_star_args:
            operands = [Tensor(None, origin=f"`{op.name}` with arguments tdlint does not know")]
        layer = Layer(spec=op, args=args, call=node, path=path)  # type: ignore[arg-type]
        return self.apply(layer, [as_operand(v) for v in operands], node)

    def apply_operator(self, name: str, operands: list[Any], node: cst.CSTNode) -> Any:
        """``x + y``, ``-x``, ``x @ w``: ``NOT_AN_OP`` unless an operand is a Keras tensor."""
        op = operator(name)
        if op is None:
            return NOT_AN_OP
        params = op.operands if len(operands) > 1 else ("x",)
        return self.call_op(op, name, [], dict(zip(params, operands, strict=False)), node)

    def index_tensor(self, tensor: Tensor, items: list[Any], node: cst.CSTNode) -> Any:
        getitem = operator("GetItem")
        assert getitem is not None
        return self.call_op(getitem, "[]", [tensor, tuple(items)], {}, node)


_COMPARISONS = {
    "equal": lambda a, b: a == b,
    "not_equal": lambda a, b: a != b,
    "greater": lambda a, b: a > b,
    "greater_equal": lambda a, b: a >= b,
    "less": lambda a, b: a < b,
    "less_equal": lambda a, b: a <= b,
}


def _compare_numbers(path: str, positional: list[Any], keywords: dict[str, Any]) -> bool | None:
    """``tf.math.equal(x.shape[-1], units)`` on two known numbers: the answer, so that the
    branch it guards is decided (NumPy-like ops on plain numbers give a scalar)."""
    compare = _COMPARISONS.get(path.rpartition(".")[2])
    operands = [*positional, *keywords.values()]
    if compare is None or len(operands) != 2 or keywords:
        return None
    if all(is_known(v) or isinstance(v, float) for v in operands):
        return bool(compare(*operands))
    return None


def join_tensors(a: Tensor, b: Tensor) -> Tensor:
    """A tensor that is ``a`` on one path and ``b`` on another: the graph keeps both
    (the layers after it are known), through a join whose parameters are unknown."""
    from tdlint.analysis.propagate import infer

    if a.constant and b.constant:
        shape = JOIN.shape(None, a.shape, b.shape) if a.shape and b.shape else None  # type: ignore[arg-type]
        return Tensor(shape, constant=True)
    node: Any = a.node or b.node
    layer = Layer(spec=JOIN, args=bind(JOIN, [], {}), call=node, path="")
    outcome = infer(JOIN, layer.args, [a.shape, b.shape], "join")
    app = Application(layer=layer, inputs=[a, b], outputs=[], node=node, params=UNKNOWN)
    shape = outcome.output if isinstance(outcome.output, tuple) else None
    origin = "a value that depends on a branch"
    app.outputs = [Tensor(shape, producer=app, node=node, origin=origin)]
    layer.applications.append(app)
    return app.outputs[0]


def _created(op: Op, args: Args) -> Any:
    """A tensor made from plain values (``tf.ones((2, 3))``): a constant, as ``arange``'s;
    ``NOT_AN_OP`` (left to the code before) when its shape cannot be worked out."""
    if args.unknown_names or args.has_star_args:
        return NOT_AN_OP
    try:
        shape = op.shape(args)
    except Exception:
        return NOT_AN_OP
    return Tensor(shape, origin="a constant", constant=True)


def as_operand(value: Any) -> Tensor:
    """An op's operand as a tensor: a Keras tensor, or a constant (``0.5``, an array)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, Array):
        return Tensor(value.shape, origin="an array", constant=True)
    shape = constant_shape(value)
    if shape is not None:
        return Tensor(shape, origin="a constant", constant=True)
    return Tensor(None, origin="not a Keras tensor")


def _range_tensor(positional: list[Any], keywords: dict[str, Any], node: cst.CSTNode) -> Any:
    """``arange(stop)``, ``arange(start, stop, step)``: a constant vector of known length
    when its bounds are literal, of unknown length otherwise."""
    names_ = ("start", "stop", "step")
    bound = dict(zip(names_, positional, strict=False))
    bound.update({k if k != "limit" else "stop": v for k, v in keywords.items()})
    if "stop" not in bound and "start" in bound:
        bound = {
            "start": 0,
            "stop": bound["start"],
            **{k: v for k, v in bound.items() if k == "step"},
        }
    parts = [bound.get("start", 0), bound.get("stop", UNKNOWN), bound.get("step", 1)]
    length: Any = UNKNOWN
    if all(is_known(p) for p in parts) and parts[2] != 0:
        length = len(range(*parts))
    return Tensor((length,), node=node, origin="a constant range", constant=True)
