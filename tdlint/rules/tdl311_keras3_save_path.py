"""TDL311 keras3-save-path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy, names
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.save_paths import (
    PathEnd,
    as_model,
    as_weights,
    folder,
    is_hdf5,
    path_end,
    refused,
    rewritten,
    same_path,
)
from tdlint.rules.upgrade import breaks, keras_calls, positional, string_value, with_args

# What Keras 3 accepts (``str.endswith``, case-sensitive): ``saving_api.save_weights``,
# ``saving_api.save_model`` and ``ModelCheckpoint.__init__`` (Keras 3.15).
_WEIGHTS = (".weights.h5",)
_MODEL = (".keras", ".h5", ".hdf5")
_CHECKPOINT = (".keras", ".h5")
_SAVE_MODEL = frozenset(
    {"keras.models.save_model", "keras.saving.save_model", "keras.engine.saving.save_model"}
)
_CHECKPOINTS = frozenset(
    {"keras.callbacks.ModelCheckpoint", "keras.callbacks.callbacks.ModelCheckpoint"}
)


@dataclass(frozen=True)
class _Save:
    """One saving call: what it is called in messages, its path, what Keras 3 requires of
    that path, and the new name a fix gives it (None: no fix for this call)."""

    call: cst.Call
    what: str
    path: cst.Arg | None
    kind: str  # "weights" or "model": which loaders read the file
    accepted: tuple[str, ...]
    rename: Callable[[str], str] | None
    period: cst.Arg | None = None
    # A ModelCheckpoint: it raises as it is made, and makes the folders of its path
    # (save_weights and a `.keras` save do not).
    checkpoint: bool = False


class Keras3SavePath(Rule):
    """A save path or `period=` that Keras 3 refuses: `save_weights("model.h5")`, `period=5`...

    Keras 1, Keras 2 and tf.keras 2 wrote weights to any file name (HDF5 for `.h5`, a
    TensorFlow checkpoint otherwise in tf.keras), a whole model to `.h5`/`.hdf5` or to a
    SavedModel folder, and `ModelCheckpoint` took `period=` (save every N epochs).  Keras 3
    checks the name first and raises: `save_weights` needs a name ending in `.weights.h5`;
    `model.save` and `keras.models.save_model` one ending in `.keras`, `.h5` or `.hdf5`;
    `ModelCheckpoint` `.weights.h5` with `save_weights_only=True`, else `.keras` or `.h5`
    (not `.hdf5`, the usual Keras 2 spelling); and `period` is a `TypeError`.  A final save
    usually comes after training, so the run is lost.

    The fix gives a string literal (or an f-string's literal end) the extension Keras 3
    wants (`model.h5` -> `model.weights.h5`, `.hdf5` -> `.h5` for a checkpoint of the whole
    model, `.keras` after a SavedModel folder name), renames the same literal where the file
    is loaded, saved again or tested with `os.path.exists`, and drops `period` (Keras 3
    saves every epoch).  It is unsafe: the file written gets another name, and other
    programs may look for the old one.  A path built by an expression is reported without
    a fix.
    """

    code = "TDL311"
    name = "keras3-save-path"
    severity = Severity.ERROR
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, legacy.KERAS3):
            return
        for api, _ in keras_calls(ctx):
            save = _save(ctx, api.path, api.node, api.model is not None)
            found = _finding(ctx, save) if save is not None else None
            if found is not None:
                yield found

    VALID = [
        """
import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.save_weights("model.weights.h5")
model.save("model.keras")
model.save("model.h5")
keras.models.save_model(model, "model.hdf5")
best = keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)
weights = keras.callbacks.ModelCheckpoint("w.weights.h5", save_weights_only=True)
""",
        # Paths tdlint cannot read, and a Keras 3 sharded save.
        """
import keras
def train(model, out, flag):
    model.save_weights(out)
    keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=flag)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.save_weights(f"{model.name}{'.weights.h5'}")
model.save_weights("model.weights.json", max_shard_size=1)
""",
        # Not a Keras model's method.
        """
import numpy as np
import keras
np.save("features", np.zeros(3))
net.save_weights("net.h5")
""",
    ]

    INVALID = [
        Invalid(
            """
import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.save_weights("model.h5")
model.load_weights("model.h5")
""",
            fixed="""
import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.save_weights("model.weights.h5")
model.load_weights("model.weights.h5")
""",
            message="`.weights.h5`",
            row=4,
        ),
        # Keras 2's documented checkpoint name.
        Invalid(
            """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.callbacks import ModelCheckpoint
model = Sequential([Dense(2, input_shape=(3,))])
model.compile("sgd", "mse")
x, y = np.random.rand(8, 3), np.random.rand(8, 2)
checkpoint = ModelCheckpoint("weights.{epoch:02d}-{val_loss:.2f}.hdf5")
model.fit(x, y, validation_data=(x, y), callbacks=[checkpoint])
""",
            fixed="""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.callbacks import ModelCheckpoint
model = Sequential([Dense(2, input_shape=(3,))])
model.compile("sgd", "mse")
x, y = np.random.rand(8, 3), np.random.rand(8, 2)
checkpoint = ModelCheckpoint("weights.{epoch:02d}-{val_loss:.2f}.h5")
model.fit(x, y, validation_data=(x, y), callbacks=[checkpoint])
""",
            message="`.keras` or `.h5`",
        ),
        Invalid(
            """
import numpy as np
from tensorflow import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.compile("sgd", "mse")
x, y = np.random.rand(8, 3), np.random.rand(8, 2)
best = keras.callbacks.ModelCheckpoint("best.h5", save_weights_only=True, period=1)
model.fit(x, y, callbacks=[best])
model.load_weights("best.h5")
""",
            fixed="""
import numpy as np
from tensorflow import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.compile("sgd", "mse")
x, y = np.random.rand(8, 3), np.random.rand(8, 2)
best = keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)
model.fit(x, y, callbacks=[best])
model.load_weights("best.weights.h5")
""",
            message="`period`",
        ),
        # A SavedModel folder, and the check before loading it.
        Invalid(
            """
import os
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
model.save("my_model")
if os.path.exists("my_model"):
    model = tf.keras.models.load_model("my_model")
""",
            fixed="""
import os
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
model.save("my_model.keras")
if os.path.exists("my_model.keras"):
    model = tf.keras.models.load_model("my_model.keras")
""",
            message="`.keras`, `.h5` or `.hdf5`",
        ),
        Invalid(
            """
import keras
from keras.models import save_model, load_model
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
for epoch in range(2):
    save_model(model, f"model_{epoch}.hdf")
restored = load_model(f"model_{epoch}.hdf")
""",
            fixed="""
import keras
from keras.models import save_model, load_model
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
for epoch in range(2):
    save_model(model, f"model_{epoch}.h5")
restored = load_model(f"model_{epoch}.h5")
""",
        ),
        # A name built by an expression: reported, not fixed.
        Invalid(
            """
import os
import keras
WEIGHTS = os.path.join("checkpoints", "model.h5")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.save_weights(WEIGHTS)
""",
            message="`WEIGHTS` (a path ending in '/model.h5')",
        ),
    ]


def _save(ctx: RuleContext, path: str, call: cst.Call, on_model: bool) -> _Save | None:
    """The saving call ``call`` is, if it is one: a model's ``save_weights``/``save``,
    ``save_model`` or a ``ModelCheckpoint``."""
    what = f"`{ctx.code(call.func)}`"
    if on_model:
        method = path.partition(".")[2]
        if method == "save_weights" and first_keyword(call, "max_shard_size") is None:
            weights = _path_arg(call, 0)
            return _Save(call, what, weights, "weights", _WEIGHTS, as_weights)
        if method == "save" and first_keyword(call, "zipped") is None:
            return _whole_model(call, what, _path_arg(call, 0))
        return None
    keras_path = names.canonical(path)
    if keras_path in _SAVE_MODEL:
        return _whole_model(call, what, _path_arg(call, 1))
    if keras_path in _CHECKPOINTS:
        return _checkpoint(call)
    return None


def _whole_model(call: cst.Call, what: str, path: cst.Arg | None) -> _Save:
    """``model.save`` or ``save_model``: tf.keras's ``save_format="h5"`` keeps HDF5."""
    hdf5 = string_value(first_keyword(call, "save_format")) in ("h5", "hdf5")
    rename = partial(as_model, default=".h5" if hdf5 else ".keras")
    return _Save(call, what, path, "model", _MODEL, rename)


def _checkpoint(call: cst.Call) -> _Save:
    flag = first_keyword(call, "save_weights_only")
    given = positional(call)
    if flag is None and len(given) > 4:  # (filepath, monitor, verbose, save_best_only, ...)
        flag = given[4]
    value = flag.value if flag is not None else cst.Name("False")
    only = value.value if isinstance(value, cst.Name) else None
    period = first_keyword(call, "period")
    path = _path_arg(call, 0)
    if only == "True":
        what = "`ModelCheckpoint(save_weights_only=True)`"
        return _Save(call, what, path, "weights", _WEIGHTS, as_weights, period, True)
    what = "`ModelCheckpoint`"
    if only == "False":
        return _Save(call, what, path, "model", _CHECKPOINT, as_model, period, True)
    # Weights or model, tdlint cannot tell: refused either way without `.keras` or `.h5`.
    return _Save(call, what, path, "unknown", _CHECKPOINT, None, period, True)


def _path_arg(call: cst.Call, index: int) -> cst.Arg | None:
    given = positional(call)
    return given[index] if len(given) > index else first_keyword(call, "filepath")


def _finding(ctx: RuleContext, save: _Save) -> Finding | None:
    end = path_end(ctx, save.path.value) if save.path is not None else None
    bad_path = end is not None and refused(end, save.accepted)
    if not bad_path and save.period is None:
        return None
    needed = _spelled(save.accepted)
    problems = []
    if bad_path and end is not None:
        problems.append(f"writes to {end.shown}: Keras 3 wants a name ending in {needed}")
    if save.period is not None:
        problems.append("is given `period`, a TypeError on Keras 3")
    fix, note = _fix(ctx, save, end if bad_path else None)
    return Finding(
        save.path.value if bad_path and save.path is not None else save.call,
        f"{save.what} {'; it '.join(problems)}",
        " ".join([*_help(save, needed, bad_path), *([note] if note else [])]),
        fix,
    )


def _help(save: _Save, needed: str, bad_path: bool) -> list[str]:
    found = []
    if bad_path:
        either = " (`.weights.h5` with `save_weights_only=True`)" if save.kind == "unknown" else ""
        when = (
            "as the callback is made"
            if save.checkpoint
            else "when it saves, usually after training (the run is lost)"
        )
        found.append(
            f"Keras 3 raises a ValueError {when}: name the file so that it ends in {needed}{either}."
        )
    if save.period is not None:
        found.append("Keras 3 saves every epoch; its `save_freq` counts batches, not epochs.")
    return found


def _spelled(suffixes: tuple[str, ...]) -> str:
    quoted = [f"`{s}`" for s in suffixes]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _fix(ctx: RuleContext, save: _Save, end: PathEnd | None) -> tuple[FixPlan | None, str | None]:
    """New names for the path and the literals naming the same file, and ``period`` gone.
    No fix when the path is bad but is no literal tdlint can rewrite, or when the new file
    would go in a folder nobody makes (then the note says so)."""
    edits: list[NodeEdit] = []
    new_path: str | None = None
    if end is not None:
        if end.literal is None or save.rename is None:
            return None, None
        new_path = rewritten(ctx.module, end.literal, save.rename)
        if new_path is None:
            return None, None
        unmade = _unmade_folder(ctx, save, end)
        if unmade is not None:
            return None, (
                f"Keras 3 does not make the folder `{unmade}`, as TensorFlow's formats did: "
                f"make it before saving to {new_path}."
            )
        edits += _same_file(ctx, save, end.literal)
    if save.period is not None:
        args = [_with_value(a, new_path) if a is save.path else a for a in save.call.args]
        args = [a for a in args if a is not save.period]
        edits.append(NodeEdit(save.call, with_args(ctx.module, save.call, args)))
    elif end is not None and new_path is not None and end.literal is not None:
        edits.append(NodeEdit(end.literal, new_path))
    renames = end is not None or not _saves_every_epoch(save.period)
    message = "Use the file name Keras 3 accepts" if end is not None else "Drop `period`"
    if save.period is not None and end is not None:
        message += " and drop `period`"
    if save.period is not None:
        message += " (Keras 3 saves every epoch; `save_freq` counts batches, not epochs)"
    applicability = Applicability.UNSAFE if renames else Applicability.SAFE
    return FixPlan(applicability, message, tuple(edits)), None


def _unmade_folder(ctx: RuleContext, save: _Save, end: PathEnd) -> str | None:
    """The folder the renamed file goes in, when the old name had TensorFlow make it (a
    SavedModel folder, a TF checkpoint: not HDF5) and Keras 3's writer will not (it fails
    with FileNotFoundError).  ModelCheckpoint and the legacy `.h5` writer make folders."""
    assert end.literal is not None and save.rename is not None
    legacy_h5 = save.kind == "model" and save.rename(end.text).endswith(".h5")
    if save.checkpoint or legacy_h5 or is_hdf5(end.text):
        return None
    return folder(ctx.module, end.literal, save.rename)


def _with_value(arg: cst.Arg, code: str | None) -> cst.Arg:
    return arg if code is None else arg.with_changes(value=cst.parse_expression(code))


def _saves_every_epoch(period: cst.Arg | None) -> bool:
    """``period=1`` is what Keras 3 does anyway: dropping it changes nothing."""
    return (
        period is not None and isinstance(period.value, cst.Integer) and period.value.value == "1"
    )


def _same_file(
    ctx: RuleContext, save: _Save, literal: cst.SimpleString | cst.FormattedString
) -> list[NodeEdit]:
    """The other path literals of the file naming the same file as ``literal``, where it is
    loaded, tested or saved again (by a call Keras 3 refuses that name for), renamed the
    same way."""
    assert save.rename is not None
    edits = []
    for use in _path_uses(ctx):
        if use.literal is literal or save.kind not in use.kinds:
            continue
        if use.accepted is not None:  # a writer: never touch a name Keras 3 accepts there
            end = path_end(ctx, use.literal)
            if end is None or not refused(end, use.accepted):
                continue
        if same_path(use.literal, literal, ctx.module):
            code = rewritten(ctx.module, use.literal, save.rename)
            if code is not None:
                edits.append(NodeEdit(use.literal, code))
    return edits


@dataclass(frozen=True)
class _PathUse:
    """A path literal given to a call that reads, tests or writes a file by name."""

    literal: cst.SimpleString | cst.FormattedString
    kinds: frozenset[str]  # the files it may be: "weights", "model"
    accepted: tuple[str, ...] | None  # for a writer, the names Keras 3 accepts there


_BOTH = frozenset({"weights", "model"})
# ``load_weights`` reads a weights file or a whole model's (Keras 2's checkpoints of the
# whole model were often read back so); ``load_model`` only a whole model's.
_READERS = {
    "load_weights": _BOTH,
    "load_model": frozenset({"model"}),
    "exists": _BOTH,
    "isfile": _BOTH,
}


def _path_uses(ctx: RuleContext) -> list[_PathUse]:
    """Every path literal of the file given to a call that reads, tests or writes a Keras
    file by name.  One walk, on demand."""

    def collect() -> list[_PathUse]:
        finder = _PathUses(_model_saves(ctx))
        ctx.module.visit(finder)
        return finder.found

    return ctx.memo("tdl311:path-uses", collect)


def _model_saves(ctx: RuleContext) -> set[int]:
    """The ``model.save(...)`` calls on known models (``save`` alone is too common a name)."""
    return {
        id(api.node)
        for api in ctx.graph.api_calls
        if api.model is not None and api.path.endswith(".save")
    }


class _PathUses(cst.CSTVisitor):
    def __init__(self, model_saves: set[int]) -> None:
        self.model_saves = model_saves
        self.found: list[_PathUse] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else None
        if isinstance(func, cst.Name):
            name = func.value
        index, accepted, kinds = 0, None, _READERS.get(name or "")
        if name == "save_weights":
            kinds, accepted = frozenset({"weights"}), _WEIGHTS
        elif name == "save_model" or id(node) in self.model_saves:
            kinds, accepted = frozenset({"model"}), _MODEL
            index = 1 if name == "save_model" else 0
        elif name == "ModelCheckpoint":
            save = _checkpoint(node)
            kinds, accepted = frozenset({save.kind}), save.accepted
        arg = _path_arg(node, index) if kinds is not None else None
        if arg is not None and isinstance(arg.value, (cst.SimpleString, cst.FormattedString)):
            self.found.append(_PathUse(arg.value, kinds, accepted))  # type: ignore[arg-type]
