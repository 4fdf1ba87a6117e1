"""Which Keras a file runs on, as far as can be told without running anything.

The Keras lines that read the same code differently, established from their sources:

* **Keras 1** (1.0-1.2): Keras 1 signatures (``Convolution2D(nb_filter, nb_row, nb_col)``),
  the image ordering from ``keras.json`` (Theano's ``th`` was common); ``fit`` checks the
  arrays against the model and refuses ``(n, t)`` features for a ``(None, t, 1)`` input.
* **Keras 2.0-2.3** (multi-backend): the Keras 2 API, plus legacy interfaces that still read
  Keras 1 arguments (``legacy/interfaces.py``: ``conv2d_args_preprocessor`` turns
  ``Conv2D(32, 3, 3)`` into a 3x3 kernel) and keywords (``nb_epoch``, ``border_mode``);
  ``fit`` checks the arrays as Keras 1 does.
* **tf.keras 2** (TensorFlow's Keras, and the ``keras`` package 2.4-2.15 that became it):
  Keras 2 signatures only (``Conv2D(32, 3, 3)`` is a 3x3 kernel with strides 3); a
  functional model conforms its inputs (``_conform_to_reference_input``: a missing trailing
  axis of size 1 is added) and the loss adds one to 1D labels (``match_dtype_and_rank``).
* **Keras 3**: Keras 2 signatures; the data adapter and the loss align ranks as tf.keras 2
  does, and element-wise losses broadcast the labels against the output as they are.

A file's version comes from the ``keras-version`` setting, else from the project's pins
(see :mod:`tdlint.keras.pins`), else from what the file itself uses: the import root
(``tensorflow.keras`` is never Keras 1 or 2.0-2.3) and arguments only some lines accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Line(Enum):
    """A line of Keras releases that reads some code its own way."""

    KERAS1 = "Keras 1"
    MULTI_BACKEND = "Keras 2.0-2.3"
    TF_KERAS = "tf.keras 2"
    KERAS3 = "Keras 3"


OLD = frozenset({Line.KERAS1, Line.MULTI_BACKEND})  # Keras 1 signatures and strict `fit`
NEW = frozenset({Line.TF_KERAS, Line.KERAS3})  # Keras 2 signatures, ranks aligned in `fit`
ANY = OLD | NEW

# Values of the `keras-version` setting.
SETTING = re.compile(r"^(1(\.[0-2])?|2(\.([0-9]|1[0-5]))?|3)$")


def lines_of_setting(setting: str) -> frozenset[Line]:
    """The lines a `keras-version` value names: ``1.2`` -> Keras 1, ``2.3`` -> Keras
    2.0-2.3, ``2.4`` and later -> tf.keras 2, ``2`` -> either Keras 2."""
    major, _, minor = setting.partition(".")
    if major == "1":
        return frozenset({Line.KERAS1})
    if major == "3":
        return frozenset({Line.KERAS3})
    if not minor:
        return frozenset({Line.MULTI_BACKEND, Line.TF_KERAS})
    return frozenset({Line.MULTI_BACKEND if int(minor) <= 3 else Line.TF_KERAS})


# Arguments that only Keras 1 and the legacy interfaces of Keras 2.0-2.3 accept: tf.keras 2
# and Keras 3 refuse them ("unexpected keyword argument"). `output_dim` is not one of them
# (Embedding still takes it), nor `input_dim`.
_OLD_ONLY_ARGUMENTS = (
    "nb_epoch", "nb_filter", "nb_row", "nb_col", "border_mode", "subsample", "filter_length",
    "dim_ordering", "W_regularizer", "b_regularizer", "W_constraint", "b_constraint",
    "samples_per_epoch", "nb_val_samples", "nb_worker", "inner_activation", "forget_bias_init",
)  # fmt: skip
_OLD_ONLY_KEYWORDS = re.compile(rf"\b({'|'.join(_OLD_ONLY_ARGUMENTS)})(_length)?\s*=")
# Names that only Keras 1 (and, for some, 2.0-2.1 under `keras.legacy`) define.
_OLD_ONLY_WORDS = (
    "TimeDistributedDense", "image_dim_ordering", "MaxoutDense", "AutoEncoder", "Highway",
    "AtrousConvolution1D", "AtrousConvolution2D",
)  # fmt: skip
_OLD_ONLY_NAMES = re.compile(rf"\b({'|'.join(_OLD_ONLY_WORDS)})\b")
# What only Keras 3 has: `keras.ops`, `keras.config`, `keras.random`, its `src` tree.
_KERAS3_DOTTED = ("keras.ops", "keras.config", "keras.random", "keras.src", "keras_core")
_KERAS3_ONLY = re.compile(r"\bkeras\.(ops|config|random|src)\b|\bkeras_core\b")
_KERAS3_IMPORT = re.compile(r"from\s+keras\s+import\s+[^\n]*\b(ops|config|random)\b")


def _imports_keras3_module(source: str) -> bool:
    """``from keras import layers, ops``: read on the import lines only."""
    if "from keras import" not in source:
        return False
    return any(
        _KERAS3_IMPORT.match(line.lstrip())
        for line in source.splitlines()
        if "from keras import" in line
    )


def _mentions(source: str, words: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    """``pattern`` found in ``source``, searched only when one of ``words`` is there at all
    (a plain substring test is far cheaper than the pattern over a whole file)."""
    return any(word in source for word in words) and pattern.search(source) is not None


@dataclass(frozen=True)
class KerasVersion:
    """What the file's Keras imports can be: ``standalone`` for the ``keras`` package,
    ``tensorflow`` for ``tensorflow.keras`` (Keras 3 from TensorFlow 2.16 on), each the set
    of lines still possible (all of them when nothing is known). ``because`` says why."""

    standalone: frozenset[Line] = ANY
    tensorflow: frozenset[Line] = frozenset({Line.TF_KERAS, Line.KERAS3})
    because: str = ""

    def of(self, path: str) -> frozenset[Line]:
        """The lines a dotted path (``tensorflow.keras.layers.Conv2D``) may run on."""
        root = path.partition(".")[0]
        if root == "tf_keras":
            return frozenset({Line.TF_KERAS})
        if root in ("tensorflow", "tf"):
            return self.tensorflow
        return self.standalone


def in_effect(setting: str | None, source: str) -> KerasVersion:
    """The Keras version a file runs on: the setting (or pin) when there is one, else what
    the file's own code allows."""
    if setting:
        lines = lines_of_setting(setting)
        tensorflow = lines & NEW or frozenset({Line.TF_KERAS})
        return KerasVersion(lines, tensorflow, f"keras-version {setting}")
    if _mentions(source, _KERAS3_DOTTED, _KERAS3_ONLY) or _imports_keras3_module(source):
        return KerasVersion(frozenset({Line.KERAS3}), because="Keras 3 APIs in the file")
    old_keywords = _mentions(source, _OLD_ONLY_ARGUMENTS, _OLD_ONLY_KEYWORDS)
    if old_keywords or _mentions(source, _OLD_ONLY_WORDS, _OLD_ONLY_NAMES):
        return KerasVersion(OLD, because="Keras 1 arguments in the file")
    return KerasVersion()


def crashing(lines: frozenset[Line]) -> str:
    """``Keras 1 and Keras 2.0-2.3`` for a set of lines, in release order."""
    names = [line.value for line in Line if line in lines]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
