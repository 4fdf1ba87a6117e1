"""The user's own layer classes (tdlint.analysis.classes): what is followed and what stays
unknown. Shapes and parameter counts of followed classes are checked against Keras in
tests/test_shapes_command.py::test_rows_around_custom_layers_agree_with_keras."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from tdlint.api import check_source, infer_shapes

HEADER = "import keras\nfrom keras import layers, ops\n"


def rows(body: str) -> list[tuple[str, Any, Any]]:
    [summary] = infer_shapes(HEADER + textwrap.dedent(body))
    return [(r.layer, r.output_shape, r.params) for r in summary.layers]


def test_two_instances_made_with_different_arguments_are_different_layers() -> None:
    found = rows(
        """
        class Project(layers.Layer):
            def __init__(self, units):
                super().__init__()
                self.dense = layers.Dense(units)

            def call(self, x):
                return self.dense(x)

        inp = keras.Input(shape=(6,))
        model = keras.Model(inp, Project(2)(Project(4)(inp)))
        """
    )
    assert found == [("Project", (None, 4), 28), ("Project", (None, 2), 10)]


def test_a_call_that_reaches_itself_stops_and_is_unknown() -> None:
    source = HEADER + textwrap.dedent(
        """
        class Loop(layers.Layer):
            def call(self, x):
                return self(x) + 1

        inp = keras.Input(shape=(3,))
        model = keras.Model(inp, layers.Dense(2)(Loop()(inp)))
        """
    )
    [summary] = infer_shapes(source)
    assert summary.layers[0].output_shape is None
    assert summary.layers[1].output_shape is None  # nothing guessed downstream either
    assert check_source(source, "m.py") == []


def test_weights_of_unknown_shape_make_the_count_unknown() -> None:
    found = rows(
        """
        n = int(input())

        class Scale(layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(n,))

            def call(self, x):
                return x * 2.0

        inp = keras.Input(shape=(3,))
        model = keras.Model(inp, Scale()(inp))
        """
    )
    assert found == [("Scale", (None, 3), None)]


def test_a_sub_layer_never_called_makes_the_count_unknown() -> None:
    # Keras builds a sub-layer only when it is called: whether this one is, tdlint cannot see.
    found = rows(
        """
        class Head(layers.Layer):
            def __init__(self):
                super().__init__()
                self.used = layers.Dense(2)
                self.spare = layers.Dense(3)

            def call(self, x):
                return self.used(x)

        inp = keras.Input(shape=(4,))
        model = keras.Model(inp, Head()(inp))
        """
    )
    assert found == [("Head", (None, 2), None)]


def test_a_call_that_returns_no_tensor_is_unknown() -> None:
    found = rows(
        """
        class Odd(layers.Layer):
            def call(self, x):
                return None

        inp = keras.Input(shape=(4,))
        model = keras.Model(inp, layers.Dense(1)(Odd()(inp)))
        """
    )
    assert found[0][1] is None and found[1][1] is None


def test_methods_of_the_class_are_followed_with_self() -> None:
    found = rows(
        """
        class Twice(layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units

            def project(self, x):
                return layers.Dense(self.units)(x)

            def call(self, x):
                return ops.concatenate([self.project(x), x], axis=-1)

        inp = keras.Input(shape=(5,))
        model = keras.Model(inp, Twice(3, name="twice")(inp))
        """
    )
    assert found[0][:2] == ("Twice", (None, 8))


def test_an_inner_error_is_reported_where_it_is() -> None:
    # The Dense inside gets 4D input from the pooling-free conv: a real error at build time.
    source = HEADER + textwrap.dedent(
        """
        class Block(layers.Layer):
            def __init__(self):
                super().__init__()
                self.pool = layers.GlobalAveragePooling1D()

            def call(self, x):
                return self.pool(x)

        inp = keras.Input(shape=(8, 8, 3))
        model = keras.Model(inp, Block()(inp))
        """
    )
    found = check_source(source, "m.py")
    assert [d.code for d in found] == ["TDL101"]
    assert found[0].location.row == 7  # where the pooling layer is made, inside the class
    # The batch axis is dynamic, as the user wrote it (not the size used to work shapes out).
    assert "got 4D (None, 8, 8, 3)" in found[0].message


# ---------------------------------------------------------------- plain classes (config objects)


def test_class_attributes_of_a_config_class_are_read() -> None:
    found = rows(
        """
        class Config:
            MAX_LEN = 64
            VOCAB, EMBED = 1000, 16
            EMBED = 8

        config = Config()
        inp = keras.Input((config.MAX_LEN,))
        model = keras.Model(inp, layers.Embedding(Config.VOCAB, config.EMBED)(inp))
        """
    )
    assert found == [("Embedding", (None, 64, 8), 8000)]


def test_a_dataclass_takes_its_fields_from_the_call() -> None:
    found = rows(
        """
        from dataclasses import dataclass

        @dataclass
        class Hyper:
            units: int
            depth: int = 2
            dropout: float = 0.1

        hp = Hyper(32, dropout=0.5)
        inp = keras.Input((10,))
        model = keras.Model(inp, layers.Dense(hp.units * hp.depth)(inp))
        """
    )
    assert found == [("Dense", (None, 64), 704)]


def test_init_sets_attributes_and_methods_see_them() -> None:
    found = rows(
        """
        class Builder:
            scale = 2

            def __init__(self, width):
                self.width = width * self.scale

            def build(self):
                inp = keras.Input((self.width,))
                return keras.Model(inp, layers.Dense(self.width)(inp))

        model = Builder(3).build()
        """
    )
    assert found == [("Dense", (None, 6), 42)]


def test_what_a_plain_object_may_hold_stays_unknown() -> None:
    # An attribute set in a branch tdlint cannot decide, a class whose base it does not
    # follow, a field the call does not bind: all unknown, never a guess.
    source = HEADER + textwrap.dedent(
        """
        import sys
        from dataclasses import dataclass

        class Config:
            units = 4

        class Derived(SomeBase):
            units = 4

        @dataclass
        class Hyper:
            units: int = 4

        config = Config()
        if len(sys.argv) > 1:
            config.units = 8
        inp = keras.Input((3,))
        a = layers.Dense(config.units)(inp)
        b = layers.Dense(Derived().units)(inp)
        c = layers.Dense(Hyper(units=5, extra=1).units)(inp)
        model = keras.Model(inp, [a, b, c])
        """
    )
    [summary] = infer_shapes(source)
    assert [r.params for r in summary.layers] == [None, None, None]


def test_a_layer_called_on_a_list_gets_the_list() -> None:
    found = rows(
        """
        class Diff(layers.Layer):
            def call(self, inputs):
                a, b = inputs
                return ops.abs(a - b)

        a = keras.Input(shape=(5,))
        b = keras.Input(shape=(5,))
        model = keras.Model([a, b], layers.Dense(2)(Diff()([a, b])))
        """
    )
    assert found == [("Diff", (None, 5), 0), ("Dense", (None, 2), 12)]


def test_a_layer_inside_a_layer_follows_each_size_of_the_dynamic_axis() -> None:
    # The outer layer runs twice with the batch axis at two sizes; the inner one must answer
    # each run with its own size (``x + inner(x)`` broadcasts only when they agree).
    found = rows(
        """
        class Inner(layers.Layer):
            def call(self, x):
                return x * 2.0

        class Outer(layers.Layer):
            def __init__(self):
                super().__init__()
                self.inner = Inner()

            def call(self, x):
                return x + self.inner(x)

        inp = keras.Input(shape=(4,))
        model = keras.Model(inp, Outer()(inp))
        """
    )
    assert found == [("Outer", (None, 4), 0)]


CATALOGUE_SUBCLASS = """
class Scaled(layers.Dense):
{body}

inp = keras.Input(shape=(6,))
model = keras.Model(inp, Scaled(4)(inp))
"""
HANDING_OVER = """    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
"""


def test_a_catalogue_subclass_is_its_base_layer_with_the_arguments_it_hands_over() -> None:
    assert rows(CATALOGUE_SUBCLASS.format(body=HANDING_OVER + "        self.note = 'plain'")) == [
        ("Scaled", (None, 4), 28)
    ]


@pytest.mark.parametrize(
    "extra",
    [
        "        self.tau = keras.Variable(1.0)",  # a weight Keras may or may not count
        "        self.gain = self.add_weight(shape=(4,))",
        "    def build(self, input_shape):\n        super().build(input_shape)",
    ],
)
def test_weights_of_its_own_make_a_catalogue_subclass_count_unknown(extra: str) -> None:
    assert rows(CATALOGUE_SUBCLASS.format(body=HANDING_OVER + extra)) == [
        ("Scaled", (None, 4), None)
    ]


@pytest.mark.parametrize(
    "init",
    [
        "    def __init__(self, units):\n        self.units = units",  # never makes its base
        "    def __init__(self, units):\n        super().__init__(**load_config())",
    ],
)
def test_a_catalogue_subclass_whose_base_arguments_are_unknown_is_unknown(init: str) -> None:
    [(name, shape, params)] = rows(CATALOGUE_SUBCLASS.format(body=init))
    assert shape is None or not all(isinstance(d, int) for d in shape[1:])
    assert params is None


def test_a_dim_that_follows_a_dynamic_axis_through_a_large_divisor_stays_dynamic() -> None:
    # One frame of stride 256 for 83 samples and for 89: Keras 3 on JAX would call the
    # frame axis static; it follows the samples, as TensorFlow keeps it.
    found = rows(
        """
        import tensorflow as tf

        class Spectrogram(layers.Layer):
            def call(self, audio):
                return tf.abs(tf.signal.stft(audio[..., 0], 1024, 256, pad_end=True))

        inp = keras.Input(shape=(None, 1))
        fixed = keras.Input(shape=(8192, 1))
        model = keras.Model([inp, fixed], [Spectrogram()(inp), Spectrogram()(fixed)])
        """
    )
    assert found == [("Spectrogram", (None, None, 513), 0), ("Spectrogram", (None, 32, 513), 0)]
