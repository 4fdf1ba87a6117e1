"""Cropping and padding images: Keras's ``crop_images``/``pad_images`` and TensorFlow's
``crop_to_bounding_box``, ``pad_to_bounding_box``, ``resize_with_crop_or_pad`` and
``crop_and_resize``."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    dim_of,
    register,
)
from tdlint.keras.ops.image import channels_last
from tdlint.keras.shapes import UNKNOWN, is_known


@register
class CropImages(Op):
    """``ops.image.crop_images``: on each spatial axis, two of the margins before and after
    and the target size, the third worked out (Keras's rule)."""

    name = "crop_images"
    grows: ClassVar[bool] = False
    params = ("x", "top", "left", "bottom", "right", "target_height", "target_width")
    renames: ClassVar[dict[str, str]] = {
        "images": "x",
        "top_cropping": "top",
        "left_cropping": "left",
        "bottom_cropping": "bottom",
        "right_cropping": "right",
    }
    other_args = frozenset({"data_format"})
    spellings = ("ops-image:crop_images",)

    def shape(self, args: Args, x: Any) -> Any:
        if len(x) not in (3, 4):
            raise ValueError(x)
        first = -3 if channels_last(args.get("data_format")) else -2
        out = list(x)
        for axis, (before, after, target) in zip(
            (first, first + 1),
            (("top", "bottom", "target_height"), ("left", "right", "target_width")),
            strict=True,
        ):
            values = (args.get(before), args.get(after), args.get(target))
            out[axis] = _fit(x[axis], *values, grows=self.grows)
        return tuple(out)


@register
class PadImages(CropImages):
    name = "pad_images"
    grows = True
    renames: ClassVar[dict[str, str]] = {
        "images": "x",
        "top_padding": "top",
        "left_padding": "left",
        "bottom_padding": "bottom",
        "right_padding": "right",
    }
    spellings = ("ops-image:pad_images",)


@register
class CropToBoundingBox(CropImages):
    """``tf.image.crop_to_bounding_box(image, offset_height, offset_width, target_height,
    target_width)``: the box of the target size at the offsets."""

    name = "crop_to_bounding_box"
    params = ("x", "top", "left", "target_height", "target_width")
    renames: ClassVar[dict[str, str]] = {
        "image": "x",
        "offset_height": "top",
        "offset_width": "left",
    }
    other_args = frozenset()
    defaults: ClassVar[dict[str, Any]] = {n: UNKNOWN for n in params[1:]}
    spellings = ("tf-image:crop_to_bounding_box",)


@register
class PadToBoundingBox(CropToBoundingBox):
    """``tf.image.pad_to_bounding_box(image, offset_height, offset_width, target_height,
    target_width)``: the image at the offsets in a box of the target size."""

    name = "pad_to_bounding_box"
    grows = True
    spellings = ("tf-image:pad_to_bounding_box",)


def _fit(size: Any, before: Any, after: Any, target: Any, *, grows: bool) -> Any:
    """One spatial axis cropped (or padded, where it ``grows``) by ``before`` and ``after``
    to ``target``: two of the three given (None: not given). Raises where Keras does."""
    given = (before, after, target)
    if given.count(None) != 1 or any(is_known(v) and v < 0 for v in given):
        raise ValueError(given)
    if target is None:
        if size is None and grows:
            return None
        if not (is_known(size) and is_known(before) and is_known(after)):
            if size is None:
                raise ValueError("the target size of a dynamic axis is required")
            return UNKNOWN
        out = size + before + after if grows else size - before - after
        if out < 0:
            raise ValueError(out)
        return out
    target = dim_of(target)
    margin = before if after is None else after
    if is_known(size) and is_known(target):
        room = target - size if grows else size - target
        if room < 0 or (is_known(margin) and margin > room):
            raise ValueError((size, given))
    return target


@register
class ResizeWithCropOrPad(Op):
    """``tf.image.resize_with_crop_or_pad(image, target_height, target_width)``."""

    name = "resize_with_crop_or_pad"
    params = ("x", "target_height", "target_width")
    renames: ClassVar[dict[str, str]] = {"image": "x"}
    spellings = ("tf-image:resize_with_crop_or_pad", "tf-image:resize_image_with_crop_or_pad")

    def shape(self, args: Args, x: Any) -> Any:
        if len(x) not in (3, 4):
            raise ValueError(x)
        height, width = args.get("target_height", UNKNOWN), args.get("target_width", UNKNOWN)
        return (*x[:-3], dim_of(height), dim_of(width), x[-1])


@register
class CropAndResize(Op):
    """``tf.image.crop_and_resize(image, boxes, box_indices, crop_size)``: one crop of
    ``crop_size`` per box, ``(num_boxes, height, width, depth)``."""

    name = "crop_and_resize"
    params = ("x", "boxes", "box_indices", "crop_size")
    operands = ("x", "boxes")
    renames: ClassVar[dict[str, str]] = {"image": "x", "box_ind": "box_indices"}
    other_args = frozenset({"method", "extrapolation_value"})
    spellings = ("tf-image:crop_and_resize",)

    def shape(self, args: Args, x: Any, boxes: Any) -> Any:
        size = args.get("crop_size", UNKNOWN)
        if len(x) != 4 or len(boxes) != 2 or not isinstance(size, (tuple, list)):
            raise ValueError((x, boxes, size))
        if len(size) != 2:
            raise ValueError(size)
        return (boxes[0], dim_of(size[0]), dim_of(size[1]), x[3])
