"""Training data that comes in a known shape without being built in the file: Keras's bundled
datasets (``keras.datasets.mnist.load_data()``), and pipelines whose batches tdlint can follow
(``tf.data.Dataset.from_tensor_slices((X, y)).batch(32)``,
``keras.utils.timeseries_dataset_from_array``, Keras 2's ``TimeseriesGenerator``).

A pipeline is a ``Dataset``: the shape of its batches of features and of labels, batch axis
first (None: the last batch may be smaller). Transformations tdlint cannot follow (``map``,
``window``...) give an unknown value, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.analysis.arrays import UNKNOWN_ARRAY, Array
from tdlint.analysis.values import DataObject
from tdlint.keras.shapes import UNKNOWN, is_known

# (x_train, y_train, x_test, y_test) shapes, from the datasets' documentation in Keras.
_BUNDLED: dict[str, tuple[tuple[Any, ...], ...]] = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    # Sequences of word ids of varying length (object arrays), one label each.
    "imdb": ((25000,), (25000,), (25000,), (25000,)),
    "reuters": ((8982,), (8982,), (2246,), (2246,)),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,)),
    "california_housing": ((UNKNOWN, 8), (UNKNOWN,), (UNKNOWN, 8), (UNKNOWN,)),
}
_LABEL_KINDS = {"boston_housing": "float", "california_housing": "float"}
# Arguments that change how many samples each split holds.
_RESIZING = ("maxlen", "test_split", "version")


def load_data(dataset: str, keywords: dict[str, Any], channels_last: bool) -> Any:
    """``keras.datasets.<dataset>.load_data(...)``: ``((x_train, y_train), (x_test, y_test))``."""
    shapes = _BUNDLED.get(dataset)
    if shapes is None:
        return UNKNOWN
    if any(name in keywords for name in _RESIZING):
        shapes = tuple((UNKNOWN, *shape[1:]) for shape in shapes)
    if dataset.startswith("cifar") and not channels_last:
        # keras.json may say channels_first, and then the images are (3, 32, 32).
        shapes = tuple((s[0], UNKNOWN, UNKNOWN, UNKNOWN) if len(s) == 4 else s for s in shapes)
    label_kind = _LABEL_KINDS.get(dataset, "int")
    x_kind = "int" if dataset in ("imdb", "reuters") else None
    x_train, y_train, x_test, y_test = (
        Array(shape, label_kind if i % 2 else x_kind) for i, shape in enumerate(shapes)
    )
    return ((x_train, y_train), (x_test, y_test))


@dataclass(frozen=True)
class Dataset(DataObject):
    """A pipeline of (features, labels) batches: each an array whose first axis is the batch
    (or, before ``batch``, single samples: ``batched`` False)."""

    features: Array
    labels: Array | None
    batched: bool = True
    # Built by a windowing helper that gives each window one target: its labels have no time
    # axis of their own, even when their shape is unknown.
    one_label_per_window: bool = False
    # Made by a generator of the file that yields arrays, not tuples: Keras 1 and 2 read
    # them as features; Keras 3 wants a tuple, ``(features,)``.
    bare: bool = False

    def call(self, method: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        if method in ("shuffle", "prefetch", "cache", "repeat", "take", "skip", "with_options"):
            return self
        if method == "batch" and not self.batched:
            size = positional[0] if positional else keywords.get("batch_size")
            drop = keywords.get("drop_remainder", False) is True
            batch = size if drop and is_known(size) else None
            features, labels = _batched(self.features, batch), _batched(self.labels, batch)
            return Dataset(features, labels, True, self.one_label_per_window)
        if method == "unbatch" and self.batched:
            features, labels = _unbatched(self.features), _unbatched(self.labels)
            return Dataset(features, labels, False, self.one_label_per_window)
        return UNKNOWN


def _batched(array: Array | None, batch: Any) -> Array | None:
    if array is None or array.shape is None:
        return array
    return Array((batch, *array.shape), array.kind)


def _unbatched(array: Array | None) -> Array | None:
    if array is None or not array.shape:
        return UNKNOWN_ARRAY if array is not None else None
    return Array(array.shape[1:], array.kind)


def _per_sample(array: Any) -> Array:
    """What one sample of ``array`` looks like: its shape without the first axis."""
    if not isinstance(array, Array) or not array.shape:
        return UNKNOWN_ARRAY
    return Array(array.shape[1:], array.kind)


def from_tensor_slices(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """``tf.data.Dataset.from_tensor_slices(X)`` or ``((X, y))``: one sample per row."""
    data = positional[0] if positional else keywords.get("tensors")
    if isinstance(data, tuple) and len(data) == 2:
        return Dataset(_per_sample(data[0]), _per_sample(data[1]), batched=False)
    if isinstance(data, Array):
        return Dataset(_per_sample(data), None, batched=False)
    return UNKNOWN


def timeseries(
    positional: list[Any], keywords: dict[str, Any], length_name: str, targets_default: Any
) -> Any:
    """``timeseries_dataset_from_array(data, targets, sequence_length)`` and Keras 2's
    ``TimeseriesGenerator(data, targets, length)``: windows of ``length`` rows of ``data``,
    each with the target of its start (one target per window)."""
    data = positional[0] if positional else keywords.get("data")
    targets = positional[1] if len(positional) > 1 else keywords.get("targets", targets_default)
    length = positional[2] if len(positional) > 2 else keywords.get(length_name, UNKNOWN)
    steps = length if is_known(length) else UNKNOWN
    if isinstance(data, Array) and data.shape is not None:
        features = Array((None, steps, *data.shape[1:]), data.kind)
    else:
        features = UNKNOWN_ARRAY
    if targets is None:
        return Dataset(features, None)
    labels = _batched(_per_sample(targets), None) if isinstance(targets, Array) else None
    return Dataset(features, labels or UNKNOWN_ARRAY, one_label_per_window=True)
