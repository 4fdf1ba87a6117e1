"""TDL002 time-distributed-dense."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.analysis.graph import Layer
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import names
from tdlint.keras.legacy import DENSE_RENAMES
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.edits import ImportPlan, layers_package, layers_package_of, spell_layer
from tdlint.rules.upgrade import import_if_last_use

# TimeDistributedDense's Keras 1 signature, in positional order.
_KERAS1_POSITIONAL = (
    "output_dim",
    "init",
    "activation",
    "weights",
    "W_regularizer",
    "b_regularizer",
    "activity_regularizer",
    "W_constraint",
    "b_constraint",
    "bias",
    "input_dim",
    "input_length",
)
# Keras 1 argument -> the Dense argument it became.
_DENSE_RENAMES = {
    **DENSE_RENAMES,
    "activation": "activation",
    "activity_regularizer": "activity_regularizer",
}
# Arguments of the layer itself, which belong on the wrapper.
_WRAPPER_ARGS = frozenset(
    {"name", "trainable", "input_shape", "batch_input_shape", "batch_size", "dtype"}
)


class TimeDistributedDense(Rule):
    """Keras 1's `TimeDistributedDense` layer, removed in Keras 2.0.

    `TimeDistributedDense` was deprecated in Keras 1.0 in favour of the general
    `TimeDistributed` wrapper and removed, with no shim, in Keras 2.0: code that uses it fails
    with an `ImportError` or `AttributeError` on every Keras since.  Its modern equivalent is
    `TimeDistributed(Dense(...))`, with the Keras 1 argument names of `Dense` renamed.
    """

    code = "TDL002"
    name = "time-distributed-dense"
    severity = Severity.ERROR
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: set[int] = set()
        for layer in ctx.graph.layers:
            if layer.spec.name != "TimeDistributedDense" or id(layer.call) in seen:
                continue
            seen.add(id(layer.call))
            fix = self._fix(ctx, layer)
            dropped = fix.message.partition("; ")[2] if fix else ""
            message = "`TimeDistributedDense` was removed in Keras 2.0"
            if dropped:
                message += f"; {dropped}"
            yield Finding(
                layer.call,
                message,
                "Use `TimeDistributed(Dense(...))`, which does the same per timestep.",
                fix,
            )
        yield from self._unused_imports(ctx)

    def _unused_imports(self, ctx: RuleContext) -> Iterator[Finding]:
        """An import of the name alone fails on Keras 2+, even with no call left."""
        for imported in ctx.graph.imports:
            obj = names.resolve(imported.path)
            if obj is None or obj.name != "TimeDistributedDense":
                continue
            if not isinstance(imported.node, cst.ImportFrom) or _mentions(ctx, imported.local) > 1:
                continue
            plan = ImportPlan(ctx.graph, layers_package_of(imported.path), remove=[imported])
            yield Finding(
                imported.node,
                "`TimeDistributedDense` was removed in Keras 2.0: this import fails",
                "Nothing uses it here: remove it.",
                FixPlan(Applicability.SAFE, "Remove the unused import", tuple(plan.edits())),
            )

    def _fix(self, ctx: RuleContext, layer: Layer) -> FixPlan | None:
        call = layer.call
        dense_args: list[str] = []
        wrapper_args: list[str] = []
        unsafe: list[str] = []
        shape: dict[str, str] = {}
        code = ctx.module.code_for_node
        for i, arg in enumerate(call.args):
            value = code(arg.value)
            if arg.star:
                dense_args.append(f"{arg.star}{value}")
                unsafe.append(f"`{arg.star}{value}`")
                continue
            if arg.keyword is None and i >= len(_KERAS1_POSITIONAL):
                return None
            name = arg.keyword.value if arg.keyword else _KERAS1_POSITIONAL[i]
            if name in ("input_dim", "input_length"):
                shape[name] = value
            elif name in _WRAPPER_ARGS:
                wrapper_args.append(f"{name}={value}")
            elif name in _DENSE_RENAMES:
                new = _DENSE_RENAMES[name]
                keep_positional = arg.keyword is None and i == 0
                dense_args.append(value if keep_positional else f"{new}={value}")
            else:
                # weights= and anything unknown: kept, but current Keras may reject them.
                dense_args.append(f"{name}={value}")
                unsafe.append(f"`{name}=`")
        if "input_dim" in shape:
            length = shape.get("input_length", "None")
            wrapper_args.insert(0, f"input_shape=({length}, {shape['input_dim']})")
        elif "input_length" in shape:
            unsafe.append("`input_length=` (without `input_dim`)")

        plan = ImportPlan(ctx.graph, layers_package(layer))
        wrapper = spell_layer(ctx.graph, layer, "TimeDistributed", plan)
        dense = spell_layer(ctx.graph, layer, "Dense", plan)
        plan.remove = import_if_last_use(ctx, call)
        replacement = f"{wrapper}({dense}({', '.join(dense_args)})"
        replacement += "".join(f", {a}" for a in wrapper_args) + ")"
        message = "Replace with `TimeDistributed(Dense(...))`"
        if unsafe:
            message += f"; {', '.join(unsafe)} may have no equivalent in current Keras"
        return FixPlan(
            Applicability.UNSAFE if unsafe else Applicability.SAFE,
            message,
            (NodeEdit(call, replacement), *plan.edits()),
        )

    VALID = [
        """
from keras.layers import TimeDistributed, Dense
layer = TimeDistributed(Dense(10))
""",
        # A user's own layer of the same name is not Keras's.
        """
from mylayers import TimeDistributedDense
layer = TimeDistributedDense(10)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.models import Sequential
from keras.layers.core import Activation, TimeDistributedDense, RepeatVector
from keras.layers import recurrent
model = Sequential()
model.add(recurrent.LSTM(128, input_shape=(7, 12)))
model.add(RepeatVector(4))
model.add(recurrent.LSTM(128, return_sequences=True))
model.add(TimeDistributedDense(12))
model.add(Activation('softmax'))
""",
            fixed="""
from keras.models import Sequential
from keras.layers.core import Activation, RepeatVector
from keras.layers import recurrent, TimeDistributed, Dense
model = Sequential()
model.add(recurrent.LSTM(128, input_shape=(7, 12)))
model.add(RepeatVector(4))
model.add(recurrent.LSTM(128, return_sequences=True))
model.add(TimeDistributed(Dense(12)))
model.add(Activation('softmax'))
""",
        ),
        # Keras 1 argument names are renamed; input_dim/input_length move to the wrapper.
        Invalid(
            """
from keras.layers import TimeDistributedDense, Dense
td = TimeDistributedDense(output_dim=64, init="he_normal", input_dim=32, input_length=10)
""",
            fixed="""
from keras.layers import Dense, TimeDistributed
td = TimeDistributed(Dense(units=64, kernel_initializer="he_normal"), input_shape=(10, 32))
""",
        ),
        Invalid(
            """
from keras import layers
td = layers.TimeDistributedDense(8, "glorot_uniform", W_regularizer=reg, bias=False)
""",
            fixed="""
from keras import layers
td = layers.TimeDistributed(layers.Dense(8, kernel_initializer="glorot_uniform", kernel_regularizer=reg, use_bias=False))
""",
        ),
        # Attribute style keeps the module prefix and needs no import.
        Invalid(
            """
import keras
layer = keras.layers.TimeDistributedDense(5, activation="softmax")
""",
            fixed="""
import keras
layer = keras.layers.TimeDistributed(keras.layers.Dense(5, activation="softmax"))
""",
        ),
        # An import alone fails on Keras 2+: removed (safely: nothing uses it).
        Invalid(
            """
from keras.layers.core import Dense, TimeDistributedDense
layer = Dense(3)
""",
            fixed="""
from keras.layers.core import Dense
layer = Dense(3)
""",
        ),
        Invalid(
            """
import keras
from keras.layers import TimeDistributedDense
model = keras.Sequential()
""",
            fixed="""
import keras
model = keras.Sequential()
""",
        ),
        # weights= has no Keras 3 equivalent: the fix is unsafe and says why.
        Invalid(
            """
from keras.layers import TimeDistributedDense
layer = TimeDistributedDense(5, weights=initial)
""",
            message="`weights=` may have no equivalent",
        ),
    ]


def _mentions(ctx: RuleContext, name: str) -> int:
    """How often a name occurs in the module's code (imports and uses alike)."""
    return ctx.name_count(name)
