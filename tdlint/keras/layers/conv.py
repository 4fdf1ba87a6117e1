"""Convolution and pooling layers (1D, 2D and 3D; channels_last and channels_first)."""

from __future__ import annotations

import math
from typing import Any

from tdlint.keras.catalogue import (
    Args,
    LayerShapeError,
    LayerSpec,
    RankSpec,
    register,
)
from tdlint.keras.layers.core import _sequence_input_shape
from tdlint.keras.legacy import WEIGHT_RENAMES
from tdlint.keras.shapes import UNKNOWN, Shape, Symbol, combine, is_known, product

_CONV_RENAMES = {
    **WEIGHT_RENAMES,
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "subsample_length": "strides",
    "subsample": "strides",
    "border_mode": "padding",
    "dim_ordering": "data_format",
    "atrous_rate": "dilation_rate",
}
_CONV_ARGS = frozenset(
    {
        "activation",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "input_length",
        "nb_row",
        "nb_col",
        "kernel_dim1",
        "kernel_dim2",
        "kernel_dim3",
        "lora_rank",
        "lora_alpha",
    }
)


def channels_first(args: Args) -> Any:
    fmt = args.get("data_format")
    if fmt is None:
        fmt = args.default_data_format
    if not isinstance(fmt, str):
        return UNKNOWN
    # Keras 1 spelled it dim_ordering='th' (Theano) / 'tf' (TensorFlow).
    return fmt.lower() in ("channels_first", "th")


def split_channels(args: Args, x: Shape) -> tuple[Any, tuple[Any, ...]] | None:
    """(channels, spatial dims) of an input, or None when the data format is unknown."""
    first = channels_first(args)
    if first is UNKNOWN:
        return None
    return (x[1], tuple(x[2:])) if first else (x[-1], tuple(x[1:-1]))


def join_channels(args: Args, batch: Any, channels: Any, spatial: tuple[Any, ...]) -> Shape:
    if channels_first(args) is True:
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def conv_length(length: Any, kernel: Any, stride: Any, dilation: Any, padding: Any) -> Any:
    """Keras's conv output length along one axis (may be <= 0: a shape error)."""
    if padding is UNKNOWN:
        return UNKNOWN
    if isinstance(length, Symbol) and stride == 1 and (padding != "valid" or kernel == 1):
        return length  # ``same`` (or a 1-wide kernel) at stride 1 keeps a named length
    if padding in ("same", "causal"):
        return combine(lambda n, s: math.ceil(n / s), length, stride)
    if padding == "valid":
        return combine(
            lambda n, k, s, d: (n - d * (k - 1) - 1) // s + 1, length, kernel, stride, dilation
        )
    return UNKNOWN


def pool_length(length: Any, pool: Any, stride: Any, padding: Any) -> Any:
    return conv_length(length, pool, stride, 1, padding)


class _Conv(LayerSpec):
    """ConvND: exactly rank+2 input; spatial axes shrink by kernel, stride and dilation."""

    rank = 2
    shrinks_spatial = True
    params = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate")
    defaults = {
        "strides": 1,
        "padding": "valid",
        "dilation_rate": 1,
        "use_bias": True,
        "groups": 1,
        "depth_multiplier": 1,
    }
    renames = _CONV_RENAMES
    other_args = _CONV_ARGS | {"groups", "use_bias"}

    def normalize(self, values: dict[str, Any]) -> dict[str, Any]:
        # Keras 1: Convolution2D(nb_filter, nb_row, nb_col); Convolution3D(.., kernel_dim1..3).
        for names in (("nb_row", "nb_col"), ("kernel_dim1", "kernel_dim2", "kernel_dim3")):
            if all(n in values for n in names):
                values["kernel_size"] = tuple(values.pop(n) for n in names)
        # Keras 2 code that kept the old class name: Convolution2D(32, (3, 3)).
        if "nb_row" in values and "nb_col" not in values:
            values["kernel_size"] = values.pop("nb_row")
        if "kernel_dim1" in values and "kernel_dim2" not in values:
            values["kernel_size"] = values.pop("kernel_dim1")
        return values

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(self.rank + 2)

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        parts = split_channels(args, x)
        if parts is None:
            return None
        channels, spatial = parts
        _check_groups(args, channels)
        padding = args.text("padding")
        kernel = args.ints("kernel_size", self.rank)
        strides = args.ints("strides", self.rank)
        dilation = args.ints("dilation_rate", self.rank)
        out = tuple(
            conv_length(n, k, s, d, padding)
            for n, k, s, d in zip(spatial, kernel, strides, dilation, strict=True)
        )
        return join_channels(args, x[0], args.int("filters"), out)

    def output_shape_unknown_input(self, args: Args) -> Shape:
        return (UNKNOWN,) * (self.rank + 2)

    def count_params(self, args: Args, x: Shape) -> Any:
        parts = split_channels(args, self.weight_input(x))
        bias = args.flag("use_bias")
        if parts is None or bias is UNKNOWN:
            return UNKNOWN
        return combine(
            lambda k, c, f, m, g: self.weight_count(k, c, f, m, g, bias),
            product(args.ints("kernel_size", self.rank)),
            parts[0],
            args.int("filters"),
            args.int("depth_multiplier"),
            args.int("groups"),
        )

    def weight_input(self, x: Shape) -> Shape:
        """The shape the kernel is sized from (a ConvLSTM drops its time axis)."""
        return x

    def weight_count(self, k: int, c: int, f: int, m: int, g: int, bias: bool) -> int:
        """Parameters for kernel size ``k`` (all axes), ``c`` input channels, ``f`` filters,
        depth multiplier ``m``, ``g`` groups."""
        return k * (c // g) * f + (f if bias else 0)


def _kernel_and_bias(self: _Conv, args: Args, x: Shape | None) -> list[Shape] | None:
    """Conv1D/2D/3D: a kernel ``(*kernel_size, channels // groups, filters)`` whatever the data
    format (Keras 2 and later), and a bias ``(filters,)``."""
    bias = args.flag("use_bias")
    parts = None if x is None else split_channels(args, x)
    if parts is None or bias is UNKNOWN:
        return None
    filters = args.int("filters")
    per_group = combine(lambda c, g: c // g, parts[0], args.int("groups"))
    kernel = (*args.ints("kernel_size", self.rank), per_group, filters)
    return [kernel, *([(filters,)] if bias else [])]


@register
class Conv1D(_Conv):
    name = "Conv1D"
    keras1_weights = "sizes"
    weight_shapes = _kernel_and_bias
    aliases = ("Convolution1D",)
    rank = 1
    keras1_params = ("filters", "kernel_size", "kernel_initializer", "activation")

    def declared_input_shape(self, args: Args) -> Shape | None:
        return _sequence_input_shape(self, args)


@register
class Conv2D(_Conv):
    name = "Conv2D"
    keras1_weights = "sizes"
    weight_shapes = _kernel_and_bias
    aliases = ("Convolution2D",)
    rank = 2
    keras1_params = ("filters", "nb_row", "nb_col", "kernel_initializer", "activation")


@register
class Conv3D(_Conv):
    name = "Conv3D"
    keras1_weights = "sizes"
    weight_shapes = _kernel_and_bias
    aliases = ("Convolution3D",)
    rank = 3
    keras1_params = ("filters", "kernel_dim1", "kernel_dim2", "kernel_dim3")


class _Pooling(LayerSpec):
    rank = 2
    shrinks_spatial = True
    params = ("pool_size", "strides", "padding", "data_format")
    defaults = {"pool_size": 2, "strides": None, "padding": "valid"}
    renames = {
        "pool_length": "pool_size",
        "stride": "strides",
        "border_mode": "padding",
        "dim_ordering": "data_format",
    }

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(self.rank + 2)

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        parts = split_channels(args, x)
        if parts is None:
            return None
        channels, spatial = parts
        pool = args.ints("pool_size", self.rank)
        strides = pool if args.get("strides") is None else args.ints("strides", self.rank)
        padding = args.text("padding")
        out = tuple(
            pool_length(n, p, s, padding) for n, p, s in zip(spatial, pool, strides, strict=True)
        )
        return join_channels(args, x[0], channels, out)

    def output_shape_unknown_input(self, args: Args) -> Shape:
        return (UNKNOWN,) * (self.rank + 2)


def _pooling(name: str, rank: int, aliases: tuple[str, ...] = ()) -> type[LayerSpec]:
    attrs: dict[str, Any] = {"name": name, "rank": rank, "aliases": aliases}
    if rank == 1:
        attrs["declared_input_shape"] = lambda self, args: _sequence_input_shape(self, args)
    return register(type(name, (_Pooling,), attrs))


MaxPooling1D = _pooling("MaxPooling1D", 1, ("MaxPool1D",))
MaxPooling2D = _pooling("MaxPooling2D", 2, ("MaxPool2D",))
MaxPooling3D = _pooling("MaxPooling3D", 3, ("MaxPool3D",))
AveragePooling1D = _pooling("AveragePooling1D", 1, ("AvgPool1D",))
AveragePooling2D = _pooling("AveragePooling2D", 2, ("AvgPool2D",))
AveragePooling3D = _pooling("AveragePooling3D", 3, ("AvgPool3D",))


class _GlobalPooling(LayerSpec):
    """``(B, *spatial, C)`` -> ``(B, C)``; ``keepdims=True`` keeps size-1 spatial axes."""

    rank = 2
    params = ("data_format", "keepdims")
    defaults = {"keepdims": False}
    renames = {"dim_ordering": "data_format"}

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(self.rank + 2)

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        parts = split_channels(args, x)
        keepdims = args.flag("keepdims")
        if parts is None or keepdims is UNKNOWN:
            return None
        channels, spatial = parts
        if keepdims:
            return join_channels(args, x[0], channels, (1,) * len(spatial))
        return (x[0], channels)

    def output_shape_unknown_input(self, args: Args) -> Shape | None:
        keepdims = args.flag("keepdims")
        if keepdims is UNKNOWN:
            return None
        return (UNKNOWN,) * (self.rank + 2 if keepdims else 2)


def _global(name: str, rank: int, aliases: tuple[str, ...]) -> type[LayerSpec]:
    return register(type(name, (_GlobalPooling,), {"name": name, "rank": rank, "aliases": aliases}))


GlobalAveragePooling1D = _global("GlobalAveragePooling1D", 1, ("GlobalAvgPool1D",))
GlobalAveragePooling2D = _global("GlobalAveragePooling2D", 2, ("GlobalAvgPool2D",))
GlobalAveragePooling3D = _global("GlobalAveragePooling3D", 3, ("GlobalAvgPool3D",))
GlobalMaxPooling1D = _global("GlobalMaxPooling1D", 1, ("GlobalMaxPool1D",))
GlobalMaxPooling2D = _global("GlobalMaxPooling2D", 2, ("GlobalMaxPool2D",))
GlobalMaxPooling3D = _global("GlobalMaxPooling3D", 3, ("GlobalMaxPool3D",))


def _check_groups(args: Args, channels: Any) -> None:
    """Grouped convolutions split channels and filters evenly, or Keras refuses them."""
    groups, filters = args.int("groups"), args.int("filters")
    if not is_known(groups) or groups <= 1:
        return
    if is_known(channels) and channels % groups:
        raise LayerShapeError(
            f"{channels} input channels do not split into {groups} groups", "weights"
        )
    if is_known(filters) and filters % groups:
        raise LayerShapeError(f"{filters} filters do not split into {groups} groups", "weights")


def transpose_length(
    length: Any, kernel: Any, stride: Any, dilation: Any, padding: Any, output_padding: Any
) -> Any:
    """Keras's transposed-conv output length along one axis."""
    if padding is UNKNOWN or padding not in ("valid", "same"):
        return UNKNOWN

    def size(n: int, k: int, s: int, d: int) -> int:
        k = (k - 1) * d + 1
        if padding == "valid":
            extra = max(k, s) - k if output_padding is None else output_padding
            return (n - 1) * s + k + extra
        if output_padding is None:
            return n * s
        return (n - 1) * s + k % 2 + output_padding

    if output_padding is not None and not isinstance(output_padding, int):
        return UNKNOWN
    return combine(size, length, kernel, stride, dilation)


class _ConvTranspose(_Conv):
    params = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "output_padding",
        "data_format",
        "dilation_rate",
    )
    defaults = {**_Conv.defaults, "output_padding": None}
    other_args = _Conv.other_args | {"output_padding"}

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        parts = split_channels(args, x)
        if parts is None:
            return None
        padding = args.text("padding")
        kernel = args.ints("kernel_size", self.rank)
        strides = args.ints("strides", self.rank)
        dilation = args.ints("dilation_rate", self.rank)
        raw_padding = args.get("output_padding")
        paddings = (
            (None,) * self.rank if raw_padding is None else args.ints("output_padding", self.rank)
        )
        out = tuple(
            transpose_length(n, k, s, d, padding, p)
            for n, k, s, d, p in zip(parts[1], kernel, strides, dilation, paddings, strict=True)
        )
        return join_channels(args, x[0], args.int("filters"), out)


@register
class Conv1DTranspose(_ConvTranspose):
    name = "Conv1DTranspose"
    aliases = ("Convolution1DTranspose",)
    rank = 1


@register
class Conv2DTranspose(_ConvTranspose):
    name = "Conv2DTranspose"
    aliases = ("Convolution2DTranspose", "Deconvolution2D")
    rank = 2


@register
class Conv3DTranspose(_ConvTranspose):
    name = "Conv3DTranspose"
    aliases = ("Convolution3DTranspose", "Deconvolution3D")
    rank = 3


class _SeparableConv(_Conv):
    """Depthwise then pointwise: the spatial shape of a conv, fewer parameters."""

    params = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "depth_multiplier",
    )
    defaults = {**_Conv.defaults, "depth_multiplier": 1}
    other_args = _Conv.other_args | {
        "depthwise_initializer",
        "pointwise_initializer",
        "depthwise_regularizer",
        "pointwise_regularizer",
        "depthwise_constraint",
        "pointwise_constraint",
    }

    def weight_count(self, k: int, c: int, f: int, m: int, g: int, bias: bool) -> int:
        return k * c * m + c * m * f + (f if bias else 0)


@register
class SeparableConv1D(_SeparableConv):
    name = "SeparableConv1D"
    aliases = ("SeparableConvolution1D",)
    rank = 1


@register
class SeparableConv2D(_SeparableConv):
    name = "SeparableConv2D"
    aliases = ("SeparableConvolution2D",)
    rank = 2


class _DepthwiseConv(_Conv):
    """One filter (times depth_multiplier) per input channel."""

    params = (
        "kernel_size",
        "strides",
        "padding",
        "depth_multiplier",
        "data_format",
        "dilation_rate",
    )
    # No filters: one output per input channel and multiplier (the count ignores filters).
    defaults = {**_Conv.defaults, "depth_multiplier": 1, "filters": 1}
    other_args = _Conv.other_args | {
        "depthwise_initializer",
        "depthwise_regularizer",
        "depthwise_constraint",
    }

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        parts = split_channels(args, x)
        if parts is None:
            return None
        shape = super().output_shape(args, x)
        if shape is None:
            return None
        channels = combine(lambda c, m: c * m, parts[0], args.int("depth_multiplier"))
        return join_channels(args, x[0], channels, split_channels(args, shape)[1])  # type: ignore[index]

    def weight_count(self, k: int, c: int, f: int, m: int, g: int, bias: bool) -> int:
        return k * c * m + (c * m if bias else 0)


@register
class DepthwiseConv1D(_DepthwiseConv):
    name = "DepthwiseConv1D"
    rank = 1


@register
class DepthwiseConv2D(_DepthwiseConv):
    name = "DepthwiseConv2D"
    rank = 2


class _ConvLSTM(_Conv):
    """A convolutional LSTM: ``(B, T, *spatial, C)`` in; like an RNN over conv steps."""

    params = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
    )
    defaults = {**_Conv.defaults, "return_sequences": False, "return_state": False}
    other_args = _Conv.other_args | {
        "recurrent_activation",
        "recurrent_initializer",
        "recurrent_regularizer",
        "recurrent_constraint",
        "unit_forget_bias",
        "dropout",
        "recurrent_dropout",
        "seed",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
    }
    is_rnn = True

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(self.rank + 3)

    def output_shape(self, args: Args, x: Shape) -> Any:
        parts = split_channels(args, (x[0], *x[2:]))
        if parts is not None and any(d is None for d in parts[1]):
            raise LayerShapeError(
                "ConvLSTM layers need static spatial dimensions, got None", "undefined"
            )
        step = super().output_shape(args, (x[0], *x[2:]))
        return self._outputs(args, x[1], step)

    def output_shape_unknown_input(self, args: Args) -> Any:
        step = (UNKNOWN, *(UNKNOWN,) * self.rank, args.int("filters"))
        return self._outputs(args, UNKNOWN, step)

    def _outputs(self, args: Args, steps: Any, step: Shape | None) -> Any:
        sequences = args.flag("return_sequences")
        state = args.flag("return_state")
        if step is None or sequences is UNKNOWN or state is UNKNOWN:
            return None
        output = (step[0], steps, *step[1:]) if sequences else step
        return [output, step, step] if state else output

    def weight_input(self, x: Shape) -> Shape:
        return (x[0], *x[2:])

    def weight_count(self, k: int, c: int, f: int, m: int, g: int, bias: bool) -> int:
        # Four gates, each an input kernel and a recurrent kernel of the same size.
        return 4 * (k * (c + f) * f + (f if bias else 0))


@register
class ConvLSTM1D(_ConvLSTM):
    name = "ConvLSTM1D"
    rank = 1


@register
class ConvLSTM2D(_ConvLSTM):
    name = "ConvLSTM2D"
    rank = 2


@register
class ConvLSTM3D(_ConvLSTM):
    name = "ConvLSTM3D"
    rank = 3
