"""TDL305 old-optimizer-arguments."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy, names
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.edits import ImportPlan
from tdlint.rules.upgrade import breaks, keras_calls, new_arg, renamed, with_args

# The learning rates Keras 2 optimizers started from when none was given (Keras 2.3.1):
# the initial rate of the decay schedule that replaces ``decay=``.
_KERAS2_DEFAULT_RATE = {
    "SGD": "0.01",
    "RMSprop": "0.001",
    "Adagrad": "0.01",
    "Adadelta": "1.0",
    "Adam": "0.001",
    "Adamax": "0.002",
    "Nadam": "0.002",
}


class OldOptimizerArguments(Rule):
    """An optimizer built with `lr=` or `decay=`, which Keras 3 rejects or ignores.

    Keras 2.3 and tf.keras 2 renamed the optimizers' `lr` to `learning_rate`, accepting
    both; Keras 3 accepts only `learning_rate` ("Argument(s) not recognized: {'lr': ...}").
    Keras 2's `decay` lowered the rate at every step, as `lr / (1 + decay * step)`; Keras 3
    ignores `decay` with a warning, so the code runs and trains at a constant rate: a
    change of meaning that raises nothing.

    The fix renames `lr` and writes the old decay as the schedule that computes exactly it,
    `keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`
    (with Keras 2's default rate when the code gave none).  Both are safe.
    """

    code = "TDL305"
    name = "old-optimizer-arguments"
    severity = Severity.ERROR
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, legacy.KERAS3):
            return
        for api, obj in keras_calls(ctx):
            if obj is None or obj.kind != "other":
                continue
            module, _, optimizer = obj.name.rpartition(".")
            if module != "keras.optimizers" or optimizer not in legacy.OPTIMIZERS:
                continue
            found = _check(ctx, api.node, api.path, optimizer)
            if found is not None:
                yield found

    VALID = [
        """
import keras
opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
""",
        # A schedule, as the fix writes it.
        """
from tensorflow import keras
rate = keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)
opt = keras.optimizers.Adam(learning_rate=rate)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.optimizers import Adam
opt = Adam(lr=1e-3)
""",
            fixed="""
from keras.optimizers import Adam
opt = Adam(learning_rate=1e-3)
""",
            message="`lr`",
        ),
        Invalid(
            """
import keras
opt = keras.optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
""",
            fixed="""
import keras
opt = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6), momentum=0.9, nesterov=True)
""",
            message="ignores `decay`",
        ),
        # Keras 2.3 already wrote learning_rate: the schedule starts from it.
        Invalid(
            """
import keras
opt = keras.optimizers.RMSprop(learning_rate=0.0001, decay=1e-6)
""",
            fixed="""
import keras
opt = keras.optimizers.RMSprop(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.0001, decay_steps=1, decay_rate=1e-6))
""",
        ),
        Invalid(
            """
from keras.optimizers import RMSprop
opt = RMSprop(decay=0.0001)
""",
            fixed="""
from keras.optimizers import RMSprop, schedules
opt = RMSprop(learning_rate=schedules.InverseTimeDecay(0.001, decay_steps=1, decay_rate=0.0001))
""",
        ),
    ]


def _check(ctx: RuleContext, call: cst.Call, path: str, optimizer: str) -> Finding | None:
    lr, decay = first_keyword(call, "lr"), first_keyword(call, "decay")
    if lr is None and decay is None:
        return None
    if lr is not None and first_keyword(call, "learning_rate") is not None:
        return _finding(call, lr, decay, None)  # both spellings: which one wins is unclear
    # Keras 2.3's own spelling beside the old decay: the schedule starts from it.
    lr = lr or first_keyword(call, "learning_rate")
    code = ctx.module.code_for_node
    plan: ImportPlan | None = None
    if decay is None:
        args = [renamed(a, "learning_rate") if a is lr else a for a in call.args]
    else:
        rate = code(lr.value) if lr is not None else _KERAS2_DEFAULT_RATE.get(optimizer)
        if rate is None:
            return _finding(call, lr, decay, None)
        schedule, plan = _spell_schedule(ctx, call, path)
        value = f"{schedule}({rate}, decay_steps=1, decay_rate={code(decay.value)})"
        args = []
        for arg in call.args:
            if arg is lr or (lr is None and arg is decay):
                args.append(new_arg("learning_rate", value).with_changes(comma=arg.comma))
            elif arg is not decay:
                args.append(arg)
    edits = (NodeEdit(call, with_args(ctx.module, call, args)), *(plan.edits() if plan else ()))
    return _finding(call, lr, decay, FixPlan(Applicability.SAFE, "Use `learning_rate=`", edits))


def _finding(
    call: cst.Call, lr: cst.Arg | None, decay: cst.Arg | None, fix: FixPlan | None
) -> Finding:
    parts = []
    if lr is not None and lr.keyword is not None and lr.keyword.value == "lr":
        parts.append("Keras 3 rejects `lr` (now `learning_rate`)")
    if decay is not None:
        parts.append("Keras 3 ignores `decay`: the learning rate no longer decays")
    return Finding(
        call,
        "; ".join(parts),
        "Pass `learning_rate=`, a `keras.optimizers.schedules.InverseTimeDecay` for the old decay.",
        fix,
    )


def _spell_schedule(ctx: RuleContext, call: cst.Call, path: str) -> tuple[str, ImportPlan | None]:
    """``keras.optimizers.schedules.InverseTimeDecay`` the way the optimizer is written."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return f"{ctx.module.code_for_node(func.value)}.schedules.InverseTimeDecay", None
    # ``from keras.optimizers import SGD`` gains ``schedules`` beside the optimizer.
    package = path.rpartition(".")[0]
    if names.canonical(package) != "keras.optimizers":
        package = "keras.optimizers"
    plan = ImportPlan(ctx.graph, package, add=["schedules"])
    return "schedules.InverseTimeDecay", plan
