"""What the version rules (TDL3xx) share: when a hazard applies, and call rewriting.

A hazard is an old spelling that the target Keras (``target-keras-version``, Keras 3 unless
the project pins another) refuses or reads otherwise.  A rule reports it only when the
target is at or past the version where it broke, and fixes it with a spelling the target
accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst

from tdlint.analysis.graph import ApiCall, ImportedName
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit
from tdlint.keras import names
from tdlint.keras.legacy import Version, spell_since, version_of_setting
from tdlint.rules.base import RuleContext
from tdlint.rules.edits import ImportPlan, layers_package_of, spell_layer_like


def target(ctx: RuleContext) -> Version:
    return version_of_setting(ctx.target_version)


def breaks(ctx: RuleContext, since: Version) -> bool:
    """Whether a spelling that broke in ``since`` is broken on the target."""
    return target(ctx) >= since


def broken_on(since: Version) -> str:
    """Where it fails, for messages: "Keras 3", "tf.keras 2 and Keras 3"..."""
    return spell_since(since)


def keras_calls(ctx: RuleContext) -> Iterator[tuple[ApiCall, names.KerasObject | None]]:
    """Each Keras call once (a function analysed twice records its calls twice)."""
    seen: set[int] = set()
    for call in ctx.graph.api_calls:
        if id(call.node) in seen:
            continue
        seen.add(id(call.node))
        yield call, (None if call.model is not None else names.resolve(call.path))


def positional(call: cst.Call) -> list[cst.Arg]:
    """The positional arguments, or all up to the first ``*``/``**`` one."""
    found = []
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            break
        found.append(arg)
    return found


def string_value(arg: cst.Arg | None) -> str | None:
    """The text of a plain string literal argument (``'tf'``), else None."""
    if arg is None or not isinstance(arg.value, cst.SimpleString):
        return None
    value = arg.value.evaluated_value
    return value if isinstance(value, str) else None


_NO_SPACE = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))


def renamed(arg: cst.Arg, name: str, value: cst.BaseExpression | None = None) -> cst.Arg:
    """``arg`` as ``name=value`` (its own value when ``value`` is None)."""
    changes: dict[str, object] = {"keyword": cst.Name(name)}
    if arg.keyword is None:
        changes["equal"] = _NO_SPACE
    if value is not None:
        changes["value"] = value
    return arg.with_changes(**changes)


def new_arg(name: str | None, code: str) -> cst.Arg:
    value = cst.parse_expression(code)
    if name is None:
        return cst.Arg(value=value)
    return cst.Arg(value=value, keyword=cst.Name(name), equal=_NO_SPACE)


def with_args(module: cst.Module, call: cst.Call, args: list[cst.Arg]) -> str:
    """The call's code with ``args`` (commas made consistent: ``a, b``, none after the
    last unless the call had one there)."""
    trailing = bool(call.args) and isinstance(call.args[-1].comma, cst.Comma)
    fixed: list[cst.Arg] = []
    for i, arg in enumerate(args):
        last = i == len(args) - 1
        if last and not trailing:
            fixed.append(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT))
        elif isinstance(arg.comma, cst.Comma):
            fixed.append(arg)
        else:
            space = cst.SimpleWhitespace("" if last else " ")
            fixed.append(arg.with_changes(comma=cst.Comma(whitespace_after=space)))
    return module.code_for_node(call.with_changes(args=fixed))


Rewrite = Callable[[cst.Arg], "cst.Arg | None"]


def rename_layer(
    ctx: RuleContext, call: cst.Call, path: str, new: str
) -> tuple[cst.BaseExpression, list[NodeEdit]]:
    """The constructor ``call`` of the layer at ``path`` as layer ``new``: its new callee,
    and the import edits it needs (the old name's import goes once nothing else uses it)."""
    plan = ImportPlan(ctx.graph, layers_package_of(path))
    spelled = spell_layer_like(ctx.graph, call, path, new, plan)
    # ``tf.compat.v1.keras.layers`` kept what TensorFlow 2 removed; the new layer is Keras's.
    spelled = spelled.replace(".compat.v1.keras.", ".keras.")
    plan.remove = import_if_last_use(ctx, call)
    return cst.parse_expression(spelled), plan.edits()


def import_if_last_use(ctx: RuleContext, call: cst.Call) -> list[ImportedName]:
    """The import of the called name, when this call is its last use besides the import
    (the fix that rewrites the call then removes the import too)."""
    func = call.func
    if not isinstance(func, cst.Name) or ctx.name_count(func.value) != 2:
        return []
    return [i for i in ctx.graph.imports if i.local == func.value]


def unused_removed_imports(
    ctx: RuleContext, removed: Callable[[str], str | None]
) -> Iterator[Finding]:
    """``from keras.layers import CuDNNLSTM`` left behind once every use is rewritten (or
    never used): the import alone fails where the name is gone.  ``removed`` gives, for a
    canonical Keras path, the version text of the message ("Keras 3"), or None if the name
    is still there.  Fixes that rename uses one by one leave the import to this."""
    for imported in ctx.graph.imports:
        broken = removed(names.canonical(imported.path) or "")
        if broken is None or not isinstance(imported.node, cst.ImportFrom):
            continue
        if ctx.name_count(imported.local) != 1:
            continue
        plan = ImportPlan(ctx.graph, imported.path.rpartition(".")[0], remove=[imported])
        name = imported.path.rpartition(".")[2]
        yield Finding(
            imported.node,
            f"`{name}` was removed in {broken}: the import fails, and nothing here uses it",
            "Remove the unused import.",
            FixPlan(Applicability.SAFE, f"Remove the import of `{name}`", tuple(plan.edits())),
        )
