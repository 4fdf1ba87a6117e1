"""Loops over known collections are unrolled (tdlint.analysis.iteration); what is not known
stays unknown. Shapes through such loops are checked against Keras in test_layer_oracle.py."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from tdlint.analysis.iteration import NOT_HANDLED, dict_method, items_of, iteration_builtin
from tdlint.api import check_source, infer_shapes
from tdlint.keras.shapes import UNKNOWN, Unknown


def test_items_of_known_collections() -> None:
    assert items_of([1, 2]) == [1, 2]
    assert items_of(("a", UNKNOWN)) == ["a", UNKNOWN]
    assert items_of(range(3)) == [0, 1, 2]
    assert items_of({"b": 1, "a": 2}) == ["b", "a"]  # a dict's keys, in insertion order
    assert items_of({3, 1, 2}) == [1, 2, 3]
    assert items_of(list(range(64))) is not None
    assert items_of(list(range(65))) is None  # too long to unroll
    assert items_of(UNKNOWN) is None
    assert items_of("abc") is None  # strings are not unrolled


@pytest.mark.parametrize(
    ("name", "positional", "keywords", "expected"),
    [
        ("enumerate", [["x", "y"]], {}, [(0, "x"), (1, "y")]),
        ("enumerate", [["x"], 5], {}, [(5, "x")]),
        ("enumerate", [["x"]], {"start": 1}, [(1, "x")]),
        ("zip", [[1, 2, 3], ("a", "b")], {}, [(1, "a"), (2, "b")]),
        ("reversed", [[1, UNKNOWN]], {}, [UNKNOWN, 1]),
        ("sorted", [[("b", UNKNOWN), ("a", 1)]], {}, [("a", 1), ("b", UNKNOWN)]),
        ("sorted", [[3, 1, 2]], {"reverse": True}, [3, 2, 1]),
        ("list", [{"k": UNKNOWN}], {}, ["k"]),
        ("tuple", [[UNKNOWN]], {}, (UNKNOWN,)),
    ],
)
def test_iteration_builtins(
    name: str, positional: list[Any], keywords: dict[str, Any], expected: Any
) -> None:
    assert iteration_builtin(name, positional, keywords) == expected


@pytest.mark.parametrize(
    ("name", "positional", "keywords"),
    [
        ("enumerate", [UNKNOWN], {}),
        ("enumerate", [[1]], {"start": UNKNOWN}),
        ("zip", [[1], UNKNOWN], {}),
        ("sorted", [[UNKNOWN, 1]], {}),  # no constant to sort by
        ("sorted", [["a", 1]], {}),  # Python could not compare them
        ("sorted", [[1, 2]], {"key": UNKNOWN}),
        ("reversed", [{"a": 1}], {}),
        ("list", [UNKNOWN], {}),
        ("len", [[1]], {}),  # not an iteration builtin
        ("zip", [], {}),
    ],
)
def test_what_is_not_known_is_not_handled(
    name: str, positional: list[Any], keywords: dict[str, Any]
) -> None:
    assert iteration_builtin(name, positional, keywords) is NOT_HANDLED


def test_dict_views() -> None:
    d = {"a": 1, "b": UNKNOWN}
    assert dict_method(d, "items", []) == [("a", 1), ("b", UNKNOWN)]
    assert dict_method(d, "keys", []) == ["a", "b"]
    assert dict_method(d, "values", []) == [1, UNKNOWN]
    assert dict_method(d, "get", ["a"]) == 1
    assert dict_method(d, "get", ["z", 7]) == 7
    assert dict_method(d, "get", [UNKNOWN]) is NOT_HANDLED
    assert dict_method(d, "pop", ["a"]) is NOT_HANDLED


def shapes(body: str) -> list[Any]:
    source = "import keras\nfrom keras import layers\n" + textwrap.dedent(body)
    return [row.output_shape for row in infer_shapes(source)[0].layers]


def test_a_loop_over_an_unknown_collection_is_not_unrolled() -> None:
    found = shapes(
        """
        widths = load_widths()
        x = inp = keras.Input(shape=(4,))
        for w in widths:
            x = layers.Dense(w)(x)
        model = keras.Model(inp, layers.Dense(2)(x))
        """
    )
    # Nothing is guessed: the loop's Dense has no known width (the model may have any
    # number of them, joined after the loop), and the last layer's own units are known.
    assert len(found) == 2 and found[-1] == (None, 2)
    assert found[0] is not None and found[0][0] is None and isinstance(found[0][1], Unknown)


def test_a_tensor_from_either_branch_keeps_what_both_agree_on() -> None:
    source = "import keras\nfrom keras import layers\n" + textwrap.dedent(
        """
        deep = input() == "y"
        inp = keras.Input(shape=(8,))
        x = layers.Dense(8)(inp) if deep else inp
        y = layers.Dense(4)(x) if deep else layers.Dense(5)(x)
        model = keras.Model(inp, [x, y])
        """
    )
    [summary] = infer_shapes(source)
    assert summary.outputs[0] == (None, 8)
    assert summary.outputs[1] is not None and isinstance(summary.outputs[1][1], Unknown)
    # Which layers the model has depends on the branch: its parameter count is unknown.
    assert summary.params is None and summary.status == "partial"


def test_a_closure_sees_the_arguments_of_the_call_that_made_it() -> None:
    found = shapes(
        """
        def block(width):
            def apply(x):
                return layers.Dense(width)(x)
            return apply

        inp = keras.Input(shape=(4,))
        model = keras.Model(inp, block(3)(block(5)(inp)))
        """
    )
    assert found == [(None, 5), (None, 3)]


def test_a_branch_guarded_by_a_comparison_of_known_dims_is_decided() -> None:
    # `tf.math.equal` on two known numbers decides the branch: the Add is only built when
    # the channels agree, so there is nothing to report (and the returns are not joined).
    source = "import keras\nimport tensorflow as tf\nfrom keras import layers\n" + textwrap.dedent(
        """
        def block(x, channels):
            m = layers.Conv2D(channels, 1)(x)
            if tf.math.equal(x.shape[-1], channels):
                return layers.Add()([m, x])
            return m

        inp = keras.Input(shape=(8, 8, 16))
        x = block(block(inp, 24), 24)
        model = keras.Model(inp, x)
        """
    )
    assert check_source(source, "m.py") == []
    [summary] = infer_shapes(source)
    assert summary.outputs == ((None, 8, 8, 24),) and summary.params is not None


def test_a_dict_filled_in_an_unknown_loop_has_unknown_keys() -> None:
    # ``inputs[name] = ...`` in a loop over names tdlint cannot know: the dict's keys are
    # unknown, so a later loop over it is not a loop over nothing (and the list it fills is
    # not an empty list of inputs).
    source = textwrap.dedent(
        """
        import keras
        from keras import layers
        import pandas as pd

        names = list(pd.read_csv("data.csv").columns)
        inputs = {}
        for name in names:
            inputs[name] = keras.Input(shape=(1,), name=name)
        encoded = []
        for name in inputs:
            encoded.append(layers.Dense(4)(inputs[name]))
        merged = layers.concatenate(encoded)
        """
    )
    assert check_source(source) == []


def test_a_dict_filled_with_known_keys_keeps_them() -> None:
    [summary] = infer_shapes(
        textwrap.dedent(
            """
            import keras
            from keras import layers

            inputs = {}
            for name in ["a", "b"]:
                inputs[name] = keras.Input(shape=(3,), name=name)
            x = layers.concatenate([inputs[n] for n in inputs])
            model = keras.Model(inputs, layers.Dense(2)(x))
            """
        )
    )
    assert [r.output_shape for r in summary.layers] == [(None, 6), (None, 2)]


@pytest.mark.parametrize(
    "change",
    [
        "skips.pop(n)",  # which item went is not known
        "skips.insert(n, layers.Dense(3)(inp))",  # nor where this one went
        "skips.extend(more)",  # nor how many came
        "skips.pop(5)",  # Python would raise
    ],
)
def test_a_list_changed_in_a_way_tdlint_cannot_follow_has_unknown_items(change: str) -> None:
    found = shapes(
        f"""
        n = int(input())
        more = load_more()
        inp = keras.Input(shape=(8,))
        skips = [layers.Dense(4)(inp), layers.Dense(6)(inp)]
        {change}
        model = keras.Model(inp, layers.Dense(2)(layers.Concatenate()([inp, skips.pop()])))
        """
    )
    concatenated = found[-2]
    assert concatenated is None or isinstance(concatenated[-1], Unknown)


def test_a_list_popped_and_inserted_at_known_places_keeps_its_items() -> None:
    found = shapes(
        """
        inp = keras.Input(shape=(8,))
        skips = [layers.Dense(4)(inp), layers.Dense(6)(inp)]
        skips.insert(0, layers.Dense(3)(inp))
        first = skips.pop(0)
        model = keras.Model(inp, layers.Concatenate()([first, skips.pop(), skips.pop()]))
        """
    )
    assert found[-1] == (None, 13)
