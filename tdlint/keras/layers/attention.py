"""Attention layers: several input tensors, the query's shape out."""

from __future__ import annotations

from typing import Any

from tdlint.keras.catalogue import Args, LayerSpec, register
from tdlint.keras.shapes import UNKNOWN, Shape, combine, is_known


class _DotAttention(LayerSpec):
    """``Attention()([query, value(, key)])``: ``query[:-1] + value[-1:]``."""

    params = ("use_scale", "score_mode", "dropout")
    defaults = {"use_scale": False, "score_mode": "dot"}
    other_args = frozenset({"seed"})
    multi_input = True

    def output_shape(self, args: Args, xs: list[Shape]) -> Shape | None:
        if len(xs) not in (2, 3):
            return None
        query, value = xs[0], xs[1]
        return (*query[:-1], value[-1])

    def count_params(self, args: Args, xs: list[Shape]) -> Any:
        scale = 1 if args.get("use_scale") is True else 0
        concat = 1 if args.get("score_mode") == "concat" else 0
        return scale + concat


@register
class Attention(_DotAttention):
    name = "Attention"


@register
class AdditiveAttention(_DotAttention):
    name = "AdditiveAttention"
    defaults = {"use_scale": True}

    def count_params(self, args: Args, xs: list[Shape]) -> Any:
        # The scale is a vector over the feature axis.
        if args.get("use_scale") is False:
            return 0
        return combine(lambda c: c, xs[0][-1])


@register
class MultiHeadAttention(LayerSpec):
    """``mha(query, value, key=None)``: the query's shape, last axis ``output_shape``."""

    name = "MultiHeadAttention"
    params = ("num_heads", "key_dim", "value_dim", "dropout", "use_bias", "output_shape")
    defaults = {"value_dim": None, "use_bias": True, "output_shape": None}
    other_args = frozenset(
        {
            "attention_axes",
            "flash_attention",
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "bias_constraint",
            "seed",
        }
    )
    call_inputs = ("query", "value", "key")

    def output_shape(self, args: Args, xs: list[Shape]) -> Shape | None:
        query = xs[0]
        out = args.get("output_shape")
        if out is None:
            return query
        if is_known(out):
            return (*query[:-1], out)
        if isinstance(out, (tuple, list)):
            return (*query[:-1], *out)
        return None

    def count_params(self, args: Args, xs: list[Shape]) -> Any:
        query, value = xs[0], xs[1]
        key = xs[2] if len(xs) > 2 else value
        heads, key_dim = args.int("num_heads"), args.int("key_dim")
        value_dim = args.get("value_dim")
        value_dim = key_dim if value_dim is None else args.int("value_dim")
        out = args.get("output_shape")
        out_dim = query[-1] if out is None else out
        bias = args.flag("use_bias")
        if not isinstance(bias, bool):
            return UNKNOWN

        def dense(fan_in: Any, units: Any) -> Any:
            return combine(lambda f, u: f * u + (u if bias else 0), fan_in, units)

        projection = combine(lambda h, d: h * d, heads, key_dim)
        value_projection = combine(lambda h, d: h * d, heads, value_dim)
        parts = [
            dense(query[-1], projection),
            dense(key[-1], projection),
            dense(value[-1], value_projection),
            combine(lambda v, o: v * o + (o if bias else 0), value_projection, out_dim),
        ]
        return combine(lambda *p: sum(p), *parts)
