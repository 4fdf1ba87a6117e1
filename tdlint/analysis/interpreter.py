"""An abstract interpreter over the CST that builds the model graph.

It walks a module's statements in order, keeping an environment of what each name refers to:
constants, Keras modules and classes, layers, symbolic tensors and models.  Calling a layer on
a tensor records an ``Application`` with the inferred output shape, which is all the rules need.

Nothing is ever executed: only literals, simple arithmetic and Keras constructors are
understood; everything else evaluates to ``UNKNOWN``, and unknown values never produce
findings.  Control flow is handled conservatively: a loop over a known sequence is unrolled, an
``if`` with a known condition takes its branch, and anything uncertain makes the affected
names and models unknown afterwards.

The interpreter is split by kinds of knowledge: this module walks statements and evaluates
expressions; ``calls`` says what a call does; ``building`` creates Keras objects and applies
layers; ``tensor_ops`` applies the op catalogue; ``classes`` runs the user's own classes and
``lambdas`` their lambdas and ``Lambda`` layers; ``control`` and ``iteration`` handle branches,
loops and comprehensions; ``subscripts`` indexing; ``imports`` imports; ``symbols`` names the
dims it cannot evaluate; ``constants`` holds Python's semantics on known values; ``blocks``
reads statement structure; ``data``, ``tables``, ``preprocessing`` and ``datasets`` know the
data libraries.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst

from tdlint.analysis import data, symbols
from tdlint.analysis.arrays import Array
from tdlint.analysis.blocks import (
    body_of,
    expects_an_error,
    has_body,
)
from tdlint.analysis.building import (
    ModelBuilder,
)
from tdlint.analysis.calls import CallEvaluator, Frame, param_origin
from tdlint.analysis.classes import ClassEvaluator, UserLayerSpec
from tdlint.analysis.constants import (
    COMPARE,
    MATH_CONSTANTS,
    SAFE_BUILTINS,
    binary,
    boolean,
    number,
    string_literal,
    truth,
    unary,
)
from tdlint.analysis.control import ControlFlow
from tdlint.analysis.graph import (
    FileGraph,
    Layer,
    Model,
    Tensor,
)
from tdlint.analysis.imports import ImportEvaluator
from tdlint.analysis.iteration import ITERATION_BUILTINS, Comprehensions
from tdlint.analysis.keras1 import Keras1Builder
from tdlint.analysis.lambdas import LambdaEvaluator
from tdlint.analysis.model_api import InputLayer, layer_attribute, model_attribute
from tdlint.analysis.scope import Env
from tdlint.analysis.subscripts import Subscripts
from tdlint.analysis.tensor_ops import NOT_AN_OP, OpEvaluator
from tdlint.analysis.unresolved import (
    OpaqueLayer,
)
from tdlint.analysis.values import (
    DataObject,
    Function,
    GrownList,
    Instance,
    Ref,
    UserClass,
    forget_contents,
    is_constant,
    join,
)
from tdlint.keras import names
from tdlint.keras.addons import ADDONS_PACKAGES
from tdlint.keras.ops import is_op_package
from tdlint.keras.shapes import (
    UNKNOWN,
    Unknown,
    is_known,
)
from tdlint.keras.versions import KerasVersion

MAX_USER_CALLS = 300  # user function calls analysed with their arguments, per file
MAX_DEPTH = 200  # expression nesting beyond this evaluates to unknown


# Words that say a file sets the configured image data format, or reads Keras 1's ordering
# (Theano's "th" was common), so that its default is unknown. Reading ``image_data_format()``
# (Keras 2 and later) alone gives the default, channels_last, as in ``keras.json``.
_DATA_FORMAT_WORDS = ("image_dim_ordering", "set_image_data_format")


class Interpreter(
    ControlFlow,
    CallEvaluator,
    ModelBuilder,
    Keras1Builder,
    OpEvaluator,
    ClassEvaluator,
    LambdaEvaluator,
    ImportEvaluator,
    Comprehensions,
    Subscripts,
):
    """Walks a module: statements, names and expressions here; calls in ``CallEvaluator``;
    layers and models in ``ModelBuilder``. ``run()`` returns the file's graph."""

    def __init__(
        self, module: cst.Module, source: str | None = None, version: KerasVersion | None = None
    ) -> None:
        self.graph = FileGraph(module=module, source=source if source is not None else "")
        self.graph.version = version if version is not None else KerasVersion()
        self.globals = Env()
        # The file is checked as the script it is: `if __name__ == "__main__":` runs.
        self.globals.vars["__name__"] = "__main__"
        self.env = self.globals
        self.depth = 0
        self.pending_functions: list[tuple[cst.FunctionDef, Env, Instance | None]] = []
        self.user_classes: list[UserClass] = []
        self._lambda_defs: dict[int, cst.FunctionDef] = {}
        # The namer reads names through a weak reference: holding the interpreter would make
        # a cycle, which keeps the file's tree alive until the cyclic collector walks it.
        this = weakref.ref(self)
        self.namer = symbols.Namer(lambda name: this().env.lookup(name)[1])  # type: ignore[union-attr]
        self.in_function = False
        # The user functions being analysed, innermost last (models remember where they
        # were built: ``build_tagger``).
        self.functions: list[str] = []
        self.model_layers: dict[int, Layer] = {}
        self.opaque_layers: dict[int, tuple[OpaqueLayer, Layer]] = {}
        # How many uncertain branches or loops we are inside, and the lists grown there.
        self.uncertainty = 0
        # Keyed by id, holding the list itself: a freed list's id may be reused by a new one.
        self.poisoned: dict[int, list[Any] | dict[Any, Any]] = {}
        # User function calls analysed with their arguments: a stack of return values, and a
        # budget so that a file full of calls cannot take long.
        self.returns: list[list[Any]] = []
        self.frames: list[Frame] = []
        # The calls being analysed, outermost first: a model records the outermost one, so
        # that ``a = build(10)`` and ``b = build(20)`` can be told apart.
        self.calls: list[cst.Call] = []
        self.call_budget = MAX_USER_CALLS
        # Files that choose the image data format themselves (or mention it) get no default.
        code = source if source is not None else module.code
        self.default_data_format: Any = (
            UNKNOWN if any(word in code for word in _DATA_FORMAT_WORDS) else "channels_last"
        )

    # ------------------------------------------------------------------ entry point
    def run(self) -> FileGraph:
        self.exec_block(self.graph.module.body)
        self.graph.keras_names = {
            name: value.path
            for name, value in self.globals.vars.items()
            if isinstance(value, Ref) and names.canonical(value.path)
        }
        self._analyse_deferred()
        return self.graph

    def _analyse_deferred(self) -> None:
        """Function bodies and subclassed models, once the module's globals are all known."""
        for cls in self.user_classes:
            if cls.keras_base is not None:
                self._analyse_keras_subclass(cls)
        seen: set[int] = set()
        while self.pending_functions:
            func, parent, instance = self.pending_functions.pop(0)
            if id(func) in seen:
                continue
            seen.add(id(func))
            self._analyse_function(func, parent, instance)

    def _analyse_function(
        self,
        func: cst.FunctionDef,
        parent: Env,
        instance: Instance | None,
        tensor_params: bool = False,
    ) -> None:
        env = Env(parent)
        params = [*func.params.posonly_params, *func.params.params]
        for i, param in enumerate(params):
            if i == 0 and instance is not None:
                env.vars[param.name.value] = instance
            elif tensor_params and i == (1 if instance is not None else 0):
                env.vars[param.name.value] = Tensor(
                    None, node=param, origin=param_origin(param, func)
                )
            else:
                env.vars[param.name.value] = Unknown(param_origin(param, func))
        for param in func.params.kwonly_params:
            env.vars[param.name.value] = Unknown(param_origin(param, func))
        for star in (func.params.star_arg, func.params.star_kwarg):
            if isinstance(star, cst.Param):
                env.vars[star.name.value] = UNKNOWN
        saved_env, saved_flag = self.env, self.in_function
        self.env, self.in_function = env, True
        self.functions.append(func.name.value)
        first_model = len(self.graph.models)
        saved_run = self.new_run()  # what it does with unknown arguments, not after the module
        try:
            self.exec_block(body_of(func))
        finally:
            self.env, self.in_function = saved_env, saved_flag
            self.functions.pop()
            self.run_number, self.branch_path = saved_run
        for model in self.graph.models[first_model:]:
            model.generic = True

    def exec_block(self, body: Sequence[cst.BaseStatement | cst.BaseSmallStatement]) -> None:
        for stmt in body:
            if self.returned:
                return  # the function has certainly returned: the rest does not run
            self.exec_stmt(stmt)

    @property
    def returned(self) -> bool:
        """Whether the function call being analysed has certainly returned."""
        return bool(self.frames) and self.frames[-1].returned

    def exec_stmt(self, stmt: cst.CSTNode) -> None:
        execute = _STATEMENTS.get(type(stmt))
        if execute is not None:
            execute(self, stmt)

    def exec_line(self, line: cst.SimpleStatementLine) -> None:
        for small in line.body:
            execute = _SMALL_STATEMENTS.get(type(small))
            if execute is not None:
                execute(self, small, line)

    def exec_while(self, node: cst.While) -> None:
        self.exec_uncertain([list(body_of(node))])
        self._exec_suite(node.orelse)

    def exec_with(self, node: cst.With) -> None:
        if any(expects_an_error(item.item) for item in node.items):
            return  # `with pytest.raises(...)`: the body is meant to fail
        for item in node.items:
            self.eval(item.item)
            if item.asname is not None:
                self.assign(item.asname.name, UNKNOWN)
        self._exec_suite(node)

    def exec_try(self, node: cst.Try | cst.TryStar) -> None:
        self.exec_interruptible(list(body_of(node)))
        self.exec_uncertain([h.body.body for h in node.handlers if has_body(h)])
        self._exec_suite(node.orelse)
        self._exec_suite(node.finalbody)

    def exec_functiondef(self, node: cst.FunctionDef) -> None:
        self.env.vars[node.name.value] = Function(node, self.env if self.in_function else None)
        self.pending_functions.append((node, self.env if self.in_function else self.globals, None))

    def exec_match(self, node: cst.Match) -> None:
        self.exec_uncertain([case.body.body for case in node.cases if has_body(case)])

    def _exec_suite(self, node: Any) -> None:
        self.exec_block(body_of(node))

    def exec_assign(self, node: cst.Assign, line: cst.SimpleStatementLine | None) -> None:
        value = self.eval(node.value)
        for target in node.targets:
            self.assign(target.target, self._named(target.target, value, node.value))

    def exec_annotated_assign(
        self, node: cst.AnnAssign, line: cst.SimpleStatementLine | None
    ) -> None:
        if node.value is not None:
            value = self._named(node.target, self.eval(node.value), node.value)
            self.assign(node.target, value)

    def _named(self, target: cst.BaseExpression, value: Any, expr: cst.BaseExpression) -> Any:
        """``vocab_size = <unknown>``: the symbol ``vocab_size`` (tdlint.analysis.symbols)."""
        if not isinstance(target, cst.Name):
            return value
        return self.namer.named(value, target.value, expr)

    def exec_augmented_assign(
        self, node: cst.AugAssign, line: cst.SimpleStatementLine | None
    ) -> None:
        current = self.eval(node.target)
        operand = self.eval(node.value)
        op = type(node.operator).__name__.replace("Assign", "")
        self.assign(node.target, self._binary(op, current, operand, node))

    def exec_expression(self, node: cst.Expr, line: cst.SimpleStatementLine | None) -> None:
        self.eval(node.value)

    def exec_return(self, node: cst.Return, line: cst.SimpleStatementLine | None) -> None:
        value = self.eval(node.value) if node.value is not None else None
        if self.returns:
            self.returns[-1].append(value)
        if self.frames and self.uncertainty == self.frames[-1].uncertainty:
            self.frames[-1].returned = True  # not in a branch or loop that may not run

    # ------------------------------------------------------------------ assignment
    def assign(self, target: cst.BaseExpression, value: Any) -> None:
        if isinstance(target, cst.Name):
            self.env.vars[target.value] = value
            if isinstance(value, Model):
                self.name_model(value, target.value)
            elif isinstance(value, Layer) and isinstance(value.spec, UserLayerSpec):
                value.spec.variable = value.spec.variable or target.value
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            if any(isinstance(e, cst.StarredElement) for e in elements):
                values: list[Any] = [UNKNOWN] * len(elements)
            elif isinstance(value, (tuple, list)) and len(value) == len(elements):
                values = list(value)
            else:
                values = [UNKNOWN] * len(elements)
            for element, item in zip(elements, values, strict=True):
                inner = element.value
                self.assign(inner, item)
        elif isinstance(target, cst.Attribute):
            owner = self.eval(target.value)
            if isinstance(owner, Instance):
                if self.uncertainty and owner.cls.keras_base is None:
                    value = UNKNOWN  # a plain object's attribute set on one path only
                owner.attrs[target.attr.value] = value
                if isinstance(value, Model) and value.name is None:
                    value.name = f"self.{target.attr.value}"
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, UNKNOWN)
        elif isinstance(target, cst.Subscript):
            self.assign_item(target, value)

    def assign_item(self, target: cst.Subscript, value: Any) -> None:
        """``d["key"] = v``, ``xs[0] = v``: the container changes in place. Where the key is
        unknown, or the assignment may not run (a branch, a loop), all it holds is unknown."""
        container = self.eval(target.value)
        if not isinstance(container, (dict, list)):
            return  # an array keeps its shape; other objects are not tracked
        index = target.slice[0].slice if len(target.slice) == 1 else None
        key = self.eval(index.value) if isinstance(index, cst.Index) else UNKNOWN
        if not self.uncertainty and _addressable(container, key):
            container[key] = value
        else:
            forget_contents(container)
            if isinstance(container, dict) and not (is_constant(key) and key in container):
                self.poisoned[id(container)] = container  # its keys are not known either

    def name_model(self, model: Model, name: str) -> None:
        """A model is called by the first variable it is assigned to, except that a
        module-level name (``small = build(5)``) wins over the helper's local one."""
        if model.name is None or (model.named_in_function and not self.in_function):
            model.name = name
            model.named_in_function = self.in_function

    # ------------------------------------------------------------------ expressions
    def eval(self, node: cst.BaseExpression) -> Any:
        # Dispatch on the exact node type: LibCST's node classes are ABCs, and a chain of
        # failing isinstance checks against them cost more than the evaluation itself.
        leaf = _LEAVES.get(type(node))
        if leaf is not None:
            return leaf(self, node)
        evaluate = _EVALUATORS.get(type(node))
        if evaluate is None or self.depth > MAX_DEPTH:
            return UNKNOWN
        self.depth += 1
        try:
            return evaluate(self, node)
        finally:
            self.depth -= 1

    def _eval_name(self, node: cst.Name) -> Any:
        return self.eval_name(node.value)

    def _eval_concatenated(self, node: cst.ConcatenatedString) -> Any:
        left, right = self.eval(node.left), self.eval(node.right)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return UNKNOWN

    def _eval_attribute(self, node: cst.Attribute) -> Any:
        return self.eval_attribute(self.eval(node.value), node.attr.value)

    def _eval_sequence(self, node: cst.Tuple | cst.List) -> Any:
        items = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                inner = self.eval(element.value)
                if not isinstance(inner, (tuple, list)):
                    return UNKNOWN
                items.extend(inner)
            else:
                items.append(self.eval(element.value))
        return tuple(items) if isinstance(node, cst.Tuple) else items

    def _eval_binary(self, node: cst.BinaryOperation) -> Any:
        op = type(node.operator).__name__
        return self._binary(op, self.eval(node.left), self.eval(node.right), node)

    def _binary(self, op: str, left: Any, right: Any, node: cst.CSTNode) -> Any:
        """``left op right`` (and ``left op= right``): a tensor op when a side is a tensor."""
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            result = self.apply_operator(op, [left, right], node)
            return UNKNOWN if result is NOT_AN_OP else result
        return binary(op, left, right)

    def _eval_unary(self, node: cst.UnaryOperation) -> Any:
        op, operand = type(node.operator).__name__, self.eval(node.expression)
        if isinstance(operand, Tensor) and op != "Not":
            result = self.apply_operator(op, [operand], node)
            return UNKNOWN if result is NOT_AN_OP else result
        return unary(op, operand)

    def _eval_boolean(self, node: cst.BooleanOperation) -> Any:
        return boolean(type(node.operator).__name__, self.eval(node.left), self.eval(node.right))

    def _eval_if_expression(self, node: cst.IfExp) -> Any:
        cond = truth(self.eval(node.test))
        if cond is True:
            return self.eval(node.body)
        if cond is False:
            return self.eval(node.orelse)
        return join(self.eval(node.body), self.eval(node.orelse))

    def _eval_named(self, node: cst.NamedExpr) -> Any:
        value = self.eval(node.value)
        self.assign(node.target, value)
        return value

    def eval_name(self, name: str) -> Any:
        found, value = self.env.lookup(name)
        if found:
            if isinstance(value, list) and id(value) in self.poisoned:
                return GrownList(tuple(value))
            if isinstance(value, dict) and id(value) in self.poisoned:
                return UNKNOWN  # keys added where tdlint cannot tell which
            return value
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        for module in reversed(self.graph.star_imports):
            if names.star_import_exports(module, name):
                return Ref(f"{module}.{name}")
        if name in SAFE_BUILTINS or name in ("range", "dict", *ITERATION_BUILTINS):
            return Ref(f"builtins.{name}")
        return UNKNOWN

    def eval_attribute(self, owner: Any, attr: str) -> Any:
        if isinstance(owner, Ref):
            return _ref_attribute(owner.path, attr)
        if isinstance(owner, Array):
            return data.array_attribute(owner, attr)
        if isinstance(owner, DataObject):
            return owner.attribute(attr)
        if isinstance(owner, Instance):
            return owner.attrs.get(attr, owner.cls.attrs.get(attr, UNKNOWN))
        if isinstance(owner, UserClass):
            return owner.attrs.get(attr, UNKNOWN)
        if isinstance(owner, Tensor) and attr == "shape" and owner.shape is not None:
            return tuple(owner.shape)
        if isinstance(owner, Model):
            return model_attribute(owner, attr)
        if isinstance(owner, (Layer, InputLayer)):
            return layer_attribute(owner, attr)
        return UNKNOWN

    def eval_dict(self, node: cst.Dict) -> Any:
        result: dict[str, Any] = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return UNKNOWN
            key = self.eval(element.key)
            if not isinstance(key, str):
                return UNKNOWN
            result[key] = self.eval(element.value)
        return result

    def eval_comparison(self, node: cst.Comparison) -> Any:
        left = self.eval(node.left)
        result: Any = True
        for target in node.comparisons:
            right = self.eval(target.comparator)
            if isinstance(left, Tensor) or isinstance(right, Tensor):
                # ``x > 0`` on a tensor is an elementwise op; a chain of them is not followed.
                if len(node.comparisons) > 1 or isinstance(target.operator, _IDENTITY_TESTS):
                    return UNKNOWN
                result = self.apply_operator("Compare", [left, right], node)
                return UNKNOWN if result is NOT_AN_OP else result
            if not (is_constant(left) and is_constant(right)):
                return UNKNOWN
            op = type(target.operator).__name__
            try:
                outcome = COMPARE[op](left, right)
            except Exception:
                return UNKNOWN
            result = result and outcome
            left = right
        return result


_IDENTITY_TESTS = (cst.Is, cst.IsNot, cst.In, cst.NotIn)


@functools.lru_cache(maxsize=4096)
def _ref_attribute(path: str, attr: str) -> Any:
    """``<path>.<attr>`` for an imported module or object: it depends on the two names
    alone (so it is computed once per pair, and the ``Ref`` made is shared: it is
    immutable and compared by value)."""
    if path == "numpy" and attr == "newaxis":
        return None
    if path == "math":
        return MATH_CONSTANTS.get(attr, Ref(path).attr(attr))
    if (
        names.is_keras_or_container(path)
        or data.is_data_path(path)
        or is_op_package(path)
        or path in ADDONS_PACKAGES
    ):
        return Ref(path).attr(attr)
    return UNKNOWN


def _addressable(container: dict[Any, Any] | list[Any], key: Any) -> bool:
    """Whether ``container[key] = ...`` names one known place in the container."""
    if isinstance(container, dict):
        return isinstance(key, str)
    return is_known(key) and -len(container) <= key < len(container)


# What ``Interpreter.exec_stmt`` does with each statement type (others change nothing we
# track); a small statement outside a line (``if x: y = 1``) runs as a line of its own.
_SMALL_STATEMENTS: dict[type, Callable[[Interpreter, Any, Any], None]] = {
    cst.Assign: Interpreter.exec_assign,
    cst.AnnAssign: Interpreter.exec_annotated_assign,
    cst.AugAssign: Interpreter.exec_augmented_assign,
    cst.Expr: Interpreter.exec_expression,
    cst.Import: Interpreter.exec_import,
    cst.ImportFrom: Interpreter.exec_import_from,
    cst.Return: Interpreter.exec_return,
}
_STATEMENTS: dict[type, Callable[[Interpreter, Any], None]] = {
    cst.SimpleStatementLine: Interpreter.exec_line,
    cst.If: Interpreter.exec_if,
    cst.For: Interpreter.exec_for,
    cst.While: Interpreter.exec_while,
    cst.With: Interpreter.exec_with,
    cst.Try: Interpreter.exec_try,
    cst.TryStar: Interpreter.exec_try,
    cst.FunctionDef: Interpreter.exec_functiondef,
    cst.ClassDef: Interpreter.exec_classdef,
    cst.Match: Interpreter.exec_match,
    **{
        small: lambda self, stmt, execute=execute: execute(self, stmt, None)
        for small, execute in _SMALL_STATEMENTS.items()
    },
}

# What ``Interpreter.eval`` does with each node type; any other expression is unknown.
# Leaves need no depth accounting: they do not recurse.
_LEAVES: dict[type, Callable[[Interpreter, Any], Any]] = {
    cst.Name: Interpreter._eval_name,
    cst.Integer: lambda _, node: number(node),
    cst.Float: lambda _, node: number(node),
    cst.SimpleString: lambda _, node: string_literal(node),
}
_EVALUATORS: dict[type, Callable[[Interpreter, Any], Any]] = {
    cst.ConcatenatedString: Interpreter._eval_concatenated,
    cst.Attribute: Interpreter._eval_attribute,
    cst.Call: Interpreter.eval_call,
    cst.Tuple: Interpreter._eval_sequence,
    cst.List: Interpreter._eval_sequence,
    cst.Dict: Interpreter.eval_dict,
    cst.BinaryOperation: Interpreter._eval_binary,
    cst.UnaryOperation: Interpreter._eval_unary,
    cst.BooleanOperation: Interpreter._eval_boolean,
    cst.Comparison: Interpreter.eval_comparison,
    cst.IfExp: Interpreter._eval_if_expression,
    cst.Subscript: Interpreter.eval_subscript,
    cst.NamedExpr: Interpreter._eval_named,
    cst.ListComp: Interpreter.eval_comprehension,
    cst.GeneratorExp: Interpreter.eval_comprehension,
    cst.Lambda: Interpreter.eval_lambda,
    cst.Yield: Interpreter.eval_yield,
}
