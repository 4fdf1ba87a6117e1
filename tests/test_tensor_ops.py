"""Tensor ops with no Keras 3 equivalent to check them against (TensorFlow is not installed for
the tests), and what the interpreter does with ops that return several tensors or make one
from sizes. The expected shapes are worked out by hand from TensorFlow's documentation, as
each test says; the ops that Keras 3 has are checked against it in tests/test_ops_oracle.py.
"""

from __future__ import annotations

import textwrap
from typing import Any

import libcst as cst
import pytest

from tdlint.analysis import analyze
from tdlint.analysis.summary import ModelSummary
from tdlint.api import check_source, infer_shapes
from tdlint.keras.shapes import Unknown

HEADER = """\
import keras
import tensorflow as tf
import tensorflow_io as tfio
from keras import layers, ops
a = keras.Input(shape=(10, 8))
image = keras.Input(shape=(10, 8, 3))
n = int(input())
"""


def _model(body: str) -> ModelSummary:
    [summary] = infer_shapes(HEADER + textwrap.dedent(body))
    return summary


def _output(expr: str, inputs: str = "[a, image]") -> Any:
    summary = _model(f"model = keras.Model({inputs}, {expr})\n")
    return summary.outputs[0] if len(summary.outputs) == 1 else list(summary.outputs)


def _unknown(shape: Any) -> bool:
    return shape is None or any(not (d is None or isinstance(d, int)) for d in shape)


# (expression, expected shape, where the expected shape comes from in TensorFlow's docs)
TENSORFLOW_CASES = [
    # tf.image.crop_to_bounding_box: "a 4-D float Tensor of shape [batch, target_height,
    # target_width, channels]" (3-D: [target_height, target_width, channels]).
    ("tf.image.crop_to_bounding_box(image, 2, 1, 5, 6)", (None, 5, 6, 3)),
    ("tf.image.crop_to_bounding_box(image[0], 0, 0, 10, 8)", (10, 8, 3)),
    # tf.image.pad_to_bounding_box: "[batch, target_height, target_width, channels]".
    ("tf.image.pad_to_bounding_box(image, 2, 1, 20, 16)", (None, 20, 16, 3)),
    ("tf.image.pad_to_bounding_box(image[0], 0, 0, 10, 8)", (10, 8, 3)),
    # tf.image.resize_with_crop_or_pad: "[batch, target_height, target_width, channels]".
    ("tf.image.resize_with_crop_or_pad(image, 7, 20)", (None, 7, 20, 3)),
    # tf.image.crop_and_resize: "[num_boxes, crop_height, crop_width, depth]".
    ("tf.image.crop_and_resize(image, a[0, :, :4], a[0, :, 0], [5, 5])", (10, 5, 5, 3)),
    # tf.nn.depth_to_space (NHWC): "[batch, height*block_size, width*block_size,
    # depth/(block_size*block_size)]"; the docs' example, [1, 1, 1, 4] -> [1, 2, 2, 1].
    ("tf.nn.depth_to_space(ops.reshape(a, (-1, 1, 1, 80)), 2)", (None, 2, 2, 20)),
    ("tf.nn.depth_to_space(ops.reshape(a, (-1, 2, 10, 4)), 2, 'NHWC')", (None, 4, 20, 1)),
    # tf.nn.space_to_depth (NHWC): "[batch, height/block_size, width/block_size,
    # depth*block_size*block_size]".
    ("tf.nn.space_to_depth(image, 2)", (None, 5, 4, 12)),
    # tf.signal.fft2d: a complex tensor "of the same shape as input".
    ("tf.signal.fft2d(tf.cast(a, tf.complex64))", (None, 10, 8)),
    ("tf.signal.ifft(tf.signal.fft(tf.cast(a, tf.complex64)))", (None, 10, 8)),
    ("tf.math.real(tf.signal.fft2d(tf.cast(a, tf.complex64)))", (None, 10, 8)),
    # tf.random.categorical: "The drawn samples of shape [batch_size, num_samples]".
    ("tf.random.categorical(a[:, 0], 5)", (None, 5)),
    # tf.gather with batch_dims: "params.shape[:axis] + indices.shape[batch_dims:] +
    # params.shape[axis + 1:]".
    (
        "tf.gather(image, ops.cast(a[:, :4, :2], 'int32'), axis=2, batch_dims=1)",
        (None, 10, 4, 2, 3),
    ),
    # ...and without an axis: "defaults to the first non-batch dimension".
    ("tf.gather(image, ops.cast(a[:, :4], 'int32'), batch_dims=1)", (None, 4, 8, 8, 3)),
    # tf.split with a size of -1: "one of its entries may be -1, its size inferred".
    ("tf.split(a, [-1, 2], axis=1)[0]", (None, 8, 8)),
    # tf.norm: keepdims=None is False; axis=None is every axis.
    ("tf.norm(a, keepdims=None) + a", (None, 10, 8)),
    # tf.signal.stft: "[..., frames, fft_unique_bins]", fft_unique_bins = fft_length // 2 + 1,
    # fft_length "defaults to the smallest power of 2 enclosing frame_length"; the frames are
    # tf.signal.frame's: 1 + (samples - frame_length) // frame_step, or with pad_end
    # ceil(samples / frame_step).
    ("tf.signal.stft(a, 4, 2)", (None, 10, 3, 3)),
    ("tf.signal.stft(a, frame_length=4, frame_step=3, pad_end=True)", (None, 10, 3, 3)),
    ("tf.signal.stft(a, 5, 2, fft_length=None)", (None, 10, 2, 5)),
    ("tf.signal.stft(a[:, 0], 2, 1, fft_length=16)", (None, 7, 9)),
    ("tf.signal.stft(a, 11, 1)", (None, 10, 0, 9)),  # a frame longer than the signal
    # tf.signal.linear_to_mel_weight_matrix: "[num_spectrogram_bins, num_mel_bins]".
    (
        "a @ tf.signal.linear_to_mel_weight_matrix(num_mel_bins=4, num_spectrogram_bins=8)",
        (None, 10, 4),
    ),
    ("a @ tf.signal.linear_to_mel_weight_matrix(3, 8, 16000)", (None, 10, 3)),
    # tfio.audio.dbscale: "the spectrogram in decibels", of the same shape.
    ("tfio.audio.dbscale(a, top_db=80)", (None, 10, 8)),
]


@pytest.mark.parametrize(("expr", "expected"), TENSORFLOW_CASES)
def test_tensorflow_only_ops_follow_tensorflow_docs(expr: str, expected: Any) -> None:
    assert _output(expr) == expected


# What TensorFlow refuses (its docs state each condition) stays unknown: tdlint does not guess.
TENSORFLOW_REFUSES = [
    # crop_to_bounding_box: "height must be >= target + offset".
    "tf.image.crop_to_bounding_box(image, 6, 0, 5, 8)",
    "tf.image.crop_to_bounding_box(image, 0, -1, 5, 6)",
    # pad_to_bounding_box: "target_height must be >= offset_height + height".
    "tf.image.pad_to_bounding_box(image, 3, 0, 12, 8)",
    # depth_to_space: "the depth dimension must be divisible by block_size * block_size".
    "tf.nn.depth_to_space(image, 2)",
    # space_to_depth: "height and width must be divisible by block_size".
    "tf.nn.space_to_depth(image, 3)",
    "tf.nn.depth_to_space(image, 1, data_format='NCHW_VECT_C')",
    # tf.tile: "the length of multiples must be the same as the number of dimensions".
    "tf.tile(a, [2, 3])",
    # tf.pad: "paddings is an integer tensor with shape [n, 2], n the rank of tensor".
    "tf.pad(a, [[1, 1], [2, 2]])",
    "tf.pad(a, [[1, 1]])",
    # tf.split: the sizes must add up to the axis's size.
    "tf.split(a, [3, 3], axis=1)[0]",
    "tf.split(a, [-1, -1], axis=1)[0]",
    "tf.split(a, [11, -1], axis=1)[0]",
    # tf.gather: the axis is at least batch_dims.
    "tf.gather(image, ops.cast(a[:, :4, :2], 'int32'), axis=0, batch_dims=1)",
    # tf.signal.stft: frame_length and frame_step are positive.
    "tf.signal.stft(a, 0, 2)",
    "tf.signal.stft(a, 4, -1)",
]


@pytest.mark.parametrize("expr", TENSORFLOW_REFUSES)
def test_what_tensorflow_refuses_stays_unknown(expr: str) -> None:
    assert _unknown(_output(expr))


def test_an_op_returning_several_tensors_unpacks_into_them() -> None:
    summary = _model(
        """
        first, second = tf.split(a, [3, 5], axis=-1)
        mean, variance = tf.nn.moments(a, axes=[1])
        model = keras.Model(a, layers.Dense(2)(second) + first[..., :2] + mean[:, None, :2])
        """
    )
    assert [(r.layer, r.output_shape, r.params) for r in summary.layers] == [
        ("Dense", (None, 10, 2), 12)
    ]
    assert summary.outputs == ((None, 10, 2),)


def test_several_tensors_of_unknown_shape_still_unpack_and_stay_in_the_graph() -> None:
    # The input's shape is unknown (a function tdlint cannot see), but how many tensors
    # `split` returns is in its arguments: both halves are tensors of the model.
    summary = _model(
        """
        x = layers.Lambda(unknown_function)(a)
        left, right = tf.split(x, 2, axis=-1)
        model = keras.Model(a, [layers.Dense(3)(left), right])
        """
    )
    assert [r.layer for r in summary.layers] == ["Lambda", "Dense"]
    assert len(summary.outputs) == 2
    assert all(_unknown(shape) for shape in summary.outputs)


def test_several_tensors_of_unknown_shapes_are_as_many_as_the_arguments_say() -> None:
    summary = _model(
        """
        x = layers.Lambda(unknown_function)(a)
        p, q, r = ops.split(x, [3, 7], axis=1)
        first, second = ops.split(a, 2, axis=n)
        model = keras.Model(a, [p, q, r, first, second])
        """
    )
    assert len(summary.outputs) == 5
    assert all(_unknown(shape) for shape in summary.outputs)


def test_an_unstack_count_that_contradicts_the_axis_is_unknown() -> None:
    # Keras's symbolic unstack takes `num` as given (three tensors), but at run time its
    # backends return one tensor per entry of the axis (ten): tdlint does not pick one.
    summary = _model("model = keras.Model(a, ops.unstack(a, num=3, axis=1))\n")
    assert summary.outputs == (None, None, None)


def test_several_tensors_of_an_unknown_count_are_one_unknown_value() -> None:
    summary = _model(
        """
        parts = tf.split(a, n, axis=-1)
        model = keras.Model(a, parts)
        """
    )
    assert summary.outputs == (None,)


def test_a_tensor_made_from_a_tensors_size_belongs_to_the_model() -> None:
    # `tf.shape(x)[0]` of an input of unknown shape is a tensor: `tf.ones` takes it as an
    # input, and its own first axis is unknown.
    summary = _model(
        """
        x = layers.Lambda(unknown_function)(a)
        batch = tf.shape(x)[0]
        ones = tf.ones((batch, 1))
        model = keras.Model(a, layers.Dense(4)(ones))
        """
    )
    assert [r.layer for r in summary.layers][0] == "Lambda"
    assert isinstance(summary.outputs[0][0], Unknown) and summary.outputs[0][1:] == (4,)
    # Its inputs are the sizes that are tensors, not the plain numbers beside them.
    graph = analyze(
        cst.parse_module(HEADER + "x = layers.Lambda(f)(a)\ny = tf.ones((tf.shape(x)[0], 1, 2))\n")
    )
    [filled] = [app for app in graph.applications if app.layer.spec.name == "filled"]
    assert [t.producer.layer.spec.name for t in filled.inputs if t.producer] == ["getitem"]
    assert len(filled.inputs) == 1


def test_a_tensor_made_from_literal_sizes_is_a_constant() -> None:
    assert _output("a + tf.ones((10, 1))") == (None, 10, 8)
    assert _output("a * keras.random.normal(shape=(8,), mean=0.0, stddev=2.0)") == (None, 10, 8)
    assert _output("ops.zeros((3, 8)) + a[:, :3]") == (None, 3, 8)


def test_new_ops_add_no_finding_to_correct_code() -> None:
    source = HEADER + textwrap.dedent(
        """
        halves = tf.split(image, 2, axis=1)
        cropped = tf.image.crop_to_bounding_box(image, 1, 1, 8, 6)
        padded = tf.image.pad_to_bounding_box(cropped, 1, 1, 10, 8)
        joined = layers.Concatenate()([halves[0], padded[:, :5]])
        x = layers.Conv2D(4, 3, padding="same")(tf.tile(joined, [1, 1, 1, 2]))
        model = keras.Model([a, image], layers.Dense(1)(layers.Flatten()(x)))
        """
    )
    assert check_source(source, "model.py") == []
    [summary] = infer_shapes(source)
    assert summary.outputs == ((None, 1),)


def test_rules_see_the_shapes_an_op_returns() -> None:
    # Two parts of different heights cannot be joined on the channels.
    source = HEADER + textwrap.dedent(
        """
        top, bottom = tf.split(image, [3, 7], axis=1)
        model = keras.Model(image, layers.Concatenate()([top, bottom]))
        """
    )
    [finding] = check_source(source, "model.py")
    assert finding.code == "TDL102" and "3 and 7" in finding.message


def test_casts_and_variables_of_known_values_keep_them() -> None:
    # `tf.cast(0.5, x.dtype)` is a number, `tf.Variable(init * tf.ones((8,)))` a weight of
    # shape (8,): both broadcast with the input as those values do (TensorFlow's semantics).
    assert _output("a * tf.cast(8 ** -0.5, dtype=a.dtype)") == (None, 10, 8)
    assert _output("a * tf.Variable(0.1 * tf.ones((8,)))") == (None, 10, 8)
    assert _unknown(_output("a * tf.Variable(initial_value)"))
