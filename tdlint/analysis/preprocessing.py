"""scikit-learn's preprocessing objects: what ``fit_transform`` and friends give back.

Scalers and most transformers take and return 2D arrays, ``(samples, features)``, keeping
the shape; ``LabelEncoder`` turns labels into one integer each (1D); the one-hot encoders give
one column per class (2D, columns unknown). This is the shape evidence real training scripts
carry between ``pandas`` and ``fit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.analysis.arrays import UNKNOWN_ARRAY, Array
from tdlint.analysis.tables import Frame, Series
from tdlint.analysis.values import DataObject
from tdlint.keras.shapes import UNKNOWN

# Transformers whose output has the shape of their (2D) input.
SHAPE_KEEPING = frozenset(
    {
        "MinMaxScaler", "StandardScaler", "RobustScaler", "MaxAbsScaler", "Normalizer",
        "QuantileTransformer", "PowerTransformer", "FunctionTransformer", "SimpleImputer",
        "KNNImputer", "Binarizer",
    }
)  # fmt: skip
ONE_PER_SAMPLE = frozenset({"LabelEncoder"})
ONE_HOT = frozenset({"OneHotEncoder", "LabelBinarizer", "MultiLabelBinarizer"})
_TRANSFORMS = frozenset({"fit_transform", "transform", "inverse_transform"})


@dataclass(frozen=True)
class Transformer(DataObject):
    """An instance of one of the classes above (``name``), fitted or not."""

    name: str

    def call(self, method: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        if method == "fit":
            return self
        if method not in _TRANSFORMS:
            return UNKNOWN
        data = positional[0] if positional else keywords.get("X", keywords.get("y"))
        if self.name in ONE_PER_SAMPLE:
            return Array((_samples(data),), "int" if method != "inverse_transform" else None)
        if self.name in ONE_HOT and method != "inverse_transform":
            return Array((_samples(data), UNKNOWN), "float")
        return _as_2d(data)


def _samples(data: Any) -> Any:
    return data.samples if isinstance(data, Array) else UNKNOWN


def _as_2d(data: Any) -> Array:
    """What a shape-keeping transformer returns for ``data``: a 2D array (scikit-learn
    refuses other ranks, so a known rank other than 2 gives nothing to say)."""
    if isinstance(data, Frame):
        return Array((UNKNOWN, data.columns), "float")
    if isinstance(data, Series):
        return UNKNOWN_ARRAY  # scikit-learn refuses a 1D input
    if isinstance(data, Array) and data.shape is not None:
        return Array(data.shape, "float") if data.rank == 2 else UNKNOWN_ARRAY
    return Array((UNKNOWN, UNKNOWN), "float")


def sklearn_class(name: str) -> Transformer | None:
    """``sklearn.preprocessing.<name>(...)``: the transformer, when tdlint knows it."""
    if name in SHAPE_KEEPING or name in ONE_PER_SAMPLE or name in ONE_HOT:
        return Transformer(name)
    return None
