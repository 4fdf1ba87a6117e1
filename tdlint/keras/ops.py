"""The tensor-op catalogue: one small shape function per op, beside the layer catalogue.

An op (``keras.ops.concatenate``, ``tf.reduce_mean``, ``K.expand_dims``, ``x + y``,
``x[:, 0]``) is a catalogue entry like a layer: a ``LayerSpec`` whose inputs are its tensor
operands and whose arguments are the rest (``axis``, ``keepdims``...). Applying one records
an application in the graph, so that the layers after it see its output shape; it has no
weights, and ``tdlint shapes`` does not list it as a layer (Keras's summary does not either).

Every entry follows Keras 3's own shape rules (``keras/src/ops/operation_utils.py`` and the
ops' ``compute_output_spec``), and the oracle tests compare them with Keras. What an entry
cannot work out is unknown, never a guess: an entry returns ``None`` (a shape of unknown
rank) or ``UNKNOWN`` dims, and anything it raises means unknown too.

An op is registered under every spelling users write, as a path relative to its package:
``keras.ops`` (and ``keras.ops.numpy``/``nn``/``image``), ``keras.backend`` (``K``),
``keras.activations``, ``tensorflow``, ``tensorflow.math``, ``tensorflow.nn``,
``tensorflow.image``, ``tensorflow.linalg``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

from tdlint.keras.catalogue import Args, LayerSpec
from tdlint.keras.shapes import UNKNOWN, Shape, Unknown, is_known

# The packages whose functions the catalogue names, under the prefixes users import them by.
_PACKAGES = {
    "ops": ("keras.ops", "keras.ops.numpy", "keras.ops.nn", "keras.ops.math", "keras.ops.core"),
    "image": ("keras.ops.image", "tensorflow.image"),
    "backend": ("keras.backend",),
    "activations": ("keras.activations",),
    "tf": ("tensorflow",),
    "math": ("tensorflow.math",),
    "nn": ("tensorflow.nn",),
    "linalg": ("tensorflow.linalg",),
}


_PACKAGE_PATHS = frozenset(path for paths in _PACKAGES.values() for path in paths)


class Op(LayerSpec):
    """Base class of op entries. ``operands`` name the parameters that hold tensors; a
    parameter in ``listed`` holds a list of them (``concatenate([a, b])``)."""

    is_op: ClassVar[bool] = True
    multi_input: ClassVar[bool] = True  # shapes arrive as a list, one per operand
    operands: ClassVar[tuple[str, ...]] = ("x",)
    listed: ClassVar[frozenset[str]] = frozenset()
    # Spellings: "package:name" pairs, the package a key of _PACKAGES.
    spellings: ClassVar[tuple[str, ...]] = ()

    def accepted_args(self) -> frozenset[str]:
        return frozenset(self.params) | self.other_args | set(self.defaults) | {"name"}

    def output_shape(self, args: Args, x: Any) -> Any:
        return self.shape(args, *x)

    def shape(self, args: Args, *shapes: Any) -> Any:
        return None


_OPS: dict[str, Op] = {}


def register(cls: type[Op]) -> type[Op]:
    op = cls()
    for spelling in cls.spellings:
        package, _, name = spelling.partition(":")
        for prefix in _PACKAGES[package]:
            _OPS.setdefault(f"{prefix}.{name}", op)
    return cls


def lookup_op(path: str) -> Op | None:
    """The entry for a function's canonical path (``keras.ops.mean``, ``tensorflow.concat``)."""
    return _OPS.get(path)


def is_op_package(path: str) -> bool:
    """A package of the catalogue's functions (``tensorflow.math``): its attributes are
    followed, as Keras's are."""
    return path in _PACKAGE_PATHS


def operator(name: str) -> Op | None:
    """The entry for a Python operator on tensors (LibCST's name: ``Add``, ``MatrixMultiply``),
    or None for one the catalogue does not have."""
    return _OPERATORS.get(name)


# ---------------------------------------------------------------- helpers


def axis_of(axis: Any, rank: int) -> int:
    """A canonical axis; raises (unknown) when it is not a literal int in range."""
    if not is_known(axis) or not -rank <= axis < rank:
        raise ValueError(axis)
    return axis % rank


def axes_of(axis: Any, rank: int) -> list[int] | None:
    """``axis=None`` (all), an int or a tuple of ints, canonical; raises when not literal."""
    if axis is None:
        return None
    items = axis if isinstance(axis, (tuple, list)) else [axis]
    return [axis_of(a, rank) for a in items]


def broadcast(a: Shape, b: Shape) -> Shape:
    """Keras's ``broadcast_shapes``; an unknown dim stays unknown unless the other is > 1."""
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out: list[Any] = []
    for x, y in zip(a, b, strict=True):
        if isinstance(x, Unknown) or isinstance(y, Unknown):
            other = y if isinstance(x, Unknown) else x
            out.append(other if is_known(other) and other > 1 else UNKNOWN)
        elif x == 1:
            out.append(y)
        elif x is None:
            out.append(None if y == 1 else y)
        elif y in (1, None) or y == x:
            out.append(x)
        else:
            raise ValueError(f"cannot broadcast {a} and {b}")
    return tuple(out)


def _dim_of(value: Any) -> Any:
    """A dim given as an argument: an int, None (dynamic: ``ops.shape(x)[0]``), or unknown."""
    if value is None or is_known(value):
        return value
    return UNKNOWN


def reshaped(shape: Shape, target: Any) -> Shape:
    """Keras's ``compute_reshape_output_shape``, with unknowns kept unknown."""
    if is_known(target):
        target = (target,)
    if not isinstance(target, (tuple, list)):
        raise ValueError(target)
    new = tuple(_dim_of(d) for d in target)
    if sum(1 for d in new if d == -1 and is_known(d)) > 1:
        raise ValueError(target)
    if None in shape or None in new:
        return tuple(None if d == -1 else d for d in new)
    if any(isinstance(d, Unknown) for d in (*shape, *new)):
        return tuple(UNKNOWN if d == -1 else d for d in new)
    size = math.prod(shape)
    if -1 not in new:
        if math.prod(new) != size:
            raise ValueError(target)
        return new
    known = math.prod(d for d in new if d != -1)
    if known == 0 or size % known:
        raise ValueError(target)
    return tuple(size // known if d == -1 else d for d in new)


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
            "reciprocal relu6 logical_not isnan",
            "activations": "relu relu6 sigmoid tanh softmax log_softmax gelu silu swish elu "
            "selu softplus softsign leaky_relu hard_sigmoid hard_silu hard_swish mish "
            "exponential linear",
            "backend": "relu sigmoid tanh softmax elu softplus softsign hard_sigmoid exp log "
            "sqrt square abs sign round cast stop_gradient clip l2_normalize dropout "
            "sin cos",
            "tf": "sigmoid tanh exp sqrt square abs sign round cast stop_gradient identity "
            "clip_by_value negative",
            "math": "sigmoid tanh exp log log1p sqrt rsqrt square abs sign round floor ceil "
            "negative reciprocal erf l2_normalize softplus",
            "nn": "relu relu6 sigmoid tanh softmax log_softmax gelu silu swish elu selu "
            "softplus softsign leaky_relu l2_normalize dropout",
            "image": "convert_image_dtype per_image_standardization",
        }.items()
        for name in names.split()
    )

    def shape(self, args: Args, x: Any) -> Any:
        return x


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
Divide = _binary("divide", "divide true_divide divide_no_nan floor_divide truediv")
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


# ---------------------------------------------------------------- reductions


@register
class Reduce(Op):
    name = "reduce"
    params = ("x", "axis", "keepdims")
    defaults: ClassVar[dict[str, Any]] = {"axis": None, "keepdims": False}
    renames: ClassVar[dict[str, str]] = {
        "input_tensor": "x",
        "input": "x",
        "keep_dims": "keepdims",
        "a": "x",
    }
    other_args = frozenset({"dtype", "ddof", "correction"})
    spellings = tuple(
        f"{package}:{name}"
        for package, names in {
            "ops": "mean sum max min prod std var any all logsumexp amax amin",
            "backend": "mean sum max min prod std var any all logsumexp",
            "tf": "reduce_mean reduce_sum reduce_max reduce_min reduce_prod reduce_any "
            "reduce_all reduce_logsumexp reduce_std reduce_variance",
            "math": "reduce_mean reduce_sum reduce_max reduce_min reduce_prod reduce_any "
            "reduce_all reduce_logsumexp reduce_std reduce_variance",
        }.items()
        for name in names.split()
    )

    def shape(self, args: Args, x: Any) -> Any:
        keepdims = args.get("keepdims")
        if not isinstance(keepdims, bool):
            return None
        axes = axes_of(args.get("axis"), len(x))
        if axes is None:
            return (1,) * len(x) if keepdims else ()
        if keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(x))
        return tuple(d for i, d in enumerate(x) if i not in axes)


@register
class ArgReduce(Op):
    """``argmax``/``argmin``: one axis removed (Keras's default axis is None: flattened)."""

    name = "argreduce"
    params = ("x", "axis")
    renames: ClassVar[dict[str, str]] = {"input": "x"}
    other_args = frozenset({"keepdims", "output_type"})
    spellings = ("ops:argmax", "ops:argmin", "backend:argmax", "backend:argmin")

    def shape(self, args: Args, x: Any) -> Any:
        if args.get("keepdims", False) is not False:
            return None
        axis = args.get("axis", UNKNOWN)
        if axis is None:
            return ()
        i = axis_of(axis, len(x))
        return tuple(d for j, d in enumerate(x) if j != i)


@register
class TfArgReduce(ArgReduce):
    """``tf.argmax`` and ``tf.math.argmax``: axis 0 by default (TensorFlow's, not NumPy's)."""

    name = "tf-argreduce"
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    spellings = ("tf:argmax", "tf:argmin", "math:argmax", "math:argmin")


# ---------------------------------------------------------------- shape changes


@register
class Reshape(Op):
    name = "reshape"
    params = ("x", "newshape")
    renames: ClassVar[dict[str, str]] = {"tensor": "x", "shape": "newshape", "a": "x"}
    spellings = ("ops:reshape", "tf:reshape", "backend:reshape")

    def shape(self, args: Args, x: Any) -> Any:
        return reshaped(x, args.get("newshape", UNKNOWN))


@register
class ExpandDims(Op):
    name = "expand_dims"
    params = ("x", "axis")
    renames: ClassVar[dict[str, str]] = {"input": "x", "a": "x"}
    spellings = ("ops:expand_dims", "tf:expand_dims", "backend:expand_dims")
    defaults: ClassVar[dict[str, Any]] = {"axis": UNKNOWN}

    def shape(self, args: Args, x: Any) -> Any:
        axes = args.get("axis")
        items = list(axes) if isinstance(axes, (tuple, list)) else [axes]
        rank = len(x) + len(items)
        out: list[Any] = list(x)
        for axis in sorted(axis_of(a, rank) for a in items):
            out.insert(axis, 1)
        return tuple(out)


@register
class BackendExpandDims(ExpandDims):
    """``K.expand_dims(x)``: the last axis by default."""

    name = "backend-expand_dims"
    spellings = ()
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}


_OPS["keras.backend.expand_dims"] = BackendExpandDims()


@register
class Squeeze(Op):
    name = "squeeze"
    params = ("x", "axis")
    defaults: ClassVar[dict[str, Any]] = {"axis": None}
    renames: ClassVar[dict[str, str]] = {"input": "x", "a": "x"}
    spellings = ("ops:squeeze", "tf:squeeze", "backend:squeeze")

    def shape(self, args: Args, x: Any) -> Any:
        axes = axes_of(args.get("axis"), len(x))
        if axes is None:
            if not all(is_known(d) for d in x):
                return None  # which axes have size 1 is known only at run time
            return tuple(d for d in x if d != 1)
        if any(is_known(x[i]) and x[i] != 1 for i in axes):
            raise ValueError(axes)
        return tuple(d for i, d in enumerate(x) if i not in axes)


@register
class Transpose(Op):
    name = "transpose"
    params = ("x", "axes")
    defaults: ClassVar[dict[str, Any]] = {"axes": None}
    renames: ClassVar[dict[str, str]] = {"perm": "axes", "a": "x", "pattern": "axes"}
    other_args = frozenset({"conjugate"})
    spellings = ("ops:transpose", "tf:transpose", "backend:permute_dimensions")

    def shape(self, args: Args, x: Any) -> Any:
        axes = args.get("axes")
        if axes is None:
            return tuple(reversed(x))
        order = [axis_of(a, len(x)) for a in axes]
        if sorted(order) != list(range(len(x))):
            raise ValueError(axes)
        return tuple(x[i] for i in order)


@register
class Concatenate(Op):
    name = "concatenate"
    params = ("xs", "axis")
    operands = ("xs",)
    listed = frozenset({"xs"})
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    renames: ClassVar[dict[str, str]] = {"values": "xs", "tensors": "xs"}
    spellings = ("ops:concatenate", "tf:concat")

    def shape(self, args: Args, *shapes: Any) -> Any:
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(shapes)
        axis = axis_of(args.get("axis"), rank)
        out = list(shapes[0])
        for other in shapes[1:]:
            for i, d in enumerate(other):
                if i != axis:
                    out[i] = _same_dim(out[i], d)
        joined = [s[axis] for s in shapes]
        out[axis] = _sum_dims(joined)
        return tuple(out)


@register
class BackendConcatenate(Concatenate):
    """``K.concatenate``: the last axis by default."""

    name = "backend-concatenate"
    spellings = ("backend:concatenate",)
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}


@register
class Stack(Op):
    name = "stack"
    params = ("xs", "axis")
    operands = ("xs",)
    listed = frozenset({"xs"})
    defaults: ClassVar[dict[str, Any]] = {"axis": 0}
    renames: ClassVar[dict[str, str]] = {"values": "xs", "x": "xs"}
    spellings = ("ops:stack", "tf:stack", "backend:stack")

    def shape(self, args: Args, *shapes: Any) -> Any:
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(shapes)
        out = list(shapes[0])
        for other in shapes[1:]:
            out = [_same_dim(a, b) for a, b in zip(out, other, strict=True)]
        out.insert(axis_of(args.get("axis"), rank + 1), len(shapes))
        return tuple(out)


def _same_dim(a: Any, b: Any) -> Any:
    """Two dims that must be equal: the known one (None where either is dynamic)."""
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return a if is_known(a) else b if is_known(b) else UNKNOWN
    if a is None or b is None:
        return a if b is None else b
    if a != b:
        raise ValueError((a, b))
    return a


def _sum_dims(dims: Sequence[Any]) -> Any:
    if any(isinstance(d, Unknown) for d in dims):
        return UNKNOWN
    if any(d is None for d in dims):
        return None
    return sum(dims)


@register
class OneHot(Op):
    name = "one_hot"
    params = ("x", "num_classes")
    renames: ClassVar[dict[str, str]] = {"indices": "x", "depth": "num_classes"}
    other_args = frozenset({"axis", "dtype", "on_value", "off_value", "sparse"})
    spellings = ("ops:one_hot", "tf:one_hot", "backend:one_hot")

    def shape(self, args: Args, x: Any) -> Any:
        if args.get("axis", -1) != -1:
            return None
        return (*x, _dim_of(args.get("num_classes", UNKNOWN)))


@register
class Flatten(Op):
    """``K.flatten`` and ``K.batch_flatten``."""

    name = "batch_flatten"
    params = ("x",)
    spellings = ("backend:batch_flatten",)

    def shape(self, args: Args, x: Any) -> Any:
        rest = x[1:]
        size = UNKNOWN if any(isinstance(d, Unknown) for d in rest) else None
        if all(is_known(d) for d in rest):
            size = math.prod(rest)
        return (x[0], size)


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
        return (*x[:-3], _dim_of(size[0]), _dim_of(size[1]), x[-1])


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
        if value not in (1, None, (1, 1), [1, 1], [1, 1, 1, 1]):
            return True
    return False


_OPS["keras.ops.image.extract_patches"] = ExtractPatches()


class TfExtractPatches(ExtractPatches):
    """TensorFlow's spelling: ``sizes``, ``strides`` and ``rates`` as ``[1, k, k, 1]``, and a
    padding that is required."""

    params = ("x", "sizes", "strides", "rates", "padding")
    renames: ClassVar[dict[str, str]] = {"images": "x", "sizes": "size"}
    defaults: ClassVar[dict[str, Any]] = {"strides": UNKNOWN, "padding": UNKNOWN}


_OPS["tensorflow.image.extract_patches"] = TfExtractPatches()


# ---------------------------------------------------------------- indexing


class GetItem(Op):
    """``x[...]`` with ints, slices, ``None`` and ``...``: NumPy's basic indexing. The index
    items are the argument ``index`` (a tuple of ``slice``, int, None or Ellipsis)."""

    name = "getitem"
    params = ("x", "index")

    def shape(self, args: Args, x: Any) -> Any:
        items = list(args.get("index", UNKNOWN))
        if items.count(Ellipsis) > 1:
            return None
        used = sum(1 for i in items if i is not None and i is not Ellipsis)
        if used > len(x):
            raise ValueError(items)
        if Ellipsis in items:
            at = items.index(Ellipsis)
            items[at : at + 1] = [slice(None)] * (len(x) - used)
        items += [slice(None)] * (len(x) - sum(1 for i in items if i is not None))
        out: list[Any] = []
        dims = iter(x)
        for item in items:
            if item is None:
                out.append(1)
                continue
            dim = next(dims)
            if isinstance(item, slice):
                out.append(_sliced(dim, item))
            elif not (is_known(item) or isinstance(item, Unknown)) or (
                is_known(item) and is_known(dim) and not -dim <= item < dim
            ):
                raise ValueError(item)
            # an int (even one of unknown value) drops the axis
        return tuple(out)


def _sliced(dim: Any, item: slice) -> Any:
    parts = (item.start, item.stop, item.step)
    if any(isinstance(p, Unknown) for p in parts):
        return UNKNOWN
    if parts == (None, None, None):
        return dim
    if is_known(dim):
        return len(range(dim)[item])
    if dim is None:
        return None  # depends on the dynamic length
    return UNKNOWN


_OPERATORS: dict[str, Op] = {
    "Add": Add(),
    "Subtract": Subtract(),
    "Multiply": Multiply(),
    "Divide": Divide(),
    "FloorDivide": Divide(),
    "Power": Power(),
    "Modulo": Divide(),
    "MatrixMultiply": MatMul(),
    "Compare": Compare(),
    "BitAnd": Compare(),
    "BitOr": Compare(),
    "BitXor": Compare(),
    "GetItem": GetItem(),
    "Minus": Elementwise(),
    "Plus": Elementwise(),
    "BitInvert": Elementwise(),
}


def constant_shape(value: Any) -> Shape | None:
    """The shape of a Python constant used as an operand (``x * 0.5``, ``x + [1, 2]``)."""
    if isinstance(value, bool) or is_known(value) or isinstance(value, float):
        return ()
    if isinstance(value, (list, tuple)) and value:
        inner = [constant_shape(v) for v in value]
        if inner[0] is not None and all(s == inner[0] for s in inner):
            return (len(value), *inner[0])
    return None
