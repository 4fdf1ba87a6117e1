"""Tensor ops against real Keras 3: every case is a functional model with ops between its
layers, built by Keras (the oracle) and read by tdlint; output shapes and parameter counts
must be equal. The other spellings of each op (``tf.concat``, ``K.mean``, operators) are
checked against the ``keras.ops`` spelling Keras runs."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle.harness import keras_available, run_keras, run_tdlint_shapes

from tdlint.api import infer_shapes

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

# (input shapes, output expression): `a`, `b`, `c` are the inputs.
CASES: list[tuple[list[tuple[Any, ...]], str]] = [
    ([(10, 8)], "ops.mean(a, axis=1)"),
    ([(10, 8)], "ops.mean(a, axis=-1, keepdims=True)"),
    ([(10, 8)], "ops.sum(a, axis=(1, 2))"),
    ([(10, 8)], "ops.max(a, axis=1, keepdims=True)"),
    ([(10, 8)], "ops.mean(a)"),
    ([(10, 8)], "ops.argmax(a, axis=-1)"),
    ([(10, 8)], "ops.concatenate([a, layers.Dense(4)(a)], axis=-1)"),
    ([(10, 8), (3, 8)], "ops.concatenate([a, b], axis=1)"),
    ([(10, 8)], "ops.stack([a, a, a], axis=1)"),
    ([(10, 8)], "ops.expand_dims(a, 1)"),
    ([(10, 8)], "ops.expand_dims(a, -1)"),
    ([(10, 1)], "ops.squeeze(a, axis=-1)"),
    ([(10, 8)], "ops.transpose(a, (0, 2, 1))"),
    ([(10, 8)], "ops.reshape(a, (-1, 80))"),
    ([(10, 8)], "ops.reshape(a, (-1, 5, 16))"),
    ([(10, 8)], "ops.reshape(a, (ops.shape(a)[0], 2, 5, 8))"),
    ([(10, 8)], "layers.Dense(3)(ops.reshape(a, (-1, 80)))"),
    ([(10, 8)], "ops.reshape(a[0], (-1, 16))"),  # no dynamic axis: -1 is worked out
    ([(10, 8)], "layers.Dense(2)(ops.reshape(a[0], (4, -1)))"),
    ([(10, 8)], "ops.matmul(a, ops.transpose(a, (0, 2, 1)))"),
    ([(10, 8), (8, 4)], "ops.matmul(a, b)"),
    ([(10, 8)], "a @ ops.transpose(a, (0, 2, 1))"),
    ([(10, 8)], "ops.relu(a)"),
    ([(10, 8)], "ops.softmax(a, axis=1)"),
    ([(10, 8)], "keras.activations.gelu(a)"),
    ([(10, 8)], "ops.sqrt(ops.square(a))"),
    ([(10, 8)], "a + 1.0"),
    ([(10, 8)], "a * layers.Dense(1)(a)"),
    ([(10, 8), (8,)], "a - b"),
    ([(10, 8)], "-a"),
    ([(10, 8)], "a / ops.sum(a, axis=-1, keepdims=True)"),
    ([(10, 8)], "ops.add(a, ops.mean(a, axis=1, keepdims=True))"),
    ([(10, 8)], "ops.maximum(a, 0.0)"),
    ([(10, 8)], "a[:, 0]"),
    ([(10, 8)], "a[:, -1, :]"),
    ([(10, 8)], "a[:, 2:5]"),
    ([(10, 8)], "a[..., 0]"),
    ([(10, 8)], "a[:, None]"),
    ([(10, 8)], "a[:, ::2, 1:]"),
    ([(10,)], "ops.one_hot(ops.cast(a, 'int32'), 5)"),
    ([(10, 8)], "a + layers.Embedding(10, 8)(ops.arange(0, 10))"),
    ([(12, 12, 3)], "ops.image.extract_patches(a, 4)"),
    ([(12, 12, 3)], "ops.image.extract_patches(a, (3, 3), strides=(2, 2), padding='same')"),
    ([(12, 12, 3)], "ops.image.resize(a, (24, 6))"),
    ([(10, 8)], "layers.Dense(ops.shape(a)[-1])(a)"),
    ([(10, 8)], "layers.Dense(a.shape[-1] * 2)(ops.mean(a, axis=1))"),
    # Repeating, padding, broadcasting.
    ([(10, 8)], "ops.tile(a, (1, 2, 3))"),
    ([(10, 8)], "ops.tile(a, 2)"),
    ([(10, 8)], "ops.tile(a[0], (2, 1, 1))"),
    ([(10, 8)], "ops.repeat(a, 3, axis=1)"),
    ([(10, 8)], "ops.repeat(a[0], 2)"),
    ([(10, 8)], "ops.repeat(a, 2)"),
    ([(10, 8)], "ops.repeat(a, [1, 2, 3, 4, 5, 6, 7, 8], axis=2)"),
    ([(10, 8)], "ops.broadcast_to(a[0], (4, 10, 8))"),
    ([(10, 8)], "ops.broadcast_to(a[0, 0], (3, 5, 8))"),
    ([(10, 8)], "ops.pad(a, ((0, 0), (1, 2), (3, 4)))"),
    ([(10, 8)], "ops.pad(a, 2)"),
    ([(10, 8)], "ops.pad(a, (1, 2))"),
    ([(10, 8)], "ops.pad(a, ((1, 2),), mode='reflect')"),
    # Gathering and slicing.
    ([(10, 8)], "ops.take(a, [0, 2, 4], axis=1)"),
    ([(10, 8)], "ops.take(a, [[0, 2], [1, 3]], axis=-1)"),
    ([(10, 8)], "ops.take(a, 0, axis=1)"),
    ([(10, 8)], "ops.take(a, ops.cast(a[:, :, 0], 'int32'), axis=2)"),
    ([(10, 8)], "ops.take(a[0], [1, 2, 3])"),
    ([(10, 8)], "ops.slice(a, (0, 2, 0), (-1, 5, 8))"),
    ([(10, 8)], "ops.slice(a[0], (2, 1), (-1, -1))"),
    # Contractions.
    ([(10, 8)], "ops.einsum('bij,bkj->bik', a, a)"),
    ([(10, 8)], "ops.einsum('bij->bji', a)"),
    ([(10, 8), (8, 3)], "ops.einsum('bij,bjk->bik', a, b)"),
    ([(10, 8), (8, 3)], "ops.einsum('...ij,...jk->...ik', a, b)"),
    ([(10, 8)], "ops.einsum('bij,bij', a, a)"),
    ([(10, 8)], "ops.einsum('bij,bik', a, a)"),
    ([(10, 8), (10, 3)], "ops.einsum('bkj,bki', a, b)"),  # no "->": letters in order
    ([(10, 8), (8, 3)], "ops.tensordot(a, b, axes=([2], [1]))"),
    ([(10, 8)], "ops.tensordot(a, a, axes=([1, 2], [1, 2]))"),
    ([(10, 8)], "ops.tensordot(a[0], a[0, 0], axes=1)"),
    # Several outputs: the model's outputs are the list the op returns.
    ([(10, 8)], "ops.split(a, 2, axis=-1)"),
    ([(10, 8)], "ops.split(a, [3, 7], axis=1)"),
    ([(10, 8)], "ops.split(a, 2)"),
    ([(10, 8)], "ops.split(a, [3, 7], axis=1)[1]"),
    ([(10, 8)], "ops.unstack(a, axis=-1)"),
    ([(10, 8)], "ops.unstack(a, axis=1)[3]"),
    ([(10, 8)], "ops.meshgrid(a[0, :, 0], a[0, 0, :])"),
    ([(10, 8)], "ops.meshgrid(a[0, :, 0], a[0, 0, :], a[0, :3, 0], indexing='ij')"),
    ([(10, 8)], "ops.moments(a, axes=[1])"),
    ([(10, 8)], "ops.moments(a, axes=(0, 1), keepdims=True)"),
    ([(10, 8)], "ops.fft2((a, a))"),
    ([(10, 8)], "ops.fft((a, ops.zeros_like(a)))"),
    # Reductions, and ops along one axis.
    ([(10, 8)], "ops.norm(a, axis=-1)"),
    ([(10, 8)], "ops.norm(a, axis=-1, keepdims=True)"),
    ([(10, 8)], "ops.norm(a)"),
    ([(10, 8)], "ops.linalg.norm(a, axis=(1, 2))"),
    ([(10, 8)], "ops.flip(a, axis=1)"),
    ([(10, 8)], "ops.flip(a)"),
    ([(10, 8)], "ops.roll(a, 2, axis=1)"),
    ([(10, 8)], "ops.roll(a, 2)"),
    ([(10, 8)], "ops.cumsum(a, axis=1)"),
    ([(10, 8)], "ops.cumsum(a)"),
    ([(10, 8)], "ops.cumprod(a[0])"),
    ([(10, 8)], "ops.sort(a)"),
    ([(10, 8)], "ops.argsort(a, axis=1)"),
    ([(10, 8)], "ops.sort(a[0], axis=None)"),
    ([(10, 8)], "ops.swapaxes(a, -1, -2)"),
    ([(10, 8)], "ops.moveaxis(a, 0, -1)"),
    ([(10, 8)], "ops.moveaxis(a, [0, 1], [2, 0])"),
    ([(10, 8)], "ops.moveaxis(ops.reshape(a, (-1, 2, 5, 8)), [2, 3], [1, 0])"),
    # Shape-keeping.
    ([(10, 8)], "ops.zeros_like(a) + ops.ones_like(a)"),
    ([(10, 8)], "ops.tan(ops.arctan(ops.sinh(a)))"),
    ([(10, 8)], "ops.log2(ops.exp2(a))"),
    # Images.
    ([(10, 8)], "ops.image.crop_images(a[..., None], 2, 1, target_height=5, target_width=6)"),
    ([(10, 8)], "ops.image.crop_images(a[..., None], 1, 2, 3, 4)"),
    ([(10, 8)], "ops.image.pad_images(a[..., None], 2, 1, target_height=20, target_width=16)"),
    ([(10, 8)], "ops.image.pad_images(a[..., None], 1, 2, 3, 4)"),
    ([(10, 8)], "ops.depth_to_space(ops.reshape(a, (-1, 2, 10, 4)), 2)"),
    ([(10, 8)], "ops.space_to_depth(ops.reshape(a, (-1, 4, 4, 5)), 2)"),
    ([(10, 8)], "ops.depth_to_space(ops.reshape(a, (-1, 4, 5, 4)), 2, 'channels_first')"),
    # Tensors made from sizes.
    ([(10, 8)], "a + ops.zeros((8,))"),
    ([(10, 8)], "a * ops.ones((10, 1))"),
    ([(10, 8)], "a * ops.full((1, 8), 2.0)"),
    ([(10, 8)], "a * keras.random.uniform((10, 8))"),
    ([(10, 8)], "a + keras.random.normal((8,), 0.0, 1.0)"),
    ([(10, 8)], "a * layers.Dense(8)(ops.ones((10, 3)))"),  # run at once: not in the model
    ([(10, 8)], "a + ops.linspace(0.0, 1.0, 8)"),
    ([(10, 8)], "a * ops.linspace(0.0, 1.0, 10, axis=-1)[:, None]"),
    ([(10, 8)], "ops.linspace(a[:, 0], a[:, 1], 5)"),
    ([(10, 8)], "ops.linspace(a, 2.0, 3, axis=-1)"),
    ([(10, 8)], "ops.linspace(0.0, a[:, :, :1], 4, axis=1)"),
    ([(10, 8)], "ops.linspace(a[:, 0], a[:, 1], 5, axis=-2)"),
    # Short-time Fourier transforms: a (real, imaginary) pair.
    ([(10, 8)], "ops.stft(a[:, :, 0], 4, 2, 4)"),
    ([(10, 8)], "ops.stft(a, 3, 2, 6, center=False)"),
    ([(10, 8)], "ops.stft(a, 4, 3, 8, window=None)[1]"),
    ([(10, 8)], "ops.stft(a, 3, 2, 5)"),  # an odd fft_length pads by 2 on each side
    # Iterating over a constant tensor gives its rows.
    ([(10, 8)], "a * [p for p in ops.linspace(0.0, 1.0, 4)][3]"),
    ([(10, 8)], "a + [row for row in ops.ones((3, 8))][0]"),
    # A constant made a tensor stays readable by the op that takes it.
    ([(10, 8)], "ops.pad(a, ops.convert_to_tensor([[0, 0], [1, 2], [0, 0]]))"),
    ([(10, 8)], "ops.pad(a, ops.convert_to_tensor([[0, 0], [0, 0], [3, 1]]))[:, 2:]"),
]


def _shape_code(shape: tuple[Any, ...]) -> str:
    return "(" + "".join(f"{d}, " for d in shape) + ")"


def _program(shapes: list[tuple[Any, ...]], expr: str) -> str:
    names = "abc"[: len(shapes)]
    inputs = "".join(
        f"{n} = keras.Input(shape={_shape_code(s)})\n" for n, s in zip(names, shapes, strict=True)
    )
    header = "import keras\nfrom keras import layers, ops\n"
    return header + inputs + f"out = {expr}\nmodel = keras.Model([{', '.join(names)}], out)\n"


@pytest.fixture(scope="module")
def keras_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, Any]]:
    root = tmp_path_factory.mktemp("ops")
    paths = []
    for i, (shapes, expr) in enumerate(CASES):
        path = root / f"op_{i:03}.py"
        path.write_text(_program(shapes, expr))
        paths.append(path)
    return paths, run_keras(paths)


def test_every_op_case_matches_keras(keras_results: tuple[list[Path], dict[str, Any]]) -> None:
    paths, results = keras_results
    reports = {Path(r["filename"]).name: r for r in run_tdlint_shapes(paths)}
    problems = []
    for path, (_, expr) in zip(paths, CASES, strict=True):
        expected = results[str(path)]
        assert expected["error"] is None, (expr, expected["error"])
        want = (expected["models"]["model"]["output_shape"], expected["models"]["model"]["params"])
        report = reports.get(path.name)
        got = (_keras_style(report["outputs"]), report["params"]) if report else None
        if got != want:
            problems.append(f"{expr}\n    tdlint {got}\n    keras  {want}")
    assert not problems, "\n".join(problems)


def _keras_style(outputs: list[Any]) -> Any:
    """A model's output shapes as Keras's ``output_shape`` gives them: one shape, or a list
    of shapes for a model with several outputs."""
    return outputs[0] if len(outputs) == 1 else outputs


# Other spellings of the same ops: tdlint must give them the shape Keras gives the
# `keras.ops` spelling on the right (which the oracle above checks where it is a case).
SPELLINGS = [
    ("tf.concat([a, a], axis=-1)", "ops.concatenate([a, a], axis=-1)"),
    ("tf.concat([a, a], 1)", "ops.concatenate([a, a], axis=1)"),
    ("K.concatenate([a, a])", "ops.concatenate([a, a], axis=-1)"),
    ("tf.reduce_mean(a, axis=1)", "ops.mean(a, axis=1)"),
    ("tf.math.reduce_sum(a, 1, keepdims=True)", "ops.sum(a, axis=1, keepdims=True)"),
    ("K.mean(a, axis=-1, keepdims=True)", "ops.mean(a, axis=-1, keepdims=True)"),
    ("tf.reduce_max(a)", "ops.max(a)"),
    ("tf.expand_dims(a, axis=1)", "ops.expand_dims(a, 1)"),
    ("K.expand_dims(a)", "ops.expand_dims(a, -1)"),
    ("tf.squeeze(a[:, :, :1], [2])", "ops.squeeze(a[:, :, :1], axis=2)"),
    ("tf.transpose(a, perm=[0, 2, 1])", "ops.transpose(a, (0, 2, 1))"),
    ("K.permute_dimensions(a, (0, 2, 1))", "ops.transpose(a, (0, 2, 1))"),
    ("tf.reshape(a, [-1, 80])", "ops.reshape(a, (-1, 80))"),
    ("K.reshape(a, (-1, 5, 16))", "ops.reshape(a, (-1, 5, 16))"),
    ("tf.matmul(a, a, transpose_b=True)", "ops.matmul(a, ops.transpose(a, (0, 2, 1)))"),
    ("tf.linalg.matmul(a, a, transpose_a=True)", "ops.matmul(ops.transpose(a, (0, 2, 1)), a)"),
    ("tf.nn.relu(a)", "ops.relu(a)"),
    ("tf.nn.softmax(a, axis=1)", "ops.softmax(a, axis=1)"),
    ("tf.math.sigmoid(a)", "ops.sigmoid(a)"),
    ("K.sigmoid(a)", "ops.sigmoid(a)"),
    ("tf.add(a, a)", "a + a"),
    ("tf.multiply(a, 2.0)", "a * 2.0"),
    ("tf.stack([a, a], axis=1)", "ops.stack([a, a], axis=1)"),
    ("tf.one_hot(a[:, 0], 5)", "ops.one_hot(a[:, 0], 5)"),
    ("tf.argmax(a)", "ops.argmax(a, axis=0)"),
    ("tf.argmax(a, axis=-1)", "ops.argmax(a, axis=-1)"),
    ("tf.shape(a)[1] * a", "a * 10"),
    ("K.int_shape(a)[-1] + a", "a + 8"),
    ("tf.image.resize(a[..., None], (4, 4))", "ops.image.resize(a[..., None], (4, 4))"),
    (
        "tf.image.extract_patches(a[..., None], sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], "
        "rates=[1, 1, 1, 1], padding='VALID')",
        "ops.image.extract_patches(a[..., None], 2)",
    ),
    (  # the sizes as tuples, as keras-io's patch layers write them
        "tf.image.extract_patches(images=a[..., None], sizes=(1, 2, 2, 1), "
        "strides=(1, 2, 2, 1), rates=(1, 1, 1, 1), padding='VALID')",
        "ops.image.extract_patches(a[..., None], 2)",
    ),
    ("tf.tile(a, [1, 2, 3])", "ops.tile(a, (1, 2, 3))"),
    ("tf.tile(a, multiples=[1, 1, 2])", "ops.tile(a, (1, 1, 2))"),
    ("K.tile(a, (1, 3, 1))", "ops.tile(a, (1, 3, 1))"),
    ("tnp.tile(a, 2)", "ops.tile(a, 2)"),
    ("tf.repeat(a, 3, axis=-1)", "ops.repeat(a, 3, axis=-1)"),
    ("K.repeat_elements(a, 2, axis=1)", "ops.repeat(a, 2, axis=1)"),
    ("K.repeat(a[:, 0], 5)", "layers.RepeatVector(5)(a[:, 0])"),
    ("tf.broadcast_to(a[0, 0], [3, 8])", "ops.broadcast_to(a[0, 0], (3, 8))"),
    ("tf.pad(a, [[0, 0], [1, 2], [3, 4]])", "ops.pad(a, ((0, 0), (1, 2), (3, 4)))"),
    ("tf.pad(a, [[0, 0], [1, 1], [0, 0]], 'REFLECT')", "ops.pad(a, ((0, 0), (1, 1), (0, 0)))"),
    ("tnp.pad(a, 2)", "ops.pad(a, 2)"),
    ("tf.gather(a, [0, 2, 4], axis=1)", "ops.take(a, [0, 2, 4], axis=1)"),
    ("tf.gather(a[0], [1, 2])", "ops.take(a[0], [1, 2], axis=0)"),
    ("K.gather(a[0], [[1, 2]])", "ops.take(a[0], [[1, 2]], axis=0)"),
    (
        "tf.gather(a, ops.cast(a[:, :3, 0], 'int32'), axis=1, batch_dims=1)",
        "ops.take(a, [0, 1, 2], axis=1)",
    ),
    ("tf.slice(a[0], [2, 1], [-1, 3])", "ops.slice(a[0], (2, 1), (-1, 3))"),
    ("tf.einsum('bij,bkj->bik', a, a)", "ops.einsum('bij,bkj->bik', a, a)"),
    ("tf.linalg.einsum('bij->bj', a)", "ops.einsum('bij->bj', a)"),
    ("tf.tensordot(a, a[0, 0], axes=1)", "ops.tensordot(a, a[0, 0], axes=1)"),
    ("tf.split(a, 2, axis=-1)", "ops.split(a, 2, axis=-1)"),
    ("tf.split(a, [3, -1, 2], axis=1)", "ops.split(a, [3, 8], axis=1)"),
    ("tf.split(a, [3, 5], 2)", "ops.split(a, [3], axis=2)"),
    ("tf.unstack(a, axis=2)", "ops.unstack(a, axis=2)"),
    ("tf.meshgrid(a[0, :, 0], a[0, 0, :])", "ops.meshgrid(a[0, :, 0], a[0, 0, :])"),
    ("tf.nn.moments(a, axes=[1], keepdims=True)", "ops.moments(a, axes=[1], keepdims=True)"),
    ("tf.norm(a, axis=-1)", "ops.norm(a, axis=-1)"),
    ("tf.norm(a, axis=-1, keepdims=True)", "ops.norm(a, axis=-1, keepdims=True)"),
    ("tf.linalg.norm(a, ord=1, axis=[1, 2])", "ops.norm(a, ord=1, axis=(1, 2))"),
    ("tf.linalg.matrix_transpose(a)", "ops.swapaxes(a, -1, -2)"),
    ("tf.linalg.adjoint(a)", "ops.swapaxes(a, -1, -2)"),
    ("K.transpose(a)", "ops.transpose(a)"),
    ("tf.reverse(a, [1])", "ops.flip(a, axis=1)"),
    ("K.reverse(a, axes=1)", "ops.flip(a, axis=1)"),
    ("tf.roll(a, shift=2, axis=1)", "ops.roll(a, 2, axis=1)"),
    ("tf.cumsum(a)", "ops.cumsum(a, axis=0)"),
    ("tf.math.cumprod(a, axis=2, exclusive=True)", "ops.cumprod(a, axis=2)"),
    ("K.cumsum(a, axis=1)", "ops.cumsum(a, axis=1)"),
    ("tf.sort(a, axis=1, direction='DESCENDING')", "ops.sort(a, axis=1)"),
    ("tf.argsort(a)", "ops.argsort(a)"),
    ("tf.zeros_like(a)", "ops.zeros_like(a)"),
    ("K.ones_like(a)", "ops.ones_like(a)"),
    ("tf.sin(a) + tf.cos(a)", "ops.sin(a) + ops.cos(a)"),
    ("tf.math.tan(a)", "ops.tan(a)"),
    ("tf.math.floormod(a, 3.0)", "ops.mod(a, 3.0)"),
    ("tnp.matmul(a, ops.transpose(a, (0, 2, 1)))", "ops.matmul(a, ops.transpose(a, (0, 2, 1)))"),
    ("tnp.maximum(a, 0.0)", "ops.maximum(a, 0.0)"),
    ("tnp.mean(tnp.square(a), axis=0)", "ops.mean(ops.square(a), axis=0)"),
    (
        "tf.image.crop_to_bounding_box(a[..., None], 2, 1, 5, 6)",
        "ops.image.crop_images(a[..., None], 2, 1, target_height=5, target_width=6)",
    ),
    (
        "tf.image.pad_to_bounding_box(a[..., None], 2, 1, 20, 16)",
        "ops.image.pad_images(a[..., None], 2, 1, target_height=20, target_width=16)",
    ),
    (
        "tf.nn.depth_to_space(ops.reshape(a, (-1, 2, 10, 4)), 2)",
        "ops.depth_to_space(ops.reshape(a, (-1, 2, 10, 4)), 2)",
    ),
    (
        "tf.nn.space_to_depth(ops.reshape(a, (-1, 4, 4, 5)), block_size=2)",
        "ops.space_to_depth(ops.reshape(a, (-1, 4, 4, 5)), 2)",
    ),
    (
        "tf.nn.depth_to_space(ops.reshape(a, (-1, 4, 5, 4)), 2, data_format='NCHW')",
        "ops.depth_to_space(ops.reshape(a, (-1, 4, 5, 4)), 2, data_format='channels_first')",
    ),
    ("a + tf.zeros([8])", "a + ops.zeros((8,))"),
    ("a * tf.ones(shape=(10, 1))", "a * ops.ones((10, 1))"),
    ("a * tf.fill([1, 8], 2.0)", "a * ops.full((1, 8), 2.0)"),
    ("a * tf.random.uniform((10, 8), 0, 1)", "a * keras.random.uniform((10, 8))"),
    ("a + K.random_normal((8,))", "a + keras.random.normal((8,))"),
    ("a + tf.linspace(0.0, 1.0, 8)", "a + ops.linspace(0.0, 1.0, 8)"),
    ("tf.linspace(a[:, 0], a[:, 1], 5, axis=-1)", "ops.linspace(a[:, 0], a[:, 1], 5, axis=-1)"),
    ("tnp.linspace(a[:, 0], 1.0, num=3)", "ops.linspace(a[:, 0], 1.0, num=3)"),
]

SPELLING_HEADER = """\
import keras
import tensorflow as tf
import tensorflow.experimental.numpy as tnp
from keras import backend as K
from keras import layers, ops
a = keras.Input(shape=(10, 8))
"""


def _output(expr: str) -> Any:
    """The model's output shapes (one shape, or a list for several outputs)."""
    [summary] = infer_shapes(SPELLING_HEADER + f"model = keras.Model(a, {expr})\n")
    return _keras_style(list(summary.outputs))


@pytest.mark.parametrize(("spelling", "keras_ops"), SPELLINGS)
def test_other_spellings_give_the_keras_ops_shape(spelling: str, keras_ops: str) -> None:
    got = _output(spelling)
    assert _known(got) and got == _output(keras_ops)


def _known(shapes: Any) -> bool:
    """A shape of known rank, or a list of them."""
    if isinstance(shapes, list):
        return all(isinstance(s, tuple) for s in shapes)
    return isinstance(shapes, tuple)


def test_the_keras_ops_side_of_the_spellings_holds_in_keras(tmp_path: Path) -> None:
    paths = []
    for i, (_, expr) in enumerate(SPELLINGS):
        path = tmp_path / f"s_{i:03}.py"
        path.write_text(_program([(10, 8)], expr))
        paths.append(path)
    results = run_keras(paths)
    for path, (_, expr) in zip(paths, SPELLINGS, strict=True):
        keras_shape = results[str(path)]["models"]["model"]["output_shape"]
        assert _json_style(_output(expr)) == keras_shape, expr


def _json_style(shapes: Any) -> Any:
    """Shapes as the Keras runner writes them: lists."""
    if isinstance(shapes, list):
        return [_json_style(s) for s in shapes]
    return list(shapes)


# What Keras refuses to build: tdlint has no answer either (unknown, never a guess).
KERAS_REFUSES = [
    "ops.broadcast_to(a[0], (4, 3, 8))",
    "ops.split(a, 3, axis=-1)",
    "ops.fft((ops.transpose(a, (1, 2, 0)), ops.transpose(a, (1, 2, 0))))",
    "ops.depth_to_space(ops.reshape(a, (-1, 2, 10, 4)), 3)",
    "ops.space_to_depth(ops.reshape(a, (-1, 2, 10, 4)), 4)",
    "ops.image.crop_images(a[..., None], 6, 0, target_height=5, target_width=8)",
    "ops.image.pad_images(a[..., None], 0, 0, 2, target_height=11, target_width=8)",
    "ops.image.crop_images(ops.reshape(a, (-1, 10, 8, 1)), 0, 0, 0, 0, 5, 8)",
    "[row for row in a][0]",  # a model's tensor does not iterate, a constant one does
]


def test_what_keras_refuses_is_unknown(tmp_path: Path) -> None:
    paths = []
    for i, expr in enumerate(KERAS_REFUSES):
        path = tmp_path / f"r_{i:03}.py"
        path.write_text(_program([(10, 8)], expr))
        paths.append(path)
    results = run_keras(paths)
    for path, expr in zip(paths, KERAS_REFUSES, strict=True):
        assert results[str(path)]["error"] is not None, expr
        [summary] = infer_shapes(path.read_text())
        assert all(_unknown_shape(s) for s in summary.outputs), (expr, summary.outputs)


def _unknown_shape(shape: Any) -> bool:
    return shape is None or any(not (d is None or isinstance(d, int)) for d in shape)


# What tdlint cannot know stays unknown: an op it has no entry for, an axis it cannot read,
# an operand of unknown shape.
UNKNOWN_CASES = [
    "tf.nn.conv2d(a, w, 1, 'SAME')",
    "ops.mean(a, axis=n)",
    "ops.reshape(a, (n, -1))",
    "ops.concatenate([a, mystery], axis=-1)",
    "ops.squeeze(a)",
    "ops.mean(a, axis=1, keepdims=flag)",
    "ops.tile(a, n)",
    "ops.tile(a, (1, n, 1))",
    "ops.repeat(a, n, axis=1)",
    "ops.pad(a, n)",
    "tf.pad(a, mystery)",
    "ops.einsum(mystery, a, a)",
    "ops.take(a, mystery, axis=1)",
    "tf.gather(a, [0, 1], axis=n)",
    "ops.split(a, n, axis=-1)",
    "tf.split(a, [n, -1], axis=1)[1]",
    "ops.unstack(a[:, :n], axis=1)",
    "ops.meshgrid(a[0, :, 0], a[0, :n, 0])[0]",
    "ops.norm(a, axis=n)",
    "ops.moments(a, axes=n)[0]",
    "ops.image.crop_images(a[..., None], n, 1, 3, 4)",
    "ops.depth_to_space(a[..., None], n)",
    "a[:, :, :1] * tf.ones((n,))",
    "a[:, :, :1] * ops.linspace(0.0, 1.0, n)",
    "ops.linspace(a, 1.0, 3, axis=n)",
    "ops.linspace(a, 1.0, 3, retstep=True)",
    "a * [p for p in ops.linspace(0.0, 1.0, n)][0]",
]


@pytest.mark.parametrize("expr", UNKNOWN_CASES)
def test_what_cannot_be_known_stays_unknown(expr: str) -> None:
    source = SPELLING_HEADER + textwrap.dedent(
        f"""\
        n = int(input())
        flag = input() == "y"
        w = mystery = unknown_thing()
        model = keras.Model(a, {expr})
        """
    )
    [summary] = infer_shapes(source)
    shape = summary.outputs[-1]
    assert shape is None or any(not (d is None or isinstance(d, int)) for d in shape), shape
