"""TDL308 cudnn-layer."""

from __future__ import annotations

from collections.abc import Iterator

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.upgrade import breaks, keras_calls, rename_layer, unused_removed_imports


class CudnnLayer(Rule):
    """`CuDNNLSTM` or `CuDNNGRU`, which Keras 3 removed.

    Keras 2 and tf.keras 2 (as `tf.compat.v1.keras.layers`) had separate recurrent layers for
    NVIDIA's cuDNN kernels. Since tf.keras 2.0, `LSTM` and `GRU` use cuDNN by themselves
    when their arguments allow it, and Keras 3 has no `CuDNN` layers at all
    (`AttributeError: module 'keras.layers' has no attribute 'CuDNNLSTM'`).

    The fix uses `GRU` or `LSTM` with the same arguments. For `CuDNNGRU` it is safe:
    Keras 3's `GRU` defaults (`reset_after=True`, sigmoid recurrent activation) are the
    cuDNN formulation, with the same weights. For `CuDNNLSTM` it is unsafe: cuDNN's LSTM has
    two bias vectors where `LSTM` has one, so the model has `4 * units` fewer parameters per
    layer and weights saved from the old model do not load.
    """

    code = "TDL308"
    name = "cudnn-layer"
    severity = Severity.ERROR
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, legacy.KERAS3):
            return
        for api, obj in keras_calls(ctx):
            old = obj.name.rpartition(".")[2] if obj is not None else ""
            new = legacy.CUDNN.get(old)
            if new is None or obj is None or obj.kind not in ("layer", "other"):
                continue
            func, imports = rename_layer(ctx, api.node, api.path, new)
            code = ctx.module.code_for_node(api.node.with_changes(func=func))
            exact = old == "CuDNNGRU"
            fix = FixPlan(
                Applicability.SAFE if exact else Applicability.UNSAFE,
                f"Use `{new}`"
                + ("" if exact else "; it has one bias vector where cuDNN's LSTM has two"),
                (NodeEdit(api.node, code), *imports),
            )
            yield Finding(
                api.node,
                f"`{old}` was removed in Keras 3; `{new}` uses cuDNN by itself",
                f"Use `{new}` with the same arguments.",
                fix,
            )
        yield from unused_removed_imports(ctx, _cudnn)

    VALID = [
        """
from keras.layers import LSTM, GRU
a, b = LSTM(64), GRU(64)
""",
        """
from my_layers import CuDNNLSTM
r = CuDNNLSTM(64)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.layers import CuDNNGRU, Dense
r = CuDNNGRU(64, return_sequences=True)
""",
            fixed="""
from keras.layers import Dense, GRU
r = GRU(64, return_sequences=True)
""",
        ),
        Invalid(
            """
import tensorflow as tf
r = tf.compat.v1.keras.layers.CuDNNLSTM(32)
""",
            fixed="""
import tensorflow as tf
r = tf.keras.layers.LSTM(32)
""",
            message="`CuDNNLSTM`",
        ),
        # Left unused once its uses are rewritten (LSTM was imported already).
        Invalid(
            """
from keras.layers import LSTM, CuDNNLSTM
r = LSTM(32)
""",
            fixed="""
from keras.layers import LSTM
r = LSTM(32)
""",
            message="the import fails",
        ),
    ]


def _cudnn(path: str) -> str | None:
    layer = path.rpartition(".")[2]
    return "Keras 3" if layer in legacy.CUDNN and path.startswith("keras.") else None
