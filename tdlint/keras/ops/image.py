"""Image ops: resizing, extracting patches, and moving blocks between depth and space
(cropping and padding are in ``cropping``)."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    add_spelling,
    dim_of,
    register,
    scaled,
)
from tdlint.keras.shapes import UNKNOWN, is_known


@register
class Resize(Op):
    """``tf.image.resize`` and ``keras.ops.image.resize`` (channels last)."""

    name = "resize"
    params = ("x", "size")
    renames: ClassVar[dict[str, str]] = {"images": "x", "image": "x"}
    other_args = frozenset(
        {"method", "interpolation", "antialias", "preserve_aspect_ratio", "data_format"}
        | {"crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode", "fill_value"}
    )
    spellings = ("image:resize",)

    def shape(self, args: Args, x: Any) -> Any:
        size = args.get("size", UNKNOWN)
        channels_last = args.get("data_format", "channels_last") in ("channels_last", None)
        if args.get("preserve_aspect_ratio", False) is not False or not channels_last:
            return None
        if not isinstance(size, (tuple, list)) or len(size) != 2 or len(x) not in (3, 4):
            return None
        return (*x[:-3], dim_of(size[0]), dim_of(size[1]), x[-1])


@register
class ExtractPatches(Op):
    """``tf.image.extract_patches`` and ``keras.ops.image.extract_patches`` (channels last,
    4D): patches of ``size`` every ``strides``, flattened into the last axis."""

    name = "extract_patches"
    params = ("x", "size", "strides", "dilation_rate", "padding")
    renames: ClassVar[dict[str, str]] = {"images": "x", "image": "x", "sizes": "size"}
    defaults: ClassVar[dict[str, Any]] = {"strides": None, "padding": "valid"}
    other_args = frozenset({"rates", "data_format"})

    def shape(self, args: Args, x: Any) -> Any:
        if len(x) != 4 or args.get("data_format", None) not in (None, "channels_last"):
            return None
        size = _window(args.get("size", UNKNOWN))
        strides = _window(args.get("strides")) if args.get("strides") is not None else size
        padding = args.get("padding")
        padding = padding.lower() if isinstance(padding, str) else padding
        if padding not in ("valid", "same") or _dilated(args):
            return None
        out = [x[0]]
        for n, k, s in zip(x[1:3], size, strides, strict=True):
            if not (is_known(n) and is_known(k) and is_known(s)):
                out.append(None if n is None else UNKNOWN)
            else:
                out.append(-(-n // s) if padding == "same" else (n - k) // s + 1)
        depth = UNKNOWN
        if all(is_known(d) for d in (*size, x[3])):
            depth = size[0] * size[1] * x[3]
        return (*out, depth)


def _window(value: Any) -> tuple[Any, Any]:
    """``3``, ``(3, 3)`` or TensorFlow's ``[1, 3, 3, 1]`` as (height, width)."""
    if is_known(value):
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return (value[0], value[1])
    if isinstance(value, (tuple, list)) and len(value) == 4:
        return (value[1], value[2])
    return (UNKNOWN, UNKNOWN)


def _dilated(args: Args) -> bool:
    for name in ("dilation_rate", "rates"):
        value = args.get(name, 1)
        if isinstance(value, list):
            value = tuple(value)
        if value not in (1, None, (1, 1), (1, 1, 1, 1)):
            return True
    return False


add_spelling("keras.ops.image.extract_patches", ExtractPatches())


class TfExtractPatches(ExtractPatches):
    """TensorFlow's spelling: ``sizes``, ``strides`` and ``rates`` as ``[1, k, k, 1]``, and a
    padding that is required."""

    params = ("x", "sizes", "strides", "rates", "padding")
    renames: ClassVar[dict[str, str]] = {"images": "x", "sizes": "size"}
    defaults: ClassVar[dict[str, Any]] = {"strides": UNKNOWN, "padding": UNKNOWN}


add_spelling("tensorflow.image.extract_patches", TfExtractPatches())


def channels_last(data_format: Any) -> bool:
    """Keras's and TensorFlow's names of the two layouts (Keras's default: channels last)."""
    if data_format in (None, "channels_last", "NHWC"):
        return True
    if data_format in ("channels_first", "NCHW"):
        return False
    raise ValueError(data_format)


# ---------------------------------------------------------------- depth and space


@register
class DepthToSpace(Op):
    """``ops.depth_to_space(x, block_size)`` and ``tf.nn.depth_to_space``: blocks of
    channels moved into ``block_size`` x ``block_size`` patches (4D)."""

    name = "depth_to_space"
    params = ("x", "block_size", "data_format")
    renames: ClassVar[dict[str, str]] = {"input": "x"}
    spellings = ("ops:depth_to_space", "nn:depth_to_space")
    to_space: ClassVar[bool] = True

    def shape(self, args: Args, x: Any) -> Any:
        block = args.get("block_size", UNKNOWN)
        if len(x) != 4 or not is_known(block) or block < 1:
            raise ValueError((x, block))
        last = channels_last(args.get("data_format"))
        batch, height, width, depth = x if last else (x[0], x[2], x[3], x[1])
        if self.to_space:
            height, width = scaled(height, block), scaled(width, block)
            depth = _divided(depth, block * block)
        else:
            height, width = _divided(height, block), _divided(width, block)
            depth = scaled(depth, block * block)
        return (batch, height, width, depth) if last else (batch, depth, height, width)


@register
class SpaceToDepth(DepthToSpace):
    name = "space_to_depth"
    spellings = ("ops:space_to_depth", "nn:space_to_depth")
    to_space = False


def _divided(dim: Any, factor: int) -> Any:
    if not is_known(dim):
        return dim if dim is None else UNKNOWN
    if dim % factor:
        raise ValueError((dim, factor))
    return dim // factor
