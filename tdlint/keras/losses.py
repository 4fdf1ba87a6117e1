"""Losses as tdlint sees them: a name, whatever spelling the code used.

``"categorical_crossentropy"``, ``keras.losses.categorical_crossentropy`` and
``keras.losses.CategoricalCrossentropy(from_logits=True)`` are all the loss
``categorical_crossentropy`` (the last with ``from_logits``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Short names Keras accepts as strings.
_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy",
    "cce": "categorical_crossentropy",
}

# One label per sample, classes: a 4D/5D output can only be a mistake with these.
CLASSIFICATION_LOSSES = frozenset(
    {
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
        "binary_crossentropy",
        "binary_focal_crossentropy",
        "categorical_focal_crossentropy",
        "kl_divergence",
        "categorical_hinge",
        "hinge",
        "squared_hinge",
    }
)


@dataclass(frozen=True)
class LossObject:
    """``keras.losses.SomeLoss(**kwargs)``: the loss name and its literal arguments."""

    name: str
    kwargs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def snake_case(class_name: str) -> str:
    """``CategoricalCrossentropy`` -> ``categorical_crossentropy``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def loss_name(value: Any) -> str | None:
    """The canonical name of a loss value, or None when it is not known statically."""
    if isinstance(value, LossObject):
        return value.name
    if isinstance(value, str):
        name = value.rpartition(".")[2]
        name = snake_case(name) if name[:1].isupper() else name.lower()
        return _ALIASES.get(name, name)
    path = getattr(value, "path", None)  # a Ref to keras.losses.something
    if isinstance(path, str) and ".losses." in path:
        return loss_name(path.rpartition(".")[2])
    return None
