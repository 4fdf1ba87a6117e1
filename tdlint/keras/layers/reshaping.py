"""Layers that resize spatial axes: up-sampling, zero-padding and cropping."""

from __future__ import annotations

from typing import Any

from tdlint.keras.catalogue import Args, LayerSpec, RankSpec, register
from tdlint.keras.layers.conv import join_channels, split_channels
from tdlint.keras.shapes import UNKNOWN, Shape, combine, is_known


class _Spatial(LayerSpec):
    rank = 2
    # UpSampling1D and Cropping1D take no data_format: always (batch, steps, channels).
    has_data_format = True

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(self.rank + 2)

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        if not self.has_data_format:
            return (x[0], *self.resize(args, (x[1],)), x[2])
        parts = split_channels(args, x)
        if parts is None:
            return None
        channels, spatial = parts
        return join_channels(args, x[0], channels, self.resize(args, spatial))

    def output_shape_unknown_input(self, args: Args) -> Shape:
        return (UNKNOWN,) * (self.rank + 2)

    def resize(self, args: Args, spatial: tuple[Any, ...]) -> tuple[Any, ...]:
        raise NotImplementedError


def _pairs(value: Any, rank: int) -> tuple[tuple[Any, Any], ...]:
    """Padding/cropping in any of Keras's spellings: 1, (1, 2) per axis, or ((1, 2), (3, 4))."""
    if is_known(value):
        return ((value, value),) * rank
    if isinstance(value, (tuple, list)):
        if rank == 1 and len(value) == 2 and all(is_known(v) for v in value):
            return ((value[0], value[1]),)
        if len(value) == rank:
            pairs = []
            for item in value:
                if is_known(item):
                    pairs.append((item, item))
                elif isinstance(item, (tuple, list)) and len(item) == 2:
                    pairs.append(tuple(v if is_known(v) else UNKNOWN for v in item))
                else:
                    pairs.append((UNKNOWN, UNKNOWN))
            return tuple(pairs)  # type: ignore[arg-type]
    return ((UNKNOWN, UNKNOWN),) * rank


class _UpSampling(_Spatial):
    params = ("size", "data_format")

    def resize(self, args: Args, spatial: tuple[Any, ...]) -> tuple[Any, ...]:
        sizes = args.ints("size", self.rank)
        return tuple(combine(lambda n, s: n * s, n, s) for n, s in zip(spatial, sizes, strict=True))


@register
class UpSampling1D(_UpSampling):
    name = "UpSampling1D"
    params = ("size",)
    defaults = {"size": 2}
    rank = 1
    has_data_format = False


@register
class UpSampling2D(_UpSampling):
    name = "UpSampling2D"
    defaults = {"size": 2}
    other_args = frozenset({"interpolation"})
    rank = 2


@register
class UpSampling3D(_UpSampling):
    name = "UpSampling3D"
    defaults = {"size": 2}
    rank = 3


class _ZeroPadding(_Spatial):
    params = ("padding", "data_format")
    defaults = {"padding": 1}

    def resize(self, args: Args, spatial: tuple[Any, ...]) -> tuple[Any, ...]:
        pairs = _pairs(args.get("padding"), self.rank)
        return tuple(
            combine(lambda n, a, b: n + a + b, n, *p) for n, p in zip(spatial, pairs, strict=True)
        )


@register
class ZeroPadding1D(_ZeroPadding):
    name = "ZeroPadding1D"
    rank = 1


@register
class ZeroPadding2D(_ZeroPadding):
    name = "ZeroPadding2D"
    rank = 2


@register
class ZeroPadding3D(_ZeroPadding):
    name = "ZeroPadding3D"
    rank = 3


class _Cropping(_Spatial):
    params = ("cropping", "data_format")
    shrinks_spatial = True

    def resize(self, args: Args, spatial: tuple[Any, ...]) -> tuple[Any, ...]:
        pairs = _pairs(args.get("cropping"), self.rank)
        return tuple(
            combine(lambda n, a, b: n - a - b, n, *p) for n, p in zip(spatial, pairs, strict=True)
        )


@register
class Cropping1D(_Cropping):
    name = "Cropping1D"
    params = ("cropping",)
    defaults = {"cropping": (1, 1)}
    rank = 1
    has_data_format = False


@register
class Cropping2D(_Cropping):
    name = "Cropping2D"
    defaults = {"cropping": ((0, 0), (0, 0))}
    rank = 2


@register
class Cropping3D(_Cropping):
    name = "Cropping3D"
    defaults = {"cropping": ((1, 1), (1, 1), (1, 1))}
    rank = 3
