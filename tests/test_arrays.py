"""Data arrays, exactly: every constructor, method and helper tdlint reads, with the shape and
dtype kind it must *know* (test_arrays_oracle.py allows "unknown"; this does not), each
expectation checked against NumPy too. Then the unknown paths: what tdlint cannot know stays
unknown, and the dtype kind survives the loss of the shape (a later reshape may restore it).
"""

from __future__ import annotations

from typing import Any

import pytest
from test_arrays_oracle import HEADER, NAMESPACE, infer, kind_of

from tdlint.analysis import arrays, data
from tdlint.analysis.arrays import UNKNOWN_ARRAY, Array
from tdlint.keras.shapes import UNKNOWN, is_unknown

np = pytest.importorskip("numpy")


def pad_sequences(sequences: Any, maxlen: int | None = None) -> Any:
    """Keras's ``pad_sequences`` as far as shapes go: one row per sequence, ``maxlen`` (or
    the longest sequence) columns, int32."""
    rows = list(sequences)
    width = maxlen if maxlen is not None else max(len(r) for r in rows)
    return np.zeros((len(rows), width), dtype="int32")


PAD_HEADER = HEADER + "from keras.utils import pad_sequences\n"
ENV = {**NAMESPACE, "pad_sequences": pad_sequences}

EXACT: list[tuple[str, tuple[int, ...], str | None]] = [
    # constructors, positional and keyword spellings
    ("np.zeros((2, 3))", (2, 3), "float"),
    ("np.zeros(shape=(2, 3), dtype='int64')", (2, 3), "int"),
    ("np.zeros(4, 'uint8')", (4,), "int"),
    ("np.ones([2, 3], float)", (2, 3), "float"),
    ("np.empty(3, dtype=np.int16)", (3,), "int"),
    ("np.full((2, 2), 7)", (2, 2), "int"),
    ("np.full((2, 2), 0.5)", (2, 2), "float"),
    ("np.full((2, 2), True)", (2, 2), "bool"),
    ("np.full(shape=(2,), fill_value=1, dtype='float32')", (2,), "float"),
    ("np.full(shape=(2,), fill_value=1)", (2,), "int"),
    ("np.zeros_like(np.zeros((2, 3), int))", (2, 3), "int"),
    ("np.ones_like(np.zeros((2, 3)), dtype='int8')", (2, 3), "int"),
    ("np.zeros_like(a=np.ones(4))", (4,), "float"),
    ("np.array([[1, 2, 3], [4, 5, 6]])", (2, 3), "int"),
    ("np.array([[1.5], [2.5]])", (2, 1), "float"),
    ("np.array([1, 2.5])", (2,), "float"),
    ("np.array([True, False])", (2,), "bool"),
    ("np.array([(1, 2), (3, 4), (5, 6)])", (3, 2), "int"),
    ("np.array(object=[1, 2])", (2,), "int"),
    ("np.array([1, 2], dtype='float32')", (2,), "float"),
    ("np.asarray([[1, 2]])", (1, 2), "int"),
    ("np.array(np.zeros((2, 2), int))", (2, 2), "int"),
    ("np.array([np.zeros(3, int), np.ones(3, int)])", (2, 3), "int"),
    ("np.array([[np.zeros(2)], [np.ones(2)]])", (2, 1, 2), "float"),
    ("np.eye(3)", (3, 3), "float"),
    ("np.eye(3, 4)", (3, 4), "float"),
    ("np.eye(N=2)", (2, 2), "float"),
    ("np.eye(3, M=5)", (3, 5), "float"),
    ("np.arange(5)", (5,), "int"),
    ("np.arange(2, 7)", (5,), "int"),
    ("np.arange(7, 2)", (0,), "int"),
    ("np.arange(0, 10, 3)", (4,), "int"),
    ("np.arange(10, 0, -4)", (3,), "int"),
    ("np.arange(2.5)", (3,), "float"),
    ("np.arange(0, 1, 0.3)", (4,), "float"),
    ("np.linspace(0, 1)", (50,), "float"),
    ("np.linspace(0, 1, 7)", (7,), "float"),
    ("np.linspace(0, 1, num=4)", (4,), "float"),
    ("np.random.rand()", (), "float"),
    ("np.random.rand(2, 3)", (2, 3), "float"),
    ("np.random.randn(4)", (4,), "float"),
    ("np.random.random()", (), "float"),
    ("np.random.random((2, 3))", (2, 3), "float"),
    ("np.random.random(size=3)", (3,), "float"),
    ("np.random.random_sample(3)", (3,), "float"),
    ("np.random.uniform(0, 1)", (), "float"),
    ("np.random.uniform(0, 1, (2, 2))", (2, 2), "float"),
    ("np.random.uniform(size=(4,))", (4,), "float"),
    ("np.random.normal(0, 1, 5)", (5,), "float"),
    ("np.random.randint(5)", (), "int"),
    ("np.random.randint(0, 5, 3)", (3,), "int"),
    ("np.random.randint(0, 5, size=(2, 2))", (2, 2), "int"),
    ("np.random.randint(0, 5, size=(2, 2), dtype='int8')", (2, 2), "int"),
    ("np.random.randint(0, 2, 3, dtype='bool')", (3,), "bool"),
    # reshaping and joining
    ("np.reshape(np.zeros(6), (2, 3))", (2, 3), "float"),
    ("np.reshape(np.zeros(6), -1)", (6,), "float"),
    ("np.zeros((2, 6)).reshape(3, -1, 2)", (3, 2, 2), "float"),
    ("np.zeros((2, 6)).reshape((-1,))", (12,), "float"),
    ("np.zeros((2, 3), int).reshape(6)", (6,), "int"),
    ("np.expand_dims(np.zeros((2, 3)), 0)", (1, 2, 3), "float"),
    ("np.expand_dims(np.zeros((2, 3)), 2)", (2, 3, 1), "float"),
    ("np.expand_dims(np.zeros((2, 3)), -1)", (2, 3, 1), "float"),
    ("np.expand_dims(np.zeros((2, 3)), -3)", (1, 2, 3), "float"),
    ("np.expand_dims(a=np.zeros(2, int), axis=1)", (2, 1), "int"),
    ("np.stack([np.zeros(3), np.ones(3)])", (2, 3), "float"),
    ("np.stack([np.zeros(3)])", (1, 3), "float"),
    ("np.stack([np.zeros(3, int), np.ones(3, int)], axis=1)", (3, 2), "int"),
    ("np.stack([np.zeros(3), np.zeros(3)], -1)", (3, 2), "float"),
    ("np.stack(arrays=(np.zeros(3), np.zeros(3)), axis=-2)", (2, 3), "float"),
    ("np.concatenate([np.zeros((2, 3)), np.ones((4, 3))])", (6, 3), "float"),
    ("np.concatenate([np.zeros((2, 3)), np.ones((2, 1))], axis=1)", (2, 4), "float"),
    ("np.concatenate((np.zeros((2, 3)), np.ones((2, 1))), -1)", (2, 4), "float"),
    ("np.vstack([np.zeros(3), np.ones(3)])", (2, 3), "float"),
    ("np.vstack([np.zeros((2, 3)), np.ones(3)])", (3, 3), "float"),
    ("np.vstack(tup=(np.zeros((1, 2), int), np.zeros((3, 2), int)))", (4, 2), "int"),
    ("np.hstack([np.zeros(3), np.ones(2)])", (5,), "float"),
    ("np.hstack([np.zeros((2, 1)), np.ones((2, 3))])", (2, 4), "float"),
    # methods and attributes
    ("np.zeros((2, 3)).T", (3, 2), "float"),
    ("np.zeros((2, 3, 4), int).transpose()", (4, 3, 2), "int"),
    ("np.zeros((2, 3)).flatten()", (6,), "float"),
    ("np.zeros((2, 3), int).ravel()", (6,), "int"),
    ("np.zeros((2, 3), int).copy()", (2, 3), "int"),
    ("np.zeros((2, 3)).astype('int8')", (2, 3), "int"),
    ("np.zeros((2, 3), int).astype(float)", (2, 3), "float"),
    ("np.zeros((2, 3)).astype(bool)", (2, 3), None),  # `bool` is not read: kind unknown
    # indexing
    ("np.zeros((4, 5))[:, 0]", (4,), "float"),
    ("np.zeros((4, 5))[1]", (5,), "float"),
    ("np.zeros((4, 5))[-1, 1:3]", (2,), "float"),
    ("np.zeros((4, 5), int)[None]", (1, 4, 5), "int"),
    ("np.zeros((4, 5))[..., None]", (4, 5, 1), "float"),
    ("np.zeros((4, 5, 6))[..., 0]", (4, 5), "float"),
    ("np.zeros((4, 5, 6))[0, ..., 1]", (5,), "float"),
    ("np.zeros((4, 5))[::2]", (2, 5), "float"),
    ("np.zeros((4, 5))[1:-1, ::-2]", (2, 3), "float"),
    ("np.zeros((4, 5))[np.arange(3)]", (3, 5), "float"),
    ("np.zeros((4, 5))[:, np.arange(2)]", (4, 2), "float"),
    # integer-array indexing of any rank: one-hot rows picked by labels (issue 13)
    ("np.eye(4)[np.zeros(6, int)]", (6, 4), "float"),
    ("np.eye(4)[np.zeros((6, 3), int)]", (6, 3, 4), "float"),
    ("np.zeros((2, 3), int)[np.zeros((2, 2), int)]", (2, 2, 3), "int"),
    ("np.zeros((4, 5))[:, np.zeros((2, 2), int)]", (4, 2, 2), "float"),
    # axes in a given order
    ("np.zeros((2, 3, 4)).transpose(0, 2, 1)", (2, 4, 3), "float"),
    ("np.zeros((2, 3, 4)).transpose((1, 0, 2))", (3, 2, 4), "float"),
    ("np.transpose(np.zeros((2, 3, 4)), (2, 0, 1))", (4, 2, 3), "float"),
    ("np.transpose(np.zeros((2, 3)))", (3, 2), "float"),
    ("np.zeros(3, int).transpose(0)", (3,), "int"),
    # element-wise arithmetic, broadcast
    ("np.zeros((2, 3), int) % 5", (2, 3), "int"),
    ("np.zeros((2, 3), int) / 2", (2, 3), "float"),
    ("np.zeros((2, 3), int) // 2", (2, 3), "int"),
    ("255.0 - np.zeros((2, 3), int)", (2, 3), "float"),
    ("np.zeros((4, 1, 3)) + np.ones((2, 1))", (4, 2, 3), "float"),
    ("np.zeros((2, 3)) - np.zeros((2, 3)).mean(axis=0)", (2, 3), "float"),
    # reductions and squeeze
    ("np.zeros((2, 3)).mean()", (), "float"),
    ("np.zeros((2, 3)).sum(axis=1)", (2,), "float"),
    ("np.zeros((2, 3, 4)).max(axis=(0, 2), keepdims=True)", (1, 3, 1), "float"),
    ("np.argmax(np.zeros((2, 3)), axis=-1)", (2,), "int"),
    ("np.zeros((2, 3)).argmax(1)", (2,), "int"),
    ("np.squeeze(np.zeros((2, 1, 3, 1)))", (2, 3), "float"),
    ("np.zeros((2, 1, 3)).squeeze(axis=1)", (2, 3), "float"),
    # helpers of other libraries (NumPy equivalents in the test)
    ("to_categorical(np.zeros(6), 3)", (6, 3), "float"),
    ("to_categorical(np.zeros((6, 1)), num_classes=3)", (6, 3), "float"),
    ("to_categorical(x=np.zeros((6, 2)), num_classes=4)", (6, 2, 4), "float"),
    ("to_categorical(np.zeros(1), 3)", (1, 3), "float"),
    ("pad_sequences([[1, 2], [3]], maxlen=5)", (2, 5), "int"),
    ("pad_sequences([[1, 2], [3], [4]], 4)", (3, 4), "int"),
    ("pad_sequences(np.zeros((7, 3), int), maxlen=10)", (7, 10), "int"),
]


@pytest.mark.parametrize(("expr", "shape", "kind"), EXACT)
def test_known_shapes_and_kinds(expr: str, shape: tuple[int, ...], kind: str | None) -> None:
    expected = eval(expr, dict(ENV))  # the table itself is checked against NumPy
    assert np.shape(expected) == shape
    assert kind is None or kind_of(expected) == kind
    got = infer(PAD_HEADER + f"x = {expr}\n")["x"]
    assert got == Array(shape, kind)
    assert all(type(d) is int for d in got.shape)  # 2.0 == 2, but a float is no dim


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("len(np.zeros((4, 5)))", 4),
        ("np.zeros((4, 5)).shape", (4, 5)),
        ("np.zeros((4, 5)).shape[1:]", (5,)),
        ("np.zeros((4, 5)).ndim", 2),
        ("np.zeros((4, 5)).size", 20),
    ],
)
def test_attributes(expr: str, value: object) -> None:
    assert eval(expr, dict(ENV)) == value
    assert infer(HEADER + f"x = {expr}\n")["x"] == value


def test_train_test_split_keeps_all_but_the_sample_axis() -> None:
    source = HEADER + (
        "X = np.zeros((10, 3))\ny = np.zeros(10, int)\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\n"
    )
    values = infer(source)
    for name, rest, kind in (("X_train", (3,), "float"), ("X_test", (3,), "float")):
        array = values[name]
        assert array.shape[1:] == rest and is_unknown(array.shape[0]) and array.kind == kind
    for name in ("y_train", "y_test"):
        array = values[name]
        assert len(array.shape) == 1 and is_unknown(array.shape[0]) and array.kind == "int"


# ---------------------------------------------------------------------- what stays unknown

UNKNOWN_SOURCE = HEADER + "n = int(input())\nL = np.load('x.npy')\n"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        # the shape is unknown, the kind is still known
        ("np.zeros(n)", (None, "float")),
        ("np.zeros((2, n), int)", ((2, UNKNOWN), "int")),
        ("np.eye(n)", ((UNKNOWN, UNKNOWN), "float")),
        ("np.random.rand(2, n)", ((2, UNKNOWN), "float")),
        ("np.random.randint(0, 3, size=n)", (None, "int")),
        ("np.linspace(0, 1, num=n)", ((UNKNOWN,), "float")),
        ("np.arange(n)", ((UNKNOWN,), None)),
        ("np.arange(0, 5, 0)", ((UNKNOWN,), "int")),  # NumPy raises; tdlint does not guess
        ("np.zeros(n, int).reshape(5)", ((5,), "int")),  # ...and a reshape makes it known
        ("np.zeros(n, int).reshape(-1, 5)", ((UNKNOWN, 5), "int")),
        ("np.zeros((2, 3), int).reshape(L)", (None, "int")),
        ("np.zeros(n, int)[None]", (None, "int")),
        ("np.zeros((2, 3), int)[0, 0, 0]", (None, "int")),  # too many indices
        ("np.zeros((2, 3), int)[:, :, :]", (None, "int")),
        ("np.zeros((2, 3), int)[np.zeros(2) > 0]", (None, "int")),  # a boolean mask
        ("np.zeros((2, 3), int)[n:]", ((UNKNOWN, 3), "int")),
        ("np.zeros((2, 3), int)[:n]", ((UNKNOWN, 3), "int")),
        ("np.zeros(n, int).T", (None, "int")),
        ("np.expand_dims(np.zeros(n, int), 0)", (None, "int")),
        ("np.expand_dims(np.zeros(3, int), 2)", (None, "int")),  # out of range
        ("np.expand_dims(np.zeros(3, int), -3)", (None, "int")),
        ("np.expand_dims(np.zeros(3, int), n)", (None, "int")),
        ("np.stack([np.zeros(3, int)], axis=5)", (None, None)),  # out of range: NumPy raises
        ("np.stack([np.zeros(3, int)], axis=-3)", (None, None)),
        ("np.stack([np.zeros(3, int), L])", (None, None)),
        ("np.stack([np.zeros(3, int)], axis=n)", (None, None)),
        ("np.stack([np.zeros(3), np.zeros(3, int)])", ((2, 3), None)),  # mixed kinds
        ("np.concatenate([np.zeros((2, 3)), np.zeros((2, n))], axis=1)", ((2, UNKNOWN), "float")),
        ("np.concatenate([np.zeros(3)], axis=1)", (None, None)),
        ("np.concatenate([np.zeros(3)], axis=None)", (None, None)),
        ("np.concatenate(L)", (None, None)),
        ("np.vstack(L)", (None, None)),
        ("np.hstack([L, L])", (None, None)),
        ("np.array(L)", (None, None)),
        ("np.array([1, L])", (None, None)),
        ("np.array([np.zeros(2), np.zeros(3)])", (None, None)),  # ragged
        ("np.array([[1, 2], [n, 3]])", (None, None)),
        ("np.zeros_like(L)", (None, None)),
        # reshape to a literal shape: that shape, or a crash (issue 13)
        ("np.reshape(L, (2, -1))", ((2, UNKNOWN), None)),
        ("L.reshape(3)", ((3,), None)),
        ("np.expand_dims(L, 0)", (None, None)),
        ("np.zeros((2, 3)).astype(L)", ((2, 3), None)),
        ("np.zeros((10 ** 7, 10 ** 7))", ((UNKNOWN, UNKNOWN), "float")),  # not from literal data
        ("to_categorical(L, 3)", (None, "float")),
        ("np.zeros((2, 3)).transpose(0, 0)", (None, "float")),  # NumPy refuses
        ("np.zeros((2, 3)).squeeze(axis=1)", (None, "float")),  # NumPy refuses: not size 1
        ("np.zeros((2, 3)) + np.zeros(4)", (None, "float")),  # NumPy refuses
        ("np.zeros((2, 3)) + L", (None, "float")),
        ("np.zeros((2, 3), int)[np.zeros((2, 3), bool)]", (None, "int")),  # a mask
        ("to_categorical(np.zeros(4), n)", ((4, UNKNOWN), "float")),
        ("to_categorical(np.zeros((4, 1)))", ((4, UNKNOWN), "float")),
    ],
)
def test_unknowns_stay_unknown_and_keep_the_kind(expr: str, expected: tuple[Any, Any]) -> None:
    got = infer(UNKNOWN_SOURCE + f"x = {expr}\n")["x"]
    assert isinstance(got, Array), got
    shape, kind = expected
    assert got.kind == kind
    if shape is None:
        assert got.shape is None
    else:
        assert got.shape is not None and len(got.shape) == len(shape)
        for g, e in zip(got.shape, shape, strict=True):
            assert is_unknown(g) if e is UNKNOWN else g == e


@pytest.mark.parametrize(
    "expr",
    [
        "L.shape",
        "L.ndim",
        "L.size",
        "np.zeros((2, 3)).dtype",
        "np.zeros(n).shape",
        "np.zeros(n).ndim",
        "np.zeros((2, n)).size",
        "np.no_such_function(3)",
        "train_test_split()",
    ],
)
def test_values_that_are_not_known(expr: str) -> None:
    assert is_unknown(infer(UNKNOWN_SOURCE + f"x = {expr}\n")["x"])


def test_pad_sequences_counts_what_it_can() -> None:
    values = infer(PAD_HEADER + "L = np.load('x.npy')\na = pad_sequences([[1], [2], [3]])\n"
                   "b = pad_sequences(L, maxlen=4)\nc = pad_sequences(L)\n")  # fmt: skip
    assert values["a"].shape[0] == 3 and is_unknown(values["a"].shape[1])
    assert is_unknown(values["b"].shape[0]) and values["b"].shape[1] == 4
    assert all(is_unknown(d) for d in values["c"].shape) and len(values["c"].shape) == 2
    assert {values[k].kind for k in "abc"} == {"int"}


def test_library_calls_by_their_last_name() -> None:
    assert data.library_call("keras.utils.to_categorical", [Array((3,), "int"), 2], {}) == Array(
        (3, 2), "float"
    )
    assert data.library_call("keras.utils.pad_sequences", [[[1], [2]]], {"maxlen": 3}) == Array(
        (2, 3), "int"
    )
    # train_test_split only from scikit-learn; anything else is not a data helper.
    assert data.library_call("mylib.train_test_split", [Array((4, 2))], {}) is None
    assert data.library_call("keras.layers.Dense", [3], {}) is None
    split = data.library_call("sklearn.model_selection.train_test_split", [Array((4, 2))], {})
    assert len(split) == 2 and all(p.shape[1:] == (2,) for p in split)
    assert data.is_data_path("numpy") and data.is_data_path("sklearn.model_selection")
    assert not data.is_data_path("numpyro") and not data.is_data_path("keras")
    # one-hot with a depth, in each library's spelling
    labels = Array((5,), "int")
    for path, args, keywords in [
        ("tensorflow.one_hot", [labels, 3], {}),
        ("tensorflow.one_hot", [labels], {"depth": 3}),
        ("keras.ops.one_hot", [labels], {"num_classes": 3}),
        ("keras.backend.one_hot", [labels, 3], {}),
    ]:
        assert data.library_call(path, args, keywords) == Array((5, 3), "float"), path


def test_keywords_numpy_no_longer_takes_are_still_read() -> None:
    # NumPy < 2.1 spelled np.reshape's target `newshape`; code written then still says so.
    assert data.call_numpy("reshape", [Array((6,), "int")], {"newshape": (3, 2)}) == Array(
        (3, 2), "int"
    )
    assert data.array_method(Array((6,), "int"), "reshape", [], {"shape": (2, 3)}) == Array(
        (2, 3), "int"
    )


def test_keyword_spellings_of_the_array_argument() -> None:
    six = Array((6,), "int")
    assert data.call_numpy("reshape", [], {"a": six, "newshape": (2, 3)}) == Array((2, 3), "int")
    assert data.call_numpy("hstack", [], {"tup": [six, six]}) == Array((12,), "int")
    assert data.pad_sequences([], {"sequences": [[1], [2]], "maxlen": 3}) == Array((2, 3), "int")
    assert data.call_numpy("eye", [2.5], {}) == Array((UNKNOWN, UNKNOWN), "float")


def test_methods_and_helpers_that_must_not_raise() -> None:
    source = UNKNOWN_SOURCE + (
        "a = np.zeros(3).astype()\nb = np.zeros((2, n)).flatten()\n"
        "parts = train_test_split([1, 2, 3], [4, 5, 6])\n"
    )
    values = infer(source)
    assert values["a"] == Array((3,), None)
    assert values["b"].kind == "float" and is_unknown(values["b"].shape[0])
    assert values["parts"] == [UNKNOWN_ARRAY] * 4


def test_call_numpy_never_raises() -> None:
    # Arguments of the wrong type give an unknown array, not an exception.
    assert data.call_numpy("zeros", [(2, 3)], {"dtype": "int32"}) == Array((2, 3), "int")
    assert data.call_numpy("reshape", [Array((2, 3)), "abc"], {}) == Array(None)
    assert data.call_numpy("arange", ["a", "b"], {}) == Array((UNKNOWN,), None)
    assert is_unknown(data.call_numpy("fft.fft", [Array((4,))], {}))
    assert data.call_numpy("expand_dims", [Array((2,)), 1], {}) == Array((2, 1))
    assert data.call_numpy("linspace", [0, 1, "x"], {}).shape[0] is UNKNOWN


# ---------------------------------------------------------------------- the building blocks


@pytest.mark.parametrize(
    ("dtype", "kind"),
    [
        ("int32", "int"),
        ("Int64", "int"),
        ("uint8", "int"),
        ("intp", "int"),  # not in the list: the prefix decides
        ("uintc", "int"),
        ("float16", "float"),
        ("double", "float"),
        ("float128", "float"),
        ("bool", "bool"),
        ("bool_", "bool"),
        ("numpy.float32", "float"),
        ("complex64", None),
        ("str", None),
        (int, "int"),
        (float, "float"),
        (bool, None),
        (None, None),
        (3, None),
    ],
)
def test_dtype_kind(dtype: Any, kind: str | None) -> None:
    assert arrays.dtype_kind(dtype) == kind


def test_dtype_kind_of_references() -> None:
    class Ref:  # what the interpreter hands over for `np.int8`, `int`
        def __init__(self, path: str) -> None:
            self.path = path

    assert arrays.dtype_kind(Ref("numpy.int8")) == "int"
    assert arrays.dtype_kind(Ref("builtins.float")) == "float"
    assert arrays.dtype_kind(Ref("numpy.bool_")) == "bool"


def test_from_literal() -> None:
    assert arrays.from_literal([[1, 2], [3, 4]]) == Array((2, 2), "int")
    assert arrays.from_literal([]) == Array((0,), "float")
    assert arrays.from_literal([[], []]) == Array((2, 0), "float")
    assert arrays.from_literal([True, 1]) == Array((2,), None)  # NumPy: int; not guessed
    assert arrays.from_literal([1, "a"]) == UNKNOWN_ARRAY
    assert arrays.from_literal([Array((3,), "int"), Array((3,), "int")]) == Array((2, 3), "int")
    assert arrays.from_literal([Array((3,), "int"), Array((3,), "float")]) == Array((2, 3), None)
    assert arrays.from_literal([Array((3,)), Array((2,))]) == UNKNOWN_ARRAY
    assert arrays.from_literal([Array(None), Array(None)]) == UNKNOWN_ARRAY
    assert arrays.from_literal([[Array((2,), "int")], [Array((2,), "int")]]) == Array(
        (2, 1, 2), "int"
    )


def test_shape_argument() -> None:
    assert arrays.shape_argument(5) == (5,)
    assert arrays.shape_argument((2, 3)) == (2, 3)
    assert arrays.shape_argument([2, 3]) == (2, 3)
    got = arrays.shape_argument((2, "n"))
    assert got is not None and got[0] == 2 and is_unknown(got[1])
    assert arrays.shape_argument(UNKNOWN) is None
    assert arrays.shape_argument(True) is None


def test_reshape_and_friends_keep_the_kind_when_the_shape_is_lost() -> None:
    unknown_int = Array(None, "int")
    assert arrays.reshape(Array((2, 3), "int"), UNKNOWN) == Array(None, "int")
    got = arrays.reshape(unknown_int, (-1, 3))
    assert got.kind == "int" and is_unknown(got.shape[0]) and got.shape[1] == 3
    assert arrays.reshape(Array((2, 3), "int"), (0, -1)).kind == "int"
    assert is_unknown(arrays.reshape(Array((2, 3)), (0, -1)).shape[1])  # 6 // 0: unknown
    assert arrays.expand_dims(unknown_int, 0) == Array(None, "int")
    assert arrays.expand_dims(Array((2,), "int"), UNKNOWN) == Array(None, "int")
    assert arrays.expand_dims(Array((2,), "int"), 5) == Array(None, "int")
    assert arrays.index(unknown_int, [0]) == Array(None, "int")
    assert arrays.index(Array((2,), "int"), [0, 0]) == Array(None, "int")
    assert arrays.index(Array((2,), "int"), [slice(None), slice(None)]) == Array(None, "int")
    assert arrays.index(Array((2,), "int"), [Array((3,), "float")]) == Array(None, "int")
    assert arrays.index(Array((2, 2), "int"), [Array((3,), None)]) == Array((3, 2), "int")
    assert arrays.index(Array((2,), "int"), [Array((3,)), Array((3,))]) == Array(None, "int")
    assert arrays.transpose(unknown_int) == Array(None, "int")
    assert arrays.transpose(Array((1, 2, 3), "bool")) == Array((3, 2, 1), "bool")
    assert arrays.sized((10**7, 10**6), "int").kind == "int"
    assert arrays.sized((10**6, 10**6), "int") == Array((10**6, 10**6), "int")  # at the limit


def test_slice_lengths() -> None:
    assert arrays._slice_length(10, slice(2, None)) == 8
    assert arrays._slice_length(10, slice(None, None, -3)) == 4
    assert is_unknown(arrays._slice_length(UNKNOWN, slice(None)))
    assert is_unknown(arrays._slice_length(10, slice(UNKNOWN, None)))
    assert is_unknown(arrays._slice_length(10, slice(None, "n")))


def test_stack_and_concatenate() -> None:
    a, b = Array((2, 3), "int"), Array((2, 3), "int")
    assert arrays.stack([a, b], 0, new_axis=True) == Array((2, 2, 3), "int")
    assert arrays.stack([a, b], 2, new_axis=True) == Array((2, 3, 2), "int")
    assert arrays.stack([a, b], -1, new_axis=True) == Array((2, 3, 2), "int")
    assert arrays.stack([a, b], 3, new_axis=True) == UNKNOWN_ARRAY
    assert arrays.stack([a, b], -4, new_axis=True) == UNKNOWN_ARRAY
    assert arrays.stack([a, Array((4, 3), "int")], 0, new_axis=False) == Array((6, 3), "int")
    assert arrays.stack([a, Array((2, 1), "int")], 1, new_axis=False) == Array((2, 4), "int")
    assert arrays.stack([Array((5, 3)), a], -2, new_axis=False) == Array((7, 3), None)
    assert arrays.stack([a, b], 2, new_axis=False) == UNKNOWN_ARRAY
    assert arrays.stack([a, b], -3, new_axis=False) == UNKNOWN_ARRAY
    assert arrays.stack([], 0, new_axis=True) == UNKNOWN_ARRAY
    assert arrays.stack([a, Array(None)], 0, new_axis=False) == UNKNOWN_ARRAY
    assert arrays.stack([a], UNKNOWN, new_axis=False) == UNKNOWN_ARRAY


def test_arange_bounds() -> None:
    assert arrays.arange(4) == Array((4,), "int")
    assert arrays.arange(1, 4) == Array((3,), "int")
    assert arrays.arange(4, 1) == Array((0,), "int")
    assert arrays.arange(0, 5, 2) == Array((3,), "int")
    assert arrays.arange(5, 0, 2) == Array((0,), "int")
    assert arrays.arange(0.5, 2) == Array((2,), "float")
    assert arrays.arange() == Array((UNKNOWN,), None)
    assert arrays.arange("a") == Array((UNKNOWN,), None)
    assert arrays.arange(0, 5, 0) == Array((UNKNOWN,), "int")
