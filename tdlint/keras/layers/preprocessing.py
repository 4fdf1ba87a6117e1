"""Preprocessing layers: most keep the shape; a few set it."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args, LayerSpec, register
from tdlint.keras.layers.conv import channels_first
from tdlint.keras.shapes import UNKNOWN, Shape, combine, is_known, is_unknown


def _keeps_shape(name: str, params: tuple[str, ...] = ()) -> type[LayerSpec]:
    attrs = {"name": name, "params": params, "shape_preserving": True}
    return register(type(name, (LayerSpec,), attrs))


Rescaling = _keeps_shape("Rescaling", ("scale", "offset"))
RandomFlip = _keeps_shape("RandomFlip", ("mode", "seed"))
RandomRotation = _keeps_shape("RandomRotation", ("factor",))
RandomZoom = _keeps_shape("RandomZoom", ("height_factor", "width_factor"))
RandomTranslation = _keeps_shape("RandomTranslation", ("height_factor", "width_factor"))
RandomContrast = _keeps_shape("RandomContrast", ("factor", "seed"))
RandomBrightness = _keeps_shape("RandomBrightness", ("factor",))
Discretization = _keeps_shape("Discretization", ("bin_boundaries",))


@register
class Normalization(LayerSpec):
    """Standardises features; keeps the shape. Mean, variance and count are weights unless
    given as constants."""

    name = "Normalization"
    params = ("axis", "mean", "variance", "invert")
    defaults = {"axis": -1, "mean": None}
    shape_preserving = True

    def count_params(self, args: Args, x: Shape) -> Any:
        if args.get("mean") is not None:
            return 0
        axis = args.get("axis")
        if not is_known(axis):
            return UNKNOWN
        return combine(lambda c: 2 * c + 1, x[axis])


@register
class CategoryEncoding(LayerSpec):
    name = "CategoryEncoding"
    params = ("num_tokens", "output_mode", "sparse")
    defaults = {"output_mode": "multi_hot"}

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        tokens = args.int("num_tokens")
        mode = args.get("output_mode")
        if not isinstance(mode, str):
            return None
        if mode == "one_hot" and (x[-1] != 1 or len(x) == 1):
            return (*x, tokens)
        return (*x[:-1], tokens)


class _Resizing(LayerSpec):
    """Resizing/CenterCrop/RandomCrop: images to ``(height, width)``, channels kept."""

    params = ("height", "width")
    other_args = frozenset(
        {
            "data_format",
            "interpolation",
            "crop_to_aspect_ratio",
            "pad_to_aspect_ratio",
            "fill_mode",
            "fill_value",
            "antialias",
            "seed",
        }
    )

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        if len(x) not in (3, 4):
            return None
        first = channels_first(args)
        if is_unknown(first):
            return None
        height, width = args.int("height"), args.int("width")
        if first:
            return (*x[:-2], height, width)
        return (*x[:-3], height, width, x[-1])


@register
class Resizing(_Resizing):
    name = "Resizing"


@register
class CenterCrop(_Resizing):
    name = "CenterCrop"


@register
class RandomCrop(_Resizing):
    """Crops to ``(height, width)`` in training and resizes to it otherwise: the shape Keras
    builds is the same either way."""

    name = "RandomCrop"
    params = ("height", "width", "seed")


class _RandomResize(LayerSpec):
    """tf.keras 2.x's RandomHeight/RandomWidth (not in Keras 3): each image gets a random size
    along one axis, so ``compute_output_shape`` makes that axis dynamic (``None``)."""

    params = ("factor", "interpolation", "seed")
    # tf.keras 2.x indexes the axis from the end: channels last only.
    axis_from_end = 0

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        if len(x) not in (3, 4):
            return None
        out = list(x)
        out[len(x) - self.axis_from_end] = None
        return tuple(out)


@register
class RandomHeight(_RandomResize):
    name = "RandomHeight"
    axis_from_end = 3


@register
class RandomWidth(_RandomResize):
    name = "RandomWidth"
    axis_from_end = 2


# ---------------------------------------------------------------- vocabulary lookups

# Keras's older spellings of two output modes, still accepted.
_MODE_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}
_ENCODING_MODES = frozenset({"one_hot", "multi_hot", "count", "tf_idf"})


def _output_mode(args: Args) -> Any:
    mode = args.get("output_mode")
    if not isinstance(mode, str):
        return UNKNOWN
    return _MODE_ALIASES.get(mode, mode)


def _encoded(x: Shape, mode: str, depth: Any) -> Shape | None:
    """``IndexLookup.compute_output_shape`` for the encoding modes: ``one_hot`` adds an axis
    of ``depth`` (replacing a trailing axis of 1); the others replace the last axis."""
    if mode not in _ENCODING_MODES or is_unknown(x[-1]):
        return None
    if mode == "one_hot" and not (len(x) > 1 and x[-1] == 1):
        return (*x, depth)
    return (*x[:-1], depth)


class _IndexLookup(LayerSpec):
    """StringLookup/IntegerLookup: ``output_mode="int"`` (and ``invert=True``) keep the
    shape; the encoding modes end in an axis of the vocabulary's size.

    Keras sizes that axis by ``max_tokens`` under ``pad_to_max_tokens=True``, else by the
    vocabulary: a literal ``vocabulary=[...]`` plus the OOV indices (the mask token takes no
    index outside ``"int"`` mode). A vocabulary learnt by ``adapt()`` or read from a file is
    known only at run time: that axis is unknown then."""

    defaults = {
        "num_oov_indices": 1,
        "mask_token": None,
        "output_mode": "int",
        "pad_to_max_tokens": False,
        "invert": False,
    }
    other_args = frozenset({"sparse", "encoding", "salt", "oov_method", "vocabulary_dtype"})
    token_type: ClassVar[type] = str

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        mode = _output_mode(args)
        if mode == "int":
            return x
        if is_unknown(mode):
            return None
        return _encoded(x, mode, self.depth(args))

    def depth(self, args: Args, mask_token: Any = None) -> Any:
        pad = args.flag("pad_to_max_tokens")
        if pad is UNKNOWN:
            return UNKNOWN
        if pad:
            return args.int("max_tokens")
        tokens = self.literal_vocabulary(args, mask_token)
        oov = args.int("num_oov_indices")
        if tokens is None or not is_known(oov):
            return UNKNOWN
        return len(tokens) + oov

    def literal_vocabulary(self, args: Args, mask_token: Any = None) -> list[Any] | None:
        """The vocabulary when it is a literal list of distinct tokens that are neither the
        OOV nor the mask token (Keras reads those specially), else None."""
        vocabulary = args.get("vocabulary")
        if not isinstance(vocabulary, (list, tuple)):
            return None
        mask = args.get("mask_token") if mask_token is None else mask_token
        reserved = [args.get("oov_token"), *([] if mask is None else [mask])]
        if not all(self.is_token(t) for t in (*vocabulary, *reserved)):
            return None
        if len(set(vocabulary)) != len(vocabulary) or any(t in vocabulary for t in reserved):
            return None
        return list(vocabulary)

    def is_token(self, value: Any) -> bool:
        return isinstance(value, self.token_type) and not isinstance(value, bool)


@register
class StringLookup(_IndexLookup):
    name = "StringLookup"
    params = (
        "max_tokens",
        "num_oov_indices",
        "mask_token",
        "oov_token",
        "vocabulary",
        "idf_weights",
        "invert",
        "output_mode",
        "pad_to_max_tokens",
        "sparse",
        "encoding",
    )
    defaults = {**_IndexLookup.defaults, "oov_token": "[UNK]"}


@register
class IntegerLookup(_IndexLookup):
    name = "IntegerLookup"
    params = (
        "max_tokens",
        "num_oov_indices",
        "mask_token",
        "oov_token",
        "vocabulary",
        "vocabulary_dtype",
        "idf_weights",
        "invert",
        "output_mode",
        "sparse",
        "pad_to_max_tokens",
    )
    defaults = {**_IndexLookup.defaults, "oov_token": -1}
    token_type = int


@register
class TextVectorization(_IndexLookup):
    """Strings in; token ids ``(B, output_sequence_length)`` in ``"int"`` mode (a dynamic
    length without it), else a StringLookup's encoding of the split tokens.

    Keras's ``compute_output_shape`` adds an axis for the tokens of each string (of size 1
    with ``split=None`` on a 1D input) before encoding: ``(B, 1)`` strings in
    ``"multi_hot"`` mode build as ``(B, 1, depth)``, and tdlint follows what Keras builds."""

    name = "TextVectorization"
    params = (
        "max_tokens",
        "standardize",
        "split",
        "ngrams",
        "output_mode",
        "output_sequence_length",
        "pad_to_max_tokens",
        "vocabulary",
        "idf_weights",
        "sparse",
        "ragged",
        "encoding",
    )
    defaults = {
        "output_mode": "int",
        "output_sequence_length": None,
        "split": "whitespace",
        "pad_to_max_tokens": False,
        # The StringLookup inside: one OOV index, "" as mask token.
        "num_oov_indices": 1,
        "oov_token": "[UNK]",
    }
    other_args = frozenset({"encoding"})

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        mode = _output_mode(args)
        if mode == "int":
            return self._token_ids(args, x[0])
        split = args.get("split")
        if is_unknown(mode) or is_unknown(split):
            return None
        if split is not None:
            tokens = (*x, None)  # a dynamic number of tokens per string
        elif len(x) <= 1:
            tokens = (*x, 1)
        else:
            tokens = x
        return _encoded(tokens, mode, self.depth(args, mask_token=""))

    def output_shape_unknown_input(self, args: Args) -> Shape | None:
        return self._token_ids(args, UNKNOWN) if _output_mode(args) == "int" else None

    def _token_ids(self, args: Args, batch: Any) -> Shape:
        length = args.get("output_sequence_length")
        return (batch, length if length is None else args.int("output_sequence_length"))
