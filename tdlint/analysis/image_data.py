"""Images read from folders, in the shape Keras gives them: ``image_dataset_from_directory``
and the ``ImageDataGenerator`` iterators (``flow_from_directory``, ``flow_from_dataframe``,
``flow``). Their batches are sized by arguments (``image_size``, ``target_size``,
``color_mode``, ``class_mode``...), not by the files: the commonest crash with them is a model
built for another image size, which tdlint can then see.

The defaults and label shapes follow Keras's documentation of these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.analysis.arrays import Array
from tdlint.analysis.datasets import Dataset
from tdlint.analysis.values import DataObject
from tdlint.keras.shapes import UNKNOWN, is_known

_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def _arg(positional: list[Any], keywords: dict[str, Any], i: int, name: str, default: Any) -> Any:
    if i < len(positional):
        return positional[i]
    return keywords.get(name, default)


def _size(value: Any) -> tuple[Any, Any]:
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return tuple(d if is_known(d) else UNKNOWN for d in value)  # type: ignore[return-value]
    return UNKNOWN, UNKNOWN


def _images(size: Any, color_mode: Any, channels_last: Any, batch: Any = None) -> Array:
    """A batch of images: ``(batch, height, width, channels)``, channels first if asked."""
    height, width = _size(size)
    channels = _CHANNELS.get(color_mode, UNKNOWN) if isinstance(color_mode, str) else UNKNOWN
    if channels_last is True:
        return Array((batch, height, width, channels), "float")
    if channels_last is False:
        return Array((batch, channels, height, width), "float")
    return Array((batch, UNKNOWN, UNKNOWN, UNKNOWN), "float")


def _ordering(keywords: dict[str, Any], channels_last: bool | None) -> bool | None:
    """A ``data_format=`` argument's ordering (None when it is not known), else the file's."""
    data_format = keywords.get("data_format")
    if data_format is None:
        return channels_last
    return data_format == "channels_last" if isinstance(data_format, str) else None


def _class_count(names: Any) -> Any:
    return len(names) if isinstance(names, (list, tuple)) else UNKNOWN


def image_dataset_from_directory(
    positional: list[Any], keywords: dict[str, Any], channels_last: bool | None
) -> Dataset:
    """``keras.utils.image_dataset_from_directory(directory, labels="inferred",
    label_mode="int", class_names=None, color_mode="rgb", batch_size=32,
    image_size=(256, 256), ...)``."""
    size = keywords.get("image_size", (256, 256))
    channels_last = _ordering(keywords, channels_last)
    images = _images(size, keywords.get("color_mode", "rgb"), channels_last)
    labels = _dataset_labels(keywords)
    batch_size = keywords.get("batch_size", 32)
    if batch_size is None:  # one image at a time
        images = Array(images.shape[1:], images.kind)  # type: ignore[index]
        labels = None if labels is None else Array(labels.shape[1:], labels.kind)  # type: ignore[index]
        return Dataset(images, labels, batched=False)
    return Dataset(images, labels)


def _dataset_labels(keywords: dict[str, Any]) -> Array | None:
    labels = keywords.get("labels", "inferred")
    mode = keywords.get("label_mode", "int")
    if labels is None or mode is None:
        return None
    if mode == "int":
        return Array((None,), "int")
    if mode == "binary":
        return Array((None, 1), "float")
    if mode == "categorical":
        return Array((None, _class_count(keywords.get("class_names"))), "float")
    return Array(None, None)


@dataclass(frozen=True)
class ImageGenerator(DataObject):
    """``ImageDataGenerator(...)``: what its ``flow*`` methods yield."""

    channels_last: bool | None

    def call(self, method: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        if method in ("flow_from_directory", "flow_from_dataframe"):
            size = keywords.get("target_size", (256, 256))
            images = _images(size, keywords.get("color_mode", "rgb"), self.channels_last)
            return Dataset(images, _iterator_labels(keywords, images))
        if method == "flow":
            x = _arg(positional, keywords, 0, "x", None)
            y = _arg(positional, keywords, 1, "y", None)
            if not isinstance(x, Array) or x.shape is None:
                return UNKNOWN
            features = Array((None, *x.shape[1:]), "float")
            if isinstance(y, Array) and y.shape is not None:
                return Dataset(features, Array((None, *y.shape[1:]), y.kind))
            return Dataset(features, None) if y is None else UNKNOWN
        return UNKNOWN


def _iterator_labels(keywords: dict[str, Any], images: Array) -> Array | None:
    """``class_mode``: "categorical" (the default: one-hot), "binary" and "sparse" (one float
    per image), "input" (the images again), None (no labels)."""
    mode = keywords.get("class_mode", "categorical")
    if mode is None:
        return None
    if mode == "categorical":
        return Array((None, _class_count(keywords.get("classes"))), "float")
    if mode in ("binary", "sparse"):
        return Array((None,), "float")
    if mode == "input":
        return images
    return Array(None, None)


def image_generator(keywords: dict[str, Any], channels_last: bool | None) -> ImageGenerator:
    """``ImageDataGenerator(rescale=..., data_format=...)``."""
    channels_last = _ordering(keywords, channels_last)
    return ImageGenerator(channels_last)


@dataclass(frozen=True)
class LoadedImage(DataObject):
    """``load_img(path, target_size=(h, w), color_mode=...)``: one image, of that size."""

    size: Any
    color_mode: Any


def load_img(keywords: dict[str, Any]) -> LoadedImage:
    return LoadedImage(keywords.get("target_size"), keywords.get("color_mode", "rgb"))


def img_to_array(
    positional: list[Any], keywords: dict[str, Any], channels_last: bool | None
) -> Any:
    """``img_to_array(img)``: ``(height, width, channels)``, no batch axis (the classic
    ``predict(x)`` that needs ``np.expand_dims(x, 0)``)."""
    image = _arg(positional, keywords, 0, "img", None)
    if not isinstance(image, LoadedImage):
        return UNKNOWN
    channels_last = _ordering(keywords, channels_last)
    batch = _images(image.size, image.color_mode, channels_last)
    return Array(batch.shape[1:], "float")  # type: ignore[index]
