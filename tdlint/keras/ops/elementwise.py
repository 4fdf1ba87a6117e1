"""Ops that keep their input's shape, and binary ops that broadcast (``add``, ``x * y``,
``where``) or multiply matrices."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    SeveralOutputs,
    broadcast,
    register,
    register_operator,
)
from tdlint.keras.shapes import UNKNOWN, Shape, is_known

# ---------------------------------------------------------------- elementwise


@register
class Elementwise(Op):
    """Ops that keep their input's shape: activations, math functions, casts."""

    name = "elementwise"
    # The shape is the input's whatever follows it: ``cast(x, "int32")``, ``clip(x, 0, 1)``.
    params = ("x", "arg1", "arg2", "arg3")
    other_args = frozenset(
        {"axis", "alpha", "dtype", "approximate", "beta", "rate", "negative_slope", "threshold"}
        | {"max_value", "epsilon", "order", "training", "seed", "noise_shape", "features"}
        | {"logits", "t", "clip_value_min", "clip_value_max", "x_min", "x_max", "value"}
    )
    renames: ClassVar[dict[str, str]] = {
        "features": "x",
        "logits": "x",
        "t": "x",
        "input": "x",
        "input_tensor": "x",
        "tensor": "x",
        "inputs": "x",
    }
    spellings = tuple(
        f"{package}:{name}"
        for package, names in {
            "ops": "relu relu6 sigmoid tanh softmax log_softmax gelu silu swish elu selu "
            "softplus softsign leaky_relu hard_sigmoid hard_silu hard_swish mish exp log "
            "log1p expm1 sqrt rsqrt square abs absolute negative sign sin cos erf round "
            "floor ceil cast stop_gradient clip normalize l2_normalize nan_to_num "
            "reciprocal relu6 logical_not isnan tan arcsin arccos arctan sinh cosh arcsinh "
            "arccosh arctanh exp2 log2 log10 trunc fabs cbrt erfinv conj conjugate real imag "
            "isfinite isinf signbit deg2rad rad2deg log_sigmoid hard_tanh celu squareplus "
            "sparse_plus soft_shrink hard_shrink tanh_shrink zeros_like ones_like full_like "
            "empty_like copy",
            "activations": "relu relu6 sigmoid tanh softmax log_softmax gelu silu swish elu "
            "selu softplus softsign leaky_relu hard_sigmoid hard_silu hard_swish mish "
            "exponential linear",
            "backend": "relu sigmoid tanh softmax elu softplus softsign hard_sigmoid exp log "
            "sqrt square abs sign round cast stop_gradient clip l2_normalize dropout "
            "sin cos zeros_like ones_like",
            "tf": "sigmoid tanh exp sqrt square abs sign round cast stop_gradient identity "
            "clip_by_value negative sin cos tan sinh cosh asin acos atan floor zeros_like "
            "ones_like",
            "math": "sigmoid tanh exp log log1p sqrt rsqrt square abs sign round floor ceil "
            "negative reciprocal erf l2_normalize softplus sin cos tan sinh cosh asin acos "
            "atan asinh acosh atanh real imag conj angle log_sigmoid",
            "nn": "relu relu6 sigmoid tanh softmax log_softmax gelu silu swish elu selu "
            "softplus softsign leaky_relu l2_normalize dropout",
            "image": "convert_image_dtype per_image_standardization",
            # TensorFlow's Fourier transforms, of complex tensors.
            "signal": "fft ifft fft2d ifft2d fft3d ifft3d",
        }.items()
        for name in names.split()
    )

    def shape(self, args: Args, x: Any) -> Any:
        return x


@register
class FourierPair(SeveralOutputs):
    """Keras's ``fft2`` and ``ifft2``: a ``(real, imaginary)`` pair of one shape in, a pair
    of that shape out; the ``axes`` transformed (the last ones) must be defined."""

    name = "fft2"
    params = ("x",)
    listed = frozenset({"x"})
    axes: ClassVar[int] = 2
    spellings = ("ops:fft2", "ops:ifft2")

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        return 2

    def shape(self, args: Args, *parts: Any) -> Any:
        if len(parts) != 2 or parts[0] != parts[1] or len(parts[0]) < self.axes:
            raise ValueError(parts)
        if None in parts[0][-self.axes :]:
            raise ValueError(parts)  # Keras refuses a dynamic transformed axis
        return [parts[0], parts[1]]


@register
class FourierPair1D(FourierPair):
    name = "fft"
    axes = 1
    spellings = ("ops:fft",)


# ---------------------------------------------------------------- binary, broadcasting


class Binary(Op):
    params = ("x1", "x2")
    operands = ("x1", "x2")
    renames: ClassVar[dict[str, str]] = {"x": "x1", "y": "x2", "a": "x1", "b": "x2"}
    other_args = frozenset({"dtype"})

    def shape(self, args: Args, a: Any, b: Any) -> Any:
        return broadcast(a, b)


def _binary(op_name: str, names: str) -> type[Op]:
    spellings = tuple(
        f"{package}:{name}"
        for package in ("ops", "tf", "math", "backend")
        for name in names.split()
    )
    return register(type(op_name, (Binary,), {"name": op_name, "spellings": spellings}))


Add = _binary("add", "add")
Subtract = _binary("subtract", "subtract")
Multiply = _binary("multiply", "multiply")
Divide = _binary("divide", "divide true_divide divide_no_nan floor_divide truediv floordiv")
Modulo = _binary("mod", "mod floormod fmod")
SquaredDifference = _binary("squared_difference", "squared_difference")
Maximum = _binary("maximum", "maximum")
Minimum = _binary("minimum", "minimum")
Power = _binary("power", "power pow")
Compare = _binary("compare", "equal not_equal greater greater_equal less less_equal")


@register
class Where(Op):
    name = "where"
    params = ("condition", "x1", "x2")
    operands = ("condition", "x1", "x2")
    renames: ClassVar[dict[str, str]] = {"x": "x1", "y": "x2"}
    spellings = ("ops:where", "tf:where", "backend:switch")

    def shape(self, args: Args, condition: Any, a: Any = None, b: Any = None) -> Any:
        if a is None or b is None:
            return None  # where(condition) alone: the indices, of a data-dependent count
        return broadcast(broadcast(condition, a), b)


@register
class MatMul(Op):
    name = "matmul"
    params = ("x1", "x2")
    operands = ("x1", "x2")
    renames: ClassVar[dict[str, str]] = {"a": "x1", "b": "x2", "x": "x1", "y": "x2"}
    other_args = frozenset({"transpose_a", "transpose_b", "adjoint_a", "adjoint_b"})
    spellings = ("ops:matmul", "tf:matmul", "linalg:matmul", "backend:dot")

    def shape(self, args: Args, a: Any, b: Any) -> Any:
        if len(a) < 2 or len(b) < 2:
            return None  # vectors: Keras's rules differ between backends
        a, b = _transposed(args, "a", a), _transposed(args, "b", b)
        inner = (a[-1], b[-2])
        if all(is_known(d) for d in inner) and inner[0] != inner[1]:
            raise ValueError(inner)
        return (*broadcast(a[:-2], b[:-2]), a[-2], b[-1])


def _transposed(args: Args, which: str, shape: Shape) -> Shape:
    """TensorFlow's ``transpose_a``/``adjoint_b``... flags swap an operand's last two axes."""
    flags = [args.get(f"{kind}_{which}", False) for kind in ("transpose", "adjoint")]
    if any(not isinstance(flag, bool) for flag in flags):
        raise ValueError(flags)
    return (*shape[:-2], shape[-1], shape[-2]) if sum(flags) == 1 else shape


register_operator("Add", Add())
register_operator("Subtract", Subtract())
register_operator("Multiply", Multiply())
register_operator("Divide FloorDivide", Divide())
register_operator("Modulo", Modulo())
register_operator("Power", Power())
register_operator("MatrixMultiply", MatMul())
register_operator("Compare BitAnd BitOr BitXor", Compare())
register_operator("Minus Plus BitInvert", Elementwise())


class Join(Op):
    """Not a function users call: a tensor that is ``a`` on one path and ``b`` on another
    (``x = block(x) if deep else x``). Its shape keeps what both agree on; which layers the
    model has depends on the path, so its parameter count is unknown."""

    name = "join"
    params = ("a", "b")
    operands = ("a", "b")

    def shape(self, args: Args, a: Any, b: Any) -> Any:
        if len(a) != len(b):
            return None
        return tuple(
            x if x == y and type(x) is type(y) else UNKNOWN for x, y in zip(a, b, strict=True)
        )

    def count_params(self, args: Args, x: Any) -> Any:
        return UNKNOWN


JOIN = Join()
