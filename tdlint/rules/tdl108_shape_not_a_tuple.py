"""TDL108 shape-not-a-tuple."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst
import libcst.helpers

from tdlint.analysis.graph import Layer
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras.shapes import Shape, UnknownInt, is_known
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword

# The arguments that take a shape tuple: on any layer, and on Input/InputLayer.
_LAYER_SHAPE_ARGS = ("input_shape", "batch_input_shape")
_INPUT_SHAPE_ARGS = ("shape", "batch_shape", "input_shape", "batch_input_shape")


class ShapeNotATuple(Rule):
    """A shape argument that is an int, not a tuple: `Input(shape=(1024))`.

    Parentheses alone do not make a tuple: `(1024)` is the int 1024, and a one-element tuple
    needs a trailing comma, `(1024,)`.  Keras 3 refuses an int wherever a shape is expected
    ("Cannot convert '1024' to a shape"), and so did Keras 1 to 2.3 (`tuple(1024)`: "'int'
    object is not iterable").  Only tf.keras 2.x's `Input` read an int as a one-element
    shape, which is why this code is common in older tutorials; a layer's `input_shape=` was
    refused there too. So an int in `Input` is reported only when the Keras version in
    effect is known to refuse it (`keras-version = "3"` or `"1"`); in a layer, always.
    """

    code = "TDL108"
    name = "shape-not-a-tuple"
    severity = Severity.ERROR
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        int_names = _IntNames(ctx.module, ctx.source)
        for found in _int_shapes(ctx, int_names):
            value = found.arg.value
            written = ctx.module.code_for_node(value)
            inner = ctx.module.code_for_node(value.with_changes(lpar=(), rpar=()))
            what = f"the int {found.number}" if found.number is not None else "an int"
            message = f"`{written}` is {what}, not a tuple: Keras 3 cannot convert it to a shape"
            severity = None
            if found.is_input and ctx.keras_version not in ("1", "3"):
                # tf.keras 2.x's InputLayer (Keras 2.4-2.15) turned an int into a one-element
                # shape, and most code that writes it was written for those versions: only a
                # Keras version known to refuse it makes it a finding (`keras-version`).
                continue
            # The edit spans the expression inside its parentheses: keep them, add the comma.
            content = f"{inner}," if value.lpar else f"({inner},)"
            fix = FixPlan(
                Applicability.SAFE,
                f"Write `({inner},)`",
                (NodeEdit(value, content),),
            )
            yield Finding(
                value,
                message,
                f"Write `({inner},)`: a one-element tuple needs a trailing comma.",
                fix,
                severity,
            )

    VALID = [
        """
import keras
inp = keras.Input(shape=(1024,))
out = keras.layers.Dense(10)(inp)
model = keras.Model(inp, out)
""",
        """
from keras import layers, Sequential, Input
model = Sequential([Input((28, 28, 1)), layers.Flatten(), layers.Dense(10)])
""",
        # A parenthesised tuple (or a variable holding one) is a shape.
        """
import keras
shape = (32, 32, 3)
inp = keras.Input(shape=(shape))
model = keras.Model(inp, keras.layers.Flatten()(inp))
""",
        """
from keras import layers, Sequential
model = Sequential([layers.Dense(8, input_shape=(4,)), layers.Dense(1)])
""",
    ]

    INVALID = [
        Invalid(
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, input_shape=(1024))])
""",
            fixed="""
import keras
model = keras.Sequential([keras.layers.Dense(10, input_shape=(1024,))])
""",
            message="`(1024)` is the int 1024, not a tuple",
        ),
        Invalid(
            """
from tensorflow import keras
model = keras.Sequential([keras.layers.Dense(10, input_shape=28 * 28)])
""",
            fixed="""
from tensorflow import keras
model = keras.Sequential([keras.layers.Dense(10, input_shape=(28 * 28,))])
""",
            message="`28 * 28` is the int 784",
        ),
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
X_train = np.zeros((100, 8))
model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(X_train.shape[1])))
""",
            fixed="""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
X_train = np.zeros((100, 8))
model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(X_train.shape[1],)))
""",
            message="`(X_train.shape[1])` is the int 8",
        ),
        Invalid(
            """
import keras
n_features = 12
model = keras.Sequential([keras.layers.Dense(4, input_shape=(n_features)), keras.layers.Dense(1)])
""",
            fixed="""
import keras
n_features = 12
model = keras.Sequential([keras.layers.Dense(4, input_shape=(n_features,)), keras.layers.Dense(1)])
""",
            message="is the int 12",
        ),
    ]


@dataclass(frozen=True)
class _IntShape:
    arg: cst.Arg
    number: int | None  # its value, when known
    is_input: bool  # Input/InputLayer (tf.keras 2.x accepted an int there)


class _IntNames:
    """The file's int names (``_int_names``), worked out only when a shape argument is a
    name the analysis could not read: walking the whole file costs as much as the rest of
    the checks on it."""

    def __init__(self, module: cst.Module, source: str = "") -> None:
        self.module = module
        self.source = source  # the file's text, when at hand (module.code rebuilds it)
        self.names: frozenset[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self.names is None:
            self.names = _int_names(self.module, self.source)
        return name in self.names


def _int_shapes(ctx: RuleContext, int_names: Container[str]) -> Iterator[_IntShape]:
    seen: set[int] = set()
    for layer in ctx.graph.layers:
        is_input = layer.spec.name == "InputLayer"
        for arg in _shape_args(layer.call, _INPUT_SHAPE_ARGS if is_input else _LAYER_SHAPE_ARGS):
            found = _as_int(arg, layer, is_input, int_names)
            if found is not None and id(arg) not in seen:
                seen.add(id(arg))
                yield found
    for tensor in ctx.graph.inputs:
        call = tensor.node
        if not isinstance(call, cst.Call):
            continue
        for arg in _shape_args(call, _INPUT_SHAPE_ARGS, positional=True):
            found = _as_int(arg, None, True, int_names)
            if found is not None and found.number is None:
                found = _IntShape(arg, _read_as(tensor.shape), True)
            if found is not None and id(arg) not in seen:
                seen.add(id(arg))
                yield found


def _read_as(shape: Shape | None) -> int | None:
    """The int an Input's shape was read as (tdlint reads it as tf.keras 2.x did)."""
    if shape is not None and len(shape) == 2 and is_known(shape[1]):
        return shape[1]
    return None


def _shape_args(call: cst.Call, names: tuple[str, ...], positional: bool = False) -> list[cst.Arg]:
    args = [arg for name in names if (arg := first_keyword(call, name)) is not None]
    if positional and call.args and call.args[0].keyword is None and not call.args[0].star:
        args.append(call.args[0])  # Input(shape, ...)
    return args


def _as_int(
    arg: cst.Arg, layer: Layer | None, is_input: bool, int_names: Container[str]
) -> _IntShape | None:
    """The argument, when it is certainly an int: written as one (`1024`, `(28 * 28)`,
    `X.shape[1]`, `len(vocab)`), a name only ever assigned such a value, or a value the
    analysis knows is an int."""
    number = _literal_int(arg.value)
    value = None
    if layer is not None and arg.keyword is not None:
        value = layer.args.values.get(arg.keyword.value)
        if number is None and is_known(value):
            number = value
        if isinstance(value, (tuple, list)):
            return None  # the analysis read a shape tuple
    certain = number is not None or isinstance(value, UnknownInt)
    if certain or _int_expression(arg.value, int_names):
        return _IntShape(arg, number, is_input)
    return None


# Bounded arithmetic on literals: enough for `28 * 28` or `64 + 1`, never a huge number.
_OPERATORS = {
    cst.Add: lambda a, b: a + b,
    cst.Subtract: lambda a, b: a - b,
    cst.Multiply: lambda a, b: a * b,
    cst.FloorDivide: lambda a, b: a // b if b else None,
}


def _literal_int(node: cst.BaseExpression) -> int | None:
    if isinstance(node, cst.Integer):
        value = node.evaluated_value
        return value if isinstance(value, int) else None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _literal_int(node.expression)
        return None if inner is None else -inner
    if isinstance(node, cst.BinaryOperation):
        operate = _OPERATORS.get(type(node.operator))
        left, right = _literal_int(node.left), _literal_int(node.right)
        if operate is None or left is None or right is None:
            return None
        result = operate(left, right)
        return result if result is not None and abs(result) < 10**12 else None
    return None


def _int_expression(node: cst.BaseExpression, int_names: Container[str] = frozenset()) -> bool:
    """Expressions whose value is an int whatever the data: `X.shape[i]` (one axis of a
    shape, not a slice), `len(...)`, names in ``int_names``, and arithmetic of those and
    literals."""
    if _literal_int(node) is not None:
        return True
    if isinstance(node, cst.Name):
        return node.value in int_names
    if isinstance(node, cst.Subscript):
        owner = node.value
        return (
            isinstance(owner, cst.Attribute)
            and owner.attr.value == "shape"
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
            and _literal_int(node.slice[0].slice.value) is not None
        )
    if isinstance(node, cst.Call):
        return isinstance(node.func, cst.Name) and node.func.value == "len"
    if isinstance(node, cst.BinaryOperation) and type(node.operator) in _OPERATORS:
        return _int_expression(node.left, int_names) and _int_expression(node.right, int_names)
    return False


def _int_names(module: cst.Module, source: str = "") -> frozenset[str]:
    """Names that certainly hold an int wherever they are read: every binding of the name in
    the file (in any scope) is a plain ``name = <int expression>``. A name also bound any
    other way (a parameter, a loop variable, an import, unpacking...) is not judged."""
    bindings = _Bindings()
    bindings.walk(module, source or module.code)
    candidates = {
        name: values
        for name, values in bindings.assigned.items()
        if name not in bindings.other and values
    }
    known: frozenset[str] = frozenset()
    while True:  # `n = 28 * 28` then `size = n + 1`: a few rounds settle it
        grown = frozenset(
            name
            for name, values in candidates.items()
            if all(_int_expression(value, known) for value in values)
        )
        if grown == known:
            return known
        known = grown


class _Bindings:
    """Every way the file binds a name: plain assignments (with their values) apart.

    Statements are walked directly (a LibCST visitor over every node costs ~20 ms a file).
    Bindings inside expressions (``:=``, comprehension and lambda variables) are found in the
    text instead, generously: a name that may be bound there is simply not judged."""

    def __init__(self) -> None:
        self.assigned: dict[str, list[cst.BaseExpression]] = {}
        self.other: set[str] = set()

    def walk(self, module: cst.Module, code: str) -> None:
        self._block(module.body)
        for word, pattern in _EXPRESSION_BINDINGS:
            if word not in code:
                continue  # cheaper than the search, which tries every identifier
            for match in pattern.finditer(code):
                self.other.update(_IDENTIFIER.findall(match.group(1)))

    def _bind_other(self, target: cst.CSTNode | None) -> None:
        if target is not None:
            self.other.update(_names_in(target))

    def _block(self, body: Sequence[cst.CSTNode]) -> None:
        for stmt in body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._small(small)
            elif isinstance(stmt, cst.BaseSmallStatement):  # `def f(): x = 1` on one line
                self._small(stmt)
            else:
                self._compound(stmt)

    def _small(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.assigned.setdefault(target.target.value, []).append(node.value)
                else:
                    self._bind_other(target.target)
        elif isinstance(node, cst.AnnAssign):
            if isinstance(node.target, cst.Name) and node.value is not None:
                self.assigned.setdefault(node.target.value, []).append(node.value)
            else:
                self._bind_other(node.target)
        elif isinstance(node, cst.AugAssign):
            self._bind_other(node.target)
        elif isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(
            node.names, cst.ImportStar
        ):
            for alias in node.names:
                self._import_alias(alias)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                self._bind_other(item.name)

    def _import_alias(self, alias: cst.ImportAlias) -> None:
        if alias.asname is not None:
            self._bind_other(alias.asname.name)
        else:  # `import a.b` binds `a`
            full = cst.helpers.get_full_name_for_node(alias.name) or ""
            self.other.add(full.partition(".")[0])

    def _compound(self, node: cst.CSTNode) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            self._bind_other(node.name)
        if isinstance(node, cst.FunctionDef):
            params = node.params
            for param in (*params.posonly_params, *params.params, *params.kwonly_params):
                self._bind_other(param.name)
            for star in (params.star_arg, params.star_kwarg):
                if isinstance(star, cst.Param):
                    self._bind_other(star.name)
        elif isinstance(node, cst.For):
            self._bind_other(node.target)
        elif isinstance(node, cst.With):
            for item in node.items:
                if item.asname is not None:
                    self._bind_other(item.asname.name)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            for handler in node.handlers:
                if handler.name is not None:
                    self._bind_other(handler.name.name)
        elif isinstance(node, cst.Match):
            self.other.update(_IDENTIFIER.findall(cst.Module([node]).code))  # patterns bind
        for body in _bodies(node):
            self._block(body)


def _bodies(node: cst.CSTNode) -> list[Sequence[cst.CSTNode]]:
    """The statement blocks of a compound statement (its body, else, handlers, cases...)."""
    found: list[Sequence[cst.CSTNode]] = []
    for attr in ("body", "orelse", "finalbody"):
        part = getattr(node, attr, None)
        if isinstance(part, (cst.If, cst.Else, cst.Finally)):
            part = part if isinstance(part, cst.If) else part.body
            if isinstance(part, cst.If):
                found.extend(_bodies(part))
                continue
        if isinstance(part, cst.BaseSuite):
            found.append(part.body)
    for handler in getattr(node, "handlers", ()):
        found.append(handler.body.body)
    for case in getattr(node, "cases", ()):
        found.append(case.body.body)
    return found


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
# Bindings inside expressions: `(n := ...)`, `[... for a, b in ...]`, `lambda n, m: ...`,
# each with a word every match contains.
_EXPRESSION_BINDINGS = (
    (":=", re.compile(r"([A-Za-z_][A-Za-z_0-9]*)\s*:=")),
    ("for", re.compile(r"\bfor\b([^:\n]*?)\bin\b")),
    ("lambda", re.compile(r"\blambda\b([^:\n]*):")),
)


def _names_in(target: cst.CSTNode) -> list[str]:
    """The plain names a binding target binds (`a`, `(a, b)`, `[a, *b]`)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _names_in(element.value)]
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value)
    return []
