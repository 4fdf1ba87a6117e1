"""TDL303 moved-keras-module."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.analysis.graph import ImportedName
from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy, names
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.edits import ImportPlan
from tdlint.rules.upgrade import breaks, keras_calls


class MovedKerasModule(Rule):
    """An import or use of a Keras module that Keras 3 no longer has.

    Keras 2 and tf.keras 2 kept each kind of layer in a module of its own
    (`keras.layers.core`, `keras.layers.convolutional`, `keras.layers.recurrent`...), the
    one-hot helper in `keras.utils.np_utils`, and the preprocessing layers under
    `layers.experimental.preprocessing` (tf.keras 2.3-2.15).  Keras 3 has one
    `keras.layers` namespace and `keras.utils`: the old paths fail with
    `ModuleNotFoundError` or `AttributeError`.  `keras.wrappers.scikit_learn` is gone too:
    its successor is the separate `scikeras` package, so that import is reported without a
    fix.

    The fix imports the same names from where they live now, keeping the file's root
    (`keras` or `tensorflow.keras`).  It is safe: the objects are the same.  The one
    exception is `tf.keras.optimizers.legacy` (tf.keras 2.11-2.15's home of the pre-2.11
    optimizers): Keras 3 has only the newer implementations, so that fix is unsafe.
    """

    code = "TDL303"
    name = "moved-keras-module"
    severity = Severity.ERROR
    fix_availability = "sometimes"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not breaks(ctx, legacy.KERAS3):
            return
        done: set[int] = set()
        for imported in ctx.graph.imports:
            if id(imported.node) in done:
                continue
            found = _moved_import(ctx, imported)
            if found is not None:
                done.add(id(imported.node))
                yield found
        for api, _ in keras_calls(ctx):
            found = _moved_attribute(ctx, api.path, api.node)
            if found is not None:
                yield found

    VALID = [
        """
from keras.layers import Dense
from keras.utils import to_categorical
""",
        """
from tensorflow.keras import layers
r = layers.Rescaling(1.0 / 255)
""",
        # Still in Keras 3.
        """
from keras.preprocessing.sequence import pad_sequences
from keras.preprocessing.image import load_img
""",
    ]

    INVALID = [
        Invalid(
            """
import tensorflow as tf
opt = tf.keras.optimizers.legacy.Adam(learning_rate=0.001)
""",
            fixed="""
import tensorflow as tf
opt = tf.keras.optimizers.Adam(learning_rate=0.001)
""",
        ),
        Invalid(
            """
from keras.layers.core import Dense, Dropout
""",
            fixed="""
from keras.layers import Dense, Dropout
""",
            message="`keras.layers.core`",
        ),
        # A custom layer's base class, from Keras 2's engine.
        Invalid(
            """
from keras.engine.topology import Layer, InputSpec
""",
            fixed="""
from keras.layers import Layer, InputSpec
""",
        ),
        Invalid(
            """
from keras.utils import np_utils
y = np_utils.to_categorical(labels, 10)
""",
            fixed="""
from keras import utils as np_utils
y = np_utils.to_categorical(labels, 10)
""",
        ),
        # A module imported beside other names gets a line of its own.
        Invalid(
            """
from keras.layers import Dense, recurrent
r = recurrent.LSTM(4)
""",
            fixed="""
from keras import layers as recurrent
from keras.layers import Dense
r = recurrent.LSTM(4)
""",
        ),
        Invalid(
            """
from tensorflow.keras.layers.experimental.preprocessing import Rescaling
""",
            fixed="""
from tensorflow.keras.layers import Rescaling
""",
        ),
        Invalid(
            """
import tensorflow as tf
scale = tf.keras.layers.experimental.preprocessing.Rescaling(1.0 / 255)
""",
            fixed="""
import tensorflow as tf
scale = tf.keras.layers.Rescaling(1.0 / 255)
""",
        ),
        Invalid(
            """
from keras.preprocessing.text import Tokenizer
""",
            message="TextVectorization",
        ),
        Invalid(
            """
import keras
gen = keras.preprocessing.image.ImageDataGenerator(rotation_range=10)
""",
            message="image_dataset_from_directory",
        ),
        # Keras 3 has no keras.preprocessing.text at all.
        Invalid(
            """
from keras.preprocessing.text import text_to_word_sequence
""",
            message="TextVectorization",
        ),
        # A Keras 1 layer with no successor.
        Invalid(
            """
from keras.layers.core import Highway
""",
            message="layer of your own",
        ),
        Invalid(
            """
from keras.wrappers.scikit_learn import KerasClassifier
""",
            message="scikeras",
        ),
    ]


def _moved(path: str) -> tuple[legacy.Moved, str] | None:
    """The move a path is under, and the path (as written) after it."""
    keras_path = names.canonical(path)
    if keras_path is None:
        return None
    for move in legacy.MOVED_MODULES:
        if keras_path == move.old or keras_path.startswith(move.old + "."):
            return move, names.as_written(move.new + keras_path[len(move.old) :], path)
    return None


def _moved_import(ctx: RuleContext, imported: ImportedName) -> Finding | None:
    node = imported.node
    if not isinstance(node, cst.ImportFrom) or node.module is None or node.relative:
        return None
    module = ctx.module.code_for_node(node.module)
    if names.canonical(module) == legacy.SCIKIT_LEARN_WRAPPERS:
        return Finding(
            node,
            f"`{module}` was removed in Keras 3: its wrappers live on in `scikeras`",
            "Use the `scikeras` package "
            "(`from scikeras.wrappers import KerasClassifier`), whose API differs.",
        )
    replacement = legacy.removed_name(names.canonical(imported.path) or "")
    if replacement is not None:
        return _removed(node, imported.path.rpartition(".")[2], replacement)
    if names.canonical(imported.path) in legacy.MOVED_NAMES:
        return _engine_import(ctx, imported)
    moved = _moved(imported.path)
    if moved is None:
        return None
    move, new_path = moved
    if names.canonical(imported.path) == move.old:
        if move.old == "keras.layers.merge":
            return None  # Keras 1's merge() function, which TDL306 rewrites
        return _module_import(ctx, imported, move, new_path)
    new_module = new_path.rpartition(".")[0]
    fix = FixPlan(
        _applicability(move),
        f"Import from `{new_module}`" + _caveat(move),
        (NodeEdit(node.module, new_module),),
    )
    return Finding(
        node,
        f"`{module}` does not exist in Keras 3",
        f"Keras 3 has these names in `{new_module}`.",
        fix,
    )


def _engine_import(ctx: RuleContext, imported: ImportedName) -> Finding:
    """``from keras.engine.topology import Layer, InputSpec``: each name from where Keras 3
    has it; one fix when they all live in one module (``keras.layers``), else reported."""
    node = imported.node
    assert isinstance(node, cst.ImportFrom) and node.module is not None
    module = ctx.module.code_for_node(node.module)
    homes = {
        legacy.MOVED_NAMES.get(names.canonical(i.path) or "", "").rpartition(".")[0]
        for i in ctx.graph.imports
        if i.node is node
    }
    fix = None
    if len(homes) == 1 and "" not in homes:
        new_module = names.as_written(homes.pop(), module)
        fix = FixPlan(
            Applicability.SAFE, f"Import from `{new_module}`", (NodeEdit(node.module, new_module),)
        )
    return Finding(
        node,
        f"`{module}` does not exist in Keras 3",
        "Keras 3 has `Layer`, `InputSpec` and `Input` in `keras.layers`, `Model` and "
        "`Sequential` in `keras.models`.",
        fix,
    )


def _module_import(
    ctx: RuleContext, imported: ImportedName, move: legacy.Moved, new_path: str
) -> Finding:
    """``from keras.utils import np_utils``: the new module under the old local name."""
    node = imported.node
    assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
    package, _, last = new_path.rpartition(".")
    code = f"from {package} import {last} as {imported.local}"
    if len(node.names) == 1:
        edits: tuple[NodeEdit, ...] = (NodeEdit(node, code),)
    else:  # the module leaves the statement, for a line of its own before it
        newline = ctx.module.default_newline
        plan = ImportPlan(ctx.graph, package, remove=[imported])
        edits = (NodeEdit(imported.statement, code + newline, insert_before=True), *plan.edits())
    fix = FixPlan(_applicability(move), f"Import `{new_path}`" + _caveat(move), edits)
    written = ctx.module.code_for_node(node.module) + "." + imported.path.rpartition(".")[2]  # type: ignore[arg-type]
    return Finding(
        node,
        f"`{written}` does not exist in Keras 3",
        f"Its functions are in `{new_path}` now.",
        fix,
    )


def _removed(node: cst.CSTNode, name: str, replacement: str) -> Finding:
    return Finding(
        node,
        f"`{name}` does not exist in Keras 3: use {replacement}",
        "The replacement works differently: there is no automatic fix.",
    )


def _moved_attribute(ctx: RuleContext, path: str, call: cst.Call) -> Finding | None:
    """``tf.keras.layers.experimental.preprocessing.Rescaling(...)`` written out."""
    replacement = legacy.removed_name(names.canonical(path) or "")
    if replacement is not None and isinstance(call.func, cst.Attribute):
        return _removed(call, path.rpartition(".")[2], replacement)
    func = call.func
    moved = _moved(path)
    if moved is None or not isinstance(func, cst.Attribute):
        return None
    move, _ = moved
    # The attribute chain's part that names the old module, as many levels deep as the
    # old path is longer than the new one.
    depth = move.old.count(".") - move.new.count(".")
    outer: cst.BaseExpression = func.value
    inner = outer
    for _ in range(depth):
        if not isinstance(inner, cst.Attribute):
            return None
        inner = inner.value
    old_code, new_code = ctx.module.code_for_node(outer), ctx.module.code_for_node(inner)
    if not old_code.endswith(move.old.rpartition(".")[2]):
        return None  # an alias of the old module: its import is what moves
    fix = FixPlan(
        _applicability(move), f"Use `{new_code}`" + _caveat(move), (NodeEdit(outer, new_code),)
    )
    return Finding(
        call,
        f"`{old_code}` does not exist in Keras 3",
        f"Keras 3 has `{func.attr.value}` in `{new_code}`.",
        fix,
    )


def _applicability(move: legacy.Moved) -> Applicability:
    return Applicability.SAFE if move.exact else Applicability.UNSAFE


def _caveat(move: legacy.Moved) -> str:
    """What an inexact move changes: Keras 3's optimizers are the successors of tf.keras
    2.11's, not the legacy ones, and their updates may differ in detail."""
    return "" if move.exact else "; the Keras 3 successor may update the weights slightly otherwise"
