"""TDL305 old-optimizer-arguments."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy, names
from tdlint.keras.versions import OLD
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.edits import ImportPlan, bound_otherwise
from tdlint.rules.upgrade import (
    breaks,
    keras_calls,
    new_arg,
    positional,
    renamed,
    string_value,
    with_args,
)

# The learning rates Keras 2 optimizers started from when none was given (Keras 2.3.1):
# the initial rate of the decay schedule that replaces ``decay=``.  Keras 1.2.2 had the same.
_KERAS2_DEFAULT_RATE = {
    "SGD": "0.01",
    "RMSprop": "0.001",
    "Adagrad": "0.01",
    "Adadelta": "1.0",
    "Adam": "0.001",
    "Adamax": "0.002",
    "Nadam": "0.002",
}

# Keras 3 (like tf.keras 2) starts these from 0.001: Keras 1-2.3 code that left the rate to
# its default trains with a rate 10 to 1000 times smaller there, and raises nothing.
_CHANGED_DEFAULT_RATE = {
    name: rate
    for name, rate in _KERAS2_DEFAULT_RATE.items()
    if name in ("Adagrad", "Adadelta", "Adamax", "Nadam")
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

    In code written for Keras 1 or Keras 2.0-2.3, an `Adadelta`, `Adagrad`, `Adamax` or
    `Nadam` left at its default rate (also as `compile(optimizer='adadelta')`) is reported
    too: those defaults were 1.0, 0.01, 0.002 and 0.002, and Keras 3's are 0.001, so the
    same code learns far more slowly and nothing says so.  The fix writes the old rate out
    (safe).
    """

    code = "TDL305"
    name = "old-optimizer-arguments"
    severity = Severity.ERROR
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, legacy.KERAS3):
            return
        for api, obj in keras_calls(ctx):
            if api.model is not None or obj is None or obj.kind != "other":
                continue
            module, _, optimizer = obj.name.rpartition(".")
            if module != "keras.optimizers" or optimizer not in legacy.OPTIMIZERS:
                continue
            found = _check(ctx, api.node, api.path, optimizer)
            if found is not None:
                yield found
        yield from _default_rates(ctx)

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
        # Not known to be old code: Keras 3's default is what it means.
        """
from keras.optimizers import Adadelta
opt = Adadelta()
""",
    ]

    INVALID = [
        # Keras 1 code (W_regularizer): Adadelta started from 1.0 there.
        Invalid(
            """
from keras.layers import Dense
from keras.optimizers import Adadelta
d = Dense(2, W_regularizer=None)
opt = Adadelta()
""",
            fixed="""
from keras.layers import Dense
from keras.optimizers import Adadelta
d = Dense(2, W_regularizer=None)
opt = Adadelta(learning_rate=1.0)
""",
            message="0.001",
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(2, input_dim=3, W_regularizer=None)])
model.compile(optimizer="adagrad", loss="mse")
""",
            fixed="""
from keras.optimizers import Adagrad
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(2, input_dim=3, W_regularizer=None)])
model.compile(optimizer=Adagrad(learning_rate=0.01), loss="mse")
""",
        ),
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


def _default_rates(ctx: RuleContext) -> Iterator[Finding]:
    """Optimizers of old code left at a default rate Keras 3 changed: constructed without
    a rate, or named by a string in ``compile``."""
    for api, obj in keras_calls(ctx):
        if not ctx.graph.version.of(api.path) <= OLD:
            continue  # the code may be tf.keras 2 or Keras 3 code, whose default it meant
        if api.model is None and obj is not None and obj.kind == "other":
            module, _, optimizer = obj.name.rpartition(".")
            rate = _CHANGED_DEFAULT_RATE.get(optimizer)
            call = api.node
            if module == "keras.optimizers" and rate and not _has_rate(call):
                code = with_args(ctx.module, call, [*call.args, new_arg("learning_rate", rate)])
                yield _default_finding(optimizer, rate, call, (NodeEdit(call, code),))
        elif api.model is not None and api.path == "<model>.compile":
            yield from _compile_string(ctx, api.node)


def _compile_string(ctx: RuleContext, call: cst.Call) -> Iterator[Finding]:
    """``compile(optimizer='adadelta')``: the optimizer constructed with the old rate."""
    given = positional(call)
    arg = first_keyword(call, "optimizer") or (given[0] if given else None)
    text = string_value(arg)
    optimizer = _BY_STRING.get(text.lower()) if text else None
    if arg is None or optimizer is None:
        return
    rate = _CHANGED_DEFAULT_RATE[optimizer]
    if bound_otherwise(ctx.graph, optimizer, f"keras.optimizers.{optimizer}"):
        yield _default_finding(optimizer, rate, arg.value, None)  # the name is the file's own
        return
    plan = ImportPlan(ctx.graph, _optimizers_module(ctx), add=[optimizer])
    edits = (NodeEdit(arg.value, f"{optimizer}(learning_rate={rate})"), *plan.edits())
    yield _default_finding(optimizer, rate, arg.value, edits)


_BY_STRING = {name.lower(): name for name in _CHANGED_DEFAULT_RATE}


def _has_rate(call: cst.Call) -> bool:
    """A rate given: ``lr=``/``learning_rate=``, or positionally (Keras 1 and 2's first
    parameter, as Keras 3's)."""
    return bool(positional(call)) or any(
        a.keyword is not None and a.keyword.value in ("lr", "learning_rate") for a in call.args
    )


def _optimizers_module(ctx: RuleContext) -> str:
    """``tensorflow.keras.optimizers`` or ``keras.optimizers``, as the file imports Keras."""
    for imported in ctx.graph.imports:
        if names.canonical(imported.path) is not None:
            return names.as_written("keras.optimizers", imported.path)
    return "keras.optimizers"


def _default_finding(
    optimizer: str, rate: str, node: cst.CSTNode, edits: tuple[NodeEdit, ...] | None
) -> Finding:
    return Finding(
        node,
        f"`{optimizer}` starts from learning rate 0.001 on Keras 3, where this Keras 1/2 code "
        f"had {rate}: it trains far more slowly, silently",
        f"Write the old rate out: `{optimizer}(learning_rate={rate})`.",
        None
        if edits is None
        else FixPlan(Applicability.SAFE, f"Write `learning_rate={rate}`", edits),
    )


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
