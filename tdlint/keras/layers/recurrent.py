"""Recurrent layers and the two wrappers that matter for sequences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from tdlint.keras.catalogue import (
    ANY_RANK,
    Args,
    LayerSpec,
    OutputShape,
    RankSpec,
    register,
)
from tdlint.keras.layers.core import _sequence_input_shape
from tdlint.keras.legacy import FORGET_BIAS, RECURRENT_RENAMES
from tdlint.keras.shapes import UNKNOWN, Shape, combine
from tdlint.keras.versions import OLD, Line

# ``forget_bias_init`` names the argument it became (its values differ: TDL301 maps them).
_RNN_RENAMES = {**RECURRENT_RENAMES, FORGET_BIAS[0]: FORGET_BIAS[1]}

_RNN_ARGS = frozenset(
    {
        "activation",
        "recurrent_activation",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "implementation",
        "use_cudnn",
        "time_major",
        "input_length",
        "zero_output_for_mask",
    }
)


class _RNN(LayerSpec):
    """SimpleRNN/LSTM/GRU: ``(B, T, F)`` in; ``(B, units)`` or ``(B, T, units)`` out."""

    params = ("units", "activation", "recurrent_activation", "use_bias")
    keras1_params = ("units", "kernel_initializer", "recurrent_initializer")
    defaults = {"return_sequences": False, "return_state": False, "use_bias": True}
    renames = _RNN_RENAMES
    other_args = _RNN_ARGS
    is_rnn = True
    gates = 1
    state_count = 1

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(3)

    def output_shape(self, args: Args, x: Shape) -> OutputShape:
        return self._outputs(args, x[0], x[1])

    def output_shape_unknown_input(self, args: Args) -> OutputShape:
        return self._outputs(args, UNKNOWN, UNKNOWN)

    def _outputs(self, args: Args, batch: Any, steps: Any) -> OutputShape:
        units = args.int("units")
        sequences = args.flag("return_sequences")
        state = args.flag("return_state")
        if sequences is UNKNOWN or state is UNKNOWN:
            return None
        output = (batch, steps, units) if sequences else (batch, units)
        if not state:
            return output
        return [output, *[(batch, units)] * self.state_count]

    def count_params(self, args: Args, x: Shape) -> Any:
        bias = args.flag("use_bias")
        if bias is UNKNOWN:
            return UNKNOWN
        return combine(
            lambda f, u: self.gates * u * (f + u) + (self.bias_size(args, u) if bias else 0),
            x[-1],
            args.int("units"),
        )

    def bias_size(self, args: Args, units: int) -> Any:
        return self.gates * units

    def kernels_and_bias(self, args: Args, x: Shape | None) -> list[Shape] | None:
        """Keras 2 and later: kernel ``(features, gates * units)``, recurrent kernel
        ``(units, gates * units)``, bias ``(gates * units,)``."""
        bias = args.flag("use_bias")
        if x is None or bias is UNKNOWN:
            return None
        units = args.int("units")
        width = combine(lambda u: self.gates * u, units)
        return [(x[-1], width), (units, width), *([(width,)] if bias else [])]

    def declared_input_shape(self, args: Args) -> Shape | None:
        return _sequence_input_shape(self, args)


@register
class SimpleRNN(_RNN):
    name = "SimpleRNN"
    weight_shapes = _RNN.kernels_and_bias


@register
class LSTM(_RNN):
    name = "LSTM"
    other_args = _RNN_ARGS | {"unit_forget_bias"}
    gates = 4
    state_count = 2
    keras1_weights = "other"  # Keras 1 kept one array per gate (12 in all) by default
    weight_shapes = _RNN.kernels_and_bias


def _reset_after(defaults: Mapping[str, Any], lines: frozenset[Line]) -> Mapping[str, Any]:
    """GRU's ``reset_after``: False up to multi-backend Keras 2.3 (Keras 1 had no such
    option: one bias), True in tf.keras 2 and Keras 3. Code that says nothing of its version
    is read as Keras 3's, as everywhere the versions differ by default only."""
    if lines <= OLD:
        return {**defaults, "reset_after": False}
    return defaults


@register
class GRU(_RNN):
    name = "GRU"
    defaults = {**_RNN.defaults, "reset_after": True}
    other_args = _RNN_ARGS | {"reset_after"}
    gates = 3

    def defaults_for(self, lines: frozenset[Line]) -> Mapping[str, Any]:
        return _reset_after(self.defaults, lines)

    def bias_size(self, args: Args, units: int) -> Any:
        # reset_after=True (the default in tf.keras 2 and Keras 3) keeps separate input and
        # recurrent biases.
        reset_after = args.flag("reset_after")
        if reset_after is UNKNOWN:
            return UNKNOWN
        return (2 if reset_after else 1) * self.gates * units


@register
class CuDNNLSTM(LSTM):
    """TF 1.x / Keras 2 fused LSTM: cuDNN keeps separate input and recurrent biases."""

    name = "CuDNNLSTM"

    def bias_size(self, args: Args, units: int) -> Any:
        return 2 * self.gates * units

    def weight_shapes(self, args: Args, x: Shape | None) -> list[Shape] | None:
        return None  # cuDNN's own bias layout


@register
class CuDNNGRU(GRU):
    name = "CuDNNGRU"

    def bias_size(self, args: Args, units: int) -> Any:
        return 2 * self.gates * units


class _Cell(LayerSpec):
    """One step of SimpleRNN/LSTM/GRU, run over a sequence by ``RNN(cell)``: it has the
    layer's weights and states. Called on its own (``cell(x, states)``) its outputs are left
    unknown."""

    defaults = {"use_bias": True}
    other_args = _RNN_ARGS
    # The full layer with the same weights and states.
    layer: ClassVar[_RNN]

    def output_size(self, args: Args) -> Any:
        return args.int("units")

    def state_sizes(self, args: Args) -> list[Any]:
        return [args.int("units")] * self.layer.state_count

    def step_params(self, args: Args, features: Any) -> Any:
        return self.layer.count_params(args, (None, features))

    def count_params(self, args: Args, x: Shape) -> Any:
        return UNKNOWN


@register
class SimpleRNNCell(_Cell):
    name = "SimpleRNNCell"
    params = ("units", "activation", "use_bias")
    layer = SimpleRNN()


@register
class LSTMCell(_Cell):
    name = "LSTMCell"
    params = ("units", "activation", "recurrent_activation", "use_bias")
    other_args = LSTM.other_args
    layer = LSTM()


@register
class GRUCell(_Cell):
    name = "GRUCell"
    params = ("units", "activation", "recurrent_activation", "use_bias")
    defaults = {"use_bias": True, "reset_after": True}
    other_args = GRU.other_args
    layer = GRU()

    def defaults_for(self, lines: frozenset[Line]) -> Mapping[str, Any]:
        return _reset_after(self.defaults, lines)


@register
class StackedRNNCells(LayerSpec):
    """Cells run one after the other at each step, for ``RNN``; unknown on its own."""

    name = "StackedRNNCells"
    params = ("cells",)

    def count_params(self, args: Args, x: Shape) -> Any:
        return UNKNOWN


def _cells(cell: Any) -> list[tuple[_Cell, Args]] | None:
    """The built-in cells an RNN runs, in order (a stack flattened), or None when any of them
    is not known: a cell class of the user's own, a list built at run time."""
    if isinstance(cell, (list, tuple)):
        found: list[tuple[_Cell, Args]] = []
        for item in cell:
            cells = _cells(item)
            if cells is None:
                return None
            found.extend(cells)
        return found or None
    spec = getattr(cell, "spec", None)
    if isinstance(spec, _Cell):
        return [(spec, cell.args)]
    if isinstance(spec, StackedRNNCells):
        return _cells(cell.args.get("cells"))
    return None


def _state_sizes(cell: Any) -> list[Any] | None:
    """The sizes of the states ``RNN(cell, return_state=True)`` returns after its output,
    when they come as a flat list: one cell, or a stack of one-state cells. A stack holding an
    LSTM cell returns its two states nested in a list, which tdlint does not model."""
    spec = getattr(cell, "spec", None)
    if isinstance(spec, _Cell):
        return spec.state_sizes(cell.args)
    stack = cell.args.get("cells") if isinstance(spec, StackedRNNCells) else cell
    if not isinstance(stack, (list, tuple)):
        return None
    sizes = []
    for item in stack:
        item_spec = getattr(item, "spec", None)
        if not isinstance(item_spec, _Cell) or item_spec.layer.state_count != 1:
            return None
        sizes.extend(item_spec.state_sizes(item.args))
    return sizes


@register
class RNN(LayerSpec):
    """``RNN(cell)``: runs a cell, a ``StackedRNNCells`` or a list of cells over the time
    axis, as Keras's ``RNN.compute_output_shape`` does: the last cell's units out."""

    name = "RNN"
    params = (
        "cell",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
    )
    defaults = {"return_sequences": False, "return_state": False}
    other_args = frozenset({"time_major", "input_length"})
    is_rnn = True

    def input_rank(self, args: Args) -> RankSpec:
        return RankSpec.exactly(3) if _cells(args.get("cell")) else ANY_RANK

    def output_shape(self, args: Args, x: Shape) -> OutputShape:
        return self._outputs(args, x[0], x[1])

    def output_shape_unknown_input(self, args: Args) -> OutputShape:
        return self._outputs(args, UNKNOWN, UNKNOWN)

    def _outputs(self, args: Args, batch: Any, steps: Any) -> OutputShape:
        cells = _cells(args.get("cell"))
        sequences = args.flag("return_sequences")
        state = args.flag("return_state")
        if cells is None or sequences is UNKNOWN or state is UNKNOWN:
            return None
        last, last_args = cells[-1]
        units = last.output_size(last_args)
        output = (batch, steps, units) if sequences else (batch, units)
        if not state:
            return output
        sizes = _state_sizes(args.get("cell"))
        return None if sizes is None else [output, *[(batch, size) for size in sizes]]

    def count_params(self, args: Args, x: Shape) -> Any:
        cells = _cells(args.get("cell"))
        if cells is None:
            return UNKNOWN
        total: Any = 0
        features = x[-1]
        for cell, cell_args in cells:
            total = combine(lambda a, b: a + b, total, cell.step_params(cell_args, features))
            features = cell.output_size(cell_args)
        return total

    def declared_input_shape(self, args: Args) -> Shape | None:
        return _sequence_input_shape(self, args)


def inner_layer(args: Args) -> Any:
    """The wrapped layer object (an analysis ``Layer``), or ``None`` when unknown."""
    layer = args.get("layer")
    return layer if hasattr(layer, "spec") and layer.spec is not None else None


class _Wrapper(LayerSpec):
    is_wrapper = True

    def declared_input_shape(self, args: Args) -> Shape | None:
        own = LayerSpec.declared_input_shape(self, args)
        if own is not None:
            return own
        inner = inner_layer(args)
        return inner.spec.declared_input_shape(inner.args) if inner else None

    def count_params(self, args: Args, x: Shape) -> Any:
        inner = inner_layer(args)
        if inner is None:
            return UNKNOWN
        return inner.spec.count_params(inner.args, self.inner_input(x))

    def inner_input(self, x: Shape) -> Shape:
        return x


@register
class TimeDistributed(_Wrapper):
    """Applies the inner layer to every step: ``(B, T, *rest)`` -> ``(B, T, *inner(rest))``."""

    name = "TimeDistributed"
    params = ("layer",)

    def input_rank(self, args: Args) -> RankSpec:
        inner = inner_layer(args)
        if inner is None:
            return RankSpec(min=3)
        need = inner.spec.input_rank(inner.args)
        low = 3 if need.min is None else need.min + 1
        return RankSpec(low, None if need.max is None else need.max + 1)

    def inner_input(self, x: Shape) -> Shape:
        return (x[0], *x[2:])

    def output_shape(self, args: Args, x: Shape) -> OutputShape:
        inner = inner_layer(args)
        if inner is None:
            return None
        out = inner.spec.output_shape(inner.args, self.inner_input(x))
        if not isinstance(out, tuple):
            return None
        return (x[0], x[1], *out[1:])

    def output_shape_unknown_input(self, args: Args) -> OutputShape:
        inner = inner_layer(args)
        if inner is None:
            return None
        out = inner.spec.output_shape_unknown_input(inner.args)
        return (UNKNOWN, UNKNOWN, *out[1:]) if isinstance(out, tuple) else None


@register
class Bidirectional(_Wrapper):
    """Runs an RNN both ways; ``merge_mode`` decides how the two outputs combine."""

    name = "Bidirectional"
    params = ("layer", "merge_mode", "weights", "backward_layer")
    defaults = {"merge_mode": "concat"}
    is_rnn = True

    def input_rank(self, args: Args) -> RankSpec:
        inner = inner_layer(args)
        return inner.spec.input_rank(inner.args) if inner else ANY_RANK

    def output_shape(self, args: Args, x: Shape) -> OutputShape:
        inner = inner_layer(args)
        if inner is None:
            return None
        return self._merge(args, inner.spec.output_shape(inner.args, x))

    def output_shape_unknown_input(self, args: Args) -> OutputShape:
        inner = inner_layer(args)
        if inner is None:
            return None
        return self._merge(args, inner.spec.output_shape_unknown_input(inner.args))

    def _merge(self, args: Args, out: OutputShape) -> OutputShape:
        mode = args.get("merge_mode")
        if out is None or (mode is not None and not isinstance(mode, str)):
            return None
        output, states = (out[0], out[1:]) if isinstance(out, list) else (out, [])
        if output is None:
            return None
        if mode is None:
            merged: list[Any] = [output, output]
        elif mode == "concat":
            merged = [(*output[:-1], combine(lambda u: 2 * u, output[-1]))]
        else:
            merged = [output]
        if not states and len(merged) == 1:
            return merged[0]
        return [*merged, *states, *states]

    def count_params(self, args: Args, x: Shape) -> Any:
        if args.get("backward_layer") is not None:
            return UNKNOWN
        return combine(lambda p: 2 * p, super().count_params(args, x))
