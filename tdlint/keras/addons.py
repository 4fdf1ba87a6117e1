"""Layers of add-on packages: TensorFlow Addons (``tfa.layers``), which many Keras 2 projects
took ``InstanceNormalization`` and ``WeightNormalization`` from (CycleGAN, MelGAN, style
transfer), and KerasNLP / KerasHub (``keras_nlp.layers``, ``keras_hub.layers``), whose
transformer blocks Keras 3 examples use.

They are catalogue entries like Keras's own, kept apart from the Keras catalogue so that
``keras.layers.InstanceNormalization`` (which Keras does not have) stays unknown. Only what
TFA's documented behaviour settles is known:

* ``InstanceNormalization`` is TFA's ``GroupNormalization`` with one group per channel: the
  shape is kept; gamma and beta per channel on ``axis`` (-1 by default);
* ``GroupNormalization`` has Keras 3's signature and weights (``groups=32``);
* ``WeightNormalization(layer)`` gives its layer's output shape; its own weights (the norm
  ``g`` and, with ``data_init``, bookkeeping variables) are not counted here, so the
  parameter count is unknown;
* ``GELU`` keeps the shape and has no weights;
* KerasNLP's ``TokenAndPositionEmbedding`` adds an ``embedding_dim`` axis, its
  ``PositionEmbedding`` and ``TransformerEncoder`` keep the shape, and a
  ``TransformerDecoder`` gives its decoder sequence's shape (their documented outputs). Their
  parameter counts are not worked out here: unknown.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args, LayerSpec, OutputShape
from tdlint.keras.layers.core import GroupNormalization
from tdlint.keras.layers.recurrent import _Wrapper, inner_layer
from tdlint.keras.shapes import UNKNOWN, Shape

ADDONS_PACKAGES = frozenset(
    {
        "tensorflow_addons",
        "tensorflow_addons.layers",
        "keras_nlp",
        "keras_nlp.layers",
        "keras_hub",
        "keras_hub.layers",
    }
)


class InstanceNormalization(GroupNormalization):
    name = "InstanceNormalization"
    defaults: ClassVar[dict[str, Any]] = {"groups": -1, "axis": -1, "center": True, "scale": True}


class AddonsGroupNormalization(GroupNormalization):
    name = "GroupNormalization"


class WeightNormalization(_Wrapper):
    name = "WeightNormalization"
    params = ("layer", "data_init")
    defaults: ClassVar[dict[str, Any]] = {"data_init": True}

    def input_rank(self, args: Args) -> Any:
        inner = inner_layer(args)
        return inner.spec.input_rank(inner.args) if inner else super().input_rank(args)

    def output_shape(self, args: Args, x: Shape) -> OutputShape:
        inner = inner_layer(args)
        return inner.spec.output_shape(inner.args, x) if inner else None

    def output_shape_unknown_input(self, args: Args) -> OutputShape:
        inner = inner_layer(args)
        return inner.spec.output_shape_unknown_input(inner.args) if inner else None

    def count_params(self, args: Args, x: Shape) -> Any:
        return UNKNOWN  # the wrapped layer's, plus weights of TFA's own (see the module doc)


class GELU(LayerSpec):
    name = "GELU"
    params = ("approximate",)
    shape_preserving = True


class _CountUnknown(LayerSpec):
    def count_params(self, args: Args, x: Any) -> Any:
        return UNKNOWN


class TokenAndPositionEmbedding(_CountUnknown):
    name = "TokenAndPositionEmbedding"
    params = ("vocabulary_size", "sequence_length", "embedding_dim")
    other_args = frozenset(
        {"tie_weights", "embeddings_initializer", "mask_zero", "token_embedding"}
    )

    def output_shape(self, args: Args, x: Shape) -> OutputShape:
        return (*x, args.int("embedding_dim"))


class PositionEmbedding(_CountUnknown):
    name = "PositionEmbedding"
    params = ("sequence_length",)
    other_args = frozenset({"initializer"})
    shape_preserving = True


class TransformerEncoder(_CountUnknown):
    name = "TransformerEncoder"
    params = ("intermediate_dim", "num_heads", "dropout", "activation")
    other_args = frozenset(
        {
            "layer_norm_epsilon",
            "kernel_initializer",
            "bias_initializer",
            "normalize_first",
        }
    )
    shape_preserving = True


class TransformerDecoder(TransformerEncoder):
    """Called as ``decoder(decoder_sequence, encoder_sequence)``: the decoder sequence's
    shape."""

    name = "TransformerDecoder"
    call_inputs = ("decoder_sequence", "encoder_sequence")

    def output_shape(self, args: Args, xs: Any) -> OutputShape:
        return xs[0]


_TFA_LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (InstanceNormalization(), AddonsGroupNormalization(), WeightNormalization(), GELU())
}
_NLP_LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        TokenAndPositionEmbedding(),
        PositionEmbedding(),
        TransformerEncoder(),
        TransformerDecoder(),
    )
}
_BY_MODULE = {
    "tensorflow_addons.layers": _TFA_LAYERS,
    "keras_nlp.layers": _NLP_LAYERS,
    "keras_hub.layers": _NLP_LAYERS,
}


def lookup_addon(path: str) -> LayerSpec | None:
    """The entry for ``tensorflow_addons.layers.<Name>`` or ``keras_nlp.layers.<Name>``
    (``keras_hub.layers``), or None."""
    module, _, name = path.rpartition(".")
    return _BY_MODULE.get(module, {}).get(name)
