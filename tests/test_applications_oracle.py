"""The ``keras.applications`` backbones against real Keras 3: output shape, input shape and
parameter count of every family, built with ``weights=None`` as users write them, alone and
with heads on top.

Keras is the oracle: no expected number is typed here. Building these networks is slow on a
small machine, so the cases are a sample (every family, several input sizes, channel counts,
``include_top``, ``pooling``, ``classes``, options, spellings and uses);
``benchmarks/applications_sweep.py`` checks every model and many more input sizes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from oracle.harness import keras_available, run_keras, run_tdlint_shapes

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

_HEADER = "import keras\nfrom keras import layers\n"

# Each program defines ``model``; the other models it makes are not compared.
CASES: list[str] = [
    # The constructors, one or more per family.
    "model = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 80, 3))",
    "model = keras.applications.ResNet101(weights=None, classes=10, input_shape=(96, 96, 3))",
    "model = keras.applications.ResNet50V2(weights=None, include_top=False, pooling='avg', input_shape=(65, 65, 1))",
    "model = keras.applications.VGG16(weights=None, input_shape=(64, 72, 3), classes=5)",
    "model = keras.applications.VGG19(weights=None, include_top=False, pooling='max')",
    "model = keras.applications.VGG16(weights=None, include_top=False, input_shape=(47, 100, 3))",
    "model = keras.applications.MobileNet(weights=None, alpha=0.5, include_top=False, input_shape=(97, 97, 3))",
    "model = keras.applications.MobileNet((128, 128, 3), 0.75, include_top=False, weights=None)",
    "model = keras.applications.MobileNetV2(weights=None, alpha=1.4, classes=3, input_shape=(96, 96, 3))",
    "model = keras.applications.MobileNetV2(weights=None, alpha=0.35, include_top=False, input_shape=(33, 50, 2))",
    "model = keras.applications.MobileNetV3Small(weights=None, classes=4)",
    "model = keras.applications.MobileNetV3Large(weights=None, minimalistic=True, include_top=False, input_shape=(75, 75, 3))",
    "model = keras.applications.MobileNetV3Small(alpha=0.75, weights=None, input_shape=(64, 64, 3), classes=9)",
    "model = keras.applications.DenseNet121(weights=None, include_top=False, input_shape=(70, 70, 4))",
    "model = keras.applications.DenseNet201(weights=None, include_top=False, pooling='avg', input_shape=(64, 64, 3))",
    "model = keras.applications.InceptionV3(weights=None, include_top=False, input_shape=(75, 99, 3))",
    "model = keras.applications.InceptionResNetV2(weights=None, classes=2, input_shape=(80, 80, 3))",
    "model = keras.applications.Xception(weights=None, include_top=False, input_shape=(71, 71, 2))",
    "model = keras.applications.EfficientNetB0(weights=None, include_top=False, input_shape=(33, 33, 3))",
    "model = keras.applications.EfficientNetB3(weights=None, classes=12)",
    "model = keras.applications.EfficientNetV2B0(weights=None, include_top=False, include_preprocessing=False, input_shape=(64, 64, 3))",
    "model = keras.applications.EfficientNetV2S(weights=None, include_top=False, pooling='max', input_shape=(64, 64, 1))",
    "model = keras.applications.ConvNeXtTiny(weights=None, include_top=False, input_shape=(64, 96, 3))",
    "model = keras.applications.ConvNeXtTiny(weights=None, classes=6, input_shape=(64, 64, 3), include_preprocessing=False)",
    # Keras 3's NASNetMobile is 224x224 even without the top and the input shape.
    "model = keras.applications.NASNetMobile(weights=None, include_top=False)",
    # Spellings: submodules, imported names, tf.keras.
    "from keras.applications.efficientnet import EfficientNetB1\n"
    "model = EfficientNetB1(include_top=False, weights=None, input_shape=(50, 40, 3))",
    "from keras.applications import resnet\n"
    "model = resnet.ResNet152(weights=None, include_top=False, pooling='avg', input_shape=(32, 32, 3))",
    "import tensorflow as tf\n"
    "model = tf.keras.applications.resnet_v2.ResNet101V2(weights=None, include_top=False, input_shape=(40, 40, 3))",
    # The backbone as a layer: called on a tensor, frozen, behind preprocess_input.
    """
base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
base.trainable = False
inputs = keras.Input(shape=(96, 96, 3))
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
""",
    # A head on base.output, from base.input.
    """
base = keras.applications.resnet.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
x = layers.Flatten()(base.output)
model = keras.Model(inputs=base.input, outputs=layers.Dense(3)(x))
""",
    # input_tensor: the model starts at the tensor's own input, the layers before it included.
    """
inputs = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(3, 1)(inputs)
model = keras.applications.EfficientNetB0(weights=None, classes=7, input_tensor=x)
""",
    # Nested in a Sequential.
    """
base = keras.applications.DenseNet121(weights=None, include_top=False, input_shape=(64, 64, 3))
model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(2)])
""",
    # Built for any image size, called on one.
    """
base = keras.applications.ResNet50(weights=None, include_top=False)
inputs = keras.Input(shape=(128, 100, 3))
model = keras.Model(inputs, base(inputs))
""",
    # Other preprocess_input spellings keep the shape too.
    """
from keras.applications import imagenet_utils
inputs = keras.Input(shape=(32, 32, 3))
x = imagenet_utils.preprocess_input(inputs, mode="torch")
x = keras.applications.vgg16.preprocess_input(x)
model = keras.Model(inputs, layers.Conv2D(4, 3)(x))
""",
    # MobileNet's padding helper (tf.keras's public name; Keras 3 keeps it in keras.src),
    # on even, odd and unknown image sizes, with square and rectangular kernels.
    """
from keras.src.applications import imagenet_utils
inputs = keras.Input(shape=(32, 33, 3))
x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(inputs, 3))(inputs)
x = layers.DepthwiseConv2D(3, strides=2)(x)
x = layers.ZeroPadding2D(imagenet_utils.correct_pad(x, (5, 3)))(x)
x = layers.Conv2D(4, (5, 3), strides=2)(x)
x = layers.ZeroPadding2D(imagenet_utils.correct_pad(x, kernel_size=5))(x)
model = keras.Model(inputs, layers.Conv2D(2, 5, strides=2)(x))
""",
    """
from keras.src.applications.imagenet_utils import correct_pad
inputs = keras.Input(shape=(None, None, 3))
x = layers.ZeroPadding2D(correct_pad(inputs, 3))(inputs)
model = keras.Model(inputs, layers.Conv2D(4, 3, strides=2)(x))
""",
]


# Calls Keras refuses before building anything: tdlint must not give them a shape.
REFUSED: list[str] = [
    "keras.applications.ResNet50(weights='imagenet', classes=10)",
    "keras.applications.DenseNet121(weights='imagenet', include_top=False, input_shape=(64, 64, 1))",
    "keras.applications.EfficientNetB0(weights='imagenet', input_shape=(150, 150, 3))",
    "keras.applications.VGG16(weights='imagenet', input_shape=[224, 224, 3])",
    "keras.applications.Xception(weights=None, include_top=False, input_shape=(70, 70, 3))",
    "keras.applications.InceptionV3(weights=None, include_top=False, input_shape=(74, 80, 3))",
    "keras.applications.ResNet50(weights=None, include_top=False, input_shape=(31, 64, 3))",
    "keras.applications.VGG19(weights=None, input_shape=(None, None, 3))",
    "keras.applications.NASNetMobile(include_top=False, input_shape=(None, None, 3))",
    "keras.applications.MobileNetV3Large(weights=None, include_top=False, input_shape=(31, 40, 3))",
    "keras.applications.ResNet50(weights=None, input_shape=(64, 64))",
]


Results = tuple[list[Path], list[Path], dict[str, Any], dict[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    """Both lists of programs, run once by Keras and once by ``tdlint shapes``: starting
    Keras costs seconds."""
    root = tmp_path_factory.mktemp("applications")
    built, refused = [], []
    for i, program in enumerate(CASES):
        built.append(root / f"app_{i:02}.py")
        built[-1].write_text(_HEADER + program.strip() + "\n")
    for i, call in enumerate(REFUSED):
        refused.append(root / f"refused_{i:02}.py")
        refused[-1].write_text(f"{_HEADER}model = {call}\n")
    paths = built + refused
    reports = {
        Path(r["filename"]).name: r for r in run_tdlint_shapes(paths) if r["model"] == "model"
    }
    return built, refused, run_keras(paths), reports


def test_every_backbone_case_matches_keras(results: Results) -> None:
    paths, _, keras_results, reports = results
    problems = []
    for path in paths:
        expected = keras_results[str(path)]
        source = path.read_text().split("\n", 2)[2]
        assert expected["error"] is None, (source, expected["error"])
        keras_model = expected["models"]["model"]
        report = reports.get(path.name)
        if report is None:
            problems.append(f"{source}: not reported by tdlint")
            continue
        got = (report["inputs"], report["outputs"][-1], report["params"])
        want = (keras_model["input_shapes"], keras_model["output_shape"], keras_model["params"])
        if got != want:
            problems.append(f"{source}\n    tdlint {got}\n    keras  {want}")
    assert not problems, "\n".join(problems)


def test_what_keras_refuses_has_no_shape(results: Results) -> None:
    _, paths, keras_results, reports = results
    for path, call in zip(paths, REFUSED, strict=True):
        assert keras_results[str(path)]["error"] is not None, call
        report = reports[path.name]
        assert (report["outputs"], report["params"]) == ([None], None), call
