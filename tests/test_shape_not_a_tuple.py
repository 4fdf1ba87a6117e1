"""TDL108: which shape arguments are certainly ints, and what is left alone. The rule's own
examples (and Keras refusing its INVALID ones) are checked in test_rules.py and
test_oracle_rules.py."""

from __future__ import annotations

import textwrap

import pytest

from tdlint.api import check_source, infer_shapes
from tdlint.diagnostics import Severity


def findings(body: str, keras_version: str | None = None) -> list[tuple[int, str, Severity]]:
    source = "import keras\nfrom keras import layers\n" + textwrap.dedent(body)
    return [
        (d.location.row, d.message, d.severity)
        for d in check_source(source, select=["TDL108"], keras_version=keras_version)
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("inp = keras.Input(shape=784)\n", "`784` is the int 784"),
        ("inp = keras.Input(shape=(28 * 28))\n", "`(28 * 28)` is the int 784"),
        ("inp = keras.Input(shape=(64 // 2 - 1))\n", "is the int 31"),
        ("inp = keras.Input(batch_shape=(32))\n", "is the int 32"),
        ("inp = keras.Input(shape=(len(vocab)))\n", "`(len(vocab))` is an int"),
        ("inp = keras.Input((data.shape[-1]))\n", "`(data.shape[-1])` is an int"),
        ("x = layers.InputLayer(input_shape=(10))\n", "`(10)` is the int 10"),
        ("x = layers.LSTM(4, batch_input_shape=(8))\n", "`(8)` is the int 8"),
        # A name bound only to int expressions, through another such name.
        ("side = 28\npixels = side * side\ninp = keras.Input(shape=(pixels))\n", "the int 784"),
        ("n = X.shape[1]\ninp = keras.Input(shape=(n))\n", "`(n)` is an int"),
    ],
)
def test_int_shapes_are_reported(body: str, message: str) -> None:
    (found,) = findings(body, keras_version="3")  # Input's int: see the test below
    assert message in found[1], found


@pytest.mark.parametrize(
    "body",
    [
        "inp = keras.Input(shape=(784,))\n",
        "inp = keras.Input(shape=X.shape[1:])\n",
        "inp = keras.Input(shape=(data.shape[1:]))\n",
        "inp = keras.Input(shape=(None, 8))\n",
        "inp = keras.Input(shape=())\n",
        # A name that is a tuple somewhere, or bound in a way tdlint does not follow.
        "shape = 4\nshape = (4, 2)\ninp = keras.Input(shape=(shape))\n",
        "def build(n):\n    return keras.Input(shape=(n))\n",
        "for n in (4, 8):\n    inp = keras.Input(shape=(n))\n",
        "from config import n\ninp = keras.Input(shape=(n))\n",
        "n, m = 4, 2\ninp = keras.Input(shape=(n))\n",
        "n = 4\nn += 1\ninp = keras.Input(shape=(n))\n",
        "inp = keras.Input(shape=(dims))\n",
        # Not shape arguments.
        "x = layers.Dense((64))\n",
        "x = layers.Embedding(input_dim=(1000), output_dim=8)\n",
    ],
)
def test_other_shapes_are_left_alone(body: str) -> None:
    assert findings(body) == []


def test_tf_keras_2_accepted_an_int_in_input_only() -> None:
    body = """
    inp = keras.Input(shape=(12))
    model = keras.Sequential([layers.Dense(4, input_shape=(12))])
    """
    # Input's int is a finding only where the Keras version refuses it; a layer's, always.
    for version in (None, "2"):
        assert [(row, sev) for row, _, sev in findings(body, version)] == [(5, Severity.ERROR)]
    for version in ("3", "1"):
        assert [(row, sev) for row, _, sev in findings(body, version)] == [
            (4, Severity.ERROR),
            (5, Severity.ERROR),
        ]


def test_the_int_is_read_as_the_one_element_shape_it_means() -> None:
    source = "import keras\ninp = keras.Input(shape=(12))\n"
    source += "model = keras.Model(inp, keras.layers.Dense(3)(inp))\n"
    (model,) = infer_shapes(source)
    assert (model.inputs, model.outputs, model.params) == (((None, 12),), ((None, 3),), 39)


@pytest.mark.parametrize(
    "other",
    [
        "if X.ndim > 2:\n    pass\nelif X.ndim:\n    n = (3, 4)\n",
        "if X.ndim > 2:\n    pass\nelse:\n    n = (3, 4)\n",
        "try:\n    pass\nexcept ValueError:\n    n = (3, 4)\nfinally:\n    pass\n",
        "try:\n    pass\nfinally:\n    n = (3, 4)\n",
        "while X.ndim:\n    break\nelse:\n    n = (3, 4)\n",
        "with open('f') as f:\n    n = (3, 4)\n",
        "class C:\n    def f(self): n = (3, 4)\n",
        "match X.ndim:\n    case 2:\n        n = (3, 4)\n",
        "if (n := (3, 4)):\n    pass\n",
        "pairs = [n for n in ((1, 2),)]\n",
    ],
)
def test_a_name_bound_to_a_tuple_anywhere_is_not_judged(other: str) -> None:
    # Bound to a tuple in a block nested anywhere, or inside an expression: `n` is not
    # certainly an int (the same file without `other` is reported, as the first case shows).
    body = "import numpy as np\nX = np.load('x.npy')\nn = X.shape[1]\n"
    shape = "inp = keras.Input(shape=(n))\n"
    assert len(findings(body + shape, keras_version="3")) == 1
    assert findings(body + other + shape, keras_version="3") == []
