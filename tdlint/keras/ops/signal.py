"""Audio and signal ops: short-time Fourier transforms (``keras.ops.stft``,
``tf.signal.stft``), the mel filterbank matrix and decibel scaling. Keras's ``stft`` follows
its ``compute_output_spec``; TensorFlow's follow its documentation (``tf.signal.frame``
counts the frames), and are checked against it in tests/test_tensor_ops.py.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tdlint.keras.catalogue import Args
from tdlint.keras.ops.base import Op, SeveralOutputs, dim_of, register
from tdlint.keras.shapes import UNKNOWN, is_known


def _positive(value: Any) -> int:
    if not is_known(value) or value <= 0:
        raise ValueError(value)
    return value


@register
class KerasSTFT(SeveralOutputs):
    """``ops.stft(x, sequence_length, sequence_stride, fft_length)``: a ``(real, imag)``
    pair of ``x.shape[:-1] + (frames, fft_length // 2 + 1)``; ``center`` pads the signal by
    ``fft_length // 2`` on each side."""

    name = "stft"
    params = ("x", "sequence_length", "sequence_stride", "fft_length", "window", "center")
    defaults: ClassVar[dict[str, Any]] = {"window": "hann", "center": True}
    spellings = ("ops:stft",)

    def count(self, args: Args, shapes: list[Any] | None) -> int:
        return 2

    def shape(self, args: Args, x: Any) -> Any:
        fft_length = _positive(args.get("fft_length", UNKNOWN))
        stride = _positive(args.get("sequence_stride", UNKNOWN))
        center = args.get("center")
        if not x or not isinstance(center, bool):
            raise ValueError(x)
        length = x[-1]
        frames: Any = None
        if length is not None:
            padded = (fft_length // 2) * 2 if center else 0
            frames = 1 + (length + padded - fft_length) // stride if is_known(length) else UNKNOWN
        spectrum = (*x[:-1], frames, fft_length // 2 + 1)
        return [spectrum, spectrum]


@register
class TensorFlowSTFT(Op):
    """``tf.signal.stft(signals, frame_length, frame_step, fft_length=None, pad_end=False)``:
    ``[..., frames, fft_length // 2 + 1]``, complex. ``fft_length`` defaults to the smallest
    power of 2 enclosing ``frame_length``; with ``pad_end`` the frames are
    ``ceil(samples / frame_step)``, else ``1 + (samples - frame_length) // frame_step``."""

    name = "stft"
    params = ("signals", "frame_length", "frame_step", "fft_length", "window_fn", "pad_end")
    operands = ("signals",)
    defaults: ClassVar[dict[str, Any]] = {"fft_length": None, "pad_end": False}
    spellings = ("signal:stft",)

    def shape(self, args: Args, signals: Any) -> Any:
        frame_length = _positive(args.get("frame_length", UNKNOWN))
        step = _positive(args.get("frame_step", UNKNOWN))
        fft_length = args.get("fft_length")
        if fft_length is None:
            fft_length = 1 << (frame_length - 1).bit_length()
        fft_length = _positive(fft_length)
        pad_end = args.get("pad_end")
        if not signals or not isinstance(pad_end, bool):
            raise ValueError(signals)
        samples = signals[-1]
        frames: Any = samples
        if is_known(samples):
            frames = (
                -(-samples // step) if pad_end else max(0, 1 + (samples - frame_length) // step)
            )
        return (*signals[:-1], frames, fft_length // 2 + 1)


@register
class MelWeightMatrix(Op):
    """``tf.signal.linear_to_mel_weight_matrix``: ``[num_spectrogram_bins, num_mel_bins]``,
    made at once from its arguments (a constant)."""

    name = "linear_to_mel_weight_matrix"
    params = (
        "num_mel_bins",
        "num_spectrogram_bins",
        "sample_rate",
        "lower_edge_hertz",
        "upper_edge_hertz",
        "dtype",
    )
    operands = ()
    creates = True
    defaults: ClassVar[dict[str, Any]] = {"num_mel_bins": 20, "num_spectrogram_bins": 129}
    spellings = ("signal:linear_to_mel_weight_matrix",)

    def shape(self, args: Args, *operands: Any) -> Any:
        return (dim_of(args.get("num_spectrogram_bins")), dim_of(args.get("num_mel_bins")))


@register
class DecibelScale(Op):
    """TensorFlow I/O's ``tfio.audio.dbscale(input, top_db)``: the same shape."""

    name = "dbscale"
    params = ("input", "top_db")
    operands = ("input",)
    spellings = ("tfio-audio:dbscale",)

    def shape(self, args: Args, x: Any) -> Any:
        return x
