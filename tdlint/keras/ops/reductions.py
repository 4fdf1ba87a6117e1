"""Reductions over axes: ``mean``, ``sum``, ``max``... with ``axis`` and ``keepdims``, and
``argmax``/``argmin``."""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import (
    Op,
    axes_of,
    axis_of,
    register,
)
from tdlint.keras.shapes import UNKNOWN

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
