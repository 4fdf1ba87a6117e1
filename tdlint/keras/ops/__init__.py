"""The tensor-op catalogue: one small shape function per op, beside the layer catalogue.

An op (``keras.ops.concatenate``, ``tf.reduce_mean``, ``K.expand_dims``, ``x + y``,
``x[:, 0]``) is a catalogue entry like a layer: a ``LayerSpec`` whose inputs are its tensor
operands and whose arguments are the rest. ``base`` has the entry class, the registry and
the shared shape helpers; each family has a module: ``elementwise`` (and broadcasting),
``reductions`` (and ops along an axis), ``reshaping``, ``repeating`` (tile, repeat, pad),
``splitting`` (ops that return several tensors), ``contraction`` (einsum, tensordot),
``indexing`` (and gather, slice), ``image``, ``cropping`` (of images), ``creation`` (ones,
random tensors), ``signal`` (Fourier transforms of audio).
"""

from __future__ import annotations

from tdlint.keras.ops import (  # noqa: F401
    contraction,
    creation,
    cropping,
    elementwise,
    image,
    indexing,
    reductions,
    repeating,
    reshaping,
    signal,
    splitting,
)
from tdlint.keras.ops.base import (
    Op,
    broadcast,
    constant_shape,
    is_op_package,
    lookup_op,
    operator,
    reshaped,
)

__all__ = [
    "Op",
    "broadcast",
    "constant_shape",
    "is_op_package",
    "lookup_op",
    "operator",
    "reshaped",
]
