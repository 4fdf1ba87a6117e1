"""Calls into ``keras.applications``: a backbone constructor (``ResNet50V2(...)``) makes a
functional model, and a family's ``preprocess_input(x)`` a tensor of the same shape.

The backbone model is one layer, a ``BackboneSpec`` from ``tdlint.keras.applications``,
applied to the model's input: the input the constructor makes from ``input_shape``, or the
``input_tensor`` it is given (the model then starts at that tensor's own inputs, as in
Keras). Everything else follows from it being an ordinary model: ``base(x)`` re-runs it on
``x``, ``base.output`` and ``base.input`` build heads on it, ``Sequential([base, ...])``
nests it.

The interpreter calls ``call_application`` for any call of a ``keras.applications`` path;
nothing else here depends on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Layer, Tensor
from tdlint.keras import applications, names
from tdlint.keras.catalogue import bind

if TYPE_CHECKING:
    from tdlint.analysis.building import ModelBuilder


def call_application(
    builder: ModelBuilder,
    path: str,
    positional: list[Any],
    keywords: dict[str, Any],
    star: bool,
    node: cst.Call,
) -> Any:
    """What calling ``path`` (a ``keras.applications`` path) gives, or None when tdlint knows
    nothing of it (``decode_predictions``, a model it has no entry for)."""
    keras_path = names.canonical(path)
    if keras_path is None:
        return None
    module, _, name = keras_path.rpartition(".")
    if applications.is_preprocessing(module, name):
        return _preprocess(builder, path, positional, keywords, node)
    if keras_path == "keras.applications.imagenet_utils.correct_pad":
        return _correct_pad(builder, positional, keywords)
    backbone = applications.find(module, name)
    if backbone is None:
        return None
    return _backbone_model(builder, backbone, path, positional, keywords, star, node)


def _backbone_model(
    builder: ModelBuilder,
    backbone: applications.Backbone,
    path: str,
    positional: list[Any],
    keywords: dict[str, Any],
    star: bool,
    node: cst.Call,
) -> Any:
    spec = applications.BackboneSpec(backbone, builder.default_data_format)
    readable = not star and applications.readable_arguments(backbone, len(positional), keywords)
    args = bind(spec, positional, keywords, has_star_args=not readable)
    given = args.get("input_tensor")
    if given is None:
        image = Tensor(
            spec.declared_input_shape(args), node=node, origin=f"the input `{backbone.name}` makes"
        )
        inputs: list[Tensor] = [image]
    elif isinstance(given, Tensor):
        image = given
        inputs = _source_inputs(given)
    else:
        return None  # its input hides in an argument tdlint cannot read
    spec.built = image.shape
    layer = Layer(spec=spec, args=args, call=node, path=path)
    builder.graph.layers.append(layer)
    output = builder.apply(layer, image, node)
    name = keywords.get("name")
    return builder.create_functional([inputs, output], {} if name is None else {"name": name}, node)


def _preprocess(
    builder: ModelBuilder,
    path: str,
    positional: list[Any],
    keywords: dict[str, Any],
    node: cst.Call,
) -> Any:
    x = positional[0] if positional else keywords.get("x")
    if isinstance(x, Tensor):
        spec = applications.PREPROCESS_INPUT
        layer = Layer(spec=spec, args=bind(spec, [], {}), call=node, path=path)
        builder.graph.layers.append(layer)
        return builder.apply(layer, x, node)
    if isinstance(x, Array):
        return Array(x.shape)  # the values change (their type too, in some modes)
    return None


def _correct_pad(builder: ModelBuilder, positional: list[Any], keywords: dict[str, Any]) -> Any:
    bound = dict(zip(("inputs", "kernel_size"), positional, strict=False)) | keywords
    x = bound.get("inputs")
    if set(bound) != {"inputs", "kernel_size"} or not isinstance(x, Tensor) or x.shape is None:
        return None
    channels_last = builder.default_data_format == "channels_last"
    return applications.correct_pad(tuple(x.shape), bound["kernel_size"], channels_last)


def _source_inputs(tensor: Tensor) -> list[Tensor]:
    """The tensors a tensor is computed from that nothing produced: the model inputs Keras's
    ``get_source_inputs`` finds, in the order they are first reached."""
    found: dict[int, Tensor] = {}
    seen: set[int] = set()
    stack = [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.producer is None:
            found[id(current)] = current
        else:
            stack.extend(reversed(current.producer.all_inputs))
    return list(found.values())
