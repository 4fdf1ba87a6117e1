"""TDL306 keras1-merge."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from tdlint.analysis.graph import Layer, Model, Tensor
from tdlint.analysis.keras1 import MERGE_FUNCTION_PATHS, MERGE_LAYER_PATHS, MERGE_MODES
from tdlint.analysis.nested import ModelAsLayer
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import names
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.edits import (
    ImportPlan,
    bound_name,
    bound_otherwise,
    layers_package_of,
    spell_layer_like,
    statement_block,
)
from tdlint.rules.upgrade import (
    breaks,
    broken_on,
    import_if_last_use,
    keras_calls,
    string_value,
    unused_removed_imports,
)

_REMOVED_IN = (2, 2)  # Keras 2.2.0 removed the legacy `Merge` layer and `merge()`
_MERGE_PATHS = MERGE_LAYER_PATHS | MERGE_FUNCTION_PATHS
# Keras 1 merge modes -> the merge function of Keras 2, the layer's name in lower case
# (``cos`` is a normalised dot).
_MODES = {mode: layer.lower() for mode, layer in MERGE_MODES.items()}


class Keras1Merge(Rule):
    """Keras 1's `merge(..., mode=...)` function or `Merge` layer, removed in Keras 2.2.

    Keras 1 merged tensors with one function, `merge(inputs, mode='sum')`, whose `mode`
    said how (`'concat'` with `concat_axis`, `'mul'`, `'ave'`, `'dot'` with `dot_axes`...),
    and merged Sequential models with a `Merge` layer.  Keras 2 split them into
    `concatenate(axis=)`, `add`, `multiply`, `average`, `maximum` and `dot(axes=)` (and the
    layer classes `Concatenate`...); Keras 2.2 removed the old ones, so the import fails.

    The fix for `merge(...)` with a literal mode calls the function of that mode, with
    `concat_axis`/`dot_axes` as `axis`/`axes`, and imports it.  It is safe: the same
    operation.  A `Merge` layer applied to tensors becomes the layer of its mode
    (`Concatenate`, `Add`, `Dot(normalize=True)` for `cos`...).

    A `Merge` of Sequential models, added first to a Sequential, is rewritten with the
    functional API, as Keras 2 has it: the Sequential keeps its other layers and is applied
    to the merged outputs of the branches, and its name becomes the `Model` from the
    branches' inputs to that output.  Each input is taken once, in order, as Keras 1 did
    when a branch was merged twice, so `fit` takes the same list of arrays.  This is safe:
    the same layers, weights and outputs.  It is left to the user when the Sequential is
    added to after it is first used, or when tdlint cannot name every branch.
    """

    code = "TDL306"
    name = "keras1-merge"
    severity = Severity.ERROR
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, _REMOVED_IN):
            return
        for api, _ in keras_calls(ctx):
            keras_path = names.canonical(api.path) or ""
            last = keras_path.rpartition(".")[2]
            if api.model is not None or not keras_path.startswith(("keras.layers", "keras.engine")):
                continue
            if last == "merge":
                yield Finding(
                    api.node,
                    "`merge()` was removed in Keras 2.2: the import fails",
                    "Use the function of the mode: `concatenate`, `add`, `multiply`, `dot`...",
                    _function_fix(ctx, api.node),
                )
            elif last == "Merge":
                yield Finding(
                    api.node,
                    "The `Merge` layer was removed in Keras 2.2: the import fails; merge the "
                    "branches with the functional API",
                    "Build the model with the functional API and merge its branches with "
                    "`concatenate([...])`, `add([...])`...",
                    _layer_fix(ctx, api.node),
                )
        yield from unused_removed_imports(
            ctx, lambda path: broken_on(_REMOVED_IN) if path in _MERGE_PATHS else None
        )

    VALID = [
        """
from keras.layers import concatenate, Input
a, b = Input((4,)), Input((4,))
c = concatenate([a, b], axis=-1)
""",
        # A user's own merge function is not Keras's.
        """
from mymodels import merge
c = merge([a, b], mode="concat")
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.layers import Input, merge
a, b = Input((4,)), Input((4,))
c = merge([a, b], mode='concat', concat_axis=1)
""",
            fixed="""
from keras.layers import Input, concatenate
a, b = Input((4,)), Input((4,))
c = concatenate([a, b], axis=1)
""",
            message="`merge()`",
        ),
        # Keras 1's default mode was "sum".
        Invalid(
            """
from keras.layers import Input, merge
a, b = Input((4,)), Input((4,))
c = merge([a, b])
""",
            fixed="""
from keras.layers import Input, add
a, b = Input((4,)), Input((4,))
c = add([a, b])
""",
        ),
        Invalid(
            """
from keras.layers import Input
from keras.layers import merge
a, b = Input((4,)), Input((4,))
d = merge(inputs=[a, b], mode="cos", dot_axes=1, name="similarity")
""",
            fixed="""
from keras.layers import Input, dot
a, b = Input((4,)), Input((4,))
d = dot([a, b], axes=1, name="similarity", normalize=True)
""",
        ),
        # A Merge of Sequential models: the Sequential it starts becomes the functional
        # model from the branches' inputs, through its other layers.
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Merge, Dense
left, right = Sequential([Dense(4, input_dim=3)]), Sequential([Dense(4, input_dim=2)])
model = Sequential()
model.add(Merge([left, right], mode="concat"))
model.add(Dense(1))
model.compile("sgd", "mse")
""",
            fixed="""
from keras.models import Sequential, Model
from keras.layers import Dense, concatenate
left, right = Sequential([Dense(4, input_dim=3)]), Sequential([Dense(4, input_dim=2)])
model = Sequential()
model.add(Dense(1))
model = Model([*left.inputs, *right.inputs], model(concatenate([left.outputs[0], right.outputs[0]])))
model.compile("sgd", "mse")
""",
            message="functional API",
        ),
        # A Merge layer applied to tensors is the merge layer of its mode.
        Invalid(
            """
from keras.layers import Input, Merge
a, b = Input((4,)), Input((4,))
c = Merge(mode="cos", dot_axes=1, name="similarity")([a, b])
""",
            fixed="""
from keras.layers import Input, Dot
a, b = Input((4,)), Input((4,))
c = Dot(axes=1, name="similarity", normalize=True)([a, b])
""",
        ),
        # An import left unused still fails.
        Invalid(
            """
from keras.layers import Dense, merge
d = Dense(3)
""",
            fixed="""
from keras.layers import Dense
d = Dense(3)
""",
            message="the import fails",
        ),
    ]


@dataclass(frozen=True)
class _Merge:
    """A Keras 1 ``merge(...)``/``Merge(...)`` call, read: its mode, the code of what it
    merges (``inputs``/``layers``, if given), and the keyword arguments of the Keras 2
    function or layer that computes the same."""

    mode: str
    merged: str | None
    options: tuple[str, ...]


def _read(ctx: RuleContext, call: cst.Call, first: str) -> _Merge | None:
    mode_arg = first_keyword(call, "mode")
    mode = "sum" if mode_arg is None else string_value(mode_arg)
    if mode not in _MODES or any(a.star for a in call.args):
        return None
    code = ctx.module.code_for_node
    merged: str | None = None
    options: list[str] = []
    for i, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword is not None else None
        if name is None and i > 0:
            return None  # a positional mode or more: read too rarely to guess
        if name is None or name == first:
            merged = code(arg.value)
        elif name == "concat_axis" and mode == "concat":
            options.append(f"axis={code(arg.value)}")
        elif name == "dot_axes" and mode in ("dot", "cos"):
            options.append(f"axes={code(arg.value)}")
        elif name == "name":
            options.append(f"name={code(arg.value)}")
        elif name not in ("mode", "concat_axis", "dot_axes"):
            return None  # output_shape=, a lambda mode...: no fixed equivalent
    if mode in ("dot", "cos") and not any(a.startswith("axes=") for a in options):
        options.append("axes=-1")  # Keras 1's default dot_axes
    if mode == "cos":
        options.append("normalize=True")
    return _Merge(mode, merged, tuple(options))


def _function_fix(ctx: RuleContext, call: cst.Call) -> FixPlan | None:
    """``merge([a, b], mode='concat')`` -> ``concatenate([a, b])``."""
    merge = _read(ctx, call, "inputs")
    if merge is None or merge.merged is None or not isinstance(call.func, cst.Name):
        return None
    function = _MODES[merge.mode]
    if bound_otherwise(ctx.graph, function, f"keras.layers.{function}"):
        return None  # the file's own `add` (say): importing Keras's would replace it
    plan = ImportPlan(ctx.graph, _package(ctx, call.func.value), add=[function])
    plan.remove = import_if_last_use(ctx, call)
    code = f"{function}({', '.join((merge.merged, *merge.options))})"
    return FixPlan(
        Applicability.SAFE, f"Use `{function}(...)`", (NodeEdit(call, code), *plan.edits())
    )


def _layer_fix(ctx: RuleContext, call: cst.Call) -> FixPlan | None:
    """``Merge(mode='sum')`` applied later -> ``Add()``; ``Merge([left, right])`` of models
    added to a Sequential -> that Sequential rewritten as a functional model."""
    merge = _read(ctx, call, "layers")
    if merge is None:
        return None
    layers = [la for la in ctx.graph.layers if la.call is call]
    layer = layers[0] if layers else None
    if merge.merged is not None:
        return _models_fix(ctx, call, merge, layers)
    target = MERGE_MODES[merge.mode]
    if bound_otherwise(ctx.graph, target, f"keras.layers.{target}"):
        return None
    plan = ImportPlan(ctx.graph, layers_package_of(layer.path if layer else "keras.layers"))
    spelled = spell_layer_like(ctx.graph, call, layer.path if layer else "", target, plan)
    plan.remove = import_if_last_use(ctx, call)
    edit = NodeEdit(call, f"{spelled}({', '.join(merge.options)})")
    return FixPlan(Applicability.SAFE, f"Use `{target}(...)`", (edit, *plan.edits()))


def _models_fix(
    ctx: RuleContext, call: cst.Call, merge: _Merge, layers: list[Layer]
) -> FixPlan | None:
    """The Sequential that starts with ``Merge([left, right])``, rebuilt as Keras 2 would:
    its other layers stay a Sequential, applied to the merged outputs of the branches, and
    the name becomes the functional model from the branches' inputs to that output.

    A Merge inside a function was analysed once as written (the names of the function's
    own variables) and once per call (the model then bears the caller's name): the first
    reading whose names fit the code is used."""
    for layer in layers:
        for model in ctx.graph.models:
            if layer.applications and model.merged_from is layer.applications[0]:
                fix = _functional_rewrite(ctx, call, merge, layer, model)
                if fix is not None:
                    return fix
    return None


def _functional_rewrite(
    ctx: RuleContext, call: cst.Call, merge: _Merge, layer: Layer, model: Model
) -> FixPlan | None:
    app = layer.applications[0]
    if not _plain_name(model.name):
        return None
    branches = [_branch_model(t) for t in app.inputs]
    owners = _input_owners(model)
    if owners is None or any(b is None or b.function != model.function for b in branches):
        return None
    found = statement_block(ctx.module, call)
    if found is None:
        return None
    block, index = found
    name = model.name
    assert name is not None
    last = _last_add(ctx, block, index, name)
    if last is None:
        return None
    function = _MODES[merge.mode]
    if bound_otherwise(ctx.graph, function, f"keras.layers.{function}"):
        return None
    layers = ImportPlan(ctx.graph, layers_package_of(layer.path), add=[function])
    layers.remove = import_if_last_use(ctx, call)
    models = ImportPlan(ctx.graph, _models_package(model))
    model_class = bound_name(ctx.graph, "keras.Model", "keras.models.Model")
    if model_class is None:
        if bound_otherwise(ctx.graph, "Model", "keras.models.Model"):
            return None
        model_class = "Model"
        models.add.append(model_class)
    outputs = ", ".join(f"{b.name}.outputs[0]" for b in branches if b is not None)
    merged = f"{function}({', '.join((f'[{outputs}]', *merge.options))})"
    inputs = ", ".join(f"*{owner.name}.inputs" for owner in owners)
    head = f"{name}({merged})" if last > index else merged
    wrap = f"{name} = {model_class}([{inputs}], {head})"
    indent = _indent(ctx, block[index])
    if last > index:
        kept = ctx.module.code_for_node(block[last].with_changes(leading_lines=()))
        edits = [
            NodeEdit(block[index], "", whole_lines=True),
            NodeEdit(block[last], f"{indent}{kept}{indent}{wrap}\n", whole_lines=True),
        ]
    else:
        edits = [NodeEdit(block[index], f"{indent}{wrap}\n", whole_lines=True)]
        if index > 0 and _creates_empty(block[index - 1], model):
            edits.append(NodeEdit(block[index - 1], "", whole_lines=True))  # nothing left of it
    return FixPlan(
        Applicability.SAFE,
        f"Rewrite `{name}` as a functional model that merges its branches with `{function}`",
        (*edits, *layers.edits(), *models.edits()),
    )


def _branch_model(tensor: Tensor) -> Model | None:
    """The named model whose output a Merge branch is (``left`` in ``Merge([left, ...])``)."""
    producer = tensor.producer
    spec = producer.layer.spec if producer is not None else None
    model = spec.model if isinstance(spec, ModelAsLayer) else None
    return model if model is not None and _plain_name(model.name) else None


def _leaf_models(model: Model) -> list[Model] | None:
    """The models whose inputs ``model`` takes, in order: its branches, and the branches of
    branches that start with a Merge themselves."""
    leaves: list[Model] = []
    assert model.merged_from is not None
    for tensor in model.merged_from.inputs:
        branch = _branch_model(tensor)
        if branch is None:
            return None
        inner = _leaf_models(branch) if branch.merged_from is not None else [branch]
        if inner is None:
            return None
        leaves.extend(inner)
    return leaves


def _input_owners(model: Model) -> list[Model] | None:
    """The models whose ``.inputs``, one after the other, are ``model``'s inputs: Keras 1
    took each input once, in order, however many branches shared it (a question encoder
    merged twice).  None if they do not add up to them exactly (branches that share only
    some of their inputs)."""
    owners: list[Model] = []
    seen: set[int] = set()
    for leaf in _leaf_models(model) or []:
        if all(id(t) in seen for t in leaf.inputs):
            continue  # merged before: its inputs are in already
        owners.append(leaf)
        seen.update(id(t) for t in leaf.inputs)
    flat = [id(t) for owner in owners for t in owner.inputs]
    return owners if owners and flat == [id(t) for t in model.inputs] else None


def _last_add(
    ctx: RuleContext, block: tuple[cst.BaseStatement, ...], index: int, name: str
) -> int | None:
    """The index of the last ``name.add(...)`` statement that follows the Merge's own, before
    anything else reads ``name``; None if the Merge's is no such statement, or if ``name``
    is added to later (the functional model that replaces it has no ``add``)."""
    if not _is_add(block[index], name):
        return None
    mention = re.compile(rf"\b{re.escape(name)}\b")
    code = ctx.module.code_for_node
    last = index
    for position in range(index + 1, len(block)):
        statement = block[position]
        if _is_add(statement, name):
            last = position
        elif mention.search(code(statement)):
            break
    later = re.compile(rf"\b{re.escape(name)}\s*\.\s*add\s*\(")
    if any(later.search(code(s)) for s in block[last + 1 :]):
        return None
    return last


def _creates_empty(statement: cst.BaseStatement, model: Model) -> bool:
    """``name = Sequential()``, the creation of ``model`` with nothing in it."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    assign = statement.body[0]
    return (
        isinstance(assign, cst.Assign)
        and assign.value is model.node
        and isinstance(assign.value, cst.Call)
        and not assign.value.args
    )


def _is_add(statement: cst.BaseStatement, name: str) -> bool:
    """``name.add(layer)``, alone on its line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expr = statement.body[0]
    call = expr.value if isinstance(expr, cst.Expr) else None
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and isinstance(call.func.value, cst.Name)
        and call.func.value.value == name
        and call.func.attr.value == "add"
        and len(call.args) == 1
    )


def _indent(ctx: RuleContext, statement: cst.CSTNode) -> str:
    line = ctx.source.splitlines()[ctx.line(statement) - 1]
    return line[: len(line) - len(line.lstrip())]


def _plain_name(name: str | None) -> bool:
    return name is not None and name.isidentifier()


def _models_package(model: Model) -> str:
    """``keras.models`` for ``keras.models.Sequential``, ``tensorflow.keras`` for
    ``tensorflow.keras.Sequential``: where the file takes its model classes from."""
    return model.keras_path.rpartition(".")[0] or "keras.models"


def _package(ctx: RuleContext, local: str) -> str:
    """The layers package of the file's ``merge`` import."""
    for imported in ctx.graph.imports:
        if imported.local == local:
            return names.layer_module_of(imported.path) or "keras.layers"
    return "keras.layers"
