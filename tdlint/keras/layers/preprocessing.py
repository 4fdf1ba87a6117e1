"""Preprocessing layers: most keep the shape; a few set it."""

from __future__ import annotations

from typing import Any

from tdlint.keras.catalogue import Args, LayerSpec, register
from tdlint.keras.shapes import UNKNOWN, Shape, combine, is_known


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
    """Resizing/CenterCrop: images to ``(height, width)``, channels kept."""

    params = ("height", "width")

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        if len(x) not in (3, 4):
            return None
        fmt = args.get("data_format")
        height, width = args.int("height"), args.int("width")
        if fmt == "channels_first":
            return (*x[:-2], height, width)
        return (*x[:-3], height, width, x[-1])


@register
class Resizing(_Resizing):
    name = "Resizing"


@register
class CenterCrop(_Resizing):
    name = "CenterCrop"
