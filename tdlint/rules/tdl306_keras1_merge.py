"""TDL306 keras1-merge."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import names
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.edits import ImportPlan
from tdlint.rules.upgrade import breaks, keras_calls, string_value

_REMOVED_IN = (2, 2)  # Keras 2.2.0 removed the legacy `Merge` layer and `merge()`
# Keras 1 merge modes -> the merge function of Keras 2 (``cos`` is a normalised dot).
_MODES = {
    "sum": "add",
    "mul": "multiply",
    "ave": "average",
    "max": "maximum",
    "concat": "concatenate",
    "dot": "dot",
    "cos": "dot",
}


class Keras1Merge(Rule):
    """Keras 1's `merge(..., mode=...)` function or `Merge` layer, removed in Keras 2.2.

    Keras 1 merged tensors with one function, `merge(inputs, mode='sum')`, whose `mode`
    said how (`'concat'` with `concat_axis`, `'mul'`, `'ave'`, `'dot'` with `dot_axes`...),
    and merged Sequential models with a `Merge` layer.  Keras 2 split them into
    `concatenate(axis=)`, `add`, `multiply`, `average`, `maximum` and `dot(axes=)` (and the
    layer classes `Concatenate`...); Keras 2.2 removed the old ones, so the import fails.

    The fix for `merge(...)` with a literal mode calls the function of that mode, with
    `concat_axis`/`dot_axes` as `axis`/`axes`, and imports it.  It is safe: the same
    operation.  A `Merge` layer of Sequential models has no one-line equivalent: the model
    must be written with the functional API, so it is reported without a fix.
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
                    _fix(ctx, api.node),
                )
            elif last == "Merge":
                yield Finding(
                    api.node,
                    "The `Merge` layer was removed in Keras 2.2: the import fails; merge the "
                    "branches with the functional API",
                    "Build the model with the functional API and merge its branches with "
                    "`concatenate([...])`, `add([...])`...",
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
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Merge, Dense
left, right = Sequential([Dense(4, input_dim=3)]), Sequential([Dense(4, input_dim=3)])
model = Sequential()
model.add(Merge([left, right], mode="concat"))
""",
            message="functional API",
        ),
    ]


def _fix(ctx: RuleContext, call: cst.Call) -> FixPlan | None:
    mode_arg = first_keyword(call, "mode")
    mode = "sum" if mode_arg is None else string_value(mode_arg)
    if mode not in _MODES or not isinstance(call.func, cst.Name) or any(a.star for a in call.args):
        return None
    function = _MODES[mode]
    code = ctx.module.code_for_node
    args: list[str] = []
    for i, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword is not None else None
        if name == "mode" or (name is None and i > 0):
            if name is None:
                return None  # a positional mode or more: read too rarely to guess
            continue
        if name == "concat_axis" and mode == "concat":
            args.append(f"axis={code(arg.value)}")
        elif name == "dot_axes" and mode in ("dot", "cos"):
            args.append(f"axes={code(arg.value)}")
        elif name in (None, "name"):
            args.append(code(arg.value) if name is None else f"name={code(arg.value)}")
        elif name in ("inputs",):
            args.insert(0, code(arg.value))
        elif name in ("concat_axis", "dot_axes"):
            continue  # not read by this mode
        else:
            return None  # output_shape=, a lambda mode...: no fixed equivalent
    if mode in ("dot", "cos") and not any(a.startswith("axes=") for a in args):
        args.append("axes=-1")  # Keras 1's default dot_axes
    if mode == "cos":
        args.append("normalize=True")
    plan = ImportPlan(ctx.graph, _package(ctx, call.func.value), add=[function])
    if ctx.name_count(call.func.value) == 2:  # this call is the last use besides the import
        plan.remove = [i for i in ctx.graph.imports if i.local == call.func.value]
    edits = (NodeEdit(call, f"{function}({', '.join(args)})"), *plan.edits())
    return FixPlan(Applicability.SAFE, f"Use `{function}(...)`", edits)


def _package(ctx: RuleContext, local: str) -> str:
    """The layers package of the file's ``merge`` import."""
    for imported in ctx.graph.imports:
        if imported.local == local:
            return names.layer_module_of(imported.path) or "keras.layers"
    return "keras.layers"
