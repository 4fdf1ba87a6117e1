"""Every catalogue layer against real Keras 3: output shape and parameter count.

Each case is a tiny model written as users write it; Keras builds it (numpy backend) and tdlint
reads it statically. No expected number is typed by hand: Keras is the oracle.  Keras 1
spellings, which Keras 3 cannot run, are checked against shapes and parameter counts worked out
by hand, which Keras 3 confirms on their modern equivalents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from oracle.harness import keras_available, run_keras, run_tdlint_shapes, tensorflow_available

from tdlint.api import infer_shapes

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

# (input shape without batch, layer expression)
SEQUENTIAL_CASES: list[tuple[tuple[Any, ...], str]] = [
    ((8,), "layers.Dense(4)"),
    ((8,), "layers.Dense(4, use_bias=False)"),
    ((5, 8), "layers.Dense(3, activation='relu')"),
    ((10,), "layers.Embedding(100, 16)"),
    ((4, 6), "layers.Embedding(input_dim=50, output_dim=3)"),
    ((10, 8), "layers.SimpleRNN(6)"),
    ((10, 8), "layers.SimpleRNN(6, return_sequences=True)"),
    ((10, 8), "layers.LSTM(6)"),
    ((None, 8), "layers.LSTM(6, return_sequences=True)"),
    ((10, 8), "layers.LSTM(6, use_bias=False)"),
    ((10, 8), "layers.GRU(6)"),
    ((10, 8), "layers.GRU(6, reset_after=False)"),
    ((10, 8), "layers.GRU(6, return_sequences=True)"),
    ((10, 8), "layers.Bidirectional(layers.LSTM(6))"),
    ((10, 8), "layers.Bidirectional(layers.LSTM(6, return_sequences=True), merge_mode='sum')"),
    ((10, 8), "layers.Bidirectional(layers.GRU(6), merge_mode='mul')"),
    ((10, 8), "layers.Bidirectional(layers.SimpleRNN(6), merge_mode='ave')"),
    ((10, 8), "layers.Bidirectional(layers.LSTM(6, return_sequences=True), merge_mode='concat')"),
    ((10, 8), "layers.TimeDistributed(layers.Dense(5))"),
    ((6, 12, 12, 3), "layers.TimeDistributed(layers.Conv2D(4, 3))"),
    ((6, 12, 12, 3), "layers.TimeDistributed(layers.MaxPooling2D())"),
    ((6, 12, 12, 3), "layers.TimeDistributed(layers.Flatten())"),
    ((6, 5, 4), "layers.TimeDistributed(layers.LSTM(3))"),
    ((7,), "layers.RepeatVector(3)"),
    ((3, 4, 5), "layers.Flatten()"),
    ((12,), "layers.Reshape((3, 4))"),
    ((12,), "layers.Reshape((-1, 2))"),
    ((3, 4), "layers.Reshape((2, -1, 3))"),
    ((3, 4), "layers.Permute((2, 1))"),
    ((2, 3, 4), "layers.Permute((3, 1, 2))"),
    ((5, 8), "layers.Dropout(0.5)"),
    ((5, 8), "layers.SpatialDropout1D(0.2)"),
    ((5, 8), "layers.GaussianNoise(0.1)"),
    ((5, 8), "layers.Activation('tanh')"),
    ((5, 8), "layers.BatchNormalization()"),
    ((5, 8), "layers.BatchNormalization(center=False)"),
    ((4, 4, 3), "layers.BatchNormalization(axis=-1, scale=False)"),
    ((5, 8), "layers.LayerNormalization()"),
    ((5, 8), "layers.Masking()"),
    ((5, 8), "layers.LeakyReLU()"),
    ((20, 3), "layers.Conv1D(8, 3)"),
    ((20, 3), "layers.Conv1D(8, 3, padding='same', strides=2)"),
    ((20, 3), "layers.Conv1D(8, 3, padding='causal', dilation_rate=2)"),
    ((20, 3), "layers.Conv1D(8, 5, strides=3)"),
    ((20, 3), "layers.Conv1D(8, 3, dilation_rate=4)"),
    ((None, 3), "layers.Conv1D(8, 3)"),
    ((28, 28, 1), "layers.Conv2D(16, 3)"),
    ((28, 28, 1), "layers.Conv2D(16, (5, 3), strides=(2, 1), padding='same')"),
    ((28, 28, 1), "layers.Conv2D(16, 3, dilation_rate=2, use_bias=False)"),
    ((3, 28, 28), "layers.Conv2D(16, 3, data_format='channels_first')"),
    ((20, 3), "layers.MaxPooling1D()"),
    ((20, 3), "layers.MaxPooling1D(3, strides=2, padding='same')"),
    ((21, 3), "layers.AveragePooling1D(4)"),
    ((28, 28, 2), "layers.MaxPooling2D((2, 2))"),
    ((27, 27, 2), "layers.MaxPooling2D(3, strides=2)"),
    ((28, 28, 2), "layers.AveragePooling2D(pool_size=(3, 3), padding='same')"),
    ((20, 3), "layers.GlobalAveragePooling1D()"),
    ((20, 3), "layers.GlobalMaxPooling1D(keepdims=True)"),
    ((8, 8, 5), "layers.GlobalAveragePooling2D()"),
    ((8, 8, 5), "layers.GlobalMaxPooling2D(keepdims=True)"),
    ((5, 8, 8), "layers.GlobalAveragePooling2D(data_format='channels_first')"),
    ((6, 6, 6, 2), "layers.Conv3D(4, 3)"),
    ((6, 6, 6, 2), "layers.MaxPooling3D()"),
    ((6, 6, 6, 2), "layers.AveragePooling3D(pool_size=(2, 2, 2), padding='same')"),
    ((6, 6, 6, 2), "layers.GlobalMaxPooling3D()"),
    ((10, 3), "layers.Conv1DTranspose(4, 3)"),
    ((10, 3), "layers.Conv1DTranspose(4, 3, strides=2, padding='same')"),
    ((7, 7, 3), "layers.Conv2DTranspose(8, 3, strides=2)"),
    ((7, 7, 3), "layers.Conv2DTranspose(8, (3, 5), strides=(2, 3), padding='same')"),
    ((7, 7, 3), "layers.Conv2DTranspose(8, 3, strides=2, output_padding=1)"),
    ((4, 4, 4, 2), "layers.Conv3DTranspose(3, 2, strides=2)"),
    ((20, 3), "layers.SeparableConv1D(8, 3)"),
    ((16, 16, 3), "layers.SeparableConv2D(8, 3, depth_multiplier=2, padding='same')"),
    ((20, 3), "layers.DepthwiseConv1D(3)"),
    ((16, 16, 3), "layers.DepthwiseConv2D(3, depth_multiplier=2, strides=2)"),
    ((5, 10, 3), "layers.ConvLSTM1D(4, 3)"),
    ((5, 10, 3), "layers.ConvLSTM1D(4, 3, return_sequences=True, padding='same')"),
    ((5, 8, 8, 3), "layers.ConvLSTM2D(4, 3)"),
    ((5, 8, 8, 3), "layers.ConvLSTM2D(4, (3, 3), return_sequences=True)"),
    ((3, 6, 6, 6, 2), "layers.ConvLSTM3D(2, 3)"),
    ((10, 3), "layers.UpSampling1D()"),
    ((10, 3), "layers.UpSampling1D(size=3)"),
    ((5, 5, 3), "layers.UpSampling2D()"),
    ((5, 5, 3), "layers.UpSampling2D(size=(2, 3))"),
    ((4, 4, 4, 3), "layers.UpSampling3D()"),
    ((10, 3), "layers.ZeroPadding1D()"),
    ((10, 3), "layers.ZeroPadding1D((1, 2))"),
    ((5, 5, 3), "layers.ZeroPadding2D()"),
    ((5, 5, 3), "layers.ZeroPadding2D(((1, 2), (3, 4)))"),
    ((4, 4, 4, 3), "layers.ZeroPadding3D(2)"),
    ((10, 3), "layers.Cropping1D()"),
    ((10, 3), "layers.Cropping1D((2, 3))"),
    ((9, 9, 3), "layers.Cropping2D(((1, 2), (3, 1)))"),
    ((9, 9, 3), "layers.Cropping2D(2)"),
    ((6, 6, 6, 3), "layers.Cropping3D()"),
    ((5, 8), "layers.SpatialDropout1D(0.3)"),
    ((6, 6, 3), "layers.SpatialDropout2D(0.3)"),
    ((5, 8), "layers.GaussianDropout(0.2)"),
    ((5, 8), "layers.AlphaDropout(0.2)"),
    ((5, 8), "layers.Identity()"),
    ((5, 8), "layers.Lambda(lambda t: t * 2, output_shape=(5, 8))"),
    ((5, 8), "layers.UnitNormalization()"),
    ((5, 8), "layers.Softmax()"),
    ((5, 8), "layers.ReLU()"),
    ((5, 8), "layers.ELU()"),
    ((5, 8), "layers.ActivityRegularization()"),
    ((8, 8, 3), "layers.Rescaling(1.0 / 255)"),
    ((8, 8, 3), "layers.RandomFlip()"),
    ((8, 8, 3), "layers.RandomRotation(0.1)"),
    ((8, 8, 3), "layers.Normalization()"),
    ((8, 8, 3), "layers.Resizing(4, 6)"),
    ((8, 8, 3), "layers.CenterCrop(4, 6)"),
    ((3,), "layers.CategoryEncoding(num_tokens=10)"),
    ((1,), "layers.CategoryEncoding(num_tokens=10, output_mode='one_hot')"),
    ((4,), "layers.CategoryEncoding(num_tokens=10, output_mode='one_hot')"),
    ((5, 8), "layers.PReLU()"),
    # Options the cases above leave out: channels_first everywhere it exists, keepdims with
    # it, transposed convs with padding="same" and output_padding, dilation and strides with
    # "same", groups, depth multipliers, asymmetric padding and cropping, interpolation.
    ((5, 8), "layers.GlobalMaxPooling1D(data_format='channels_first', keepdims=True)"),
    ((5, 8), "layers.GlobalAveragePooling1D(data_format='channels_first')"),
    ((5, 8, 8), "layers.GlobalAveragePooling2D(data_format='channels_first', keepdims=True)"),
    ((5, 8, 8), "layers.GlobalMaxPooling2D(data_format='channels_first', keepdims=False)"),
    ((3, 4, 4, 4), "layers.GlobalAveragePooling3D(data_format='channels_first', keepdims=True)"),
    ((4, 4, 4, 3), "layers.GlobalMaxPooling3D(keepdims=True)"),
    ((4, 4, 4, 3), "layers.GlobalAveragePooling3D()"),
    ((10, 3), "layers.Conv1DTranspose(4, 3, strides=2, padding='same', output_padding=1)"),
    ((10, 3), "layers.Conv1DTranspose(4, 4, strides=3, padding='same', output_padding=2)"),
    ((10, 3), "layers.Conv1DTranspose(4, 5, strides=2, output_padding=1)"),
    ((10, 3), "layers.Conv1DTranspose(4, 3, dilation_rate=2)"),
    ((7, 7, 3), "layers.Conv2DTranspose(8, 3, strides=2, padding='same', output_padding=1)"),
    ((7, 7, 3), "layers.Conv2DTranspose(8, 4, strides=2, padding='same', output_padding=1)"),
    (
        (7, 7, 3),
        "layers.Conv2DTranspose(8, (3, 4), strides=(2, 3), padding='same', output_padding=(1, 2))",
    ),
    ((7, 7, 3), "layers.Conv2DTranspose(8, 3, strides=3, padding='same', output_padding=0)"),
    ((7, 7, 3), "layers.Conv2DTranspose(8, 3, dilation_rate=2, use_bias=False)"),
    ((3, 7, 7), "layers.Conv2DTranspose(8, 3, strides=2, data_format='channels_first')"),
    (
        (3, 7, 7),
        "layers.Conv2DTranspose(8, 3, strides=2, padding='same', data_format='channels_first')",
    ),
    ((4, 4, 4, 2), "layers.Conv3DTranspose(3, 3, strides=2, padding='same', output_padding=1)"),
    ((4, 4, 4, 2), "layers.Conv3DTranspose(3, 2, strides=2, padding='same')"),
    ((2, 4, 4, 4), "layers.Conv3DTranspose(3, 2, strides=(1, 2, 3), data_format='channels_first')"),
    ((20, 3), "layers.Conv1D(8, 4, strides=3, padding='same')"),
    ((3, 20), "layers.Conv1D(8, 3, data_format='channels_first')"),
    ((10, 4), "layers.Conv1D(8, 3, groups=2)"),
    ((28, 28, 1), "layers.Conv2D(16, 3, padding='same', dilation_rate=(2, 3))"),
    ((8, 8, 6), "layers.Conv2D(9, 3, groups=3)"),
    ((8, 8, 6), "layers.Conv2D(6, 3, groups=3, use_bias=False, padding='same')"),
    ((6, 6, 6, 2), "layers.Conv3D(4, (3, 2, 1), strides=(2, 1, 3), padding='same')"),
    ((6, 6, 6, 2), "layers.Conv3D(4, 3, dilation_rate=2)"),
    ((2, 6, 6, 6), "layers.Conv3D(4, 3, data_format='channels_first')"),
    ((20, 3), "layers.SeparableConv1D(8, 3, depth_multiplier=3, strides=2, padding='same')"),
    ((16, 16, 3), "layers.SeparableConv2D(8, 3, dilation_rate=2, use_bias=False)"),
    ((3, 16, 16), "layers.SeparableConv2D(8, 3, data_format='channels_first')"),
    ((20, 3), "layers.DepthwiseConv1D(3, depth_multiplier=2, padding='same')"),
    ((3, 16, 16), "layers.DepthwiseConv2D(3, depth_multiplier=2, data_format='channels_first')"),
    ((16, 16, 3), "layers.DepthwiseConv2D((3, 5), strides=(2, 1), padding='same', use_bias=False)"),
    ((3, 20), "layers.MaxPooling1D(data_format='channels_first')"),
    ((21, 3), "layers.AveragePooling1D(3, strides=2, padding='same')"),
    ((3, 28, 28), "layers.MaxPooling2D(data_format='channels_first')"),
    ((28, 28, 2), "layers.MaxPooling2D((3, 2), strides=(1, 2))"),
    (
        (3, 28, 28),
        "layers.AveragePooling2D(3, strides=2, padding='same', data_format='channels_first')",
    ),
    ((2, 6, 6, 6), "layers.AveragePooling3D(2, data_format='channels_first')"),
    ((6, 6, 6, 2), "layers.MaxPooling3D(pool_size=(3, 2, 1), strides=2, padding='same')"),
    ((5, 5, 3), "layers.UpSampling2D(size=2, interpolation='bilinear')"),
    ((3, 5, 5), "layers.UpSampling2D(size=(2, 3), data_format='channels_first')"),
    ((3, 4, 4, 4), "layers.UpSampling3D(size=(1, 2, 3), data_format='channels_first')"),
    ((3, 5, 5), "layers.ZeroPadding2D((1, 2), data_format='channels_first')"),
    ((4, 4, 4, 3), "layers.ZeroPadding3D(((1, 0), (0, 2), (3, 3)))"),
    ((3, 4, 4, 4), "layers.ZeroPadding3D(1, data_format='channels_first')"),
    ((10, 3), "layers.Cropping1D(3)"),
    ((9, 9, 3), "layers.Cropping2D((1, 2))"),
    ((3, 9, 9), "layers.Cropping2D(((1, 2), (3, 1)), data_format='channels_first')"),
    ((6, 6, 6, 3), "layers.Cropping3D(((1, 0), (0, 2), (1, 1)))"),
    ((3, 6, 6, 6), "layers.Cropping3D(1, data_format='channels_first')"),
    ((3, 6, 6), "layers.SpatialDropout2D(0.3, data_format='channels_first')"),
    ((3, 4, 5), "layers.Flatten(data_format='channels_first')"),
    ((4, 4, 3), "layers.BatchNormalization(axis=1)"),
    ((5, 8), "layers.LayerNormalization(axis=1)"),
    ((2, 3, 4), "layers.Dense(5)"),
    ((5, 3, 8, 8), "layers.ConvLSTM2D(4, 3, data_format='channels_first')"),
    ((5, 8, 8, 3), "layers.ConvLSTM2D(4, 3, strides=2, padding='same', return_sequences=True)"),
    ((3, 8, 8), "layers.Resizing(4, 6, data_format='channels_first')"),
    ((3, 8, 8), "layers.CenterCrop(4, 6, data_format='channels_first')"),
    ((2, 3, 4, 5), "layers.Permute((3, 1, 2, 4))"),
    # Issue 12: layers that were missing from the catalogue.
    ((8, 8, 3), "layers.RandomCrop(4, 6)"),
    ((3, 8, 8), "layers.RandomCrop(4, 6, data_format='channels_first')"),
    ((8, 8, 6), "layers.GroupNormalization(3)"),
    ((8, 8, 6), "layers.GroupNormalization(groups=2, center=False)"),
    ((5, 6), "layers.GroupNormalization(groups=-1, scale=False)"),
    ((4, 6, 5), "layers.GroupNormalization(2, axis=1)"),
    ((10, 8), "layers.RNN(layers.SimpleRNNCell(6))"),
    ((10, 8), "layers.RNN(layers.SimpleRNNCell(6, 'relu', False))"),
    ((10, 8), "layers.RNN(layers.LSTMCell(6), return_sequences=True)"),
    ((None, 8), "layers.RNN(layers.LSTMCell(6, use_bias=False), return_sequences=True)"),
    ((10, 8), "layers.RNN(layers.GRUCell(6))"),
    ((10, 8), "layers.RNN(layers.GRUCell(6, reset_after=False))"),
    ((10, 8), "layers.RNN([layers.LSTMCell(6), layers.GRUCell(4)])"),
    (
        (10, 8),
        "layers.RNN(layers.StackedRNNCells([layers.SimpleRNNCell(5), layers.LSTMCell(3)]), "
        "return_sequences=True)",
    ),
    (
        (10, 8),
        "layers.RNN(layers.StackedRNNCells([layers.StackedRNNCells([layers.GRUCell(2), "
        "layers.GRUCell(4)]), layers.LSTMCell(3)]))",
    ),
    ((10, 8), "layers.Bidirectional(layers.RNN(layers.GRUCell(4)))"),
    ((10, 8), "layers.RNN(cell=layers.LSTMCell(units=3))"),
]

# Functional cases: inputs, then the output expression over `a`, `b` (and `c`).
FUNCTIONAL_CASES: list[tuple[list[tuple[Any, ...]], str]] = [
    ([(4, 3), (4, 5)], "layers.Concatenate()([a, b])"),
    ([(4, 3), (6, 3)], "layers.Concatenate(axis=1)([a, b])"),
    ([(8,), (8,), (8,)], "layers.Add()([a, b, c])"),
    ([(4, 8), (4, 8)], "layers.Multiply()([a, b])"),
    ([(4, 8), (4, 8)], "layers.Average()([a, b])"),
    ([(4, 8), (4, 1)], "layers.Subtract()([a, b])"),
    ([(4, 3), (4, 5)], "layers.concatenate([a, b])"),
    ([(8,), (8,)], "layers.add([a, b])"),
    ([(6,), (6,)], "layers.Concatenate()([(shared := layers.Dense(4))(a), shared(b)])"),
    ([(10, 4)], "layers.LSTM(5, return_state=True)(a)[1]"),
    ([(10, 4)], "layers.LSTM(5, return_sequences=True, return_state=True)(a)[0]"),
    ([(10, 4)], "layers.GRU(5, return_state=True)(a)[1]"),
    ([(10, 4)], "layers.Bidirectional(layers.LSTM(5), merge_mode=None)(a)[1]"),
    ([(4, 8), (4, 8)], "layers.Maximum()([a, b])"),
    ([(4, 8), (4, 8)], "layers.Minimum()([a, b])"),
    ([(5, 8), (7, 8)], "layers.Attention()([a, b])"),
    ([(5, 8), (7, 6), (7, 8)], "layers.Attention(use_scale=True)([a, b, c])"),
    ([(5, 8), (7, 8)], "layers.AdditiveAttention()([a, b])"),
    ([(5, 8), (7, 6)], "layers.MultiHeadAttention(num_heads=2, key_dim=4)(a, b)"),
    ([(5, 8), (7, 6)], "layers.MultiHeadAttention(2, 4, value_dim=3, output_shape=5)(a, b)"),
    (
        [(5, 8), (7, 6), (7, 3)],
        "layers.MultiHeadAttention(2, 4, use_bias=False)(query=a, value=b, key=c)",
    ),
    ([(8,), (8,)], "layers.Dot(axes=1)([a, b])"),
    ([(3, 8), (5, 8)], "layers.Dot(axes=(2, 2))([a, b])"),
    ([(3, 8), (3, 5)], "layers.Dot(axes=1)([a, b])"),
    ([(10, 4)], "layers.RNN(layers.LSTMCell(5), return_state=True)(a)[2]"),
    ([(10, 4)], "layers.RNN(layers.GRUCell(5), return_sequences=True, return_state=True)(a)[0]"),
    (
        [(10, 4)],
        "layers.RNN([layers.SimpleRNNCell(3), layers.GRUCell(5)], return_state=True)(a)[1]",
    ),
]


# Whole programs for the code shapes: nested models, comprehensions, helper functions called
# with literal arguments, **kwargs of literal arguments, loops over layer lists.
PROGRAM_CASES: list[str] = [
    """
encoder = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(4)])
model = keras.Sequential([keras.Input(shape=(10,)), encoder, layers.Dense(1)])
""",
    """
inp = keras.Input(shape=(8, 3))
features = keras.Model(inp, layers.GlobalAveragePooling1D()(layers.Conv1D(6, 3)(inp)))
outer_in = keras.Input(shape=(8, 3))
model = keras.Model(outer_in, layers.Dense(2)(features(outer_in)))
""",
    """
a = keras.Input(shape=(5,))
b = keras.Input(shape=(5,))
tower = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(7)])
model = keras.Model([a, b], layers.Concatenate()([tower(a), tower(b)]))
""",
    """
stack = [layers.Dense(u, activation="relu") for u in (64, 32, 16) if u > 16]
model = keras.Sequential([keras.Input(shape=(20,)), *stack, layers.Dense(1)])
""",
    """
def build_model(timesteps, features, units=32):
    model = keras.Sequential()
    model.add(keras.Input(shape=(timesteps, features)))
    for _ in range(2):
        model.add(layers.LSTM(units, return_sequences=True))
    model.add(layers.LSTM(units // 2))
    model.add(layers.Dense(3, activation="softmax"))
    return model


model = build_model(10, 4, units=24)
""",
    """
conv_args = dict(kernel_size=3, padding="same", activation="relu")
model = keras.Sequential([keras.Input(shape=(16, 16, 3)), layers.Conv2D(8, **conv_args), layers.Conv2D(4, **conv_args)])
""",
    """
def block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    return layers.MaxPooling2D()(x)


inp = keras.Input(shape=(32, 32, 3))
x = inp
for filters in [8, 16]:
    x = block(x, filters)
model = keras.Model(inp, layers.Dense(10)(layers.Flatten()(x)))
""",
    # Loops over dict items, sorted, enumerate and zip (tdlint.analysis.iteration).
    """
FEATURES = {"age": 1, "income": 1, "city": 8}
def create_inputs():
    inputs = {}
    for name, width in FEATURES.items():
        inputs[name] = keras.Input(shape=(width,), name=name)
    return inputs

inputs = create_inputs()
values = [value for _, value in sorted(inputs.items())]
features = layers.concatenate(values)
for i, units in enumerate([16, 8]):
    features = layers.Dense(units, name=f"d{i}")(features)
heads = []
for units, act in zip((3, 1), ("softmax", "sigmoid")):
    heads.append(layers.Dense(units, activation=act)(features))
model = keras.Model(list(inputs.values()), layers.Concatenate()(heads))
""",
    # Closures: functions returning functions that keep their arguments.
    """

def ResidualBlock(width):
    def apply(x):
        input_width = x.shape[3]
        if input_width == width:
            residual = x
        else:
            residual = layers.Conv2D(width, kernel_size=1)(x)
        x = layers.BatchNormalization(center=False, scale=False)(x)
        x = layers.Conv2D(width, kernel_size=3, padding="same", activation="swish")(x)
        x = layers.Conv2D(width, kernel_size=3, padding="same")(x)
        x = layers.Add()([x, residual])
        return x

    return apply


def DownBlock(width, block_depth):
    def apply(x):
        x, skips = x
        for _ in range(block_depth):
            x = ResidualBlock(width)(x)
            skips.append(x)
        x = layers.AveragePooling2D(pool_size=2)(x)
        return x

    return apply


inputs = keras.Input(shape=(32, 32, 3))
skips = []
x = DownBlock(8, 2)([inputs, skips])
x = DownBlock(16, 2)([x, skips])
model = keras.Model(inputs, x)
""",
    # A U-Net's skip connections: a list grown going down and popped coming up.
    """
inputs = keras.Input(shape=(16, 16, 3))
x = inputs
skips = [x]
for width in (4, 8):
    x = layers.Conv2D(width, 3, padding="same")(x)
    skips.append(x)
    x = layers.MaxPooling2D()(x)
skips.insert(1, layers.Conv2D(2, 1)(inputs))
for width in (8, 4):
    x = layers.UpSampling2D()(x)
    x = layers.Concatenate()([x, skips.pop()])
x = layers.Concatenate()([x, skips.pop(0)])
model = keras.Model(inputs, layers.Conv2D(1, 1)(x))
""",
    """
cells = [layers.LSTMCell(units) for units in (16, 8)]
model = keras.Sequential([keras.Input(shape=(12, 3)), layers.RNN(cells), layers.Dense(1)])
""",
]


def _shape_code(shape: tuple[Any, ...]) -> str:
    return "(" + "".join(f"{d}, " for d in shape) + ")"


def _write_cases(root: Path) -> list[Path]:
    paths = []
    header = "import keras\nfrom keras import layers\n"
    for i, (shape, layer) in enumerate(SEQUENTIAL_CASES):
        path = root / f"seq_{i:03}.py"
        body = f"model = keras.Sequential([keras.Input(shape={_shape_code(shape)}), {layer}])\n"
        path.write_text(header + body)
        paths.append(path)
    for i, (shapes, expr) in enumerate(FUNCTIONAL_CASES):
        path = root / f"fn_{i:03}.py"
        names = "abc"[: len(shapes)]
        inputs = "".join(
            f"{n} = keras.Input(shape={_shape_code(s)})\n"
            for n, s in zip(names, shapes, strict=True)
        )
        body = f"out = {expr}\nmodel = keras.Model([{', '.join(names)}], out)\n"
        path.write_text(header + inputs + body)
        paths.append(path)
    for i, program in enumerate(PROGRAM_CASES):
        path = root / f"prog_{i:03}.py"
        path.write_text(header + program)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, Any]]:
    paths = _write_cases(tmp_path_factory.mktemp("layers"))
    return paths, run_keras(paths)


def test_every_layer_case_matches_keras(cases: tuple[list[Path], dict[str, Any]]) -> None:
    paths, keras_results = cases
    problems = _mismatches(paths, keras_results)
    assert not problems, "\n".join(problems)


def _mismatches(paths: list[Path], keras_results: dict[str, Any]) -> list[str]:
    """Each case whose output shape or parameter count differs between tdlint and Keras."""
    reports = {Path(r["filename"]).name: r for r in run_tdlint_shapes(paths)}
    problems = []
    for path in paths:
        expected = keras_results[str(path)]
        assert expected["error"] is None, (path.read_text(), expected["error"])
        keras_model = expected["models"]["model"]
        report = reports.get(path.name)
        source = path.read_text().split("\n", 2)[2]
        if report is None:
            problems.append(f"{source}: not reported by tdlint")
            continue
        got = (report["outputs"][-1], report["params"])
        want = (keras_model["output_shape"], keras_model["params"])
        if got != want:
            problems.append(f"{source}\n    tdlint {got}\n    keras  {want}")
    return problems


# The vocabulary layers: (input shape without batch, input dtype, layer expression). Keras 3
# builds them only with TensorFlow installed (any backend), so these cases run only then.
# Their encoded axis is the vocabulary size as Keras counts it: the literal vocabulary, the
# OOV indices, and the mask token only in "int" mode; or max_tokens with pad_to_max_tokens.
LOOKUP_CASES: list[tuple[tuple[Any, ...], str, str]] = [
    ((3,), "string", "layers.StringLookup(vocabulary=['a', 'b', 'c'])"),
    ((3,), "string", "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='one_hot')"),
    ((1,), "string", "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='one_hot')"),
    ((2, 3), "string", "layers.StringLookup(vocabulary=['a', 'b'], output_mode='one_hot')"),
    ((3,), "string", "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='multi_hot')"),
    (
        (3,),
        "string",
        "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='multi_hot', mask_token='')",
    ),
    (
        (3,),
        "string",
        "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='count', num_oov_indices=2)",
    ),
    (
        (3,),
        "string",
        "layers.StringLookup(vocabulary=['a', 'b'], output_mode='tf_idf', idf_weights=[1.0, 2.0])",
    ),
    ((3,), "string", "layers.StringLookup(vocabulary=['a', 'b'], output_mode='binary')"),
    (
        (3,),
        "string",
        "layers.StringLookup(max_tokens=10, pad_to_max_tokens=True, output_mode='multi_hot')",
    ),
    (
        (3,),
        "string",
        "layers.StringLookup(vocabulary=['a', 'b'], max_tokens=10, output_mode='multi_hot')",
    ),
    ((3,), "int64", "layers.StringLookup(vocabulary=['a', 'b', 'c'], invert=True)"),
    ((3,), "int64", "layers.IntegerLookup(vocabulary=[1, 2, 3])"),
    ((3,), "int64", "layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode='multi_hot')"),
    (
        (2, 3),
        "int64",
        "layers.IntegerLookup(vocabulary=[4, 5], output_mode='one_hot', num_oov_indices=0)",
    ),
    (
        (3,),
        "int64",
        "layers.IntegerLookup(vocabulary=[1, 2, 3], mask_token=0, output_mode='count')",
    ),
    ((3,), "int64", "layers.IntegerLookup(vocabulary=[7, 8], invert=True)"),
    ((1,), "string", "layers.TextVectorization(max_tokens=100, output_sequence_length=12)"),
    ((), "string", "layers.TextVectorization(output_sequence_length=5)"),
    ((1,), "string", "layers.TextVectorization(max_tokens=20)"),
    ((1,), "string", "layers.TextVectorization(vocabulary=['a', 'b'], output_mode='multi_hot')"),
    ((), "string", "layers.TextVectorization(vocabulary=['a', 'b', 'c'], output_mode='count')"),
    (
        (),
        "string",
        "layers.TextVectorization(max_tokens=8, pad_to_max_tokens=True, output_mode='multi_hot', "
        "split=None)",
    ),
    (
        (1,),
        "string",
        "layers.TextVectorization(vocabulary=['a', 'b'], output_mode='one_hot', split=None)",
    ),
]


@pytest.mark.skipif(not tensorflow_available(), reason="Keras's lookup layers need TensorFlow")
def test_lookup_layers_match_keras(tmp_path: Path) -> None:
    header = "import keras\nfrom keras import layers\n"
    paths = []
    for i, (shape, dtype, layer) in enumerate(LOOKUP_CASES):
        paths.append(tmp_path / f"lookup_{i:03}.py")
        model = (
            f"keras.Sequential([keras.Input(shape={_shape_code(shape)}, dtype={dtype!r}), {layer}])"
        )
        paths[-1].write_text(f"{header}model = {model}\n")
    problems = _mismatches(paths, run_keras(paths))
    assert not problems, "\n".join(problems)


# Keras 1 spellings (Keras 3 cannot run them) with their modern equivalents and the output
# shape and parameter count worked out by hand from the Keras docs; Keras 3 confirms the
# hand-worked numbers on the modern spelling (test_keras1_expectations_hold_in_keras).
KERAS1_EQUIVALENTS = [
    (
        "Dense(output_dim=4, init='uniform', input_dim=8)",
        "Dense(4, input_shape=(8,))",
        (None, 4),
        8 * 4 + 4,
    ),
    (
        "LSTM(output_dim=6, input_dim=8, input_length=10, return_sequences=True)",
        "LSTM(6, input_shape=(10, 8), return_sequences=True)",
        (None, 10, 6),
        4 * (6 * (8 + 6) + 6),  # four gates: input and recurrent kernels, and a bias
    ),
    (
        "Convolution2D(16, 3, 3, border_mode='same', subsample=(2, 2), dim_ordering='tf', input_shape=(28, 28, 1))",
        "Conv2D(16, (3, 3), padding='same', strides=(2, 2), input_shape=(28, 28, 1))",
        (None, 14, 14, 16),  # ceil(28 / 2)
        3 * 3 * 1 * 16 + 16,
    ),
    (
        "Convolution1D(nb_filter=8, filter_length=3, border_mode='valid', input_dim=3, input_length=20)",
        "Conv1D(filters=8, kernel_size=3, input_shape=(20, 3))",
        (None, 18, 8),  # 20 - 3 + 1
        3 * 3 * 8 + 8,
    ),
    (
        "Embedding(100, 16, input_length=10)",
        "Embedding(100, 16, input_shape=(10,))",
        (None, 10, 16),
        100 * 16,
    ),
    (
        "Convolution2D(nb_filter=4, nb_row=3, nb_col=3, dim_ordering='th', input_shape=(1, 28, 28))",
        "Conv2D(4, (3, 3), data_format='channels_first', input_shape=(1, 28, 28))",
        (None, 4, 26, 26),  # channels first: 'th'
        3 * 3 * 1 * 4 + 4,
    ),
    (
        "MaxPooling1D(pool_length=3, stride=1, input_shape=(20, 3))",
        "MaxPooling1D(pool_size=3, strides=1, input_shape=(20, 3))",
        (None, 18, 3),
        0,
    ),
    ("Dropout(p=0.5, input_shape=(4,))", "Dropout(rate=0.5, input_shape=(4,))", (None, 4), 0),
]


def _sequential_of(layer: str) -> str:
    return (
        "from keras.layers import *\nfrom keras.models import Sequential\n"
        f"model = Sequential([{layer}])\n"
    )


@pytest.mark.parametrize(("keras1", "modern", "shape", "params"), KERAS1_EQUIVALENTS)
def test_keras1_spellings_give_the_keras_shapes(
    keras1: str, modern: str, shape: tuple[Any, ...], params: int
) -> None:
    for spelling in (keras1, modern):
        (model,) = infer_shapes(_sequential_of(spelling))
        assert (model.outputs, model.params) == ((shape,), params), spelling


def test_keras1_expectations_hold_in_keras(tmp_path: Path) -> None:
    paths = []
    for i, (_, modern, _, _) in enumerate(KERAS1_EQUIVALENTS):
        paths.append(tmp_path / f"modern_{i}.py")
        paths[-1].write_text(_sequential_of(modern))
    results = run_keras(paths)
    for path, (_, modern, shape, params) in zip(paths, KERAS1_EQUIVALENTS, strict=True):
        built = results[str(path)]
        assert built["error"] is None, (modern, built["error"])
        model = built["models"]["model"]
        assert (tuple(model["output_shape"]), model["params"]) == (shape, params), modern
