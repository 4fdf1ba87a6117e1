"""The tensor-op catalogue: one small shape function per op, beside the layer catalogue.

An op (``keras.ops.concatenate``, ``tf.reduce_mean``, ``K.expand_dims``, ``x + y``,
``x[:, 0]``) is a catalogue entry like a layer: a ``LayerSpec`` whose inputs are its tensor
operands and whose arguments are the rest. ``base`` has the entry class, the registry and
the shared shape helpers; each family has a module: ``elementwise`` (and broadcasting),
``reductions``, ``reshaping``, ``image``, ``indexing``.
"""

from __future__ import annotations

from tdlint.keras.ops import elementwise, image, indexing, reductions, reshaping  # noqa: F401
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
