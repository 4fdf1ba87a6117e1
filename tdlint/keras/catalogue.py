"""The layer catalogue: one small declarative entry per Keras layer.

Each entry says, in the spirit of Keras's own ``compute_output_shape``:

* which arguments the layer takes, in positional order, with defaults and the Keras 1
  spellings that older code uses (``output_dim``, ``nb_filter``, ``border_mode``...);
* which input ranks it accepts;
* how its output shape follows from its input shape;
* how many parameters it has, as ``count_params()`` counts them.

Adding a layer means adding one class to a module under ``tdlint.keras.layers`` and a test.
Entry methods may assume well-formed input; anything they raise is caught by the caller and
turns the result into *unknown* (never a crash, never a finding).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tdlint.keras.shapes import UNKNOWN, Shape, is_known, is_unknown
from tdlint.keras.versions import Line

# Keyword arguments every Keras layer accepts (base ``Layer.__init__``), current and legacy.
BASE_LAYER_ARGS = frozenset(
    {
        "name",
        "dtype",
        "trainable",
        "input_shape",
        "batch_input_shape",
        "batch_size",
        "input_dim",
        "weights",
        "autocast",
        "input_dtype",
    }
)

OutputShape = Shape | list[Shape | None] | None


class LayerShapeError(ValueError):
    """Raised by an entry when Keras itself would refuse these shapes at build time.

    ``kind`` names the family of mistake (``merge``, ``reshape``...), which the rules read.
    Any other exception from an entry only means "unknown"."""

    kind = "shape"

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


@dataclass(frozen=True)
class RankSpec:
    """The input ranks (batch axis included) a layer accepts; ``None`` bounds are open."""

    min: int | None = None
    max: int | None = None

    def accepts(self, rank: int) -> bool:
        return (self.min is None or rank >= self.min) and (self.max is None or rank <= self.max)

    @classmethod
    def exactly(cls, rank: int) -> RankSpec:
        return cls(rank, rank)

    def describe(self) -> str:
        if self.min == self.max and self.min is not None:
            return f"{self.min}D"
        if self.max is None and self.min is not None:
            return f"at least {self.min}D"
        return f"{self.min}D to {self.max}D"


ANY_RANK = RankSpec()


@dataclass(frozen=True)
class Args:
    """A layer call's arguments, bound to their current (Keras 3) names.

    Values are Python constants when tdlint knows them statically, ``UNKNOWN`` otherwise,
    or analysis objects (a wrapped layer).  Missing arguments read as the entry's default.
    """

    values: Mapping[str, Any]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    # Keras 1 keyword names the call used, mapped to the current name.
    legacy_names: Mapping[str, str] = field(default_factory=dict)
    # Keyword names the catalogue does not know for this layer.
    unknown_names: tuple[str, ...] = ()
    # Set when the call has *args / **kwargs we cannot see into.
    has_star_args: bool = False
    # The image data format a layer without ``data_format=`` gets: Keras reads it from the
    # user's keras.json, which tdlint cannot see. ``channels_last`` is Keras 2/3's default;
    # Keras 1 code (Theano's 'th' was common) and files that set the format make it unknown.
    default_data_format: Any = "channels_last"
    # Positional arguments that fit no signature tdlint knows (Keras 0.x's
    # ``Dense(input_dim, output_dim)``, ``LSTM(input_dim, output_dim)``): shapes are unknown.
    foreign_signature: bool = False

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.values:
            return self.values[name]
        if self.has_star_args:
            return UNKNOWN  # the missing argument may hide in *args/**kwargs
        return self.defaults.get(name, default)

    def int(self, name: str) -> int | Any:
        """An int argument, or an unknown (keeping its origin) when it is not a known int."""
        value = self.get(name)
        return value if is_known(value) or is_unknown(value) else UNKNOWN

    def flag(self, name: str) -> bool | Any:
        """A bool argument, or ``UNKNOWN`` when it is not a literal bool."""
        value = self.get(name)
        return value if isinstance(value, bool) else UNKNOWN

    def ints(self, name: str, n: int) -> tuple[Any, ...]:
        """An int-or-tuple argument (``kernel_size=3`` or ``(3, 3)``) as an n-tuple."""
        value = self.get(name)
        if is_known(value):
            return (value,) * n
        if isinstance(value, (tuple, list)) and len(value) == n:
            return tuple(v if is_known(v) or is_unknown(v) else UNKNOWN for v in value)
        return ((value if is_unknown(value) else UNKNOWN),) * n

    def text(self, name: str) -> str | Any:
        value = self.get(name)
        return value.lower() if isinstance(value, str) else UNKNOWN


class LayerSpec:
    """Base class of catalogue entries. Subclasses override only what differs."""

    name: ClassVar[str] = ""
    # Other names of the same layer (Keras 1/2 spellings, short forms).
    aliases: ClassVar[tuple[str, ...]] = ()
    # Positional order of the current signature.
    params: ClassVar[tuple[str, ...]] = ()
    # Positional order under Keras 1, when the call is recognisably Keras 1 style.
    keras1_params: ClassVar[tuple[str, ...] | None] = None
    defaults: ClassVar[dict[str, Any]] = {}
    # Keras 1 keyword -> current keyword.
    renames: ClassVar[dict[str, str]] = {}
    # Further keywords the layer accepts whose values do not matter for shapes.
    other_args: ClassVar[frozenset[str]] = frozenset()
    # Category flags that rules read.
    shape_preserving: ClassVar[bool] = False
    is_rnn: ClassVar[bool] = False
    is_wrapper: ClassVar[bool] = False
    # Takes a list of tensors (merge layers): ``Add()([a, b])``.
    multi_input: ClassVar[bool] = False
    # Takes several tensor arguments: ``MultiHeadAttention()(query, value, key=...)``.
    call_inputs: ClassVar[tuple[str, ...]] = ("inputs",)
    legacy: ClassVar[bool] = False  # removed from current Keras
    # Conv, pooling and cropping: Keras refuses an output axis of size zero or less.
    shrinks_spatial: ClassVar[bool] = False
    # A tensor op (``keras.ops.mean``, ``x + y``: tdlint.keras.ops), not a layer.
    is_op: ClassVar[bool] = False
    # How far ``weight_shapes`` holds for Keras 1: "same"; "sizes" (the first weight, the
    # kernel, has as many values laid out otherwise: by ``dim_ordering``); "other".
    keras1_weights: ClassVar[str] = "same"

    def defaults_for(self, lines: frozenset[Line]) -> Mapping[str, Any]:
        """The defaults of the Keras lines the code may run on: where they disagree, the
        argument's value is unknown."""
        return self.defaults

    def input_rank(self, args: Args) -> RankSpec:
        return ANY_RANK

    def output_shape(self, args: Args, x: Any) -> OutputShape:
        """Output shape for a known input shape (a list of shapes for merge layers)."""
        return x if self.shape_preserving else None

    def output_shape_unknown_input(self, args: Args) -> OutputShape:
        """Output for an input whose rank is unknown: often the rank is still certain."""
        return None

    def count_params(self, args: Args, x: Any) -> int | Any:
        return 0

    def weight_shapes(self, args: Args, x: Any) -> list[Shape] | None:
        """The shapes of the layer's weights in ``get_weights()`` order (what ``weights=[...]``
        must match), for input shape ``x`` (None if unknown); None where the catalogue does
        not model them. Dims may be unknown; their sizes add up to ``count_params``."""
        return None

    def declared_input_shape(self, args: Args) -> Shape | None:
        """The model input shape a first layer declares (``input_shape=``...), batch included."""
        batch_shape = args.get("batch_input_shape")
        if isinstance(batch_shape, (tuple, list)):
            return tuple(_dim(v) for v in batch_shape)
        shape = args.get("input_shape")
        batch = args.get("batch_size")
        batch_dim = batch if is_known(batch) else None
        if isinstance(shape, (tuple, list)):
            return (batch_dim, *(_dim(v) for v in shape))
        if is_known(shape):
            return (batch_dim, shape)
        dim = args.get("input_dim")
        if dim is not None and "input_dim" in self.shape_args():
            return (batch_dim, _dim(dim))
        return None

    def shape_args(self) -> frozenset[str]:
        """Which base arguments declare an input shape for this layer."""
        return frozenset({"input_shape", "batch_input_shape", "input_dim"})

    def accepted_args(self) -> frozenset[str]:
        return frozenset(self.params) | self.other_args | BASE_LAYER_ARGS | set(self.defaults)

    def normalize(self, values: dict[str, Any]) -> dict[str, Any]:
        """Hook for Keras 1 argument groups that map to one current argument."""
        return values


def _dim(value: Any) -> Any:
    return value if value is None or is_known(value) or is_unknown(value) else UNKNOWN


_REGISTRY: dict[str, LayerSpec] = {}


def register(cls: type[LayerSpec]) -> type[LayerSpec]:
    """Class decorator: add an entry to the catalogue under its name and aliases."""
    spec = cls()
    for key in (cls.name, *cls.aliases):
        if key in _REGISTRY:
            raise ValueError(f"layer {key!r} registered twice")
        _REGISTRY[key] = spec
    return cls


def lookup(name: str) -> LayerSpec | None:
    _load_layers()
    return _REGISTRY.get(name)


def all_layer_names() -> frozenset[str]:
    _load_layers()
    return frozenset(_REGISTRY)


_loaded = False


def _load_layers() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from tdlint.keras import layers  # noqa: F401  (registers the entries)


def bind(
    spec: LayerSpec,
    positional: list[Any],
    keywords: dict[str, Any],
    *,
    keras1_style: bool = False,
    has_star_args: bool = False,
    default_data_format: Any = "channels_last",
    defaults: Mapping[str, Any] | None = None,
) -> Args:
    """Bind call arguments to the entry's current argument names."""
    order = spec.keras1_params if keras1_style and spec.keras1_params else spec.params
    values: dict[str, Any] = {}
    for name, value in zip(order, positional, strict=False):
        values[name] = value
    if len(positional) > len(order):
        has_star_args = True  # more positionals than we model: be conservative
    legacy: dict[str, str] = {}
    unknown: list[str] = []
    accepted = spec.accepted_args()
    for name, value in keywords.items():
        current = spec.renames.get(name, name)
        if current != name:
            legacy[name] = current
        elif name not in accepted:
            unknown.append(name)
        values[current] = value
    # A number where every Keras since 1.0 takes an activation (a name or a function): the
    # call follows another signature, and no argument can be trusted.
    foreign = any(
        name in _ACTIVATION_PARAMS and isinstance(value, (int, float)) and value is not True
        and value is not False
        for name, value in zip(order, positional, strict=False)
    )  # fmt: skip
    values = spec.normalize(values)
    return Args(
        values=values,
        defaults=spec.defaults if defaults is None else defaults,
        legacy_names=legacy,
        unknown_names=tuple(unknown),
        has_star_args=has_star_args,
        default_data_format=default_data_format,
        foreign_signature=foreign,
    )


_ACTIVATION_PARAMS = frozenset({"activation", "recurrent_activation", "inner_activation"})
