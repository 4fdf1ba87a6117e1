"""TDL310 renamed-keras-function."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy, names
from tdlint.keras.legacy import RenamedFunction
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.edits import ImportPlan, bound_name, bound_otherwise
from tdlint.rules.upgrade import (
    breaks,
    broken_on,
    keras_calls,
    new_arg,
    positional,
    renamed,
    unused_removed_imports,
    with_args,
)


class RenamedKerasFunction(Rule):
    """A Keras function, layer or keyword that a later Keras renamed, keeping its meaning.

    - Keras 2.0 dropped Keras 1's activity regularizers and `l1l2`: `activity_l2(0.01)`
      is `l2(0.01)` and `l1l2` is `l1_l2`.  `to_categorical(y, nb_classes=10)` became
      `num_classes=`.
    - Keras 3 dropped the constraint aliases `maxnorm`, `nonneg` and `unitnorm` (now
      `max_norm`, `non_neg`, `unit_norm`), the `ThresholdedReLU` layer (`ReLU(threshold=)`
      computes the same: `x` where `x > threshold`, else 0), and the regularizers'
      keyword `l` (`l2(l2=0.01)`).
    - Keras 3's `Layer.add_weight` takes the shape first and refuses a positional name,
      where Keras 2.1-2.3 and tf.keras 2 took the name first: `add_weight('kernel', (3, 4))`
      becomes `add_weight(name='kernel', shape=(3, 4))`.
    - Keras 3's `l1_l2` defaults to 0 for both penalties, where Keras 1 and 2 used 0.01: the
      fix of `l1l2` writes the old defaults out when the code left them to Keras.

    The old name is an `ImportError` or `AttributeError`, the old keyword a `TypeError`.
    The fix renames the call (and adds the import of the new name; the old import goes
    once nothing uses it) and its keywords.  It is safe: the same computation.
    """

    code = "TDL310"
    name = "renamed-keras-function"
    severity = Severity.ERROR
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for api, _ in keras_calls(ctx):
            if api.path in _WEIGHT_METHODS:
                found = _add_weight(ctx, api.node, api.path.partition(".")[2])
                if found is not None:
                    yield found
            if api.model is not None:
                continue
            entry = legacy.RENAMED_FUNCTIONS.get(names.canonical(api.path) or "")
            if entry is not None:
                found = _check(ctx, api.node, api.path, entry)
                if found is not None:
                    yield found
        yield from unused_removed_imports(ctx, lambda path: _removed_name(ctx, path))

    VALID = [
        """
from keras.constraints import max_norm
from keras.regularizers import l2, l1_l2
from keras.layers import Dense, ReLU
d = Dense(8, kernel_constraint=max_norm(3), kernel_regularizer=l2(0.01))
r = ReLU(threshold=1.0)
""",
        # A user's own function of the same name is not Keras's.
        """
from my_constraints import maxnorm
c = maxnorm(3)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.constraints import maxnorm
from keras.layers import Dense
d = Dense(8, kernel_constraint=maxnorm(m=3))
""",
            fixed="""
from keras.constraints import max_norm
from keras.layers import Dense
d = Dense(8, kernel_constraint=max_norm(max_value=3))
""",
            message="`maxnorm`",
        ),
        Invalid(
            """
from keras import regularizers
from keras.layers import Dense
d = Dense(8, activity_regularizer=regularizers.activity_l2(0.01))
""",
            fixed="""
from keras import regularizers
from keras.layers import Dense
d = Dense(8, activity_regularizer=regularizers.l2(0.01))
""",
        ),
        # Keras 3's l1_l2 would not regularize where Keras 1 did: the defaults are written.
        Invalid(
            """
from keras.regularizers import l1l2
r = l1l2(l1=0.001)
""",
            fixed="""
from keras.regularizers import l1_l2
r = l1_l2(l1=0.001, l2=0.01)
""",
        ),
        Invalid(
            """
from keras.utils import np_utils
y = np_utils.to_categorical(labels, nb_classes=10)
""",
            fixed="""
from keras.utils import np_utils
y = np_utils.to_categorical(labels, num_classes=10)
""",
            message="`nb_classes=`",
        ),
        # ReLU's first parameter is max_value: the threshold becomes a keyword.
        Invalid(
            """
from keras.layers import ThresholdedReLU
a = ThresholdedReLU(0.5)
""",
            fixed="""
from keras.layers import ReLU
a = ReLU(threshold=0.5)
""",
        ),
        Invalid(
            """
from keras.layers import Layer, Input
class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1],), initializer="ones")
    def call(self, x):
        return x * self.w
y = Scale()(Input((4,)))
""",
            fixed="""
from keras.layers import Layer, Input
class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
    def call(self, x):
        return x * self.w
y = Scale()(Input((4,)))
""",
            message="`add_weight`",
        ),
        Invalid(
            """
import keras
r = keras.regularizers.l2(l=0.001)
""",
            fixed="""
import keras
r = keras.regularizers.l2(l2=0.001)
""",
        ),
    ]


def _check(ctx: RuleContext, call: cst.Call, path: str, entry: RenamedFunction) -> Finding | None:
    old_name = path.rpartition(".")[2]
    hazards: list[str] = []
    since = legacy.KERAS3
    rename = entry.new is not None and breaks(ctx, entry.since)
    if rename:
        hazards.append(f"`{old_name}` (now `{entry.new}`)")
        since = min(since, entry.since)
    args = list(call.args)
    for old, new, when in entry.keywords:
        arg = first_keyword(call, old)
        if arg is not None and breaks(ctx, when):
            hazards.append(f"`{old}=` (now `{new}=`)")
            since = min(since, when)
            args = [renamed(a, new) if a is arg else a for a in args]
    if not hazards:
        return None
    if rename:
        args = _with_defaults(call, args, entry)
    callee = _callee(ctx, call, path, entry) if rename else (call.func, [])
    fix = None
    if callee is not None:
        func, imports = callee
        fix = FixPlan(
            Applicability.SAFE,
            f"Use `{entry.new if rename else old_name}`"
            + (" with the new keywords" if entry.keywords else ""),
            (NodeEdit(call, with_args(ctx.module, call.with_changes(func=func), args)), *imports),
        )
    return Finding(
        call,
        f"`{old_name}` is called with names that fail on {broken_on(since)}: " + ", ".join(hazards),
        "The same function under its new name and keywords.",
        fix,
    )


# ``add_weight`` in Keras 2.1-2.3 and tf.keras 2: the name first, then the shape...; Keras 3
# puts the shape first and refuses a positional name ("`name` must be passed as a keyword
# argument").  Keras 1 had the shape first too (``add_weight(shape, initializer, name)``).
_WEIGHT_METHODS = ("<layer>.add_weight", "<layer>.add_variable")
_KERAS2_WEIGHT_PARAMS = (
    "name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint"
)  # fmt: skip


def _add_weight(ctx: RuleContext, call: cst.Call, method: str) -> Finding | None:
    """``self.add_weight('kernel', (3, 4), ...)``: the Keras 2 order, as keywords."""
    given = positional(call)
    if (
        not breaks(ctx, legacy.KERAS3)
        or not given
        or not isinstance(given[0].value, cst.SimpleString)
    ):
        return None
    if len(given) > len(_KERAS2_WEIGHT_PARAMS):
        return None
    args = [
        renamed(a, _KERAS2_WEIGHT_PARAMS[i]) if i < len(given) else a
        for i, a in enumerate(call.args)
    ]
    fix = FixPlan(
        Applicability.SAFE,
        "Pass the arguments by keyword",
        (NodeEdit(call, with_args(ctx.module, call, args)),),
    )
    return Finding(
        call,
        f"`{method}` is given its name first, as Keras 2 ordered it; Keras 3 takes the shape "
        "first and refuses a positional name",
        "Pass `name=` and `shape=` by keyword.",
        fix,
    )


def _with_defaults(call: cst.Call, args: list[cst.Arg], entry: RenamedFunction) -> list[cst.Arg]:
    """The old positional arguments as keywords where the new callee orders them otherwise,
    and the old defaults written out where the new ones differ."""
    given = positional(call)
    if entry.as_keywords:
        names_by_position = dict(enumerate(entry.params))
        new_names = {old: new for old, new, _ in entry.keywords}
        args = [
            renamed(a, new_names.get(names_by_position[i], names_by_position[i]))
            if i < len(given) and i in names_by_position
            else a
            for i, a in enumerate(args)
        ]
    passed = {entry.params[i] for i in range(min(len(given), len(entry.params)))}
    passed |= {a.keyword.value for a in args if a.keyword is not None}
    written = [new_arg(k, v) for k, v in entry.defaults if k not in passed]
    return [*args, *written]


def _callee(
    ctx: RuleContext, call: cst.Call, path: str, entry: RenamedFunction
) -> tuple[cst.BaseExpression, list[NodeEdit]] | None:
    """The new callee, spelled as the old one was, with the import it needs; None if the
    name it needs means something else in the file."""
    func = call.func
    if entry.new is None:
        return func, []
    if isinstance(func, cst.Attribute):
        return func.with_changes(attr=cst.Name(entry.new)), []
    module = path.rpartition(".")[0]
    target = names.canonical(f"{module}.{entry.new}")
    local = bound_name(ctx.graph, target or "")
    if local is not None:
        return cst.Name(local), []
    if bound_otherwise(ctx.graph, entry.new, target or ""):
        return None  # the file has an `l2` of its own (say): importing Keras's would replace it
    plan = ImportPlan(ctx.graph, _import_module(ctx, func), add=[entry.new])
    return cst.Name(entry.new), plan.edits()


def _import_module(ctx: RuleContext, func: cst.BaseExpression) -> str:
    """The module the old name was imported from, where the new one is imported too."""
    local = func.value if isinstance(func, cst.Name) else ""
    for imported in ctx.graph.imports:
        if imported.local == local:
            return imported.path.rpartition(".")[0]
    return "keras"


def _removed_name(ctx: RuleContext, path: str) -> str | None:
    entry = legacy.RENAMED_FUNCTIONS.get(path)
    if entry is None or entry.new is None or not breaks(ctx, entry.since):
        return None
    return broken_on(entry.since)
