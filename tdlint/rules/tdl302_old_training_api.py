"""TDL302 old-training-api."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import libcst as cst

from tdlint.analysis.datasets import Dataset
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy, names
from tdlint.keras.versions import Line
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.upgrade import (
    breaks,
    broken_on,
    keras_calls,
    positional,
    renamed,
    target,
    with_args,
)

_DATA_METHODS = frozenset({"fit", "evaluate", "predict", *legacy.GENERATOR_METHODS})
# Keras 3 moved the worker options to ``PyDataset``; its ``fit`` rejects them.
_WORKERS_NOW = ("workers", "use_multiprocessing", "max_queue_size")
# Keywords Keras 3 refuses (a TypeError), with what dropping them changes (None: nothing
# the model learns).  ``sample_weight_mode='temporal'`` made Keras 2 weight each timestep;
# Keras 3 does so for any 2D sample weights of a sequence output, averaging over every
# timestep, where Keras 1-2.2 divided by the share of non-zero weights.
_COMPILE_REMOVED = {
    "sample_weight_mode": "Keras 3 weights each timestep by itself, with another scale",
    "experimental_run_tf_function": None,  # tf.keras 2.1-2.3: how fit ran, not what it learns
}
# Keras 2's TensorBoard options that tf.keras 2 ignored with a warning: they change what is
# logged, not what is learned.
_TENSORBOARD_REMOVED = {
    "batch_size": None,
    "write_grads": None,
    "embeddings_layer_names": None,
    "embeddings_data": None,
}


class OldTrainingApi(Rule):
    """Training API that current Keras removed: `Model(input=)`, `nb_epoch`, `fit_generator`...

    Keras 2.0 renamed `Model(input=..., output=...)` to `inputs`/`outputs` and the `fit`
    keyword `nb_epoch` to `epochs`, and made the generator methods count batches
    (`steps_per_epoch`, `validation_steps`, `steps`) instead of samples
    (`samples_per_epoch`, `nb_val_samples`, `val_samples`).  Keras 2.0-2.3 translated the
    old names with a warning; tf.keras 2 and Keras 3 reject them.  Keras 3 also removed
    `fit_generator`, `evaluate_generator` and `predict_generator` (`fit`, `evaluate` and
    `predict` take generators), and the worker options of `fit` (`workers`,
    `use_multiprocessing`, `max_queue_size`: a `keras.utils.PyDataset` takes them now).

    The fix renames what was renamed and spells positional arguments of the generator
    methods as keywords (`fit` has another order).  A sample count becomes a step count
    by dividing by the batch size, when tdlint knows the generator's batch size; otherwise
    the count is kept as steps, as Keras 2.0-2.3 did for a generator without a
    `batch_size`: that fix is unsafe, since an epoch then draws more batches.  Dropping the
    worker options is safe: they change how batches are loaded, not what is learned.

    Code written for Keras 1-2.2 that compiles with `metrics=['accuracy']` and then reads
    `history.history['acc']` or monitors `'val_acc'` fails after training (or never stops
    early): Keras 2.3+ logs that metric as `accuracy`.  The fix names the metric `'acc'`,
    which Keras resolves to the same accuracy and logs under the old key (safe).

    Keras 3 also refuses `compile(sample_weight_mode=...)`, tf.keras 2's
    `compile(experimental_run_tf_function=...)`, and the Keras 2 `TensorBoard`
    options `batch_size`, `write_grads`, `embeddings_layer_names` and `embeddings_data`
    (tf.keras 2 ignored these with a warning).  The fix removes them: safely for the
    TensorBoard options, which only change what is logged, and for `sample_weight_mode=None`;
    unsafely for `'temporal'`, since Keras 3 weights each timestep by itself but may scale
    the loss otherwise (Keras 1-2.2 divided it by the share of non-zero weights).
    """

    code = "TDL302"
    name = "old-training-api"
    severity = Severity.ERROR
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for api, obj in keras_calls(ctx):
            method = api.path.partition(".")[2] if api.model is not None else ""
            if obj is not None and obj.kind == "model":
                found = _model_constructor(ctx, api.node)
            elif method in _DATA_METHODS:
                found = _Method(ctx, method, api.node, api.model).run()
            elif method == "compile":
                found = _removed_keywords(ctx, api.node, "compile", _COMPILE_REMOVED)
                yield from _accuracy_named_acc(ctx, api.node)
            elif names.canonical(api.path) == "keras.callbacks.TensorBoard":
                found = _removed_keywords(ctx, api.node, "TensorBoard", _TENSORBOARD_REMOVED)
            else:
                continue
            if found is not None:
                yield found

    VALID = [
        """
import keras
inp = keras.Input((4,))
model = keras.Model(inputs=inp, outputs=keras.layers.Dense(1)(inp))
model.compile("adam", "mse")
model.fit(x, y, epochs=3)
""",
        # Reads the accuracy under the name Keras 2.3+ logs it.
        """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(2, activation="softmax", input_shape=(4,))])
model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, validation_split=0.2)
best = max(history.history["val_accuracy"])
""",
        # 'val_acc' only in a plot legend; "acc" only as another model's metric name.
        """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(2, activation="softmax", input_shape=(4,))])
model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
other = Sequential([Dense(2, activation="softmax", input_shape=(4,))])
other.compile("sgd", "categorical_crossentropy", metrics=["acc"])
plt.legend(["train_acc", "val_acc"])
""",
        # Not a Keras model: scikit-learn's fit is its own.
        """
from sklearn.linear_model import LogisticRegression
clf = LogisticRegression()
clf.fit(x, y, nb_epoch=3)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.models import Model
from keras.layers import Input, Dense
a = Input(shape=(4,))
model = Model(input=a, output=Dense(1)(a))
""",
            fixed="""
from keras.models import Model
from keras.layers import Input, Dense
a = Input(shape=(4,))
model = Model(inputs=a, outputs=Dense(1)(a))
""",
            message="`input`",
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse")
model.fit(x, y, nb_epoch=10, batch_size=32)
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse")
model.fit(x, y, epochs=10, batch_size=32)
""",
        ),
        # The generator's batch is known (32): 3200 samples are 100 steps.
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
def batches():
    while True:
        yield np.zeros((32, 4)), np.zeros((32, 1))
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse")
model.fit_generator(batches(), samples_per_epoch=3200, nb_epoch=2, nb_worker=4)
""",
            fixed="""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
def batches():
    while True:
        yield np.zeros((32, 4)), np.zeros((32, 1))
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse")
model.fit(batches(), steps_per_epoch=3200 // 32, epochs=2)
""",
            message="`fit_generator`",
        ),
        # Keras 3 wants each batch a tuple.
        Invalid(
            """
import numpy as np
import keras
def images():
    while True:
        yield np.zeros((8, 4))
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
p = model.predict(images(), steps=2)
""",
            fixed="""
import numpy as np
import keras
def images():
    while True:
        yield np.zeros((8, 4))
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
p = model.predict(((batch,) for batch in images()), steps=2)
""",
            message="tuples",
        ),
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
loss = model.evaluate_generator(data, 10, workers=2)
""",
            fixed="""
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
loss = model.evaluate(data, steps=10)
""",
        ),
        # The batch size is not known: the count is kept as steps (unsafe).
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse")
model.fit_generator(gen, samples_per_epoch=1000, nb_epoch=1)
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse")
model.fit(gen, steps_per_epoch=1000, epochs=1)
""",
            message="samples",
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse", sample_weight_mode=None)
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(1, input_dim=4)])
model.compile("sgd", "mse")
""",
            message="`sample_weight_mode`",
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(2, activation="softmax", input_dim=4)])
model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, validation_split=0.2)
best = max(history.history["val_acc"])
""",
            fixed="""
from keras.models import Sequential
from keras.layers import Dense
model = Sequential([Dense(2, activation="softmax", input_dim=4)])
model.compile("sgd", "categorical_crossentropy", metrics=["acc"])
history = model.fit(x, y, validation_split=0.2)
best = max(history.history["val_acc"])
""",
            message="`val_acc`",
        ),
        Invalid(
            """
from keras.callbacks import TensorBoard
board = TensorBoard(log_dir="logs", histogram_freq=1, write_grads=True, batch_size=32)
""",
            fixed="""
from keras.callbacks import TensorBoard
board = TensorBoard(log_dir="logs", histogram_freq=1)
""",
        ),
    ]


def _model_constructor(ctx: RuleContext, call: cst.Call) -> Finding | None:
    old = [
        a for a in call.args if a.keyword and a.keyword.value in legacy.MODEL_CONSTRUCTOR_RENAMES
    ]
    if not old or not breaks(ctx, legacy.TF_KERAS):
        return None
    edits = tuple(
        NodeEdit(a.keyword, legacy.MODEL_CONSTRUCTOR_RENAMES[a.keyword.value])  # type: ignore[union-attr]
        for a in old
    )
    shown = ", ".join(f"`{a.keyword.value}`" for a in old)  # type: ignore[union-attr]
    return Finding(
        call,
        f"`Model` is given Keras 1 keywords ({shown}), which fail on {broken_on(legacy.TF_KERAS)}",
        "Keras 2 named them `inputs` and `outputs`.",
        FixPlan(Applicability.SAFE, "Use `inputs=` and `outputs=`", edits),
    )


# A history key or monitor named as Keras 1-2.2 named the accuracy: 'acc', 'val_acc'.
# Read as a key (``history.history['acc']``) or a monitor (``monitor='val_acc'``), not
# merely mentioned (a plot legend, another model's metric name).
_OLD_ACCURACY_KEY = re.compile(
    r"""(?<=[\w)\]])\[\s*(['"])(val_)?acc\1\s*\]|\bmonitor\s*=\s*(['"])(val_)?acc\3"""
)


def _accuracy_named_acc(ctx: RuleContext, call: cst.Call) -> Iterator[Finding]:
    """``compile(metrics=['accuracy'])`` in code that reads ``history['acc']`` or monitors
    ``'val_acc'``: Keras 1-2.2 logged the metric as ``acc``; Keras 2.3+ logs it under the
    name given, ``accuracy``, so the old key is a ``KeyError`` after training (or a monitor
    that never fires).  Naming the metric ``'acc'`` keeps the old key: Keras picks the same
    accuracy for either string."""
    if not breaks(ctx, (2, 3)) or not ctx.source_has(_OLD_ACCURACY_KEY):
        return
    metrics = first_keyword(call, "metrics")
    value = metrics.value if metrics is not None else None
    if not isinstance(value, (cst.List, cst.Tuple)):
        return
    for element in value.elements:
        item = element.value
        if isinstance(item, cst.SimpleString) and item.evaluated_value == "accuracy":
            quote = item.quote
            yield Finding(
                item,
                "This code reads the accuracy as `acc`/`val_acc`, as Keras 1-2.2 logged it; "
                "Keras 2.3+ logs `metrics=['accuracy']` as `accuracy`: a `KeyError` after "
                "training, or a monitor that never fires",
                "Name the metric `'acc'`: the same accuracy, logged under the old key.",
                FixPlan(
                    Applicability.SAFE,
                    "Name the metric `'acc'`",
                    (NodeEdit(item, f"{quote}acc{quote}"),),
                ),
            )


def _removed_keywords(
    ctx: RuleContext, call: cst.Call, what: str, removed: dict[str, str | None]
) -> Finding | None:
    """Keywords Keras 3 refuses, dropped; unsafe where dropping one changes training
    (``sample_weight_mode=None`` is the default and drops safely)."""
    if not breaks(ctx, legacy.KERAS3) or any(a.star for a in call.args):
        return None
    old = [a for a in call.args if a.keyword is not None and a.keyword.value in removed]
    if not old:
        return None
    changes = [
        removed[a.keyword.value]  # type: ignore[union-attr]
        for a in old
        if not (isinstance(a.value, cst.Name) and a.value.value == "None")
    ]
    unsafe = [c for c in changes if c is not None]
    kept = [a for a in call.args if all(a is not o for o in old)]
    shown = ", ".join(f"`{a.keyword.value}`" for a in old)  # type: ignore[union-attr]
    fix = FixPlan(
        Applicability.UNSAFE if unsafe else Applicability.SAFE,
        f"Remove {shown}" + (f": {'; '.join(unsafe)}" if unsafe else ""),
        (NodeEdit(call, with_args(ctx.module, call, kept)),),
    )
    return Finding(
        call,
        f"`{what}` is given {shown}, which Keras 3 removed: a `TypeError`",
        "Keras 3 has no such option; the fix removes it.",
        fix,
    )


class _Method:
    """One training call on a Keras model: its Keras 1 parts, and the call rewritten."""

    def __init__(self, ctx: RuleContext, method: str, call: cst.Call, model: Any) -> None:
        self.ctx, self.method, self.call, self.model = ctx, method, call, model
        self.found: list[str] = []
        self.unsafe: list[str] = []
        self.since = legacy.KERAS3
        self.keras3 = target(ctx) >= legacy.KERAS3
        self.unfixable = False

    def _hazard(self, what: str, since: legacy.Version) -> None:
        if breaks(self.ctx, since):
            self.found.append(what)
            self.since = min(self.since, since)

    def run(self) -> Finding | None:
        args = self._positional(list(self.call.args))
        args = self._keywords(args)
        args = self._tuples(args)
        func = self.call.func
        new_method = legacy.GENERATOR_METHODS.get(self.method)
        if new_method is not None:
            self._hazard(f"`{self.method}`", legacy.KERAS3)
        if not self.found:
            return None
        new_call = self.call
        if new_method is not None and self.keras3 and isinstance(func, cst.Attribute):
            new_call = new_call.with_changes(func=func.with_changes(attr=cst.Name(new_method)))
        code = with_args(self.ctx.module, new_call, args)
        safe = not self.unsafe
        message = "Use the current training API" + (
            f"; {', '.join(self.unsafe)}" if self.unsafe else ""
        )
        fix = None
        if not self.unfixable:
            applicability = Applicability.SAFE if safe else Applicability.UNSAFE
            fix = FixPlan(applicability, message, (NodeEdit(self.call, code),))
        return Finding(
            self.call,
            f"`{self.method}` is called with training API that fails on "
            f"{broken_on(self.since)} ({', '.join(self.found)})",
            "Keras 2 counts batches (`steps_per_epoch`), not samples, and names the epochs "
            "`epochs`; Keras 3's `fit`, `evaluate` and `predict` take generators.",
            fix,
        )

    def _positional(self, args: list[cst.Arg]) -> list[cst.Arg]:
        """``fit_generator(gen, 100, 5)``: past the generator, keywords (``fit``'s order is
        ``x, y, batch_size, epochs``)."""
        names = legacy.GENERATOR_POSITIONAL.get(self.method)
        given = positional(self.call)
        if names is None or len(given) < 2 or not self.keras3:
            return args
        if len(given) > len(names):
            self.unfixable = True  # Keras 1 and 2 ordered the later ones differently
            self._hazard("positional arguments", legacy.KERAS3)
            return args
        keras1 = self.ctx.graph.version.of("keras") == frozenset({Line.KERAS1})
        result = [given[0]]
        for name, arg in zip(names[1:], given[1:], strict=False):
            if keras1 and name in ("steps_per_epoch", "steps"):
                old = "samples_per_epoch" if name == "steps_per_epoch" else "val_samples"
                result.append(self._steps(arg, old, name))
            else:
                result.append(renamed(arg, name))
        self._hazard("positional arguments", legacy.KERAS3)
        return [*result, *args[len(given) :]]

    def _keywords(self, args: list[cst.Arg]) -> list[cst.Arg]:
        result: list[cst.Arg] = []
        for arg in args:
            name = arg.keyword.value if arg.keyword is not None else None
            if name in legacy.METHOD_ARGUMENT_RENAMES and name not in legacy.SAMPLES_TO_STEPS:
                self._hazard(f"`{name}`", legacy.TF_KERAS)
                result.append(renamed(arg, legacy.METHOD_ARGUMENT_RENAMES[name]))
            elif name in legacy.SAMPLES_TO_STEPS:
                self._hazard(f"`{name}`", legacy.TF_KERAS)
                result.append(self._steps(arg, name, legacy.SAMPLES_TO_STEPS[name]))
            elif name in legacy.WORKER_ARGUMENTS or name in _WORKERS_NOW:
                self._hazard(
                    f"`{name}`",
                    legacy.TF_KERAS if name in legacy.WORKER_ARGUMENTS else legacy.KERAS3,
                )
                if not self.keras3:
                    result.append(renamed(arg, legacy.WORKER_ARGUMENTS.get(name, name)))
            else:
                result.append(arg)
        return result

    def _steps(self, arg: cst.Arg, old: str, new: str) -> cst.Arg:
        """A sample count as a step count: divided by the generator's known batch size."""
        source = "validation_data" if old == "nb_val_samples" else None
        batch = self._batch_size(source) or self._written_batch_size(source)
        code = self.ctx.module.code_for_node(arg.value)
        if batch is None:
            self.unsafe.append(
                f"`{old}` counted samples and `{new}` counts batches: divide it by the batch size"
            )
            return renamed(arg, new)
        value = (
            code
            if isinstance(
                arg.value, (cst.Integer, cst.Name, cst.Attribute, cst.Subscript, cst.Call)
            )
            else f"({code})"
        )
        return renamed(arg, new, cst.parse_expression(f"{value} // {batch}"))

    def _written_batch_size(self, keyword: str | None) -> str | None:
        """The ``batch_size=`` written in the call that makes the generator, when it is
        passed directly (``datagen.flow(x, y, batch_size=32)``): the size of the batches
        it yields, as Keras 2.0-2.3 read it from the generator's ``batch_size``."""
        given = positional(self.call)
        arg = (
            next(
                (a for a in self.call.args if a.keyword is not None and a.keyword.value == keyword),
                None,
            )
            if keyword
            else (given[0] if given else None)
        )
        if arg is None or not isinstance(arg.value, cst.Call):
            return None
        for inner in arg.value.args:
            named = inner.keyword is not None and inner.keyword.value == "batch_size"
            if named and isinstance(inner.value, (cst.Integer, cst.Name)):
                return self.ctx.module.code_for_node(inner.value)
        return None

    def _tuples(self, args: list[cst.Arg]) -> list[cst.Arg]:
        """A generator of the file that yields bare arrays: Keras 1 and 2 read each as a
        batch of features, Keras 3 wants a tuple (``(features,)``) and raises otherwise."""
        given = self._data(None)
        if not (isinstance(given, Dataset) and given.bare) or not args or args[0].keyword:
            return args
        self._hazard("a generator of arrays, not tuples", legacy.KERAS3)
        if not self.keras3:
            return args
        code = self.ctx.module.code_for_node(args[0].value)
        wrapped = cst.parse_expression(f"((batch,) for batch in {code})")
        return [args[0].with_changes(value=wrapped), *args[1:]]

    def _data(self, keyword: str | None) -> Any:
        """What the analysis read as the call's data: its first argument or ``keyword``."""
        for data_call in getattr(self.model, "data_calls", ()):
            if data_call.node is self.call:
                if keyword is not None:
                    return data_call.keywords.get(keyword)
                return data_call.positional[0] if data_call.positional else None
        return None

    def _batch_size(self, keyword: str | None) -> int | None:
        """The batch size of the generator given (the first argument, or ``keyword``), when
        the analysis knows it."""
        value = self._data(keyword)
        if isinstance(value, Dataset) and value.batched and value.features.shape:
            first = value.features.shape[0]
            return first if isinstance(first, int) and first > 0 else None
        return None
