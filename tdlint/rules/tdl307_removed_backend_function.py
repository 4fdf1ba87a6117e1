"""TDL307 removed-backend-function."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy, names
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.edits import ImportPlan, bound_name, bound_otherwise, first_import
from tdlint.rules.upgrade import (
    breaks,
    keras_calls,
    positional,
    renamed,
    string_value,
    with_args,
)


class RemovedBackendFunction(Rule):
    """A Keras 2 backend function (`K.mean`, `K.sum`, `K.concatenate`...) that Keras 3 removed.

    Keras 1 and 2 exposed the tensor functions of their backends as `keras.backend`
    (imported as `K`): custom losses, metrics and `Lambda` layers were written with them.
    Keras 3 keeps only a few helpers there (`epsilon`, `floatx`, `image_data_format`,
    `clear_session`...); the tensor functions live in `keras.ops`, so `K.mean(x)` fails
    with `AttributeError: module 'keras.backend' has no attribute 'mean'`.

    The fix calls the `keras.ops` function that computes the same, for the functions
    where one exists, and imports `ops`.  Where the Keras 2 default differs from the ops
    one (`K.concatenate` joined the last axis, `ops.concatenate` the first; `K.argmax`,
    `K.expand_dims` and `K.softmax` also defaulted to the last axis), the old default is
    written out.  It is safe.  Other backend functions are reported without a fix.
    """

    code = "TDL307"
    name = "removed-backend-function"
    severity = Severity.ERROR
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, legacy.KERAS3):
            return
        for api, _ in keras_calls(ctx):
            keras_path = names.canonical(api.path) or ""
            module, _, function = keras_path.rpartition(".")
            if api.model is not None or module != "keras.backend" or function in _KEPT:
                continue
            yield Finding(
                api.node,
                f"`keras.backend.{function}` was removed in Keras 3",
                "Keras 3's tensor functions are in `keras.ops`.",
                _fix(ctx, api.node, function),
            )

    VALID = [
        """
from keras import backend as K, ops
eps = K.epsilon()
loss = ops.mean(ops.square(y_true - y_pred), axis=-1)
""",
        """
from theano_helpers import backend as K
m = K.mean(x)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras import backend as K
def loss(y_true, y_pred):
    return K.mean(y_true * y_pred, axis=-1)
""",
            fixed="""
from keras import backend as K, ops
def loss(y_true, y_pred):
    return ops.mean(y_true * y_pred, axis=-1)
""",
            message="`keras.backend.mean`",
        ),
        # Keras 2 joined the last axis by default; ops joins the first.
        Invalid(
            """
import keras
from keras import ops
import keras.backend as K
y = K.concatenate([a, b])
""",
            fixed="""
import keras
from keras import ops
import keras.backend as K
y = ops.concatenate([a, b], axis=-1)
""",
        ),
        # Keras 1's image ordering, computed from the data format Keras 3 keeps.
        Invalid(
            """
from keras import backend as K
if K.image_dim_ordering() == "th":
    shape = (3, 32, 32)
""",
            fixed="""
from keras import backend as K
if ("th" if K.image_data_format() == "channels_first" else "tf") == "th":
    shape = (3, 32, 32)
""",
        ),
        Invalid(
            """
import keras.backend as K
K.set_image_dim_ordering('th')
""",
            fixed="""
import keras.backend as K
K.set_image_data_format("channels_first")
""",
        ),
        Invalid(
            """
from keras import backend as K, ops
v = K.flatten(x)
""",
            fixed="""
from keras import backend as K, ops
v = ops.reshape(x, (-1,))
""",
        ),
        # Keras 3 has it in keras.activations, with the slope named for what it is.
        Invalid(
            """
import keras.backend as K
y = K.relu(x, alpha=0.1)
""",
            fixed="""
import keras
import keras.backend as K
y = keras.activations.relu(x, negative_slope=0.1)
""",
        ),
        Invalid(
            """
from keras import backend as K, ops
flat = K.batch_flatten(features)
""",
            fixed="""
from keras import backend as K, ops
flat = ops.reshape(features, (ops.shape(features)[0], -1))
""",
        ),
        Invalid(
            """
from keras import backend as K
K.set_value(self.model.optimizer.lr, 0.5)
""",
            fixed="""
from keras import backend as K
self.model.optimizer.learning_rate.assign(0.5)
""",
        ),
        Invalid(
            """
from keras import backend as K
rate = K.get_value(model.optimizer.learning_rate)
""",
            fixed="""
from keras import backend as K, ops
rate = ops.convert_to_numpy(model.optimizer.learning_rate)
""",
        ),
        Invalid(
            """
from keras import backend as K
dims = K.int_shape(x)[1:]
""",
            fixed="""
from keras import backend as K
dims = tuple(x.shape)[1:]
""",
        ),
        Invalid(
            """
from keras import backend as K
y = K.batch_dot(a, b, axes=1)
""",
            message="`keras.backend.batch_dot`",
        ),
    ]


# What Keras 3 still has in keras.backend.
_KEPT = frozenset(
    {
        "backend",
        "clear_session",
        "epsilon",
        "floatx",
        "get_uid",
        "image_data_format",
        "is_float_dtype",
        "is_int_dtype",
        "is_keras_tensor",
        "result_type",
        "set_epsilon",
        "set_floatx",
        "set_image_data_format",
        "standardize_dtype",
    }
)


def _fix(ctx: RuleContext, call: cst.Call, function: str) -> FixPlan | None:
    rewritten = _rewrite(ctx, call, function) or _elsewhere(ctx, call, function)
    if rewritten is not None:
        return rewritten
    known = legacy.BACKEND_TO_OPS.get(function)
    if known is None or any(a.star for a in call.args):
        return None
    op, defaults = known
    order = legacy.BACKEND_POSITIONAL.get(function, ())
    given = positional(call)
    passed = {order[i] for i in range(min(len(given), len(order)))}
    args = []
    for arg in call.args:
        name = arg.keyword.value if arg.keyword is not None else None
        if name is not None:
            passed.add(name)
            if name in legacy.BACKEND_KEYWORDS:
                arg = renamed(arg, legacy.BACKEND_KEYWORDS[name])
        args.append(arg)
    for name, value in defaults.items():
        if name not in passed:
            args.append(
                cst.Arg(value=cst.parse_expression(value), keyword=cst.Name(name), equal=_EQUAL)
            )
    ops, plan = _ops_name(ctx)
    new = call.with_changes(func=cst.parse_expression(f"{ops}.{op}"))
    edits = (NodeEdit(call, with_args(ctx.module, new, args)), *plan)
    return FixPlan(Applicability.SAFE, f"Use `{ops}.{op}`", edits)


_EQUAL = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
# Keras 1's image ordering names, as the data formats Keras 2 named them.
_ORDERING = {"th": "channels_first", "tf": "channels_last"}


def _rewrite(ctx: RuleContext, call: cst.Call, function: str) -> FixPlan | None:
    """The removed functions whose equivalent is another expression than an ops call:
    ``K.image_dim_ordering()`` (its value, computed from ``image_data_format()``, which
    Keras 3 keeps), ``K.set_image_dim_ordering('th')``, ``K.flatten(x)`` and
    ``K.batch_flatten(x)`` (each sample flattened: the batch axis kept, the rest joined),
    ``K.get_value(v)``/``K.eval(v)`` (``ops.convert_to_numpy``) and ``K.set_value(v, x)``
    (``v.assign(x)``)."""
    func = call.func
    if not isinstance(func, cst.Attribute) or any(a.star or a.keyword for a in call.args):
        return None
    backend = ctx.module.code_for_node(func.value)
    if function == "image_dim_ordering" and not call.args:
        code = f'("th" if {backend}.image_data_format() == "channels_first" else "tf")'
    elif function == "set_image_dim_ordering" and len(call.args) == 1:
        value = string_value(call.args[0])
        if value not in _ORDERING:
            return None
        code = f'{backend}.set_image_data_format("{_ORDERING[value]}")'
    elif function == "flatten" and len(call.args) == 1:
        ops, plan = _ops_name(ctx)
        x = ctx.module.code_for_node(call.args[0].value)
        code = f"{ops}.reshape({x}, (-1,))"
        edits = (NodeEdit(call, code), *plan)
        return FixPlan(Applicability.SAFE, f"Use `{code}`", edits)
    elif function in ("get_value", "eval") and len(call.args) == 1:
        ops, plan = _ops_name(ctx)
        code = f"{ops}.convert_to_numpy({_value_code(ctx, call.args[0].value)})"
        edits = (NodeEdit(call, code), *plan)
        return FixPlan(Applicability.SAFE, f"Use `{ops}.convert_to_numpy`", edits)
    elif function == "set_value" and len(call.args) == 2:
        target, value = (_value_code(ctx, a.value) for a in call.args)
        if not isinstance(call.args[0].value, (cst.Name, cst.Attribute, cst.Subscript)):
            target = f"({target})"
        code = f"{target}.assign({value})"
        return FixPlan(Applicability.SAFE, f"Use `{code}`", (NodeEdit(call, code),))
    elif function == "batch_flatten" and len(call.args) == 1:
        value = call.args[0].value
        if not isinstance(value, (cst.Name, cst.Attribute)):
            return None  # written twice below: only a plain name may be
        ops, plan = _ops_name(ctx)
        x = ctx.module.code_for_node(value)
        code = f"{ops}.reshape({x}, ({ops}.shape({x})[0], -1))"
        edits = (NodeEdit(call, code), *plan)
        return FixPlan(Applicability.SAFE, f"Use `{code}`", edits)
    else:
        return None
    return FixPlan(Applicability.SAFE, f"Use `{code}`", (NodeEdit(call, code),))


# Backend functions whose Keras 3 equivalent is outside ``keras.ops``, with the same
# parameter order: (module of ``keras``, function, Keras 1/2 keyword -> new keyword).
_ELSEWHERE = {
    "relu": ("activations", "relu", {"alpha": "negative_slope"}),
    "random_normal": ("random", "normal", {"std": "stddev"}),
    "random_uniform": ("random", "uniform", {"low": "minval", "high": "maxval"}),
}


def _elsewhere(ctx: RuleContext, call: cst.Call, function: str) -> FixPlan | None:
    """``K.relu(x, alpha=0.1)`` -> ``keras.activations.relu(x, negative_slope=0.1)``,
    ``K.random_normal`` -> ``keras.random.normal`` (unsafely: JAX needs a tracked seed
    generator for it inside a model); ``K.int_shape(x)`` -> ``tuple(x.shape)``
    (the static shape, ``None`` for unknown dims, as before); ``K.shape(x)`` ->
    ``ops.shape(x)``, unsafely: a tuple where Keras 2 gave a tensor (``K.shape(x) * 2``
    repeats it now)."""
    if any(a.star for a in call.args):
        return None
    code = ctx.module.code_for_node
    if function in ("int_shape", "shape") and len(call.args) == 1 and not call.args[0].keyword:
        x = call.args[0].value
        if function == "int_shape":
            text = code(x) if isinstance(x, (cst.Name, cst.Attribute, cst.Call)) else f"({code(x)})"
            return FixPlan(
                Applicability.SAFE,
                "Use `tuple(x.shape)`",
                (NodeEdit(call, f"tuple({text}.shape)"),),
            )
        ops, plan = _ops_name(ctx)
        edits = (NodeEdit(call, f"{ops}.shape({code(x)})"), *plan)
        return FixPlan(
            Applicability.UNSAFE, f"Use `{ops}.shape`, which gives a tuple, not a tensor", edits
        )
    if function not in _ELSEWHERE:
        return None
    module, new, keywords = _ELSEWHERE[function]
    root, imports = _keras_root(ctx)
    args = [
        renamed(a, keywords[a.keyword.value])
        if a.keyword is not None and a.keyword.value in keywords
        else a
        for a in call.args
    ]
    new_call = call.with_changes(func=cst.parse_expression(f"{root}.{module}.{new}"))
    edits = (NodeEdit(call, with_args(ctx.module, new_call, args)), *imports)
    if module == "random":
        # The same distribution; but under JAX a random op inside a model (a Lambda) must
        # be given a seed generator the layer tracks, or tracing it fails.
        return FixPlan(
            Applicability.UNSAFE,
            f"Use `{root}.{module}.{new}`; under the JAX backend, inside a model it needs a "
            "`seed=` SeedGenerator held by a layer",
            edits,
        )
    return FixPlan(Applicability.SAFE, f"Use `{root}.{module}.{new}`", edits)


def _value_code(ctx: RuleContext, node: cst.BaseExpression) -> str:
    """The code of a variable handed to ``K.get_value``/``K.set_value``, with an
    optimizer's ``lr`` as ``learning_rate``: Keras 2 kept ``lr`` as an alias of the rate
    variable (``K.set_value(self.model.optimizer.lr, ...)`` in many callbacks); Keras 3
    has only ``learning_rate``."""
    if isinstance(node, cst.Attribute) and node.attr.value == "lr":
        owner = node.value
        last = owner.attr.value if isinstance(owner, cst.Attribute) else getattr(owner, "value", "")
        if isinstance(last, str) and ("optimizer" in last or last == "opt"):
            return f"{ctx.module.code_for_node(owner)}.learning_rate"
    return ctx.module.code_for_node(node)


def _keras_root(ctx: RuleContext) -> tuple[str, list[NodeEdit]]:
    """How the module names the ``keras`` package (adding ``import keras`` if it does not)."""
    for local, path in ctx.graph.keras_names.items():
        if path == "keras":
            return local, []
    anchor = first_import(ctx.graph)
    if anchor is None:
        return "keras", []
    return "keras", [
        NodeEdit(anchor, "import keras" + ctx.module.default_newline, insert_before=True)
    ]


def _ops_name(ctx: RuleContext) -> tuple[str, list[NodeEdit]]:
    """How the module names ``keras.ops``, and the import edits that name needs: ``ops``
    (adding ``from keras import ops``), or ``keras.ops`` where the file has an ``ops`` of
    its own."""
    local = bound_name(ctx.graph, "keras.ops")
    if local is not None:
        return local, []
    if bound_otherwise(ctx.graph, "ops", "keras.ops"):
        root, edits = _keras_root(ctx)
        return f"{root}.ops", edits
    return "ops", ImportPlan(ctx.graph, "keras", add=["ops"]).edits()
