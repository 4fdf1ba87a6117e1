"""Catalogue entries where Keras itself cannot help: what only running the code decides stays
unknown (never ``None``, which would claim Keras leaves the axis dynamic), and tf.keras 2.x
layers that Keras 3 no longer has. The shapes Keras does build are checked against it in
test_layer_oracle.py."""

from __future__ import annotations

import textwrap

import pytest

from tdlint.api import check_source, infer_shapes
from tdlint.keras.shapes import is_unknown

HEADER = "import keras\nfrom keras import layers\n"


def outputs(body: str) -> tuple:
    (model,) = infer_shapes(HEADER + textwrap.dedent(body))
    return model.outputs


def nothing_known(shapes: tuple) -> bool:
    """No output shape is fully known (an empty tuple: not even how many outputs)."""
    return all(s is None or any(is_unknown(d) for d in s) for s in shapes)


def last_output(layer: str, shape: str = "(3,)", dtype: str = "string") -> tuple:
    body = f"model = keras.Sequential([keras.Input(shape={shape}, dtype={dtype!r}), {layer}])\n"
    (output,) = outputs(body)
    return output


@pytest.mark.parametrize(
    "layer",
    [
        # The vocabulary comes from adapt() at run time.
        "layers.StringLookup(output_mode='multi_hot')",
        "layers.StringLookup(max_tokens=50, output_mode='count')",
        "layers.IntegerLookup(output_mode='one_hot')",
        # From a file, or not a literal.
        "layers.StringLookup(vocabulary='vocab.txt', output_mode='multi_hot')",
        "layers.StringLookup(vocabulary=open('v').read().split(), output_mode='multi_hot')",
        # Keras reads a leading OOV or mask token as the reserved index, not a new token.
        "layers.StringLookup(vocabulary=['[UNK]', 'a', 'b'], output_mode='multi_hot')",
        "layers.IntegerLookup(vocabulary=[0, 1, 2], mask_token=0, output_mode='multi_hot')",
        "layers.StringLookup(vocabulary=['a', 'a'], output_mode='multi_hot')",
        "layers.TextVectorization(max_tokens=100, output_mode='multi_hot', split=None)",
    ],
)
def test_a_vocabulary_known_only_at_run_time_gives_an_unknown_axis(layer: str) -> None:
    output = last_output(layer)
    assert output is not None and is_unknown(output[-1]), output


def test_a_literal_vocabulary_sizes_the_encoded_axis() -> None:
    # The positive twin of the case above (three tokens and one OOV index).
    assert last_output("layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='count')") == (
        None,
        4,
    )


def test_an_unknown_vocabulary_size_is_no_finding_downstream() -> None:
    source = HEADER + textwrap.dedent(
        """
        lookup = layers.StringLookup(output_mode="multi_hot")
        lookup.adapt(["a b", "c"])
        model = keras.Sequential([keras.Input(shape=(3,), dtype="string"), lookup, layers.Dense(2)])
        """
    )
    assert check_source(source) == []


def test_text_vectorization_lengths() -> None:
    # No output_sequence_length: Keras pads each batch to its longest text, a dynamic axis.
    assert last_output("layers.TextVectorization()", "(1,)") == (None, None)
    # A length from a parameter is unknown, not dynamic.
    (output,) = outputs(
        """
        def build(length):
            return keras.Sequential(
                [keras.Input(shape=(1,), dtype="string"),
                 layers.TextVectorization(output_sequence_length=length)]
            )
        model = build(LENGTH)
        """
    )
    assert output is not None and output[0] is None and is_unknown(output[1]), output


def test_rnn_states_nested_by_a_stack_are_not_guessed() -> None:
    # Keras returns (output, [h, c] of the LSTM cell, h of the GRU cell): nested, so an
    # index into the flat list tdlint models would be wrong.
    found = outputs(
        """
        a = keras.Input(shape=(5, 4))
        h = layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)], return_state=True)(a)[1]
        model = keras.Model(a, h)
        """
    )
    assert nothing_known(found), found


def test_rnn_over_a_cell_of_the_users_own_is_unknown() -> None:
    found = outputs(
        """
        class MinimalCell(keras.layers.Layer):
            state_size = 4
        model = keras.Sequential([keras.Input(shape=(5, 4)), layers.RNN(MinimalCell())])
        """
    )
    assert nothing_known(found), found


# tf.keras 2.x's RandomHeight/RandomWidth (Keras 3 has neither): their compute_output_shape
# sets the height (axis -3) or the width (axis -2) to None, channels last.
@pytest.mark.parametrize(
    ("layer", "shape", "expected"),
    [
        ("layers.RandomHeight(0.2)", "(8, 9, 3)", (None, None, 9, 3)),
        ("layers.RandomWidth(0.2)", "(8, 9, 3)", (None, 8, None, 3)),
        (
            "layers.RandomWidth((-0.1, 0.3), interpolation='nearest')",
            "(8, 9, 3)",
            (None, 8, None, 3),
        ),
    ],
)
def test_tf_keras_random_height_and_width(layer: str, shape: str, expected: tuple) -> None:
    assert last_output(layer, shape, "float32") == expected
