"""TDL304 removed-predict-method."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.datafit import activation_layer, model_output
from tdlint.rules.edits import first_import
from tdlint.rules.upgrade import breaks, keras_calls

_REMOVED_IN = (2, 6)  # tf.keras 2.6 removed both (Sequential only had them)
_METHODS = ("predict_classes", "predict_proba")


class RemovedPredictMethod(Rule):
    """`model.predict_classes(x)` or `model.predict_proba(x)`, removed in tf.keras 2.6.

    Keras 1 and 2 gave `Sequential` models two shortcuts: `predict_proba`, the same as
    `predict`, and `predict_classes`, the arg-max of the predictions for an output of
    several units, or the predictions thresholded at 0.5 for a single unit.  tf.keras 2.6
    and Keras 3 have neither (`AttributeError: 'Sequential' object has no attribute
    'predict_classes'`).

    The fix writes what the shortcut did, chosen as Keras 2 chose, by the model's output
    that tdlint reads from the model: `np.argmax(model.predict(x), axis=-1)` for several
    units (or a softmax, whose units are several), `(model.predict(x) > 0.5).astype("int32")`
    for one.  It is unsafe: the result is computed the same way, but code after it may
    rely on details such as the dtype.  When neither the number of units nor a softmax is
    known, there is no fix for `predict_classes`.
    """

    code = "TDL304"
    name = "removed-predict-method"
    severity = Severity.ERROR
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, _REMOVED_IN):
            return
        for api, _ in keras_calls(ctx):
            method = api.path.partition(".")[2]
            if api.model is None or method not in _METHODS:
                continue
            func = api.node.func
            if not isinstance(func, cst.Attribute):
                continue
            fix = _fix(ctx, api.node, func, method, api.model)
            yield Finding(
                api.node,
                f"`{method}` was removed in tf.keras 2.6: Keras 3 models have no such method",
                "Call `predict` and take the arg-max (softmax) or threshold at 0.5 (sigmoid).",
                fix,
            )

    VALID = [
        """
import numpy as np
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
classes = np.argmax(model.predict(x), axis=-1)
""",
        # A scikit-learn model's predict_proba is its own.
        """
from sklearn.linear_model import LogisticRegression
p = LogisticRegression().fit(x, y).predict_proba(x)
""",
    ]

    INVALID = [
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, activation="softmax", input_dim=4)])
classes = model.predict_classes(x_test, batch_size=32)
""",
            fixed="""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, activation="softmax", input_dim=4)])
classes = np.argmax(model.predict(x_test, batch_size=32), axis=-1)
""",
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, activation="sigmoid", input_dim=4)])
classes = model.predict_classes(x_test)
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, activation="sigmoid", input_dim=4)])
classes = (model.predict(x_test) > 0.5).astype("int32")
""",
        ),
        # NumPy is imported for the arg-max where the file has no name for it (after the
        # __future__ imports, which must come first).
        Invalid(
            """
from __future__ import print_function
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, activation="softmax", input_dim=4)])
classes = model.predict_classes(x_test)
""",
            fixed="""
from __future__ import print_function
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, activation="softmax", input_dim=4)])
classes = np.argmax(model.predict(x_test), axis=-1)
""",
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, activation="softmax", input_dim=4)])
p = model.predict_proba(x_test)
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(3, activation="softmax", input_dim=4)])
p = model.predict(x_test)
""",
        ),
    ]


def _fix(
    ctx: RuleContext, call: cst.Call, func: cst.Attribute, method: str, model: Any
) -> FixPlan | None:
    predict = ctx.module.code_for_node(
        call.with_changes(func=func.with_changes(attr=cst.Name("predict")))
    )
    if method == "predict_proba":
        return FixPlan(Applicability.UNSAFE, "Use `predict`", (NodeEdit(call, predict),))
    activation, units = _last_activation(model)
    extra: tuple[NodeEdit, ...] = ()
    # Keras 2 took the arg-max of an output with more than one unit and thresholded a
    # single unit, whatever the activation; a softmax output has more than one.
    known = isinstance(units, int)
    if (known and units > 1) or (not known and activation == "softmax"):
        numpy = _numpy_name(ctx)
        if numpy is None:
            first = first_import(ctx.graph)
            if ctx.name_count("np") or first is None:
                return None  # `np` means something else here
            numpy = "np"
            extra = (NodeEdit(first, f"import numpy as np{ctx.module.default_newline}", True),)
        code = f"{numpy}.argmax({predict}, axis=-1)"
    elif units == 1:
        code = f'({predict} > 0.5).astype("int32")'
    else:
        return None
    return FixPlan(Applicability.UNSAFE, f"Use `{code}`", (NodeEdit(call, code), *extra))


def _last_activation(model: Any) -> tuple[str | None, Any]:
    """The output's activation and its last dim (None when unknown). The activation alone
    decides a softmax's arg-max, whatever the shape: a model whose earlier layers are
    uncertain (added in a loop) still ends in the layer added last."""
    tensor = model.current if model.kind == "sequential" else (model.outputs or [None])[0]
    if tensor is None or tensor.producer is None:
        return None, None
    activation, _ = activation_layer(tensor)
    out = None if getattr(model, "uncertain", False) else model_output(model)
    return activation, (out[-1] if out else None)


def _numpy_name(ctx: RuleContext) -> str | None:
    """The name the module imports NumPy as (``np``), if it does."""
    for imported in ctx.graph.imports:
        if imported.path == "numpy":
            return imported.local
    return None
