"""TDL301 keras1-layer-arguments."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from tdlint.diagnostics import Applicability, Finding, FixPlan, NodeEdit, Severity
from tdlint.keras import legacy
from tdlint.keras.versions import OLD
from tdlint.rules.base import Invalid, Rule, RuleContext, first_keyword
from tdlint.rules.tdl309_changed_recurrent_defaults import old_defaults
from tdlint.rules.upgrade import (
    breaks,
    broken_on,
    keras_calls,
    new_arg,
    positional,
    rename_layer,
    renamed,
    string_value,
    unused_removed_imports,
    with_args,
)


class Keras1LayerArguments(Rule):
    """A layer built with Keras 1 argument names or signature, which current Keras rejects.

    Keras 2.0 renamed the layer arguments (`output_dim` -> `units`, `nb_filter` ->
    `filters`, `border_mode` -> `padding`, `W_regularizer` -> `kernel_regularizer`...) and
    took convolution kernel sizes as one tuple (`Convolution2D(32, 3, 3)` -> `Conv2D(32,
    (3, 3))`).  Multi-backend Keras 2.0-2.3 still translated the old names with a warning;
    tf.keras 2 and Keras 3 do not: the call fails with a `TypeError` ("missing 1 required
    positional argument: 'units'") or "Unrecognized keyword arguments".  Worse, the
    positional kernel form still runs there with another meaning: `Convolution2D(32, 3, 3)`
    is a 3x3 kernel under Keras 1 but a kernel of 3 with strides 3 under tf.keras 2 and
    Keras 3.  That form is reported only where the file is Keras 1 or 2.0-2.3 code.

    The fix renames each argument as Keras 2.0-2.3's own legacy interface did, maps the old
    values (`dim_ordering='th'` -> `data_format='channels_first'`, `consume_less='gpu'` ->
    `implementation=2`), and joins the kernel dimensions into a tuple.  It is unsafe only
    where no exact equivalent exists: `Embedding(dropout=...)` (removed; a
    `SpatialDropout1D` after the embedding is the nearest) and a `forget_bias_init` other
    than `'one'`.
    """

    code = "TDL301"
    name = "keras1-layer-arguments"
    severity = Severity.ERROR
    fix_availability = "always"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for api, obj in keras_calls(ctx):
            if obj is None:
                continue
            last = obj.name.rpartition(".")[2]  # a layer tdlint has no shapes for is "other"
            if obj.kind != "layer" and not (obj.kind == "other" and last in _LAYERS):
                continue
            found = _Upgrade(ctx, last, api.node, api.path).run()
            if found is not None:
                yield found
        if breaks(ctx, legacy.KERAS3):
            yield from unused_removed_imports(ctx, _renamed_layer)

    VALID = [
        """
from keras.layers import Dense, Conv2D
d = Dense(units=64, kernel_initializer="he_normal")
c = Conv2D(32, (3, 3), padding="same")
""",
        # Keras 2 signature in Keras 3 code: strides 3, as written.
        """
import keras
from keras import layers
x = keras.Input((28, 28, 1))
y = layers.Convolution2D(32, 3, 3)(x)
""",
        # Embedding's output_dim is still its name.
        """
from keras.layers import Embedding
e = Embedding(input_dim=1000, output_dim=64)
""",
        # Not Keras.
        """
from mylib import Dense
d = Dense(output_dim=3)
""",
    ]

    INVALID = [
        Invalid(
            """
from keras.layers import Dense
d = Dense(output_dim=64, init="uniform", W_regularizer=reg, bias=False)
""",
            fixed="""
from keras.layers import Dense
d = Dense(units=64, kernel_initializer="uniform", kernel_regularizer=reg, use_bias=False)
""",
            message="`output_dim`",
        ),
        Invalid(
            """
from keras.layers import Convolution2D
c = Convolution2D(32, 3, 3, border_mode="same", dim_ordering="th", subsample=(2, 2))
""",
            fixed="""
from keras.layers import Convolution2D
c = Convolution2D(32, (3, 3), padding="same", data_format="channels_first", strides=(2, 2))
""",
        ),
        Invalid(
            """
from keras.layers.convolutional import Convolution2D
c = Convolution2D(nb_filter=16, nb_row=5, nb_col=3)
""",
            fixed="""
from keras.layers.convolutional import Convolution2D
c = Convolution2D(filters=16, kernel_size=(5, 3))
""",
        ),
        Invalid(
            """
from keras.layers import LSTM
r = LSTM(32, input_dim=8, input_length=10, dropout_W=0.2, dropout_U=0.1, consume_less="gpu")
""",
            fixed="""
from keras.layers import LSTM
r = LSTM(32, dropout=0.2, recurrent_dropout=0.1, implementation=2, input_shape=(10, 8))
""",
        ),
        Invalid(
            """
from keras.layers import Convolution1D
c = Convolution1D(nb_filter=64, filter_length=3, border_mode="valid", subsample_length=1)
""",
            fixed="""
from keras.layers import Convolution1D
c = Convolution1D(filters=64, kernel_size=3, padding="valid", strides=1)
""",
        ),
        Invalid(
            """
from keras.layers.pooling import MaxPooling1D
p = MaxPooling1D(pool_length=2, stride=None)
""",
            fixed="""
from keras.layers.pooling import MaxPooling1D
p = MaxPooling1D(pool_size=2, strides=None)
""",
        ),
        Invalid(
            """
import keras
d = keras.layers.Dropout(p=0.5)
""",
            fixed="""
import keras
d = keras.layers.Dropout(rate=0.5)
""",
        ),
        # ``'default'`` left the ordering to keras.json, as leaving it out does now.
        Invalid(
            """
from keras.layers import MaxPooling2D
p = MaxPooling2D((2, 2), dim_ordering='default', border_mode='same')
""",
            fixed="""
from keras.layers import MaxPooling2D
p = MaxPooling2D((2, 2), padding='same')
""",
        ),
        # A layer Keras 3 no longer has becomes the one that does the same, imported.
        Invalid(
            """
from keras.layers import Deconvolution2D
d = Deconvolution2D(16, 3, 3, (None, 14, 14, 16), subsample=(2, 2), border_mode="same")
""",
            fixed="""
from keras.layers import Conv2DTranspose
d = Conv2DTranspose(16, (3, 3), strides=(2, 2), padding="same")
""",
        ),
        Invalid(
            """
import keras
a = keras.layers.AtrousConvolution2D(8, 3, 3, atrous_rate=(2, 2))
""",
            fixed="""
import keras
a = keras.layers.Conv2D(8, (3, 3), dilation_rate=(2, 2))
""",
        ),
        Invalid(
            """
from keras.layers import Embedding
e = Embedding(1000, 64, dropout=0.2)
""",
            fixed="""
from keras.layers import Embedding
e = Embedding(1000, 64)
""",
            message="`dropout`",
        ),
    ]


class _Upgrade:
    """One layer call: its hazards, and the call rewritten without them."""

    def __init__(self, ctx: RuleContext, layer: str, call: cst.Call, path: str) -> None:
        self.ctx, self.layer, self.call, self.path = ctx, layer, call, path
        self.found: list[str] = []  # the old arguments, for the message
        self.unsafe: list[str] = []
        self.since = legacy.KERAS3

    def run(self) -> Finding | None:
        args = list(self.call.args)
        args = self._kernel(args)
        args = self._keywords(args)
        args = self._input_dim(args)
        args = self._input_length(args)
        new_name = legacy.LAYER_RENAMES.get(self.layer)
        if new_name is not None:
            self._hazard(f"`{self.layer}` itself (now `{new_name}`)", legacy.KERAS3)
        if not self.found or not breaks(self.ctx, self.since):
            return None
        if self.layer in ("LSTM", "GRU") and self.ctx.graph.version.of(self.path) <= OLD:
            lines = self.ctx.graph.version.of(self.path)
            args = [*args, *(new_arg(k, v) for k, v in old_defaults(self.call, self.layer, lines))]
        call, imports = self.call, []
        if new_name is not None:
            func, imports = rename_layer(self.ctx, self.call, self.path, new_name)
            call = call.with_changes(func=func)
        fix = FixPlan(
            Applicability.UNSAFE if self.unsafe else Applicability.SAFE,
            "Use the Keras 2 arguments"
            + (f"; {', '.join(self.unsafe)} has no exact equivalent" if self.unsafe else ""),
            (NodeEdit(self.call, with_args(self.ctx.module, call, args)), *imports),
        )
        if self.found == [_IGNORED_LENGTH]:
            return Finding(
                self.call,
                "Keras 3 ignores `Embedding(input_length=)`: the Sequential it starts has no "
                "input shape until it is trained (no `inputs`, no output shape)",
                "Keras 2 read `input_length` as the input shape: the fix says `input_shape=`.",
                fix,
            )
        shown = ", ".join(self.found[:4]) + (", ..." if len(self.found) > 4 else "")
        return Finding(
            self.call,
            f"`{self.layer}` is given Keras 1 arguments ({shown}), which fail on "
            f"{broken_on(self.since)}",
            "Keras 2 renamed them; the fix renames them as Keras 2.0-2.3 translated them.",
            fix,
        )

    def _hazard(self, what: str, since: legacy.Version) -> None:
        self.found.append(what)
        self.since = min(self.since, since)

    def _kernel(self, args: list[cst.Arg]) -> list[cst.Arg]:
        """``Convolution2D(32, 3, 3)`` and ``nb_row=3, nb_col=3``: one kernel_size tuple."""
        dims = legacy.POSITIONAL_KERNEL_DIMS.get(self.layer)
        if dims is None:
            return args
        given = positional(self.call)
        if self.layer == legacy.DROPPED_OUTPUT_SHAPE:
            # Keras 1's Deconvolution2D(nb_filter, nb_row, nb_col, output_shape): Keras 2
            # computes the output shape and has no such argument.
            shape = first_keyword(self.call, "output_shape")
            if len(given) == 2 + dims:
                shape, given = given[-1], given[:-1]
            if shape is not None:
                self._hazard("`output_shape`", legacy.TF_KERAS)
                args = [a for a in args if a is not shape]
        kwords = [first_keyword(self.call, k) for k in legacy.KERNEL_KEYWORDS[dims]]
        if len(given) == 1 + dims and self.ctx.graph.version.of(self.path) <= OLD:
            parts = [self.ctx.module.code_for_node(a.value) for a in given[1:]]
            kernel = new_arg(None, f"({', '.join(parts)})")
            self._hazard(f"kernel `{', '.join(parts)}`", legacy.TF_KERAS)
            return [given[0], kernel.with_changes(comma=given[-1].comma), *args[1 + dims :]]
        if all(k is not None for k in kwords):
            parts = [self.ctx.module.code_for_node(k.value) for k in kwords]  # type: ignore[union-attr]
            self._hazard(f"`{'`/`'.join(legacy.KERNEL_KEYWORDS[dims])}`", legacy.TF_KERAS)
            first = min(args.index(k) for k in kwords)  # type: ignore[arg-type]
            kept = [a for a in args if a not in kwords]
            at = sum(1 for a in args[:first] if a not in kwords)
            name = "kernel_size" if len(given) < 2 or at > len(given) else None
            kernel = new_arg(name, f"({', '.join(parts)})")
            return [*kept[:at], kernel, *kept[at:]]
        return args

    def _keywords(self, args: list[cst.Arg]) -> list[cst.Arg]:
        renames = legacy.ARGUMENT_RENAMES.get(self.layer, {})
        result: list[cst.Arg] = []
        for arg in args:
            name = arg.keyword.value if arg.keyword is not None else None
            if name is None:
                result.append(arg)
            elif (self.layer, name) in legacy.DROPPED:
                self._hazard(f"`{name}`", legacy.TF_KERAS)
                self.unsafe.append(f"`{name}=`")
            elif (self.layer, name) == ("BatchNormalization", "mode"):
                # mode=0, the default, was dropped by Keras 2; 1 and 2 had no successor.
                self._hazard("`mode`", legacy.TF_KERAS)
                value = arg.value
                if not (isinstance(value, cst.Integer) and value.evaluated_value == 0):
                    self.unsafe.append("`mode=`")
            elif name == legacy.FORGET_BIAS[0] and self.layer in ("LSTM", "ConvLSTM2D"):
                self._hazard(f"`{name}`", legacy.TF_KERAS)
                if string_value(arg) == "one":
                    result.append(new_arg(legacy.FORGET_BIAS[1], "True"))
                else:
                    self.unsafe.append(f"`{name}=`")
            elif name in renames:
                self._hazard(f"`{name}`", legacy.TF_KERAS)
                converted = self._value(name, arg)
                if converted is not False:
                    result.append(renamed(arg, renames[name], converted))
            else:
                result.append(arg)
        return result

    def _value(self, name: str, arg: cst.Arg) -> cst.BaseExpression | None | bool:
        """The new value of an argument whose values changed too: None keeps the value,
        False drops the argument (``dim_ordering='default'``: the configured ordering)."""
        text = string_value(arg)
        if name == "dim_ordering" and text is not None:
            if text == "default":
                return False
            if text in legacy.DIM_ORDERING:
                quote = arg.value.quote  # type: ignore[attr-defined]
                return cst.SimpleString(f"{quote}{legacy.DIM_ORDERING[text]}{quote}")
        if name == "consume_less" and text in legacy.CONSUME_LESS:
            return cst.Integer(str(legacy.CONSUME_LESS[text]))
        return None

    def _input_dim(self, args: list[cst.Arg]) -> list[cst.Arg]:
        """``LSTM(32, input_dim=8, input_length=10)``: ``input_shape=(10, 8)``."""
        if self.layer not in legacy.INPUT_DIM_LAYERS:
            return args
        dim, length = (
            first_keyword(self.call, "input_dim"),
            first_keyword(self.call, "input_length"),
        )
        if dim is None or first_keyword(self.call, "input_shape") is not None:
            return args
        recurrent = self.layer in ("SimpleRNN", "GRU", "LSTM")
        self._hazard("`input_dim`", legacy.KERAS3 if recurrent else legacy.TF_KERAS)
        code = self.ctx.module.code_for_node
        shape = f"({code(length.value) if length else 'None'}, {code(dim.value)})"
        kept = [a for a in args if a.keyword is None or a.keyword.value not in _INPUT_ARGS]
        return [*kept, new_arg("input_shape", shape)]

    def _input_length(self, args: list[cst.Arg]) -> list[cst.Arg]:
        """``Embedding(1000, 64, input_length=10)`` first in a Sequential: Keras 2 read it
        as ``input_shape=(10,)``; Keras 3 ignores it, so the model has no input (no
        ``model.inputs``, no output shape) until it is trained.  The fix says it as Keras 2
        read it."""
        length = first_keyword(self.call, "input_length")
        if self.layer != "Embedding" or length is None or not self._starts_a_sequential():
            return args
        if any(first_keyword(self.call, k) for k in ("input_shape", "batch_input_shape")):
            return args
        self._hazard(_IGNORED_LENGTH, legacy.KERAS3)
        code = self.ctx.module.code_for_node(length.value)
        kept = [a for a in args if a is not length]
        if isinstance(length.value, cst.Name) and length.value.value == "None":
            return kept
        return [*kept, new_arg("input_shape", f"({code},)")]

    def _starts_a_sequential(self) -> bool:
        layer = next((la for la in self.ctx.graph.layers if la.call is self.call), None)
        return layer is not None and any(
            m.kind == "sequential" and m.applications and m.applications[0].layer is layer
            for m in self.ctx.graph.models
        )


_INPUT_ARGS = ("input_dim", "input_length")
_IGNORED_LENGTH = "`input_length` (ignored by Keras 3)"


def _renamed_layer(path: str) -> str | None:
    """A Keras 1 layer Keras 3 has under another name (``Deconvolution2D``)."""
    module, _, layer = path.rpartition(".")
    return "Keras 3" if layer in legacy.LAYER_RENAMES and module.startswith("keras.") else None


_LAYERS = frozenset(legacy.ARGUMENT_RENAMES) | frozenset(legacy.LAYER_RENAMES)
