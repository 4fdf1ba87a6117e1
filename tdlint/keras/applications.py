"""Keras's ready-made image models (``keras.applications``): what each one outputs and how many
parameters it has, without building it.

A backbone is one table entry: the family it belongs to says how its constructor reads its
arguments (positional order, default and minimum input size, the options that change the
network), which strided layers shrink the image (``Step``), and what ``include_top=True``
puts on top; the entry itself gives its feature channels and its parameter count.

The parameter count of a backbone without its top depends only on the input channels, and
linearly: only the first layers' kernels (and EfficientNet's input normalisation) see them. So
each entry keeps the count for 3 channels and the parameters each further channel adds; the
top adds what its layers weigh. The numbers were read from Keras 3 with ``weights=None``;
``tests/test_applications_oracle.py`` checks them, and ``benchmarks/applications_sweep.py``
checks every entry and many input sizes.

What Keras would refuse (``weights="imagenet"`` with ``classes=10`` and the top, an image
smaller than the minimum...) or what tdlint cannot read (an argument it cannot evaluate, an
option it has no numbers for) is unknown: never a guessed number.

The shapes are Keras 3's. Older releases differed for two models without their top, and the
code does not say which release it ran on: Keras 2.1 and earlier ended ResNet50 with a 7x7
average pooling (a 1x1 map for a 224 image; Keras 2.2.0 removed it), and the tf.keras
MobileNetV3 of 2020-21 applied its last 1x1 convolution (1024 or 1280 channels) there too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tdlint.keras.catalogue import Args, RankSpec
from tdlint.keras.catalogue import LayerSpec as _LayerSpec
from tdlint.keras.shapes import UNKNOWN, Shape, is_known, is_unknown

# ---------------------------------------------------------------------- the description


@dataclass(frozen=True)
class Step:
    """One strided layer on a spatial axis: ``same`` padding (``kernel`` 0) gives
    ``ceil(n / stride)``; ``valid`` padding gives ``(n - kernel) // stride + 1``. Keras's
    zero padding before a valid strided convolution (``correct_pad``, ``ZeroPadding2D(3)``
    before ResNet's 7x7 stem) works out as ``same`` and is written so."""

    kernel: int
    stride: int

    def apply(self, n: Any) -> Any:
        if not is_known(n):
            return n  # dynamic stays dynamic (None), unknown stays unknown
        if self.kernel == 0:
            return -(-n // self.stride)
        return (n - self.kernel) // self.stride + 1


def same(stride: int) -> Step:
    return Step(0, stride)


def valid(kernel: int, stride: int) -> Step:
    return Step(kernel, stride)


@dataclass(frozen=True)
class Family:
    """How the constructors of one family read their arguments and shape the image."""

    modules: tuple[str, ...]  # the ``keras.applications`` submodules that export its models
    # Arguments that may be given by position: the prefix of the signature every Keras
    # release shares (ConvNeXt's first one was ``model_name`` in tf.keras: none there).
    positional: tuple[str, ...]
    steps: tuple[Step, ...]
    min_size: int = 32
    # What ``include_top=True`` adds after the last block: global average pooling (VGG:
    # ``Flatten``), the variant's hidden layers, and the classifier of ``classes``. (ConvNeXt's
    # top has a LayerNormalization, but so has its network without the top: they cancel.)
    flatten_top: bool = False
    # "standard": Keras's ``obtain_input_shape`` (the default size with the top, else any
    # size); "mobilenet": the same, with square inputs of ``square_sizes`` as the default;
    # "free": any size even with the top (MobileNetV3).
    input_rule: str = "standard"
    square_sizes: tuple[int, ...] = ()
    # Options that change the network, with their defaults (MobileNet's ``alpha``...).
    options: Mapping[str, Any] = field(default_factory=dict)
    # Arguments beyond the common ones that change nothing tdlint counts.
    harmless: frozenset[str] = frozenset()
    # NASNet refuses ``None`` in ``input_shape`` with the ImageNet weights; built for an
    # image of dynamic size, its cells skip the layers that match their two inputs' sizes
    # (other parameters, and a network that may not run on a static size).
    needs_static_size: bool = False


@dataclass(frozen=True)
class Variant:
    """One network: its output channels, its parameters without the top for 3 input
    channels, what each further input channel adds, and the top's hidden layers."""

    features: int
    params: int
    per_channel: int
    hidden: tuple[int, ...] = ()


@dataclass(frozen=True)
class Backbone:
    name: str
    family: Family
    default_size: int
    # Keyed by the values of the family's options, in their order (``()`` when it has none).
    variants: Mapping[tuple[Any, ...], Variant]
    # Makes its input the default size even without the top (Keras 3's NASNetMobile).
    sized_without_top: bool = False


# Arguments every constructor takes, with their defaults.
_COMMON = {
    "include_top": True,
    "weights": "imagenet",
    "input_tensor": None,
    "input_shape": None,
    "pooling": None,
    "classes": 1000,
    "classifier_activation": "softmax",
    "name": None,
}
_STANDARD_ORDER = ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes")

# ---------------------------------------------------------------------- the families

_FIVE_HALVINGS = (same(2),) * 5  # stride-2 stages with 'same' padding or Keras's correct_pad

RESNET = Family(("resnet", "resnet50"), _STANDARD_ORDER, _FIVE_HALVINGS)
RESNET_V2 = Family(("resnet_v2",), _STANDARD_ORDER, _FIVE_HALVINGS)
VGG = Family(
    ("vgg16", "vgg19"),
    _STANDARD_ORDER,
    (valid(2, 2),) * 5,  # five 2x2 max poolings
    flatten_top=True,
)
DENSENET = Family(
    ("densenet",),
    _STANDARD_ORDER,
    (same(2), same(2), valid(2, 2), valid(2, 2), valid(2, 2)),  # 2x2 average pooling
)
# The stem's valid 3x3 convolutions and poolings, then two valid stride-2 reductions.
_INCEPTION_STEPS = (
    valid(3, 2),
    valid(3, 1),
    valid(3, 2),
    valid(3, 1),
    valid(3, 2),
    valid(3, 2),
    valid(3, 2),
)
INCEPTION_V3 = Family(("inception_v3",), _STANDARD_ORDER, _INCEPTION_STEPS, min_size=75)
INCEPTION_RESNET_V2 = Family(
    ("inception_resnet_v2",), _STANDARD_ORDER, _INCEPTION_STEPS, min_size=75
)
XCEPTION = Family(
    ("xception",),
    _STANDARD_ORDER,
    (valid(3, 2), valid(3, 1), same(2), same(2), same(2), same(2)),
    min_size=71,
)
EFFICIENTNET = Family(
    ("efficientnet",),
    _STANDARD_ORDER,
    _FIVE_HALVINGS,
    # tf.keras passed further keywords to the shared builder; these change no shape.
    harmless=frozenset({"drop_connect_rate", "dropout_rate"}),
)
EFFICIENTNET_V2 = Family(
    ("efficientnet_v2",),
    _STANDARD_ORDER,
    _FIVE_HALVINGS,
    harmless=frozenset({"include_preprocessing"}),
)
CONVNEXT = Family(
    ("convnext",),
    (),
    (valid(4, 4), valid(2, 2), valid(2, 2), valid(2, 2)),
    harmless=frozenset({"include_preprocessing", "model_name"}),
)
MOBILENET = Family(
    ("mobilenet",),
    (
        "input_shape",
        "alpha",
        "depth_multiplier",
        "dropout",
        *_STANDARD_ORDER[:3],
        "pooling",
        "classes",
    ),
    # A 'same' stem, then padding (0, 1) before each valid stride-2 3x3 convolution.
    (same(2), *(valid(2, 2),) * 4),
    input_rule="mobilenet",
    square_sizes=(128, 160, 192, 224),
    options={"alpha": 1.0, "depth_multiplier": 1},
    harmless=frozenset({"dropout"}),
)
MOBILENET_V2 = Family(
    ("mobilenet_v2",),
    ("input_shape", "alpha"),  # Keras 2.2 had depth_multiplier third
    _FIVE_HALVINGS,
    input_rule="mobilenet",
    square_sizes=(96, 128, 160, 192, 224),
    options={"alpha": 1.0},
)
MOBILENET_V3 = Family(
    ("mobilenet_v3",),
    ("input_shape", "alpha", "minimalistic", *_STANDARD_ORDER[:3], "classes", "pooling"),
    _FIVE_HALVINGS,
    input_rule="free",
    options={"alpha": 1.0, "minimalistic": False},
    harmless=frozenset({"dropout_rate", "include_preprocessing"}),
)
NASNET = Family(
    ("nasnet",),
    ("input_shape", *_STANDARD_ORDER[:3], "pooling", "classes"),
    (valid(3, 2), *_FIVE_HALVINGS[:4]),  # a valid stem, then four reduction cells
    needs_static_size=True,
)


def _single(
    family: Family, default_size: int, variant: Variant
) -> tuple[Family, int, dict[Any, Variant]]:
    return family, default_size, {(): variant}


# name: (family, default input size, variants). Variant(features, params without the top for
# 3 input channels, parameters per further input channel[, hidden layers of the top]).
_TABLE: dict[str, tuple[Family, int, Mapping[tuple[Any, ...], Variant]]] = {
    "ResNet50": _single(RESNET, 224, Variant(2048, 23_587_712, 3136)),
    "ResNet101": _single(RESNET, 224, Variant(2048, 42_658_176, 3136)),
    "ResNet152": _single(RESNET, 224, Variant(2048, 58_370_944, 3136)),
    "ResNet50V2": _single(RESNET_V2, 224, Variant(2048, 23_564_800, 3136)),
    "ResNet101V2": _single(RESNET_V2, 224, Variant(2048, 42_626_560, 3136)),
    "ResNet152V2": _single(RESNET_V2, 224, Variant(2048, 58_331_648, 3136)),
    "VGG16": _single(VGG, 224, Variant(512, 14_714_688, 576, hidden=(4096, 4096))),
    "VGG19": _single(VGG, 224, Variant(512, 20_024_384, 576, hidden=(4096, 4096))),
    "DenseNet121": _single(DENSENET, 224, Variant(1024, 7_037_504, 3136)),
    "DenseNet169": _single(DENSENET, 224, Variant(1664, 12_642_880, 3136)),
    "DenseNet201": _single(DENSENET, 224, Variant(1920, 18_321_984, 3136)),
    "InceptionV3": _single(INCEPTION_V3, 299, Variant(2048, 21_802_784, 288)),
    "InceptionResNetV2": _single(INCEPTION_RESNET_V2, 299, Variant(1536, 54_336_736, 288)),
    "Xception": _single(XCEPTION, 299, Variant(2048, 20_861_480, 288)),
    # EfficientNet normalises its input: 2 more parameters per channel (mean and variance).
    "EfficientNetB0": _single(EFFICIENTNET, 224, Variant(1280, 4_049_571, 290)),
    "EfficientNetB1": _single(EFFICIENTNET, 240, Variant(1280, 6_575_239, 290)),
    "EfficientNetB2": _single(EFFICIENTNET, 260, Variant(1408, 7_768_569, 290)),
    "EfficientNetB3": _single(EFFICIENTNET, 300, Variant(1536, 10_783_535, 362)),
    "EfficientNetB4": _single(EFFICIENTNET, 380, Variant(1792, 17_673_823, 434)),
    "EfficientNetB5": _single(EFFICIENTNET, 456, Variant(2048, 28_513_527, 434)),
    "EfficientNetB6": _single(EFFICIENTNET, 528, Variant(2304, 40_960_143, 506)),
    "EfficientNetB7": _single(EFFICIENTNET, 600, Variant(2560, 64_097_687, 578)),
    "EfficientNetV2B0": _single(EFFICIENTNET_V2, 224, Variant(1280, 5_919_312, 288)),
    "EfficientNetV2B1": _single(EFFICIENTNET_V2, 240, Variant(1280, 6_931_124, 288)),
    "EfficientNetV2B2": _single(EFFICIENTNET_V2, 260, Variant(1408, 8_769_374, 288)),
    "EfficientNetV2B3": _single(EFFICIENTNET_V2, 300, Variant(1536, 12_930_622, 360)),
    "EfficientNetV2S": _single(EFFICIENTNET_V2, 384, Variant(1280, 20_331_360, 216)),
    "EfficientNetV2M": _single(EFFICIENTNET_V2, 480, Variant(1280, 53_150_388, 216)),
    "EfficientNetV2L": _single(EFFICIENTNET_V2, 480, Variant(1280, 117_746_848, 288)),
    "ConvNeXtTiny": _single(CONVNEXT, 224, Variant(768, 27_820_128, 1536)),
    "ConvNeXtSmall": _single(CONVNEXT, 224, Variant(768, 49_454_688, 1536)),
    "ConvNeXtBase": _single(CONVNEXT, 224, Variant(1024, 87_566_464, 2048)),
    "ConvNeXtLarge": _single(CONVNEXT, 224, Variant(1536, 196_230_336, 3072)),
    "NASNetMobile": _single(NASNET, 224, Variant(1056, 4_269_716, 288)),
    "NASNetLarge": _single(NASNET, 331, Variant(4032, 84_916_818, 864)),
    "ConvNeXtXLarge": _single(CONVNEXT, 224, Variant(2048, 348_147_968, 4096)),
    # Keyed by (alpha, depth_multiplier): the widths Keras has ImageNet weights for.
    "MobileNet": (
        MOBILENET,
        224,
        {
            (0.25, 1): Variant(256, 218_544, 72),
            (0.5, 1): Variant(512, 829_536, 144),
            (0.75, 1): Variant(768, 1_832_976, 216),
            (1.0, 1): Variant(1024, 3_228_864, 288),
        },
    ),
    # Keyed by alpha; the last convolution keeps 1280 channels below alpha 1.
    "MobileNetV2": (
        MOBILENET_V2,
        224,
        {
            (0.35,): Variant(1280, 410_208, 144),
            (0.5,): Variant(1280, 706_224, 144),
            (0.75,): Variant(1280, 1_382_064, 216),
            (1.0,): Variant(1280, 2_257_984, 288),
            (1.3,): Variant(1664, 3_766_048, 360),
            (1.4,): Variant(1792, 4_363_712, 432),
        },
    ),
    # Keyed by (alpha, minimalistic); the top has a 1x1 convolution of 1024 or 1280 first.
    "MobileNetV3Small": (
        MOBILENET_V3,
        224,
        {
            (0.75, False): Variant(432, 583_160, 144, hidden=(1024,)),
            (1.0, False): Variant(576, 939_120, 144, hidden=(1024,)),
            (1.0, True): Variant(576, 441_000, 144, hidden=(1024,)),
        },
    ),
    "MobileNetV3Large": (
        MOBILENET_V3,
        224,
        {
            (0.75, False): Variant(720, 1_808_736, 144, hidden=(1280,)),
            (1.0, False): Variant(960, 2_996_352, 144, hidden=(1280,)),
            (1.0, True): Variant(960, 1_437_608, 144, hidden=(1280,)),
        },
    ),
}

_SIZED_WITHOUT_TOP = frozenset({"NASNetMobile"})

BACKBONES: dict[str, Backbone] = {
    name: Backbone(name, family, size, variants, name in _SIZED_WITHOUT_TOP)
    for name, (family, size, variants) in _TABLE.items()
}

# The submodules whose ``preprocess_input`` keeps its input's shape (all of them do).
_PREPROCESSING_MODULES = frozenset(
    {"keras.applications.imagenet_utils"}
    | {f"keras.applications.{m}" for b in BACKBONES.values() for m in b.family.modules}
)


def find(module: str, name: str) -> Backbone | None:
    """The backbone ``module.name`` constructs (``keras.applications.resnet_v2``,
    ``ResNet50V2``), for a canonical Keras module path; None if it is none tdlint knows."""
    backbone = BACKBONES.get(name)
    if backbone is None:
        return None
    sub = module.removeprefix("keras.applications.")
    if module == "keras.applications" or sub in backbone.family.modules:
        return backbone
    return None


def is_preprocessing(module: str, name: str) -> bool:
    """``keras.applications.<family>.preprocess_input``: it keeps the shape of its input."""
    return name == "preprocess_input" and module in _PREPROCESSING_MODULES


def correct_pad(shape: Any, kernel_size: Any, channels_last: bool) -> Any:
    """``imagenet_utils.correct_pad(x, kernel_size)``: the ``ZeroPadding2D`` padding that makes
    a stride-2 convolution of an image of ``shape`` ``"same"``-like, as Keras computes it (the
    extra row and column go on the bottom and right when a side is even). None when a size it
    needs is not known."""
    if isinstance(kernel_size, int) and not isinstance(kernel_size, bool):
        kernel_size = (kernel_size, kernel_size)
    if not (isinstance(kernel_size, tuple) and len(kernel_size) == 2 and len(shape) == 4):
        return None
    if not all(isinstance(k, int) for k in kernel_size):
        return None
    size = shape[1:3] if channels_last else shape[2:4]
    if size[0] is None:
        adjust = (1, 1)
    elif all(isinstance(d, int) for d in size):
        adjust = (1 - size[0] % 2, 1 - size[1] % 2)
    else:
        return None
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def readable_arguments(backbone: Backbone, positional: int, keywords: Any) -> bool:
    """Whether tdlint knows what every argument of a constructor call means: none beyond the
    positional ones every release shares, no keyword it has no meaning for."""
    family = backbone.family
    known = set(_COMMON) | set(family.options) | family.harmless
    return positional <= len(family.positional) and all(k in known for k in keywords)


# ---------------------------------------------------------------------- the catalogue entries


class PreprocessInput(_LayerSpec):
    """``preprocess_input(x)`` of any family: scales or reorders channels, keeps the shape."""

    name = "preprocess_input"  # type: ignore[assignment]
    params = ("x", "data_format", "mode")  # type: ignore[assignment]
    shape_preserving = True  # type: ignore[assignment]


PREPROCESS_INPUT = PreprocessInput()


class BackboneSpec(_LayerSpec):
    """The catalogue entry of one backbone as one constructor call made it: the whole network
    as one layer, from an image batch ``(batch, height, width, channels)`` to its features or
    class scores. ``built`` is the input shape it was built for (a model's weights fit that
    channel count, and VGG's top that image size)."""

    def __init__(self, backbone: Backbone, data_format: Any, built: Shape | None = None) -> None:
        family = backbone.family
        self.backbone = backbone
        self.name = backbone.name  # type: ignore[misc]
        self.params = family.positional  # type: ignore[misc]
        self.defaults = {**_COMMON, **family.options}  # type: ignore[misc]
        self.other_args = frozenset(self.defaults) | family.harmless  # type: ignore[misc]
        self.data_format = data_format
        self.built = built

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(4)

    def declared_input_shape(self, args: Args) -> Shape | None:
        """The input the constructor makes itself when given no ``input_tensor``, batch
        included; None when tdlint cannot know it."""
        family = self.backbone.family
        shape = args.get("input_shape")
        if isinstance(shape, (tuple, list)) and shape:
            if len(shape) != 3:
                return None
            return (
                None,
                *(d if d is None or is_known(d) or is_unknown(d) else UNKNOWN for d in shape),
            )
        if shape is not None and shape != ():
            return None
        include_top = args.get("include_top")
        sized = self.backbone.sized_without_top
        if family.input_rule == "free" or (include_top is False and not sized):
            return (None, None, None, 3)
        if include_top is True or (include_top is False and sized):
            size = self.backbone.default_size
            return (None, size, size, 3)
        return None

    def output_shape(self, args: Args, x: Any) -> Shape | None:
        network = self._network(args, x)
        if network is None:
            return None
        variant, height, width = network
        if args.get("include_top"):
            return (x[0], args.get("classes"))
        pooling = args.get("pooling")
        if pooling is None:
            return (x[0], height, width, variant.features)
        if pooling in ("avg", "max"):
            return (x[0], variant.features)
        return None  # another value, or one tdlint cannot read

    def count_params(self, args: Args, x: Any) -> Any:
        network = self._network(args, x)
        channels = x[3] if isinstance(x, tuple) and len(x) == 4 else UNKNOWN
        if network is None or not is_known(channels):
            return UNKNOWN
        variant, height, width = network
        classes = args.get("classes")
        built = self.built if self.built is not None else x
        if self.backbone.family.needs_static_size and not _static(built):
            return UNKNOWN
        total = variant.params + variant.per_channel * (channels - 3)
        if not args.get("include_top"):
            return total
        if not is_known(classes):
            return UNKNOWN
        flatten = self.backbone.family.flatten_top
        width_in = height * width * variant.features if flatten else variant.features
        for units in (*variant.hidden, classes):
            total += width_in * units + units
            width_in = units
        return total

    def _network(self, args: Args, x: Any) -> tuple[Variant, Any, Any] | None:
        """The network these arguments build and the size of its last feature map, for
        input ``x``; None when Keras refuses them or tdlint cannot tell what they build."""
        if not isinstance(x, tuple) or len(x) != 4 or self.data_format != "channels_last":
            return None
        if args.has_star_args or args.foreign_signature or self._excluded(args, x):
            return None
        family = self.backbone.family
        try:
            variant = self.backbone.variants.get(tuple(args.get(o) for o in family.options))
        except TypeError:  # an unhashable option value: a list, an unknown
            return None
        if variant is None:
            return None
        height, width = x[1], x[2]
        for step in family.steps:
            height, width = step.apply(height), step.apply(width)
        if any(is_known(d) and d <= 0 for d in (height, width)):
            return None  # an image too small: a layer on the way would refuse it
        flat_top = args.get("include_top") and family.flatten_top
        if flat_top and not (is_known(height) and is_known(width)):
            return None  # VGG's Flatten needs a static image size for its Dense
        return variant, height, width

    def _excluded(self, args: Args, x: Shape) -> bool:
        """Whether nothing can be said: Keras certainly refuses these arguments, or which
        network they build is unknown. A value tdlint cannot read is assumed accepted: had
        Keras refused it, the program would stop here, and no shape after it would matter."""
        family = self.backbone.family
        include_top = args.get("include_top")
        if not isinstance(include_top, bool):
            return True  # not refused, but which network it is is unknown
        imagenet = args.get("weights") == "imagenet"
        classes = args.get("classes")
        if include_top and not (is_known(classes) or is_unknown(classes)):
            return True
        if include_top and is_known(classes) and (classes <= 0 or (imagenet and classes != 1000)):
            return True
        if imagenet and is_known(x[3]) and x[3] != 3:
            return True  # the ImageNet weights are for 3 channels
        if self.built is not None and _differ(self.built[3], x[3]):
            return True  # the first convolution was built for other channels
        dynamic_build = self.built is not None and not _static(self.built)
        if family.needs_static_size and dynamic_build and _static(x):
            return True  # NASNet built for any size, run on a static one
        flat_top = include_top and family.flatten_top and self.built is not None
        if flat_top and (_differ(self.built[1], x[1]) or _differ(self.built[2], x[2])):
            return True  # the top's first Dense was built for another image size
        return self._shape_refused(args, include_top, imagenet)

    def _shape_refused(self, args: Args, include_top: bool, imagenet: bool) -> bool:
        """Keras's checks of ``input_shape`` (``obtain_input_shape`` and its variants)."""
        family = self.backbone.family
        shape = args.get("input_shape")
        if not isinstance(shape, (tuple, list)) or not shape:
            return False
        if len(shape) != 3:
            return True
        rows, cols, channels = shape
        small = [d for d in (rows, cols) if is_known(d) and d < family.min_size]
        if family.input_rule == "free":
            return bool(small) and is_known(rows) and is_known(cols) and rows > 0 and cols > 0
        if small or (imagenet and is_known(channels) and channels != 3):
            return True
        if family.needs_static_size and imagenet and isinstance(shape, tuple) and None in shape:
            return True
        if include_top and None in shape:
            return True  # the top needs a static image size
        if include_top and imagenet:
            size = self.backbone.default_size
            if rows == cols and rows in family.square_sizes:
                size = rows
            # Keras compares the argument with a tuple: a list never equals it.
            if any(is_unknown(d) for d in shape):
                return False
            return not (isinstance(shape, tuple) and shape == (size, size, 3))
        return False


def _static(shape: Shape) -> bool:
    """Both spatial dims of an image batch are known."""
    return is_known(shape[1]) and is_known(shape[2])


def _differ(a: Any, b: Any) -> bool:
    """Two dims certainly different (unknown and dynamic ones may be anything)."""
    return is_known(a) and is_known(b) and a != b
