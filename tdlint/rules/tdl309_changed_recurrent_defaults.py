"""TDL309 changed-recurrent-defaults."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy
from tdlint.keras.versions import OLD, Line
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.upgrade import breaks, keras_calls, new_arg, positional, with_args

# Keras 1's recurrent layers used a hard sigmoid for their gates, as Keras 2.0-2.2 did
# (2.3 switched to the sigmoid).
_HARD_SIGMOID_LAYERS = ("LSTM", "GRU")


class ChangedRecurrentDefaults(Rule):
    """A `GRU` or `LSTM` of old Keras code whose defaults mean another layer today.

    Up to multi-backend Keras 2.3, `GRU` applied the reset gate before the recurrent
    kernel and kept one bias vector (`reset_after=False`; Keras 1 had no option).
    tf.keras 2 and Keras 3 default to `reset_after=True`, with a second bias vector: the
    same code builds a model with `3 * units` more parameters per layer, and weights saved
    by the old model no longer load. Keras 1 (and Keras 2.0-2.2) also gated `LSTM` and
    `GRU` with a hard sigmoid, where tf.keras 2 and Keras 3 use the sigmoid. None of this
    raises an error: the upgraded model silently differs.

    The rule reports these layers where the file is old code (Keras 1 or 2.0-2.3, from its
    arguments and imports, its pins or `keras-version`) and the argument is not written. The
    fix writes the old default: `reset_after=False`, and `recurrent_activation="hard_sigmoid"`
    where the code is certainly Keras 1. It is safe: the layer is the one the code built.
    """

    code = "TDL309"
    name = "changed-recurrent-defaults"
    severity = Severity.WARNING
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, legacy.TF_KERAS):
            return
        for api, obj in keras_calls(ctx):
            if obj is None or obj.kind != "layer" or obj.name not in _HARD_SIGMOID_LAYERS:
                continue
            lines = ctx.graph.version.of(api.path)
            if not lines <= OLD or any(a.star for a in api.node.args):
                continue
            added = old_defaults(api.node, obj.name, lines)
            if not added:
                continue
            args = [*api.node.args, *(new_arg(k, v) for k, v in added)]
            code = with_args(ctx.module, api.node, args)
            spelled = ", ".join(f"{k}={v}" for k, v in added)
            yield Finding(
                api.node,
                f"`{obj.name}` of old Keras code: its defaults changed in tf.keras 2 "
                f"({spelled} before), so Keras 3 builds another layer",
                "Write the old defaults to keep the model the code built.",
                FixPlan(Applicability.SAFE, f"Add `{spelled}`", (NodeEdit(api.node, code),)),
            )

    VALID = [
        """
from keras.layers import GRU
layer = GRU(16, reset_after=False)
""",
        # Keras 3 code: today's defaults are meant.
        """
import keras
layer = keras.layers.GRU(16)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.layers import GRU
layer = GRU(16, return_sequences=True, W_regularizer=None)
""",
            fixed="""
from keras.layers import GRU
layer = GRU(16, return_sequences=True, W_regularizer=None, reset_after=False)
""",
            message="reset_after=False",
        ),
        Invalid(
            """
from keras.layers.recurrent import GRU
model.add(GRU(output_dim=32, input_dim=8, W_regularizer=None))
""",
            fixed="""
from keras.layers.recurrent import GRU
model.add(GRU(output_dim=32, input_dim=8, W_regularizer=None, reset_after=False))
""",
        ),
    ]


def old_defaults(call: cst.Call, layer: str, lines: frozenset[Line]) -> list[tuple[str, str]]:
    """The old defaults an LSTM or GRU of old code (``lines``) does not write: TDL301 adds
    them to its own rewrite too, since the Keras 1 arguments it renames may be all that
    says the code is old."""
    added = []
    if layer == "GRU" and first_keyword(call, "reset_after") is None:
        added.append(("reset_after", "False"))
    gate = ("recurrent_activation", "inner_activation")
    keras1 = lines == frozenset({Line.KERAS1})
    # (the activations may also be given positionally after the units: then none is added)
    if keras1 and all(first_keyword(call, k) is None for k in gate) and len(positional(call)) < 3:
        added.append(("recurrent_activation", '"hard_sigmoid"'))
    return added
