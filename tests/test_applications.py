"""``keras.applications`` backbones without Keras: how tdlint finds them, what stays unknown,
and how they join the rest of the code. Their shapes and parameter counts themselves are
checked against Keras in test_applications_oracle.py."""

from __future__ import annotations

import textwrap

import pytest

from tdlint.analysis.summary import ModelSummary
from tdlint.api import check_source, infer_shapes
from tdlint.keras import applications
from tdlint.keras.shapes import shape_to_json

HEADER = "import keras\nfrom keras import layers\n"


def models(body: str, header: str = HEADER) -> dict[str, ModelSummary]:
    return {m.model: m for m in infer_shapes(header + textwrap.dedent(body))}


def backbone(call: str) -> ModelSummary:
    return models(f"model = {call}\n")["model"]


@pytest.mark.parametrize(
    ("call", "shape"),
    [
        # The sizes every tutorial prints.
        ("ResNet50(include_top=False, input_shape=(224, 224, 3))", (None, 7, 7, 2048)),
        ("VGG16(include_top=False, input_shape=(224, 224, 3))", (None, 7, 7, 512)),
        ("InceptionV3(include_top=False, input_shape=(299, 299, 3))", (None, 8, 8, 2048)),
        ("Xception(include_top=False, input_shape=(299, 299, 3))", (None, 10, 10, 2048)),
        ("NASNetLarge(include_top=False, input_shape=(331, 331, 3))", (None, 11, 11, 4032)),
        ("EfficientNetB0(include_top=False, pooling='avg')", (None, 1280)),
        ("MobileNetV2(weights=None, classes=5)", (None, 5)),
        # No input_shape and no top: any image size, as Keras says.
        ("DenseNet121(include_top=False, weights=None)", (None, None, None, 1024)),
    ],
)
def test_well_known_backbone_shapes(call: str, shape: tuple[object, ...]) -> None:
    assert backbone(f"keras.applications.{call}").outputs == (shape,)


@pytest.mark.parametrize(
    "call",
    [
        # Keras refuses these (it says why before loading any weights).
        "ResNet50(weights='imagenet', classes=10)",
        "ResNet50(weights='imagenet', include_top=False, input_shape=(224, 224, 1))",
        "ResNet50(weights='imagenet', input_shape=(150, 150, 3))",
        "ResNet50(weights='imagenet', input_shape=[224, 224, 3])",  # a list is not the tuple
        "ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3))",
        "InceptionV3(weights=None, include_top=False, input_shape=(64, 64, 3))",
        "VGG16(weights=None, input_shape=(None, None, 3))",
        "NASNetMobile(include_top=False, input_shape=(None, None, 3))",
        "MobileNetV3Small(weights=None, include_top=False, input_shape=(16, 16, 3))",
        # Networks tdlint has no numbers for, or arguments it cannot read.
        "MobileNet(weights=None, alpha=0.6, include_top=False, input_shape=(128, 128, 3))",
        "MobileNet(weights=None, depth_multiplier=2, include_top=False)",
        "ResNet50(weights=None, include_top=top)",
        "ResNet50(weights=None, input_shape=(None, 64, 3, 3, 3))",
    ],
)
def test_what_keras_refuses_or_tdlint_cannot_read_is_unknown(call: str) -> None:
    summary = models(f"top = input()\npool = input()\nmodel = keras.applications.{call}\n")["model"]
    assert summary.outputs == (None,) or "?" in str(shape_to_json(summary.outputs[0]))
    assert summary.params is None
    assert summary.layers[0].layer == call.partition("(")[0]


@pytest.mark.parametrize("pooling", ["pool", "'mean'"])
def test_an_unknown_pooling_leaves_the_rank_unknown_not_the_parameters(pooling: str) -> None:
    found = models(
        f"""
        pool = input()
        model = keras.applications.ResNet50(weights=None, include_top=False, pooling={pooling})
        known = keras.applications.ResNet50(weights=None, include_top=False, pooling="max")
        """
    )
    assert found["model"].outputs == (None,)
    assert found["known"].outputs == ((None, 2048),)
    assert found["model"].params == found["known"].params


def test_a_value_tdlint_cannot_read_is_assumed_accepted() -> None:
    # Were `weights` the ImageNet weights, Keras would refuse 10 classes and the program
    # would stop here: the shape after a successful call is certain.
    summary = backbone("keras.applications.ResNet50(weights=choice(), classes=10)")
    assert summary.outputs == ((None, 10),)
    assert summary.params is not None
    # Keras wants the default size with the ImageNet top: an unknown size may be it.
    summary = backbone("keras.applications.ResNet50(input_shape=(choice(), 224, 3))")
    assert summary.outputs == ((None, 1000),)


def test_the_imagenet_weights_with_what_keras_accepts_are_known() -> None:
    for call in (
        "ResNet50(weights='imagenet')",
        "ResNet50(include_top=False, input_shape=(160, 160, 3))",
        "MobileNetV2(input_shape=(128, 128, 3))",  # a square size MobileNet has weights for
    ):
        summary = backbone(f"keras.applications.{call}")
        assert summary.status == "known", call


def test_arguments_tdlint_does_not_know_leave_the_backbone_unknown() -> None:
    for call in (
        "ResNet50(weights=None, include_top=False, frobnicate=1)",
        "ResNet50(**settings)",
        "ResNet50(False, None, None, (64, 64, 3), None, 1000, 'softmax', 'name', 'extra')",
        "ConvNeXtTiny('convnext_tiny', False)",  # tf.keras's first argument was model_name
    ):
        summary = models(
            f"""
            settings = load()
            base = keras.applications.{call}
            model = keras.Sequential([base, layers.Dense(3)])
            """
        )["model"]
        first = summary.layers[0]
        assert (first.output_shape, first.params) == (None, None), call


def test_a_file_that_sets_the_image_data_format_gets_no_shape() -> None:
    summary = models(
        """
        keras.backend.set_image_data_format("channels_first")
        model = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        """
    )["model"]
    assert summary.outputs == (None,)


@pytest.mark.parametrize(
    ("header", "call"),
    [
        ("import tensorflow as tf\n", "tf.keras.applications.ResNet50V2"),
        ("import tensorflow as tf\n", "tf.keras.applications.resnet_v2.ResNet50V2"),
        ("from keras.applications import ResNet50V2\n", "ResNet50V2"),
        ("from tensorflow.keras.applications.resnet_v2 import ResNet50V2\n", "ResNet50V2"),
        ("from tensorflow.keras import applications\n", "applications.ResNet50V2"),
        ("import keras.src.applications.resnet_v2 as rv2\n", "rv2.ResNet50V2"),
        ("import tf_keras\n", "tf_keras.applications.ResNet50V2"),
    ],
)
def test_every_spelling_finds_the_backbone(header: str, call: str) -> None:
    summary = models(
        f"model = {call}(include_top=False, weights=None, input_shape=(64, 64, 3))\n",
        header=header,
    )["model"]
    assert summary.outputs == ((None, 2, 2, 2048),)


def test_a_model_in_the_wrong_submodule_is_not_found() -> None:
    assert applications.find("keras.applications.resnet_v2", "ResNet50V2") is not None
    assert applications.find("keras.applications.vgg16", "ResNet50V2") is None
    assert applications.find("keras.applications", "ResNet50RS") is None
    assert applications.is_preprocessing("keras.applications.efficientnet", "preprocess_input")
    assert not applications.is_preprocessing("keras.applications.efficientnet", "decode")
    assert not applications.is_preprocessing("keras.applications.regnet", "preprocess_input")


def test_the_backbone_input_and_output_build_heads() -> None:
    found = models(
        """
        base = keras.applications.Xception(weights=None, include_top=False, input_shape=(96, 96, 3))
        base.trainable = False
        x = layers.GlobalAveragePooling2D()(base.output)
        model = keras.Model(inputs=base.input, outputs=layers.Dense(4)(x))
        again = keras.Model(base.inputs, base.outputs)
        """
    )
    model, base = found["model"], found["base"]
    assert model.inputs == ((None, 96, 96, 3),)
    assert model.outputs == ((None, 4),)
    assert model.params == base.params + 2048 * 4 + 4
    assert found["again"].outputs == base.outputs


def test_a_backbone_on_an_input_tensor_starts_at_its_inputs() -> None:
    found = models(
        """
        image = keras.Input(shape=(128, 96, 3))
        scaled = layers.Resizing(64, 64)(image)
        model = keras.applications.ResNet50(weights=None, include_top=False, input_tensor=scaled)
        """
    )
    model = found["model"]
    assert model.inputs == ((None, 128, 96, 3),)
    assert [row.layer for row in model.layers] == ["Resizing", "ResNet50"]
    assert model.outputs == ((None, 2, 2, 2048),)


def test_an_input_tensor_tdlint_cannot_see_leaves_an_unknown_model() -> None:
    summary = models(
        """
        base = keras.applications.ResNet50(weights=None, include_top=False, input_tensor=get())
        model = keras.Sequential([base, layers.Dense(3)])
        """
    )["model"]
    assert summary.layers[0].unknown


def test_a_backbone_of_unknown_input_size_is_known_once_called() -> None:
    found = models(
        """
        def build(size):
            base = keras.applications.EfficientNetB0(include_top=False, input_shape=(size, size, 3))
            inputs = keras.Input(shape=(224, 224, 3))
            return keras.Model(inputs, layers.Dense(2)(base(inputs)))

        model = build(unknown())
        """
    )
    assert found["model"].outputs == ((None, 7, 7, 2),)


def test_a_vgg_top_called_on_another_image_size_is_unknown() -> None:
    # Its first Dense was built for a 2x2x512 feature map; Keras refuses another.
    found = models(
        """
        base = keras.applications.VGG16(weights=None, input_shape=(64, 64, 3))
        model = keras.Model(image := keras.Input(shape=(96, 96, 3)), base(image))
        same = keras.Model(other := keras.Input(shape=(64, 64, 3)), base(other))
        """
    )
    assert found["model"].outputs == (None,)
    assert found["same"].outputs == ((None, 1000),)


def test_backbone_channels_must_match_when_called() -> None:
    found = models(
        """
        base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        model = keras.Model(image := keras.Input(shape=(64, 64, 1)), base(image))
        """
    )
    assert found["model"].outputs == (None,)


def test_preprocess_input_keeps_the_shape_of_arrays_and_tensors() -> None:
    source = HEADER + textwrap.dedent(
        """
        import numpy as np
        from keras.applications.resnet50 import ResNet50, preprocess_input

        model = ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        images = preprocess_input(np.zeros((8, {size}, {size}, 3)))
        model.predict(images)
        """
    )
    assert [d.code for d in check_source(source.format(size=32))] == ["TDL201"]
    assert check_source(source.format(size=64)) == []


def test_a_nasnet_built_for_any_size_has_unknown_parameters() -> None:
    # Its cells add layers only where their inputs' sizes are seen to differ: built for a
    # dynamic size, Keras counts other parameters (4,267,604 for NASNetMobile, not 4,269,716).
    found = models(
        """
        base = keras.applications.NASNetMobile(weights=None, include_top=False, input_shape=(None, None, 3))
        fixed = keras.applications.NASNetMobile(weights=None, include_top=False, input_shape=(96, 96, 3))
        model = keras.Model(image := keras.Input(shape=(96, 96, 3)), base(image))
        """
    )
    assert found["base"].outputs == ((None, None, None, 1056),)
    assert found["base"].params is None
    assert found["fixed"].outputs == ((None, 3, 3, 1056),) and found["fixed"].params is not None
    assert found["model"].outputs == (None,)
