"""Core layers: Dense, Embedding, reshaping layers and the shape-preserving family."""

from __future__ import annotations

from typing import Any

from tdlint.keras.catalogue import (
    Args,
    LayerShapeError,
    LayerSpec,
    RankSpec,
    register,
)
from tdlint.keras.legacy import DENSE_RENAMES
from tdlint.keras.shapes import (
    UNKNOWN,
    Shape,
    UnknownInt,
    combine,
    is_known,
    is_unknown,
    product,
)


@register
class InputLayer(LayerSpec):
    name = "InputLayer"
    params = ("shape", "batch_size", "dtype", "sparse", "batch_shape")
    other_args = frozenset({"input_tensor", "ragged", "optional"})
    shape_preserving = True

    def declared_input_shape(self, args: Args) -> Shape | None:
        for name in ("batch_shape", "batch_input_shape"):
            value = args.get(name)
            if isinstance(value, (tuple, list)):
                return tuple(_dim(v) for v in value)
        shape = args.get("shape", args.get("input_shape"))
        batch = args.get("batch_size")
        batch_dim = batch if is_known(batch) else None
        if isinstance(shape, (tuple, list)):
            return (batch_dim, *(_dim(v) for v in shape))
        if is_known(shape) or isinstance(shape, UnknownInt):
            # `Input(shape=(1024))` is an int: tf.keras 2.x read it as `(1024,)`, Keras 3
            # refuses it (TDL108 says so); the shape it means is still the one to follow.
            return (batch_dim, shape)
        return None


@register
class Dense(LayerSpec):
    name = "Dense"
    params = ("units", "activation", "use_bias")
    keras1_params = ("units", "kernel_initializer", "activation")
    defaults = {"use_bias": True}
    renames = DENSE_RENAMES
    other_args = frozenset(
        {
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "bias_constraint",
            "lora_rank",
            "lora_alpha",
            "quantization_config",
        }
    )

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec(min=2)

    def output_shape(self, args: Args, x: Shape) -> Shape:
        return (*x[:-1], args.int("units"))

    def count_params(self, args: Args, x: Shape) -> Any:
        units = args.int("units")
        bias = args.flag("use_bias")
        if bias is UNKNOWN:
            return UNKNOWN
        return combine(lambda f, u: f * u + (u if bias else 0), x[-1], units)

    def weight_shapes(self, args: Args, x: Shape | None) -> list[Shape] | None:
        bias = args.flag("use_bias")
        if x is None or bias is UNKNOWN:
            return None
        units = args.int("units")
        return [(x[-1], units), *([(units,)] if bias else [])]


@register
class TimeDistributedDense(Dense):
    """Keras 1's per-timestep Dense, removed in Keras 2.0 (see TDL002)."""

    name = "TimeDistributedDense"
    params = ("units", "kernel_initializer", "activation", "weights")
    keras1_params = None
    other_args = Dense.other_args | {"input_length"}
    legacy = True

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(3)

    def declared_input_shape(self, args: Args) -> Shape | None:
        return _sequence_input_shape(self, args)


@register
class Embedding(LayerSpec):
    name = "Embedding"
    params = ("input_dim", "output_dim", "embeddings_initializer")
    keras1_params = ("input_dim", "output_dim", "embeddings_initializer")
    renames = {
        "init": "embeddings_initializer",
        "W_regularizer": "embeddings_regularizer",
        "W_constraint": "embeddings_constraint",
    }
    other_args = frozenset(
        {
            "embeddings_regularizer",
            "embeddings_constraint",
            "activity_regularizer",
            "mask_zero",
            "input_length",
            "dropout",
            "sparse",
            "lora_rank",
            "lora_alpha",
        }
    )

    def output_shape(self, args: Args, x: Shape) -> Shape:
        return (*x, args.int("output_dim"))

    def count_params(self, args: Args, x: Shape) -> Any:
        return combine(lambda a, b: a * b, args.int("input_dim"), args.int("output_dim"))

    def weight_shapes(self, args: Args, x: Shape | None) -> list[Shape] | None:
        # Sized by the arguments alone: Keras 3 builds it in the constructor when given weights.
        return [(args.int("input_dim"), args.int("output_dim"))]

    def declared_input_shape(self, args: Args) -> Shape | None:
        declared = super().declared_input_shape(args)
        if declared is not None:
            return declared
        length = args.get("input_length")
        if length is None and "input_length" not in args:
            return None
        return (
            None,
            *(_dim(v) for v in (length if isinstance(length, (list, tuple)) else [length])),
        )

    def shape_args(self) -> frozenset[str]:
        # Embedding's input_dim is the vocabulary size, not a shape.
        return frozenset({"input_shape", "batch_input_shape", "input_length"})


class _ShapePreserving(LayerSpec):
    shape_preserving = True


def _preserving(name: str, params: tuple[str, ...] = (), **attrs: Any) -> type[LayerSpec]:
    cls = type(name, (_ShapePreserving,), {"name": name, "params": params, **attrs})
    return register(cls)


_DROPOUT_RENAMES = {"p": "rate"}
Activation = _preserving("Activation", ("activation",))
Dropout = _preserving("Dropout", ("rate", "noise_shape", "seed"), renames=_DROPOUT_RENAMES)
SpatialDropout1D = _preserving("SpatialDropout1D", ("rate",), renames=_DROPOUT_RENAMES)
SpatialDropout2D = _preserving(
    "SpatialDropout2D", ("rate", "data_format"), renames=_DROPOUT_RENAMES
)
SpatialDropout3D = _preserving(
    "SpatialDropout3D", ("rate", "data_format"), renames=_DROPOUT_RENAMES
)
GaussianNoise = _preserving("GaussianNoise", ("stddev", "seed"), renames={"sigma": "stddev"})
GaussianDropout = _preserving("GaussianDropout", ("rate", "seed"), renames=_DROPOUT_RENAMES)
AlphaDropout = _preserving("AlphaDropout", ("rate", "noise_shape", "seed"))
ActivityRegularization = _preserving("ActivityRegularization", ("l1", "l2"))
Masking = _preserving("Masking", ("mask_value",))
ReLU = _preserving("ReLU", ("max_value", "negative_slope", "threshold"))
LeakyReLU = _preserving("LeakyReLU", ("negative_slope",), other_args=frozenset({"alpha"}))
ELU = _preserving("ELU", ("alpha",))
Softmax = _preserving("Softmax", ("axis",))
ThresholdedReLU = _preserving("ThresholdedReLU", ("theta",))
UnitNormalization = _preserving("UnitNormalization", ("axis",))
Identity = _preserving("Identity")


class _Normalization(LayerSpec):
    """Per-feature scale/offset layers: shape kept, parameters on the normalised axis."""

    shape_preserving = True
    weights_per_feature = 2

    def count_params(self, args: Args, x: Shape) -> Any:
        axis = args.get("axis", -1)
        if not is_known(axis):
            return UNKNOWN
        flags = [args.flag("center"), args.flag("scale")]
        if UNKNOWN in flags:
            return UNKNOWN
        per_feature = self.weights_per_feature - flags.count(False)
        return combine(lambda c: per_feature * c, x[axis])


@register
class BatchNormalization(_Normalization):
    name = "BatchNormalization"
    params = ("axis", "momentum", "epsilon", "center", "scale")
    defaults = {"axis": -1, "center": True, "scale": True}
    renames = {"beta_init": "beta_initializer", "gamma_init": "gamma_initializer"}
    other_args = frozenset(
        {
            "beta_initializer",
            "gamma_initializer",
            "moving_mean_initializer",
            "moving_variance_initializer",
            "beta_regularizer",
            "gamma_regularizer",
            "beta_constraint",
            "gamma_constraint",
            "synchronized",
            "renorm",
            "renorm_clipping",
            "renorm_momentum",
            "fused",
            "virtual_batch_size",
            "adjustment",
            "mode",
        }
    )
    # gamma, beta, moving mean and moving variance; center/scale=False drop beta/gamma.
    weights_per_feature = 4


@register
class LayerNormalization(_Normalization):
    name = "LayerNormalization"
    params = ("axis", "epsilon", "center", "scale")
    defaults = {"axis": -1, "center": True, "scale": True}
    other_args = frozenset(
        {
            "rms_scaling",
            "beta_initializer",
            "gamma_initializer",
            "beta_regularizer",
            "gamma_regularizer",
            "beta_constraint",
            "gamma_constraint",
        }
    )


@register
class GroupNormalization(_Normalization):
    """Normalises groups of channels; gamma and beta per channel, whatever the groups."""

    name = "GroupNormalization"
    params = ("groups", "axis", "epsilon", "center", "scale")
    defaults = {"groups": 32, "axis": -1, "center": True, "scale": True}
    other_args = LayerNormalization.other_args - {"rms_scaling"}


@register
class Flatten(LayerSpec):
    name = "Flatten"
    params = ("data_format",)

    def output_shape(self, args: Args, x: Shape) -> Shape:
        return (x[0], product(x[1:]))

    def output_shape_unknown_input(self, args: Args) -> Shape:
        return (UNKNOWN, UNKNOWN)


@register
class Reshape(LayerSpec):
    name = "Reshape"
    params = ("target_shape",)
    renames = {"dims": "target_shape"}

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        target = _target(args)
        if target is None:
            return None  # not even the rank is known
        if list(target).count(-1) > 1:
            raise LayerShapeError("can only infer one unknown dimension (-1)", "reshape")
        total = product(x[1:])
        known = product(d for d in target if d != -1)
        if -1 not in target:
            if is_known(total) and is_known(known) and total != known:
                raise LayerShapeError(
                    f"the total size must be unchanged: {total} elements into {known}", "reshape"
                )
            return (x[0], *target)
        if is_known(total) and is_known(known) and (known == 0 or total % known):
            raise LayerShapeError(
                f"{total} elements do not divide into {known}-element blocks", "reshape"
            )
        missing = combine(lambda t, k: t // k, total, known)
        return (x[0], *(missing if d == -1 else d for d in target))

    def output_shape_unknown_input(self, args: Args) -> Shape | None:
        target = _target(args)
        if target is None:
            return None
        return (UNKNOWN, *(UNKNOWN if d == -1 else d for d in target))


def _target(args: Args) -> tuple[Any, ...] | None:
    value = args.get("target_shape")
    if isinstance(value, (tuple, list)):
        return tuple(_dim(v) for v in value)
    if is_known(value):
        return (value,)
    return None


@register
class Permute(LayerSpec):
    name = "Permute"
    params = ("dims",)

    def input_rank(self, args: Args) -> RankSpec:
        dims = args.get("dims")
        if isinstance(dims, (tuple, list)):
            return RankSpec.exactly(len(dims) + 1)
        return RankSpec()

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        dims = args.get("dims")
        if not isinstance(dims, (tuple, list)) or not all(is_known(d) for d in dims):
            return (x[0], *(UNKNOWN for _ in x[1:]))
        return (x[0], *(x[d] for d in dims))


@register
class RepeatVector(LayerSpec):
    name = "RepeatVector"
    params = ("n",)

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(2)

    def output_shape(self, args: Args, x: Shape) -> Shape:
        return (x[0], args.int("n"), x[1])

    def output_shape_unknown_input(self, args: Args) -> Shape:
        return (UNKNOWN, args.int("n"), UNKNOWN)


@register
class Lambda(LayerSpec):
    """A Python function: unknown unless ``output_shape=`` spells out a shape."""

    name = "Lambda"
    params = ("function", "output_shape", "mask", "arguments")

    def output_shape(self, args: Args, x: Shape) -> Shape | None:
        declared = args.get("output_shape")
        if isinstance(declared, (tuple, list)) and declared:
            return (x[0], *(_dim(v) for v in declared))
        return None


def _dim(value: Any) -> Any:
    return value if value is None or is_known(value) or is_unknown(value) else UNKNOWN


def _sequence_input_shape(spec: LayerSpec, args: Args) -> Shape | None:
    """Keras 1/2 sequence layers declare ``(input_length, input_dim)`` on their own."""
    declared = LayerSpec.declared_input_shape(spec, args)
    if declared is not None and ("input_shape" in args or "batch_input_shape" in args):
        return declared
    if "input_dim" in args or "input_length" in args:
        return (None, _dim(args.get("input_length")), _dim(args.get("input_dim")))
    return None


@register
class PReLU(LayerSpec):
    """A learned slope per element; ``shared_axes`` share one slope along those axes."""

    name = "PReLU"
    params = ("alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes")
    shape_preserving = True

    def count_params(self, args: Args, x: Shape) -> Any:
        shared = args.get("shared_axes")
        axes = [shared] if is_known(shared) else list(shared or [])
        if not all(is_known(a) for a in axes):
            return UNKNOWN
        return product(1 if i in axes else d for i, d in enumerate(x) if i > 0)
