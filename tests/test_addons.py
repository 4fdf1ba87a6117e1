"""TensorFlow Addons layers (``tfa.layers``): what tdlint knows of them and what it leaves
unknown. TFA needs TensorFlow 2.x and is no longer released, so there is no oracle here: the
expected values follow TFA's documented behaviour (InstanceNormalization is GroupNormalization
with one group per channel; WeightNormalization keeps its layer's output)."""

from __future__ import annotations

import textwrap

from tdlint.analysis.summary import ModelSummary
from tdlint.api import infer_shapes
from tdlint.keras.shapes import shape_to_json

HEADER = "import tensorflow as tf\nimport tensorflow_addons as tfa\nfrom tensorflow.keras import layers\n"


def model(body: str) -> ModelSummary:
    (summary,) = [m for m in infer_shapes(HEADER + textwrap.dedent(body)) if m.model == "model"]
    return summary


def rows(summary: ModelSummary) -> list[tuple[str, object, object]]:
    return [(r.layer, shape_to_json(r.output_shape), r.params) for r in summary.layers]


def test_instance_normalization_keeps_the_shape_and_has_gamma_and_beta_per_channel() -> None:
    summary = model(
        """
        inputs = tf.keras.Input((32, 32, 3))
        x = layers.Conv2D(16, 3)(inputs)
        x = tfa.layers.InstanceNormalization()(x)
        x = tfa.layers.InstanceNormalization(center=False)(x)
        model = tf.keras.Model(inputs, x)
        """
    )
    assert rows(summary)[1:] == [
        ("InstanceNormalization", [None, 30, 30, 16], 32),
        ("InstanceNormalization", [None, 30, 30, 16], 16),
    ]


def test_group_normalization_from_tfa_and_gelu() -> None:
    summary = model(
        """
        from tensorflow_addons.layers import GroupNormalization, GELU
        inputs = tf.keras.Input((10, 64))
        x = GroupNormalization(groups=5, axis=1)(inputs)
        model = tf.keras.Model(inputs, GELU()(x))
        """
    )
    assert rows(summary) == [
        ("GroupNormalization", [None, 10, 64], 20),
        ("GELU", [None, 10, 64], 0),
    ]


def test_weight_normalization_gives_its_layers_output_and_an_unknown_count() -> None:
    summary = model(
        """
        from tensorflow_addons import layers as addon_layers
        inputs = tf.keras.Input((100, 8))
        x = addon_layers.WeightNormalization(layers.Conv1D(32, 5, strides=2), data_init=False)(inputs)
        model = tf.keras.Model(inputs, layers.Dense(4)(x))
        """
    )
    assert rows(summary) == [
        ("WeightNormalization(Conv1D)", [None, 48, 32], None),
        ("Dense", [None, 48, 4], 132),
    ]
    assert summary.params is None


def test_names_tfa_does_not_have_stay_unknown() -> None:
    summary = model(
        """
        inputs = tf.keras.Input((8, 8, 3))
        x = tfa.layers.SomethingNew()(inputs)
        y = tf.keras.layers.InstanceNormalization()(inputs)
        model = tf.keras.Model(inputs, [x, y])
        """
    )
    assert [shape_to_json(r.output_shape) for r in summary.layers] == [None, None]
    assert all(r.unknown for r in summary.layers)


def test_keras_nlp_transformer_blocks_give_their_documented_shapes() -> None:
    # KerasNLP's docs: TokenAndPositionEmbedding adds `embedding_dim`, the encoder keeps its
    # input, the decoder gives its decoder sequence (with or without an encoder sequence).
    summary = model(
        """
        import keras_nlp
        tokens = tf.keras.Input((None,), dtype="int32")
        x = keras_nlp.layers.TokenAndPositionEmbedding(1000, 64, 32)(tokens)
        x = keras_nlp.layers.PositionEmbedding(sequence_length=64)(x) + x
        enc = keras_nlp.layers.TransformerEncoder(intermediate_dim=64, num_heads=2)(x)
        dec_in = tf.keras.Input((10, 32))
        dec = keras_nlp.layers.TransformerDecoder(64, 2)(dec_in, enc)
        dec = keras_nlp.layers.TransformerDecoder(64, 2)(decoder_sequence=dec)
        model = tf.keras.Model([tokens, dec_in], layers.Dense(7)(dec))
        """
    )
    assert [(r.layer, shape_to_json(r.output_shape)) for r in summary.layers] == [
        ("TokenAndPositionEmbedding", [None, None, 32]),
        ("PositionEmbedding", [None, None, 32]),
        ("TransformerEncoder", [None, None, 32]),
        ("TransformerDecoder", [None, 10, 32]),
        ("TransformerDecoder", [None, 10, 32]),
        ("Dense", [None, 10, 7]),
    ]
    assert summary.params is None  # their weights are not worked out


def test_keras_hub_is_the_same_and_other_layers_stay_unknown() -> None:
    summary = model(
        """
        from keras_hub import layers as hub_layers
        tokens = tf.keras.Input((16,), dtype="int32")
        x = hub_layers.TokenAndPositionEmbedding(100, 16, 8)(tokens)
        y = hub_layers.SomethingElse()(x)
        model = tf.keras.Model(tokens, [x, y])
        """
    )
    assert [shape_to_json(r.output_shape) for r in summary.layers] == [[None, 16, 8], None]
    assert summary.layers[1].unknown
