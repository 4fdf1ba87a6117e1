"""Calls that build arrays: NumPy, ``keras.utils.to_categorical``, ``pad_sequences``,
scikit-learn's ``train_test_split``, and the methods of arrays. The interpreter hands them
evaluated arguments; anything not understood is an array of unknown shape, never a guess."""

from __future__ import annotations

import functools
import math
from typing import Any

from tdlint.analysis import arrays, datasets, image_data, preprocessing, tables
from tdlint.analysis.arrays import UNKNOWN_ARRAY, Array
from tdlint.analysis.tables import Frame, Series
from tdlint.analysis.values import GrownList
from tdlint.keras.shapes import UNKNOWN, Symbol, is_known

# Packages whose functions are evaluated here (besides Keras itself).
DATA_ROOTS = ("numpy", "sklearn", "pandas", "tensorflow.data")
# Methods whose result shape does not depend on what the receiver is, as long as it is an
# array: ``y.reshape(-1, 10, 2)`` has rank 3 whatever ``y`` was loaded from.
ARRAY_LIKE = frozenset({"reshape", "flatten", "ravel"})


@functools.lru_cache(maxsize=4096)
def is_data_path(path: str) -> bool:
    return any(path == root or path.startswith(root + ".") for root in DATA_ROOTS)


def call_numpy(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """``numpy.<name>(...)``; ``name`` is dotted below numpy (``random.randint``)."""
    first = positional[0] if positional else keywords.get("a")
    if name in (*arrays.REDUCTIONS, "squeeze") and isinstance(first, Array):
        return array_method(first, name, positional[1:], keywords)
    handler = _NUMPY.get(name)
    if handler is None:
        return UNKNOWN
    try:
        return handler(positional, keywords)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError):
        return UNKNOWN_ARRAY


def _arg(
    positional: list[Any], keywords: dict[str, Any], i: int, name: str, default: Any = None
) -> Any:
    if i < len(positional):
        return positional[i]
    return keywords.get(name, default)


def _kind(dtype: Any, default: str | None) -> str | None:
    """The kind a ``dtype`` argument gives; ``default`` when there is none. A dtype that is
    not understood (a variable, ``bool``) makes the kind unknown, not the default."""
    return default if dtype is None else arrays.dtype_kind(dtype)


def _array(positional: list[Any], keywords: dict[str, Any]) -> Array:
    value = _arg(positional, keywords, 0, "object")
    if isinstance(value, Array):
        result = value
    elif isinstance(value, (list, tuple)):
        result = arrays.from_literal(value)
    elif isinstance(value, GrownList):
        result = grown_array(value)
    elif isinstance(value, (Frame, Series)):
        result = value.attribute("values")
    else:
        return UNKNOWN_ARRAY
    return Array(result.shape, _kind(keywords.get("dtype"), result.kind))


def grown_array(items: GrownList) -> Array:
    """``np.array(rows)`` for a list appended to in a loop: an unknown number of rows of the
    shape the loop appended (when all its appends agree on it)."""
    row = arrays.from_literal(list(items.items[:1]))
    if not items.items or row.shape is None:
        return UNKNOWN_ARRAY
    for item in items.items[1:]:
        if arrays.from_literal([item]).shape != row.shape:
            return UNKNOWN_ARRAY
    return Array((UNKNOWN, *row.shape[1:]), row.kind)


def _loaded(positional: list[Any], keywords: dict[str, Any]) -> Array:
    """``np.load``/``np.loadtxt``...: an array whose shape is in a file."""
    return UNKNOWN_ARRAY


def _filled(default_kind: str | None) -> Any:
    def build(positional: list[Any], keywords: dict[str, Any]) -> Array:
        shape = arrays.shape_argument(_arg(positional, keywords, 0, "shape"))
        # np.full(shape, fill_value, dtype); np.zeros/ones/empty(shape, dtype)
        dtype = _arg(positional, keywords, 2 if default_kind is None else 1, "dtype")
        if default_kind is None:  # np.full(shape, fill_value): the fill decides
            fill = _arg(positional, keywords, 1, "fill_value")
            kind = _kind(dtype, arrays._scalar_kind(fill))
        else:
            kind = _kind(dtype, default_kind)
        return arrays.sized(shape, kind)

    return build


def _like(positional: list[Any], keywords: dict[str, Any]) -> Array:
    source = _arg(positional, keywords, 0, "a")
    if not isinstance(source, Array):
        return UNKNOWN_ARRAY
    return Array(source.shape, _kind(keywords.get("dtype"), source.kind))


def _random_dims(kind: str) -> Any:
    def build(positional: list[Any], keywords: dict[str, Any]) -> Array:
        if not positional:
            return Array((), kind)
        return arrays.sized(tuple(d if is_known(d) else UNKNOWN for d in positional), kind)

    return build


def _random_size(kind: str, size_position: int) -> Any:
    def build(positional: list[Any], keywords: dict[str, Any]) -> Array:
        size = _arg(positional, keywords, size_position, "size")
        if size is None:
            return Array((), kind)
        return arrays.sized(arrays.shape_argument(size), kind)

    return build


def _randint(positional: list[Any], keywords: dict[str, Any]) -> Array:
    size = _arg(positional, keywords, 2, "size")
    kind = _kind(keywords.get("dtype"), "int")
    return Array((), kind) if size is None else arrays.sized(arrays.shape_argument(size), kind)


def _permutation(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """``np.random.permutation(n)``: the ints 0..n-1 shuffled; of an array: its rows."""
    x = _arg(positional, keywords, 0, "x")
    if isinstance(x, Array):
        return x
    if is_known(x) or isinstance(x, Symbol):
        return Array((x,), "int")
    return None


def _arange(positional: list[Any], keywords: dict[str, Any]) -> Array:
    return arrays.arange(*positional)


def _linspace(positional: list[Any], keywords: dict[str, Any]) -> Array:
    num = _arg(positional, keywords, 2, "num", 50)
    return Array((num if is_known(num) else UNKNOWN,), "float")


def _reshape(positional: list[Any], keywords: dict[str, Any]) -> Array:
    source = _arg(positional, keywords, 0, "a")
    if not isinstance(source, Array):
        source = UNKNOWN_ARRAY  # the target alone gives the rank
    return arrays.reshape(source, _arg(positional, keywords, 1, "newshape"))


def _expand_dims(positional: list[Any], keywords: dict[str, Any]) -> Array:
    source = _arg(positional, keywords, 0, "a")
    if not isinstance(source, Array):
        return UNKNOWN_ARRAY
    return arrays.expand_dims(source, _arg(positional, keywords, 1, "axis"))


def _joined(new_axis: bool, default_axis: int | None = 0) -> Any:
    def build(positional: list[Any], keywords: dict[str, Any]) -> Array:
        items = _arg(positional, keywords, 0, "arrays")
        if not isinstance(items, (list, tuple)) or not all(isinstance(a, Array) for a in items):
            return UNKNOWN_ARRAY
        axis = _arg(positional, keywords, 1, "axis", default_axis)
        return arrays.stack(list(items), axis, new_axis)

    return build


def _vstack(positional: list[Any], keywords: dict[str, Any]) -> Array:
    items = _arg(positional, keywords, 0, "tup")
    if not isinstance(items, (list, tuple)) or not all(isinstance(a, Array) for a in items):
        return UNKNOWN_ARRAY
    as_2d = [Array((1, *a.shape), a.kind) if a.rank == 1 else a for a in items]  # type: ignore[misc]
    return arrays.stack(as_2d, 0, new_axis=False)


def _hstack(positional: list[Any], keywords: dict[str, Any]) -> Array:
    items = _arg(positional, keywords, 0, "tup")
    if not isinstance(items, (list, tuple)) or not all(isinstance(a, Array) for a in items):
        return UNKNOWN_ARRAY
    axis = 0 if all(a.rank == 1 for a in items) else 1
    return arrays.stack(list(items), axis, new_axis=False)


def _eye(positional: list[Any], keywords: dict[str, Any]) -> Array:
    n = _arg(positional, keywords, 0, "N")
    m = _arg(positional, keywords, 1, "M", n)
    return Array((n if is_known(n) else UNKNOWN, m if is_known(m) else UNKNOWN), "float")


def _transpose(positional: list[Any], keywords: dict[str, Any]) -> Any:
    array = _arg(positional, keywords, 0, "a")
    if not isinstance(array, Array):
        return UNKNOWN_ARRAY
    return arrays.transpose_axes(array, _arg(positional, keywords, 1, "axes"))


_NUMPY = {
    "array": _array,
    "asarray": _array,
    "zeros": _filled("float"),
    "ones": _filled("float"),
    "empty": _filled("float"),
    "full": _filled(None),
    "zeros_like": _like,
    "ones_like": _like,
    "random.rand": _random_dims("float"),
    "random.randn": _random_dims("float"),
    "random.random": _random_size("float", 0),
    "random.random_sample": _random_size("float", 0),
    "random.uniform": _random_size("float", 2),
    "random.normal": _random_size("float", 2),
    "random.randint": _randint,
    "random.permutation": _permutation,
    "arange": _arange,
    "linspace": _linspace,
    "reshape": _reshape,
    "expand_dims": _expand_dims,
    "stack": _joined(new_axis=True),
    "concatenate": _joined(new_axis=False),
    "vstack": _vstack,
    "hstack": _hstack,
    "eye": _eye,
    "transpose": _transpose,
    "load": _loaded,
    "loadtxt": _loaded,
    "genfromtxt": _loaded,
}


# ---------------------------------------------------------------------- array methods


def array_method(array: Array, method: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    if method == "reshape":
        target = positional[0] if len(positional) == 1 else tuple(positional)
        return arrays.reshape(array, keywords.get("shape", target))
    if method == "astype":
        return Array(array.shape, arrays.dtype_kind(positional[0] if positional else None))
    if method == "copy":
        return array
    if method in ("flatten", "ravel"):
        total = (
            math.prod(array.shape) if array.shape and all(map(is_known, array.shape)) else UNKNOWN
        )
        return Array((total,), array.kind)
    if method in arrays.REDUCTIONS:
        axis = positional[0] if positional else keywords.get("axis")
        return arrays.reduce(array, method, axis, keywords.get("keepdims", False))
    if method == "squeeze":
        return arrays.squeeze(array, positional[0] if positional else keywords.get("axis"))
    if method == "transpose":
        axes = positional[0] if len(positional) == 1 else tuple(positional)
        return arrays.transpose_axes(array, keywords.get("axes", axes))
    return UNKNOWN


def array_attribute(array: Array, attr: str) -> Any:
    if attr == "shape":
        return array.shape if array.shape is not None else UNKNOWN
    if attr == "T":
        return arrays.transpose(array)
    if attr == "ndim":
        return array.rank if array.rank is not None else UNKNOWN
    if attr == "size":
        shape = array.shape
        return math.prod(shape) if shape and all(map(is_known, shape)) else UNKNOWN
    return UNKNOWN


# ---------------------------------------------------------------------- helpers of other libraries


def to_categorical(positional: list[Any], keywords: dict[str, Any]) -> Array:
    """``to_categorical(y, num_classes)``: one-hot, one more axis (a trailing 1 replaced)."""
    labels = _arg(positional, keywords, 0, "x")
    classes = _arg(positional, keywords, 1, "num_classes")
    classes = classes if is_known(classes) else UNKNOWN
    if not isinstance(labels, Array) or labels.shape is None:
        return Array(None, "float")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    return Array((*shape, classes), "float")


def pad_sequences(positional: list[Any], keywords: dict[str, Any]) -> Array:
    sequences = _arg(positional, keywords, 0, "sequences")
    maxlen = _arg(positional, keywords, 1, "maxlen")
    count = len(sequences) if isinstance(sequences, (list, tuple)) else UNKNOWN
    if isinstance(sequences, Array):
        count = sequences.samples
    return Array((count, maxlen if is_known(maxlen) else UNKNOWN), "int")


def train_test_split(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """Each array split in two along the samples: the other axes are kept."""
    if not positional:
        return UNKNOWN
    parts: list[Any] = []
    for item in positional:
        if isinstance(item, Array) and item.shape is not None:
            half = Array((UNKNOWN, *item.shape[1:]), item.kind)
            parts.extend([half, half])
        else:
            parts.extend([UNKNOWN_ARRAY, UNKNOWN_ARRAY])
    return parts


def library_call(
    path: str, positional: list[Any], keywords: dict[str, Any], channels_last: bool = True
) -> Any:
    """Data helpers outside NumPy, by their (canonical) path; None when not one of them."""
    module, _, last = path.rpartition(".")
    if last == "to_categorical":
        return to_categorical(positional, keywords)
    if last == "pad_sequences":
        return pad_sequences(positional, keywords)
    if last == "train_test_split" and path.startswith("sklearn."):
        return train_test_split(positional, keywords)
    if module == "pandas":
        return tables.pandas_call(last, positional, keywords)
    if module.startswith("sklearn.preprocessing"):
        return preprocessing.sklearn_class(last)
    if last == "image_dataset_from_directory":
        return image_data.image_dataset_from_directory(positional, keywords, channels_last or None)
    if last == "load_img" and module.startswith("keras"):
        return image_data.load_img(keywords)
    if last == "img_to_array" and module.startswith("keras"):
        return image_data.img_to_array(positional, keywords, channels_last or None)
    if last == "ImageDataGenerator" and module.startswith("keras"):
        return image_data.image_generator(keywords, channels_last or None)
    if last == "load_data" and module.startswith("keras.datasets."):
        return datasets.load_data(module.rpartition(".")[2], keywords, channels_last)
    if last == "timeseries_dataset_from_array":
        return datasets.timeseries(positional, keywords, "sequence_length", None)
    if last == "TimeseriesGenerator":
        return datasets.timeseries(positional, keywords, "length", UNKNOWN)
    if path == "tensorflow.data.Dataset.from_tensor_slices":
        return datasets.from_tensor_slices(positional, keywords)
    if path in ("tensorflow.one_hot", "keras.ops.one_hot", "keras.backend.one_hot"):
        return one_hot(positional, keywords)
    if path in ("tensorflow.convert_to_tensor", "tensorflow.constant"):
        value = _arg(positional, keywords, 0, "value")
        return value if isinstance(value, Array) else _array([value], {})
    if path == "tensorflow.reshape":
        return _reshape(positional, {"newshape": keywords.get("shape"), **keywords})
    return None


def one_hot(positional: list[Any], keywords: dict[str, Any]) -> Array:
    """``tf.one_hot(indices, depth)`` (``keras.ops.one_hot(x, num_classes)``): one more
    axis, of size ``depth``."""
    indices = _arg(positional, keywords, 0, "indices")
    depth = _arg(positional, keywords, 1, "depth", keywords.get("num_classes"))
    if not isinstance(indices, Array) or indices.shape is None:
        return Array(None, "float")
    return Array((*indices.shape, depth if is_known(depth) else UNKNOWN), "float")
