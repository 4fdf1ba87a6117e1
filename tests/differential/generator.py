"""Random Keras 3 model programs for differential testing (tdlint against real Keras).

``generate(seed)`` writes the source of one small model, deterministically from ``seed``: an
input (vector, sequence, image, video or token ids), a stack of one to six layers, in one of
three code styles (``Sequential([...])``, ``Sequential()`` + ``.add``, functional) and one of
three import styles.  The final model is always assigned to ``model``.

Layers are mostly chosen to fit the current tensor, as tracked by a rough shape model of our
own, so most programs build; with small probabilities a layer is drawn whatever the rank,
or with arguments drawn without checking that they fit (kernels bigger than the input, a
Reshape of the wrong size, merges of mismatched tensors...), so some programs are rejected
by Keras.  The shape model here only steers those choices: Keras is the oracle, not this
file, and a wrong guess here only makes a program more likely to fail.

Besides the layers, programs vary in how they say things, since tdlint reads the source:
positional or keyword arguments, ints or per-axis tuples, ``keras.Input(shape=...)`` or
``input_shape=`` on the first layer, a fixed batch size, layers bound to names before they
are called, a layer applied twice, attention called with keywords, ``concatenate([...])``
for ``Concatenate()([...])``, ``Model(inputs=..., outputs=...)``, now and then
``data_format="channels_first"``, and ``Bidirectional(..., merge_mode=None)`` (two outputs),
followed by a merge or ending the model.  About a third of the functional programs are
written the way real files are (``structures.py``): layers in a custom ``Layer`` class, a
helper function or a loop, tensor ops between them, or a ``keras.applications`` backbone.

    python tests/differential/generator.py 7 8   # print the programs for seeds 7 and 8
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

# Non-batch dims of a tensor as the generator believes them (an int dim may be None:
# dynamic).  ``None`` instead of a ``Dims`` means the generator lost track of the shape
# (after a layer that probably fails).
Dims = tuple[int | None, ...]

# Per layer: the probability of drawing any layer whatever the rank of the current tensor,
# and of drawing a fitting layer with arguments chosen without checking that they fit.
P_ANY_LAYER = 0.07
P_LOOSE_ARGS = 0.07
# Per spatial layer (convolution, pooling, padding...): the probability of channels_first.
P_CHANNELS_FIRST = 0.05

MAX_LAYERS = 6
MAX_SIZE = 50_000  # elements per sample: keeps Keras's build time (and Dense weights) small

CODE_STYLES = ("sequential-list", "sequential-add", "functional")
IMPORT_STYLES = ("from keras import layers", "import keras", "from keras.layers import ...")
INPUT_KINDS = ("vector", "sequence", "image", "video", "tokens")

# The names of each layer's positional parameters, in order (for keyword spellings).
_FILTERS_KERNEL = ("filters", "kernel_size")
POSITIONAL: dict[str, tuple[str, ...]] = {
    "Dense": ("units",),
    "Embedding": ("input_dim", "output_dim"),
    "SimpleRNN": ("units",),
    "LSTM": ("units",),
    "GRU": ("units",),
    "Bidirectional": ("layer",),
    "TimeDistributed": ("layer",),
    "RepeatVector": ("n",),
    "Reshape": ("target_shape",),
    "Permute": ("dims",),
    "Dropout": ("rate",),
    "Activation": ("activation",),
    "SeparableConv2D": _FILTERS_KERNEL,
    "DepthwiseConv2D": ("kernel_size",),
    "ConvLSTM2D": _FILTERS_KERNEL,
    "MultiHeadAttention": ("num_heads", "key_dim"),
    **{f"Conv{n}D": _FILTERS_KERNEL for n in (1, 2, 3)},
    **{f"Conv{n}DTranspose": _FILTERS_KERNEL for n in (1, 2)},
    **{f"{op}Pooling{n}D": ("pool_size",) for op in ("Max", "Average") for n in (1, 2, 3)},
    **{f"UpSampling{n}D": ("size",) for n in (1, 2)},
    **{f"ZeroPadding{n}D": ("padding",) for n in (1, 2)},
    **{f"Cropping{n}D": ("cropping",) for n in (1, 2)},
}


@dataclass(frozen=True)
class Program:
    """One generated model program."""

    seed: int
    source: str
    code_style: str
    import_style: str
    input_kind: str
    layers: tuple[str, ...]  # the layer classes applied, in order


# --------------------------------------------------------------------------------------
# Layer expressions, rendered later in the chosen import style
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """``Cls(arg, ..., key=value, ...)`` where values are Python source or nested calls."""

    cls: str
    args: tuple[str | Call, ...] = ()
    kwargs: tuple[tuple[str, str | Call], ...] = ()

    def render(self, qualify: Callable[[str], str]) -> str:
        def text(value: str | Call) -> str:
            return value.render(qualify) if isinstance(value, Call) else value

        parts = [text(a) for a in self.args] + [f"{k}={text(v)}" for k, v in self.kwargs]
        return f"{qualify(self.cls)}({', '.join(parts)})"

    def with_kwarg(self, name: str, value: object) -> Call:
        return replace(self, kwargs=(*self.kwargs, (name, _source(value))))


def _source(value: object) -> str | Call:
    return value if isinstance(value, Call) else repr(value)


def call(rng: random.Random, cls: str, *args: object, **kwargs: object) -> Call:
    """``cls(*args, **kwargs)``, with Python values as their ``repr``.  Positional arguments
    are sometimes spelled as keywords (``Dense(units=4)``); keyword arguments come in the
    order given."""
    names = POSITIONAL.get(cls, ())
    keep = len(args)
    if len(args) <= len(names) and rng.random() < 0.25:
        keep = rng.randint(0, len(args))  # the first ``keep`` stay positional
    spelled = {names[i]: a for i, a in enumerate(args[keep:], start=keep)}
    return Call(
        cls,
        tuple(_source(a) for a in args[:keep]),
        tuple((k, _source(v)) for k, v in {**spelled, **kwargs}.items()),
    )


@dataclass(frozen=True)
class Step:
    """One layer applied to the current tensor.

    ``kind`` is ``single`` (``layer(x)``), ``merge`` or ``attention`` (``layer([x, other])``)
    or ``mha`` (``layer(x, other)``).  For the last three the other operand is ``x`` itself
    (``other_layer`` and ``other_input`` both None), a layer applied to ``x``
    (``other_layer``), or a new model input of shape ``other_input``.  ``twice``: the same
    layer object is applied again to its own output (a shared layer).  ``pair``: the layer
    returns two tensors of shape ``out`` (``Bidirectional(..., merge_mode=None)``).
    """

    layer: Call
    out: Dims | None
    kind: str = "single"
    other_layer: Call | None = None
    other_input: Dims | None = None
    twice: bool = False
    pair: bool = False


# --------------------------------------------------------------------------------------
# The generator's own rough shape arithmetic
# --------------------------------------------------------------------------------------


def conv_length(n: int | None, kernel: int, stride: int, dilation: int, padding: str) -> int | None:
    if n is None:
        return None
    if padding in ("same", "causal"):
        return math.ceil(n / stride)
    return (n - dilation * (kernel - 1) - 1) // stride + 1


def deconv_length(
    n: int | None, kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> int | None:
    if n is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        return n * stride if padding == "same" else n * stride + max(kernel - stride, 0)
    pad = kernel // 2 if padding == "same" else 0
    return (n - 1) * stride + kernel - 2 * pad + output_padding


def pool_length(n: int | None, pool: int, stride: int, padding: str) -> int | None:
    if n is None:
        return None
    return math.ceil(n / stride) if padding == "same" else (n - pool) // stride + 1


def known_product(dims: Dims) -> int | None:
    if any(d is None for d in dims):
        return None
    return math.prod(d for d in dims if d is not None)


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def _last(dims: Dims) -> int | None:
    return dims[-1] if dims else None


def _with_last(dims: Dims, value: int | None) -> Dims:
    return (*dims[:-1], value) if dims else (value,)


def _per_axis(rng: random.Random, values: Sequence[int]) -> object:
    """An int when every axis has the same value (sometimes a tuple anyway), else a tuple."""
    if len(set(values)) == 1 and (len(values) == 1 or rng.random() < 0.6):
        return values[0]
    return tuple(values) if rng.random() < 0.8 else list(values)


def builds_cleanly(step: Step) -> bool:
    """The rough shape model expects Keras to accept this layer, keep going, and stay fast:
    every axis at least one long, the last one defined, not too many elements."""
    out = step.out
    if out is None or not out or _last(out) is None:
        return False
    if any(d is not None and d <= 0 for d in out):
        return False
    return math.prod(d or 16 for d in out) <= MAX_SIZE


# --------------------------------------------------------------------------------------
# Layer makers: (rng, dims, fit) -> Step.  With ``fit`` the arguments are chosen so the
# layer accepts ``dims`` (as far as the rough shape model knows); without, they are drawn
# freely.  ``dims`` may have any rank when the layer was drawn regardless of it.
# --------------------------------------------------------------------------------------

Maker = Callable[[random.Random, Dims, bool], Step]


def make_dense(rng: random.Random, dims: Dims, fit: bool) -> Step:
    units = rng.choice([1, 2, 4, 8, 16, 32])
    last = _last(dims)
    if last is not None and rng.random() < 0.15:
        units = last  # keeps the shape: the layer may then be applied twice
    kwargs: dict[str, object] = {}
    if rng.random() < 0.3:
        kwargs["activation"] = rng.choice(["relu", "tanh", "softmax"])
    if rng.random() < 0.15:
        kwargs["use_bias"] = False
    out = _with_last(dims, units) if last is not None else None
    return Step(call(rng, "Dense", units, **kwargs), out)


def make_embedding(rng: random.Random, dims: Dims, fit: bool) -> Step:
    vocab, width = rng.choice([20, 50, 100]), rng.choice([4, 8, 16])
    kwargs: dict[str, object] = {"mask_zero": True} if rng.random() < 0.15 else {}
    return Step(call(rng, "Embedding", vocab, width, **kwargs), (*dims, width))


def _rnn(rng: random.Random) -> tuple[Call, int, bool]:
    cls = rng.choice(["SimpleRNN", "LSTM", "GRU"])
    units = rng.choice([2, 4, 8, 16])
    return_sequences = rng.random() < 0.5
    kwargs: dict[str, object] = {"return_sequences": True} if return_sequences else {}
    if rng.random() < 0.15:
        kwargs["use_bias"] = False
    if cls == "GRU" and rng.random() < 0.2:
        kwargs["reset_after"] = False
    return call(rng, cls, units, **kwargs), units, return_sequences


def _rnn_out(dims: Dims, units: int, return_sequences: bool) -> Dims | None:
    if len(dims) != 2 or dims[-1] is None:
        return None
    return (dims[0], units) if return_sequences else (units,)


def make_rnn(rng: random.Random, dims: Dims, fit: bool) -> Step:
    layer, units, return_sequences = _rnn(rng)
    return Step(layer, _rnn_out(dims, units, return_sequences))


def make_bidirectional(rng: random.Random, dims: Dims, fit: bool) -> Step:
    inner, units, return_sequences = _rnn(rng)
    mode = rng.choice(["concat", "sum", "mul", "ave", "default", "default", None])
    kwargs: dict[str, object] = {} if mode == "default" else {"merge_mode": mode}
    width = units * 2 if mode in ("concat", "default") else units
    layer = call(rng, "Bidirectional", inner, **kwargs)
    # merge_mode=None: the forward and backward outputs, as a list of two tensors.
    return Step(layer, _rnn_out(dims, width, return_sequences), pair=mode is None)


MERGES = ("Concatenate", "Add", "Multiply", "Average", "Subtract", "Maximum")


def make_list_merge(rng: random.Random, dims: Dims) -> Step:
    """A merge layer applied to the two tensors of a ``pair`` step."""
    cls = rng.choice(MERGES)
    out = _with_last(dims, 2 * dims[-1]) if cls == "Concatenate" and dims[-1] else dims
    return Step(call(rng, cls), out)


def make_time_distributed(rng: random.Random, dims: Dims, fit: bool) -> Step:
    options = ["Dense", "Flatten"]
    if len(dims) == 4 or not fit:
        options.append("Conv2D")
    if len(dims) == 4:
        # Not on other ranks: on a 4D input (batch, 16, 14, 2) Keras builds it, with a
        # meaningless (batch, 16, 14, 14, 2) output, and fails only when run on data.
        options.append("MaxPooling2D")
    inner_cls = rng.choice(options)
    inner_dims = dims[1:]
    if inner_cls == "Dense":
        inner = make_dense(rng, inner_dims, fit)
    elif inner_cls == "Flatten":
        inner = make_flatten(rng, inner_dims, fit)
    elif inner_cls == "Conv2D":
        inner = make_conv(rng, inner_dims, fit, 2, "Conv2D")
    else:
        inner = make_pooling(rng, inner_dims, fit, 2, "Max")
    out = (dims[0], *inner.out) if len(dims) >= 2 and inner.out is not None else None
    return Step(call(rng, "TimeDistributed", inner.layer), out)


def make_repeat_vector(rng: random.Random, dims: Dims, fit: bool) -> Step:
    n = rng.choice([2, 3, 5])
    return Step(call(rng, "RepeatVector", n), (n, *dims) if len(dims) == 1 else None)


def make_flatten(rng: random.Random, dims: Dims, fit: bool) -> Step:
    return Step(call(rng, "Flatten"), (known_product(dims),))


def make_reshape(rng: random.Random, dims: Dims, fit: bool) -> Step:
    total = known_product(dims)
    if total is None or total <= 0 or not fit:
        # Unknown size (or arguments drawn freely): any target, often of the wrong size.
        target: tuple[int, ...] = tuple(rng.choice([2, 3, 4, 6]) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.5:
            target = (-1, *target[1:])
        out: Dims | None = None
        if total is None and target[0] == -1 and len(target) > 1:
            out = (None, *target[1:])  # Keras leaves the -1 axis dynamic
        elif total is not None and -1 not in target and math.prod(target) == total:
            out = target
        return Step(call(rng, "Reshape", target), out)
    first = rng.choice(divisors(total))
    second = rng.choice(divisors(total // first))
    parts = [p for p in (first, second, total // first // second) if p != 1] or [total]
    if rng.random() < 0.2:
        parts.append(1)
    spelled: list[int] = list(parts)
    if rng.random() < 0.4:
        spelled[rng.randrange(len(spelled))] = -1
    return Step(call(rng, "Reshape", tuple(spelled)), tuple(parts))


def make_permute(rng: random.Random, dims: Dims, fit: bool) -> Step:
    rank = len(dims) if fit else rng.randint(2, 4)
    order = list(range(1, rank + 1))
    while rank > 1 and order == list(range(1, rank + 1)):
        rng.shuffle(order)
    out = tuple(dims[i - 1] for i in order) if rank == len(dims) else None
    return Step(call(rng, "Permute", tuple(order)), out)


def make_dropout(rng: random.Random, dims: Dims, fit: bool) -> Step:
    return Step(call(rng, "Dropout", rng.choice([0.1, 0.25, 0.5])), dims)


def _norm_axis(rng: random.Random, dims: Dims, fit: bool) -> tuple[object | None, bool]:
    """An ``axis`` argument (None: the default, -1) and whether its axes are all defined."""
    if rng.random() < 0.7 or not dims:
        return None, _last(dims) is not None
    axis = rng.randrange(len(dims))  # into the non-batch dims
    if fit:
        defined = [i for i, d in enumerate(dims) if d is not None]
        axis = rng.choice(defined) if defined else len(dims) - 1
    spelled = axis + 1 if rng.random() < 0.6 else axis - len(dims)
    return spelled, dims[axis] is not None


def make_batch_norm(rng: random.Random, dims: Dims, fit: bool) -> Step:
    axis, defined = _norm_axis(rng, dims, fit)
    kwargs: dict[str, object] = {} if axis is None else {"axis": axis}
    if rng.random() < 0.2:
        kwargs[rng.choice(["center", "scale"])] = False
    return Step(call(rng, "BatchNormalization", **kwargs), dims if defined else None)


def make_layer_norm(rng: random.Random, dims: Dims, fit: bool) -> Step:
    kwargs: dict[str, object] = {}
    defined = _last(dims) is not None
    if len(dims) >= 2 and rng.random() < 0.2 and None not in dims:
        kwargs["axis"] = list(range(len(dims) - 1, len(dims) + 1))  # the last two axes
    return Step(call(rng, "LayerNormalization", **kwargs), dims if defined else None)


def make_activation(rng: random.Random, dims: Dims, fit: bool) -> Step:
    return Step(call(rng, "Activation", rng.choice(["relu", "sigmoid", "tanh"])), dims)


@dataclass(frozen=True)
class Layout:
    """Where a spatial layer finds its axes: ``channels_last`` (Keras's default) or
    ``channels_first`` (spelled ``data_format="channels_first"``)."""

    channels_first: bool
    spatial: Dims  # the n spatial dims, None each when the rank does not fit
    channels: int | None
    fits: bool  # the input has the rank the layer wants

    def assemble(self, spatial: Sequence[int | None], channels: int | None) -> Dims:
        return (channels, *spatial) if self.channels_first else (*spatial, channels)

    def add_to(self, kwargs: dict[str, object]) -> None:
        if self.channels_first:
            kwargs["data_format"] = "channels_first"


def layout(rng: random.Random, dims: Dims, n: int, has_data_format: bool = True) -> Layout:
    """The layout of an n-D spatial layer's input, channels_first now and then (when the
    layer has a ``data_format`` argument: UpSampling1D and Cropping1D have none)."""
    first = has_data_format and rng.random() < P_CHANNELS_FIRST
    if len(dims) != n + 1:
        return Layout(first, (None,) * n, None, fits=False)
    if first:
        return Layout(first, dims[1:], dims[0], fits=True)
    return Layout(first, dims[:-1], dims[-1], fits=True)


def make_conv(rng: random.Random, dims: Dims, fit: bool, n: int, cls: str) -> Step:
    """Conv1D/2D/3D, their transposes, SeparableConv2D and DepthwiseConv2D."""
    axes = layout(rng, dims, n)
    transpose = cls.endswith("Transpose")
    causal_ok = cls == "Conv1D" and not axes.channels_first
    padding = rng.choice(["valid", "same"] + (["causal"] if causal_ok or not fit else []))
    strides, dilation = [1] * n, 1
    roll = rng.random()
    if roll < 0.3:
        strides = [rng.choice([1, 2, 3]) for _ in range(n)] if rng.random() < 0.4 else [2] * n
    elif roll < 0.45:
        dilation = 2
    if not fit and rng.random() < 0.15:  # strides and dilation together: Keras refuses
        strides, dilation = [2] * n, 2
    kernels = [rng.randint(1, 5) for _ in range(n)]
    if rng.random() < 0.6:
        kernels = [kernels[0]] * n
    if fit and padding == "valid" and not transpose:
        # The dilated kernel fits in every known axis.
        kernels = [
            k if size is None else max(1, min(k, (size - 1) // dilation + 1))
            for k, size in zip(kernels, axes.spatial, strict=True)
        ]
    args: list[object] = []
    kwargs: dict[str, object] = {}
    filters = rng.choice([2, 4, 8, 16])
    multiplier = rng.choice([1, 1, 2])
    if cls == "DepthwiseConv2D":
        kwargs["depth_multiplier"] = multiplier
    else:
        args.append(filters)
    args.append(_per_axis(rng, kernels))
    if strides != [1] * n:
        kwargs["strides"] = _per_axis(rng, strides)
    if padding != "valid" or rng.random() < 0.2:
        kwargs["padding"] = padding
    output_padding = None
    if transpose and max(strides) > 1 and rng.random() < 0.3:
        output_padding = rng.randint(0, min(strides) - 1) if fit else rng.randint(0, 2)
        kwargs["output_padding"] = output_padding
    if dilation != 1:
        kwargs["dilation_rate"] = dilation
    if cls == "SeparableConv2D" and multiplier != 1:
        kwargs["depth_multiplier"] = multiplier
    groups = 1
    if cls in ("Conv1D", "Conv2D", "Conv3D") and rng.random() < 0.1:
        channels = axes.channels or 1
        shared = [g for g in (2, 4) if filters % g == 0 and (not fit or channels % g == 0)]
        if shared:
            groups = rng.choice(shared)
            kwargs["groups"] = groups
    axes.add_to(kwargs)
    if rng.random() < 0.2:
        kwargs["activation"] = "relu"
    if rng.random() < 0.1:
        kwargs["use_bias"] = False
    layer = call(rng, cls, *args, **kwargs)
    if not axes.fits or axes.channels is None or axes.channels % groups:
        return Step(layer, None)
    if transpose:
        lengths = [
            deconv_length(size, k, s, dilation, padding, output_padding)
            for size, k, s in zip(axes.spatial, kernels, strides, strict=True)
        ]
    else:
        lengths = [
            conv_length(size, k, s, dilation, padding)
            for size, k, s in zip(axes.spatial, kernels, strides, strict=True)
        ]
    out_channels = axes.channels * multiplier if cls == "DepthwiseConv2D" else filters
    return Step(layer, axes.assemble(lengths, out_channels))


def make_conv_lstm(rng: random.Random, dims: Dims, fit: bool) -> Step:
    axes = layout(rng, dims[1:], 2)  # each time step is an image
    filters = rng.choice([2, 4, 8])
    padding = rng.choice(["valid", "same"])
    kernel = rng.randint(1, 3)
    if fit and padding == "valid":
        kernel = min([kernel, *(d for d in axes.spatial if d is not None)])
    return_sequences = rng.random() < 0.5
    kwargs: dict[str, object] = {"padding": padding} if padding != "valid" else {}
    if return_sequences:
        kwargs["return_sequences"] = True
    axes.add_to(kwargs)
    layer = call(rng, "ConvLSTM2D", filters, kernel, **kwargs)
    if len(dims) != 4 or None in dims[1:]:  # Keras needs static rows, columns and channels
        return Step(layer, None)
    image = axes.assemble([conv_length(d, kernel, 1, 1, padding) for d in axes.spatial], filters)
    return Step(layer, (dims[0], *image) if return_sequences else image)


def make_pooling(rng: random.Random, dims: Dims, fit: bool, n: int, op: str) -> Step:
    axes = layout(rng, dims, n)
    padding = rng.choice(["valid", "same"])
    pools = [rng.choice([1, 2, 2, 3]) for _ in range(n)]
    if rng.random() < 0.7:
        pools = [pools[0]] * n
    if fit and padding == "valid":
        pools = [p if d is None else min(p, d) for p, d in zip(pools, axes.spatial, strict=True)]
    args: list[object] = []
    kwargs: dict[str, object] = {}
    if pools != [2] * n or op == "Average" or rng.random() < 0.5:  # AveragePooling: no default
        args.append(_per_axis(rng, pools))
    strides = pools
    if rng.random() < 0.3:
        strides = [rng.choice([1, 2]) for _ in range(n)]
        kwargs["strides"] = _per_axis(rng, strides)
    if padding != "valid":
        kwargs["padding"] = padding
    axes.add_to(kwargs)
    layer = call(rng, f"{op}Pooling{n}D", *args, **kwargs)
    if not axes.fits:
        return Step(layer, None)
    lengths = [
        pool_length(d, p, s, padding) for d, p, s in zip(axes.spatial, pools, strides, strict=True)
    ]
    return Step(layer, axes.assemble(lengths, axes.channels))


def make_global_pooling(rng: random.Random, dims: Dims, fit: bool, n: int) -> Step:
    axes = layout(rng, dims, n)
    op = rng.choice(["Max", "Average"])
    keepdims = rng.random() < 0.25
    kwargs: dict[str, object] = {"keepdims": True} if keepdims else {}
    axes.add_to(kwargs)
    layer = call(rng, f"Global{op}Pooling{n}D", **kwargs)
    if not axes.fits:
        return Step(layer, None)
    return Step(layer, axes.assemble([1] * n, axes.channels) if keepdims else (axes.channels,))


def make_up_sampling(rng: random.Random, dims: Dims, fit: bool, n: int) -> Step:
    axes = layout(rng, dims, n, has_data_format=n > 1)
    sizes = [rng.choice([2, 3]) for _ in range(n)]
    if rng.random() < 0.5:
        sizes = [sizes[0]] * n
    kwargs: dict[str, object] = {}
    axes.add_to(kwargs)
    layer = call(rng, f"UpSampling{n}D", _per_axis(rng, sizes) if n > 1 else sizes[0], **kwargs)
    if not axes.fits:
        return Step(layer, None)
    spatial = [None if d is None else d * s for d, s in zip(axes.spatial, sizes, strict=True)]
    return Step(layer, axes.assemble(spatial, axes.channels))


def _edges(rng: random.Random, n: int, top: Sequence[int]) -> tuple[list[tuple[int, int]], object]:
    """Per-axis (before, after) amounts, each at most ``top[axis]``, and their spelling:
    an int (all equal), an (a, b) pair (1D: before and after; 2D: rows and columns, each
    symmetric) or a tuple of pairs."""
    roll = rng.random()
    if roll < 0.3:
        amount = rng.randint(1, max(1, min(top)))
        return [(amount, amount)] * n, amount
    if roll < 0.55 and n == 2:
        rows, cols = rng.randint(0, top[0]), rng.randint(0, top[1])
        return [(rows, rows), (cols, cols)], (rows, cols)
    edges = [(rng.randint(0, t), rng.randint(0, t)) for t in top]
    return edges, edges[0] if n == 1 else tuple(edges)


def make_zero_padding(rng: random.Random, dims: Dims, fit: bool, n: int) -> Step:
    axes = layout(rng, dims, n)
    edges, spelled = _edges(rng, n, [2] * n)
    kwargs: dict[str, object] = {}
    axes.add_to(kwargs)
    layer = call(rng, f"ZeroPadding{n}D", spelled, **kwargs)
    if not axes.fits:
        return Step(layer, None)
    spatial = [
        None if d is None else d + a + b for d, (a, b) in zip(axes.spatial, edges, strict=True)
    ]
    return Step(layer, axes.assemble(spatial, axes.channels))


def make_cropping(rng: random.Random, dims: Dims, fit: bool, n: int) -> Step:
    axes = layout(rng, dims, n, has_data_format=n > 1)
    top = [3 if d is None or not fit else min(3, max(0, (d - 1) // 2)) for d in axes.spatial]
    edges, spelled = _edges(rng, n, top)
    if not fit and rng.random() < 0.3:  # crop everything away
        edges, spelled = [(8, 8)] * n, 8
    kwargs: dict[str, object] = {}
    axes.add_to(kwargs)
    layer = call(rng, f"Cropping{n}D", spelled, **kwargs)
    if not axes.fits:
        return Step(layer, None)
    spatial = [
        None if d is None else d - a - b for d, (a, b) in zip(axes.spatial, edges, strict=True)
    ]
    return Step(layer, axes.assemble(spatial, axes.channels))


# Merges and attention (functional style only) -------------------------------------------


def _other_input(rng: random.Random, dims: Dims, fit: bool, axis: int | None) -> Dims:
    """Dims for a second model input: equal to ``dims`` except along ``axis`` (an index into
    the non-batch dims, or None) when fitting; otherwise perturbed at random."""
    other = list(dims)
    if axis is not None and other:
        other[axis] = rng.choice([2, 4, 8])
    if not fit:
        roll = rng.random()
        if roll < 0.4 and other:
            other[rng.randrange(len(other))] = rng.choice([1, 3, 5, 7])
        elif roll < 0.6:
            other = [*other, 2] if len(other) < 4 else other[:-1]
    return tuple(other)


def _branch(rng: random.Random, dims: Dims, fit: bool, last: int | None) -> tuple[Call, Dims]:
    """A layer applied to ``x`` for the other operand, ending in ``last`` channels."""
    units = last if last is not None else rng.choice([2, 4, 8])
    if not fit:
        units = rng.choice([1, 3, 5, units])
    if len(dims) in (2, 3) and rng.random() < 0.5:
        cls = "Conv1D" if len(dims) == 2 else "Conv2D"
        return call(rng, cls, units, rng.choice([1, 3]), padding="same"), _with_last(dims, units)
    return call(rng, "Dense", units), _with_last(dims, units)


def make_merge(rng: random.Random, dims: Dims, fit: bool) -> Step:
    cls = rng.choice(MERGES)
    kwargs: dict[str, object] = {}
    axis: int | None = None  # the concatenation axis, into the non-batch dims
    if cls == "Concatenate":
        axis = len(dims) - 1
        if len(dims) >= 2 and rng.random() < 0.3:
            axis = rng.randrange(len(dims))
            kwargs["axis"] = axis + 1 if rng.random() < 0.5 else axis - len(dims)
    layer = call(rng, cls, **kwargs)
    if axis == len(dims) - 1 and rng.random() < 0.6:
        branch, other = _branch(rng, dims, fit, rng.choice([2, 4, 8]))
        return Step(layer, _merge_out(dims, other, axis), "merge", other_layer=branch)
    if axis is None and rng.random() < 0.6:
        branch, other = _branch(rng, dims, fit, _last(dims))
        return Step(layer, _merge_out(dims, other, axis), "merge", other_layer=branch)
    other = _other_input(rng, dims, fit, axis)
    return Step(layer, _merge_out(dims, other, axis), "merge", other_input=other)


def _merge_out(a: Dims, b: Dims, axis: int | None) -> Dims | None:
    """Concatenation along ``axis``, or elementwise (broadcasting ones) when None."""
    if len(a) != len(b):
        return None
    if axis is not None:
        if any(x != y for i, (x, y) in enumerate(zip(a, b, strict=True)) if i != axis):
            return None
        x, y = a[axis], b[axis]
        return (*a[:axis], None if x is None or y is None else x + y, *a[axis + 1 :])
    out: list[int | None] = []
    for x, y in zip(a, b, strict=True):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            return None
    return tuple(out)


def make_multi_head_attention(rng: random.Random, dims: Dims, fit: bool) -> Step:
    heads, key_dim = rng.choice([1, 2, 4]), rng.choice([2, 4, 8])
    kwargs: dict[str, object] = {}
    if rng.random() < 0.2:
        kwargs["value_dim"] = rng.choice([2, 3, 6])
    out = dims
    if rng.random() < 0.2:
        width = rng.choice([4, 10])
        kwargs["output_shape"] = width
        out = _with_last(dims, width)
    if rng.random() < 0.1:
        kwargs["use_bias"] = False
    if len(dims) >= 3 and rng.random() < 0.3:  # attend over some of the inner axes only
        axes = sorted(rng.sample(range(1, len(dims)), rng.randint(1, len(dims) - 1)))
        kwargs["attention_axes"] = axes[0] if len(axes) == 1 and rng.random() < 0.5 else tuple(axes)
    layer = call(rng, "MultiHeadAttention", heads, key_dim, **kwargs)
    roll = rng.random()
    if roll < 0.4:
        return Step(layer, out, "mha")  # self-attention: x attends to x
    if roll < 0.7:
        branch, _ = _branch(rng, dims, True, None)
        return Step(layer, out, "mha", other_layer=branch)
    other = _other_input(rng, dims, fit, len(dims) - 1)
    if len(dims) == 2 and fit:  # any number of value steps
        other = (rng.choice([None, 3, 5]), other[-1])
    return Step(layer, out, "mha", other_input=other)


def make_attention(rng: random.Random, dims: Dims, fit: bool) -> Step:
    kwargs: dict[str, object] = {}
    if rng.random() < 0.2:
        kwargs["use_scale"] = True
    if rng.random() < 0.15:
        kwargs["score_mode"] = "concat"
    layer = call(rng, "Attention", **kwargs)
    if rng.random() < 0.4:
        return Step(layer, dims, "attention")
    if rng.random() < 0.5:
        branch, other = _branch(rng, dims, fit, _last(dims))
        return Step(layer, _with_last(dims, other[-1]), "attention", other_layer=branch)
    other = _other_input(rng, dims, fit, None)
    if len(dims) == 2 and fit:
        other = (rng.choice([None, 3, 5]), _last(dims))
    out = (dims[0], other[-1]) if len(other) == len(dims) == 2 else None
    return Step(layer, out, "attention", other_input=other)


# The catalogue of makers ---------------------------------------------------------------


@dataclass(frozen=True)
class LayerKind:
    name: str
    ranks: tuple[int, ...]  # non-batch ranks the layer is meant for
    make: Maker
    functional_only: bool = False
    tokens_only: bool = False  # picked to fit only as the first layer after token ids


def _n(fn: Callable[..., Step], *extra: object) -> Maker:
    return lambda rng, dims, fit: fn(rng, dims, fit, *extra)


LAYER_KINDS: tuple[LayerKind, ...] = (
    LayerKind("Dense", (1, 2, 3, 4), make_dense),
    LayerKind("Embedding", (1,), make_embedding, tokens_only=True),
    LayerKind("RNN", (2,), make_rnn),
    LayerKind("Bidirectional", (2,), make_bidirectional),
    LayerKind("TimeDistributed", (2, 3, 4), make_time_distributed),
    LayerKind("RepeatVector", (1,), make_repeat_vector),
    LayerKind("Flatten", (1, 2, 3, 4), make_flatten),
    LayerKind("Reshape", (1, 2, 3, 4), make_reshape),
    LayerKind("Permute", (2, 3, 4), make_permute),
    LayerKind("Dropout", (1, 2, 3, 4), make_dropout),
    LayerKind("BatchNormalization", (1, 2, 3, 4), make_batch_norm),
    LayerKind("LayerNormalization", (1, 2, 3, 4), make_layer_norm),
    LayerKind("Activation", (1, 2, 3, 4), make_activation),
    LayerKind("Conv1D", (2,), _n(make_conv, 1, "Conv1D")),
    LayerKind("Conv2D", (3,), _n(make_conv, 2, "Conv2D")),
    LayerKind("Conv3D", (4,), _n(make_conv, 3, "Conv3D")),
    LayerKind("Conv1DTranspose", (2,), _n(make_conv, 1, "Conv1DTranspose")),
    LayerKind("Conv2DTranspose", (3,), _n(make_conv, 2, "Conv2DTranspose")),
    LayerKind("SeparableConv2D", (3,), _n(make_conv, 2, "SeparableConv2D")),
    LayerKind("DepthwiseConv2D", (3,), _n(make_conv, 2, "DepthwiseConv2D")),
    LayerKind("ConvLSTM2D", (4,), make_conv_lstm),
    LayerKind("MaxPooling1D", (2,), _n(make_pooling, 1, "Max")),
    LayerKind("AveragePooling1D", (2,), _n(make_pooling, 1, "Average")),
    LayerKind("MaxPooling2D", (3,), _n(make_pooling, 2, "Max")),
    LayerKind("AveragePooling2D", (3,), _n(make_pooling, 2, "Average")),
    LayerKind("MaxPooling3D", (4,), _n(make_pooling, 3, "Max")),
    LayerKind("AveragePooling3D", (4,), _n(make_pooling, 3, "Average")),
    LayerKind("GlobalPooling1D", (2,), _n(make_global_pooling, 1)),
    LayerKind("GlobalPooling2D", (3,), _n(make_global_pooling, 2)),
    LayerKind("GlobalPooling3D", (4,), _n(make_global_pooling, 3)),
    LayerKind("UpSampling1D", (2,), _n(make_up_sampling, 1)),
    LayerKind("UpSampling2D", (3,), _n(make_up_sampling, 2)),
    LayerKind("ZeroPadding1D", (2,), _n(make_zero_padding, 1)),
    LayerKind("ZeroPadding2D", (3,), _n(make_zero_padding, 2)),
    LayerKind("Cropping1D", (2,), _n(make_cropping, 1)),
    LayerKind("Cropping2D", (3,), _n(make_cropping, 2)),
    LayerKind("Merge", (1, 2, 3, 4), make_merge, functional_only=True),
    LayerKind("MultiHeadAttention", (1, 2, 3, 4), make_multi_head_attention, functional_only=True),
    LayerKind("Attention", (2,), make_attention, functional_only=True),
)


# --------------------------------------------------------------------------------------
# Choosing a stack
# --------------------------------------------------------------------------------------


def random_input(rng: random.Random, kind: str) -> Dims:
    def maybe_none(value: int) -> int | None:
        return None if rng.random() < 0.2 else value

    if kind == "vector":
        return (rng.choice([3, 4, 8, 12, 16]),)
    if kind == "sequence":
        return (maybe_none(rng.randint(4, 12)), rng.choice([3, 4, 8, 16]))
    if kind == "image":
        side = rng.choice([8, 12, 16, 28])
        return (maybe_none(side), maybe_none(rng.choice([side, side - 2])), rng.choice([1, 3, 4]))
    if kind == "video":
        side = rng.choice([6, 8, 12])
        return (
            maybe_none(rng.randint(3, 6)),
            maybe_none(side),
            maybe_none(side),
            rng.choice([1, 3]),
        )
    return (maybe_none(rng.randint(4, 12)),)  # token ids


@dataclass
class StackBuilder:
    rng: random.Random
    functional: bool
    steps: list[Step] = field(default_factory=list)

    def candidates(self, dims: Dims | None, first_after_tokens: bool) -> list[LayerKind]:
        allowed = [k for k in LAYER_KINDS if self.functional or not k.functional_only]
        if dims is None:
            return allowed
        if first_after_tokens:
            return [k for k in allowed if k.name == "Embedding"]
        return [k for k in allowed if len(dims) in k.ranks and not k.tokens_only]

    def grow(self, dims: Dims, tokens: bool, count: int) -> None:
        current: Dims | None = dims
        for index in range(count):
            first_after_tokens = tokens and index == 0 and self.rng.random() < 0.95
            if self.steps and self.steps[-1].pair and current is not None:
                step = make_list_merge(self.rng, current)  # the pair, merged into one
            else:
                step = self.next_step(current, first_after_tokens)
            if self.functional and step.kind == "single" and step.out == current and not step.pair:
                # A layer that keeps the shape may be shared: applied twice, weights once.
                step = replace(step, twice=self.rng.random() < 0.15)
            self.steps.append(step)
            current = step.out
            if current is not None and any(d is not None and d <= 0 for d in current):
                current = None  # an emptied axis: Keras refuses this, lose track

    def next_step(self, dims: Dims | None, first_after_tokens: bool) -> Step:
        roll = self.rng.random()
        fitting = self.candidates(dims, first_after_tokens)
        if dims is None or roll < P_ANY_LAYER or not fitting:
            kind = self.rng.choice(self.candidates(None, False))
            return kind.make(self.rng, dims or (8,), False)
        loose = roll < P_ANY_LAYER + P_LOOSE_ARGS
        # The arguments drawn may still empty an axis or leave the last one undefined, which
        # a model meant to build avoids: try a few fitting kinds.
        for _ in range(20):
            step = self.rng.choice(fitting).make(self.rng, dims, not loose)
            if loose or builds_cleanly(step):
                return step
        return make_dropout(self.rng, dims, True)


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputSpec:
    dims: Dims
    dtype: str | None = None
    batch_size: int | None = None
    spelling: str = "shape"  # "shape", "positional", "batch_shape", "input_shape" (1st layer)


@dataclass
class Renderer:
    """Turns an input and a list of steps into source, in one code and import style."""

    rng: random.Random
    code_style: str
    import_style: str
    main_input: InputSpec
    steps: list[Step]
    used: set[str] = field(default_factory=set)
    fresh: bool = False  # h1, h2... instead of reusing x
    named: bool = False  # layers bound to names first: layer3 = Dense(...)

    def __post_init__(self) -> None:
        # Where Input, Model and Sequential come from, per import style.
        spelled_out = self.import_style == "import keras"
        self.input_ns = self.rng.choice(["keras", "keras.layers"]) if spelled_out else "keras"
        self.models_ns = self.rng.choice(["keras", "keras.models"]) if spelled_out else "keras"
        self.from_models = self.rng.choice(["keras", "keras.models"])

    def qualify(self, cls: str) -> str:
        self.used.add(cls)
        if self.import_style == "from keras import layers":
            return f"layers.{cls}"
        if self.import_style == "import keras":
            return f"keras.layers.{cls}"
        return cls

    def qualify_top(self, name: str) -> str:
        """``Input``, ``Model`` or ``Sequential``."""
        if self.import_style == "from keras.layers import ...":
            self.used.add(name)
            return name
        return f"{self.input_ns if name == 'Input' else self.models_ns}.{name}"

    def new_input(self, spec: InputSpec) -> str:
        shape = repr(tuple(spec.dims))
        if spec.spelling == "batch_shape":
            args = [f"batch_shape={(spec.batch_size, *spec.dims)!r}"]
        else:
            args = [shape if spec.spelling == "positional" else f"shape={shape}"]
            if spec.batch_size is not None:
                args.append(f"batch_size={spec.batch_size}")
        if spec.dtype:
            args.append(f"dtype={spec.dtype!r}")
        return f"{self.qualify_top('Input')}({', '.join(args)})"

    def render(self) -> str:
        body = {
            "sequential-list": self.sequential_list,
            "sequential-add": self.sequential_add,
            "functional": self.functional,
        }[self.code_style]()
        return "\n".join([*self.header(), "", *body, ""])

    def header(self) -> list[str]:
        if self.import_style == "from keras import layers":
            return ["import keras", "from keras import layers"]
        if self.import_style == "import keras":
            return ["import keras"]
        top = sorted(self.used & {"Model", "Sequential"})
        lines = [f"from keras.layers import {', '.join(sorted(self.used - set(top)))}"]
        if top:
            lines.insert(0, f"from {self.from_models} import {', '.join(top)}")
        return lines

    def sequential_layers(self) -> list[str]:
        """The layers of a Sequential model, the input first (or on the first layer)."""
        if self.main_input.spelling == "input_shape" and self.steps:
            first = self.steps[0].layer.with_kwarg("input_shape", self.main_input.dims)
            rest = [step.layer for step in self.steps[1:]]
            return [layer.render(self.qualify) for layer in (first, *rest)]
        items = [self.new_input(self.main_input)]
        return items + [step.layer.render(self.qualify) for step in self.steps]

    def sequential_list(self) -> list[str]:
        inner = "".join(f"        {item},\n" for item in self.sequential_layers())
        keyword = "layers=" if self.rng.random() < 0.15 else ""
        name = ', name="generated"' if self.rng.random() < 0.1 else ""
        sequential = self.qualify_top("Sequential")
        return [f"model = {sequential}(\n    {keyword}[\n{inner}    ]{name}\n)"]

    def sequential_add(self) -> list[str]:
        lines = [f"model = {self.qualify_top('Sequential')}()"]
        return lines + [f"model.add({item})" for item in self.sequential_layers()]

    def merge_call(self, step: Step, operands: str, layer: str) -> str:
        """``Concatenate(...)(operands)``, or now and then the function form that Keras also
        offers, ``concatenate(operands, ...)``."""
        if step.layer.cls not in MERGES or layer != step.layer.render(self.qualify):
            return f"{layer}({operands})"
        if self.rng.random() < 0.25:
            function = Call(step.layer.cls.lower(), (operands,), step.layer.kwargs)
            return function.render(self.qualify)
        return f"{layer}({operands})"

    def functional(self) -> list[str]:
        lines = [f"inputs = {self.new_input(self.main_input)}"]
        input_names = ["inputs"]
        current = "inputs"
        self.fresh = self.rng.random() < 0.3
        self.named = self.rng.random() < 0.3
        for index, step in enumerate(self.steps, start=1):
            current = self.apply_step(index, step, current, lines, input_names)
        return lines + self.model_line(input_names, current)

    def apply_step(
        self, index: int, step: Step, current: str, lines: list[str], input_names: list[str]
    ) -> str:
        """Appends the lines that apply ``step`` to the tensor named ``current``; returns the
        name of the result."""
        target = f"h{index}" if self.fresh else "x"
        layer = step.layer.render(self.qualify)
        if self.named or step.twice:
            lines.append(f"layer{index} = {layer}")
            layer = f"layer{index}"
        if step.pair and index < len(self.steps) and self.rng.random() < 0.4:
            forward, backward = f"forward{index}", f"backward{index}"
            lines.append(f"{forward}, {backward} = {layer}({current})")
            return f"[{forward}, {backward}]"
        if step.kind == "single":
            applied = self.merge_call(step, current, layer)
            lines.append(
                f"{target} = {layer}({applied})" if step.twice else f"{target} = {applied}"
            )
            return target
        other = current
        if step.other_layer is not None:
            other = f"branch{index}"
            lines.append(f"{other} = {step.other_layer.render(self.qualify)}({current})")
        elif step.other_input is not None:
            other = f"extra{index}"
            input_names.append(other)
            lines.append(f"{other} = {self.new_input(InputSpec(step.other_input))}")
        if step.kind != "mha":
            lines.append(f"{target} = {self.merge_call(step, f'[{current}, {other}]', layer)}")
        elif self.rng.random() < 0.3:
            lines.append(f"{target} = {layer}(query={current}, value={other})")
        else:
            lines.append(f"{target} = {layer}({current}, {other})")
        return target

    def model_line(self, input_names: list[str], current: str) -> list[str]:
        model_inputs = input_names[0] if len(input_names) == 1 else f"[{', '.join(input_names)}]"
        arguments = f"{model_inputs}, {current}"
        if self.rng.random() < 0.2:
            arguments = f"inputs={model_inputs}, outputs={current}"
        if self.rng.random() < 0.1:
            arguments += ', name="generated"'
        return [f"model = {self.qualify_top('Model')}({arguments})"]


def random_input_spec(rng: random.Random, kind: str, sequential: bool) -> InputSpec:
    dims = random_input(rng, kind)
    dtype = "int32" if kind == "tokens" else None
    roll = rng.random()
    if roll < 0.08:
        return InputSpec(dims, dtype, batch_size=rng.choice([1, 4]))
    if roll < 0.12:
        return InputSpec(dims, dtype, batch_size=rng.choice([1, 4]), spelling="batch_shape")
    if roll < 0.22:
        return InputSpec(dims, dtype, spelling="positional")
    if roll < 0.32 and sequential and kind != "tokens":
        return InputSpec(dims, spelling="input_shape")
    return InputSpec(dims, dtype)


def generate(seed: int) -> Program:
    """The model program for ``seed``: the same seed always gives the same source."""
    rng = random.Random(seed)
    code_style = rng.choices(CODE_STYLES, weights=[3, 2, 5])[0]
    import_style = rng.choice(IMPORT_STYLES)
    input_kind = rng.choice(INPUT_KINDS)
    functional = code_style == "functional"
    spec = random_input_spec(rng, input_kind, sequential=not functional)
    builder = StackBuilder(rng, functional)
    builder.grow(spec.dims, tokens=input_kind == "tokens", count=rng.randint(1, MAX_LAYERS))
    from differential.structures import structured_renderer  # it builds on this module

    renderer = Renderer(rng, code_style, import_style, spec, builder.steps)
    source = structured_renderer(seed, renderer, input_kind).render()
    layers = tuple(step.layer.cls for step in builder.steps)
    return Program(seed, source, code_style, import_style, input_kind, layers)


if __name__ == "__main__":
    import sys

    for arg in sys.argv[1:] or ["0"]:
        print(f"# seed {arg}\n{generate(int(arg)).source}")
