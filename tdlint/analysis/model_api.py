"""What a model and its layers answer when code asks them: ``model.inputs``, ``model.output``,
``model.layers[i]``, ``model.get_layer(name)``, ``layer.output``, as Keras 3 answers, and only
where tdlint can tell which object Keras would return (otherwise unknown)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Layer, Model, Tensor
from tdlint.analysis.nested import built_at_first_call
from tdlint.keras.shapes import UNKNOWN, fully_known, is_known


@dataclass(eq=False)
class InputLayer:
    """The ``InputLayer`` a functional model lists first in ``model.layers``: its ``output``
    is the model's input tensor."""

    tensor: Tensor


def model_attribute(model: Model, attr: str) -> Any:
    """``model.inputs``, ``model.input``, ``model.outputs``, ``model.output``,
    ``model.layers``."""
    if model.uncertain:
        return UNKNOWN
    inputs = list(model.inputs)
    if model.kind == "sequential":
        built = inputs and all(fully_known(t.shape) for t in inputs)
        outputs = [model.current] if built and model.current is not None else []
    else:
        outputs = list(model.outputs)
    if attr in ("inputs", "outputs"):
        tensors = inputs if attr == "inputs" else outputs
        return tensors if tensors else UNKNOWN
    if attr in ("input", "output"):
        tensors = inputs if attr == "input" else outputs
        return tensors[0] if len(tensors) == 1 else UNKNOWN
    if attr == "layers":
        return model_layers(model)
    return UNKNOWN


def model_layers(model: Model) -> Any:
    """``model.layers`` in Keras's order: a Sequential's layers as added; a functional model's
    input layers, then its layers, when the model is a chain (in a model with branches Keras
    orders layers by depth, which tdlint does not reproduce)."""
    layers: list[Any] = []
    for app in model.applications:
        if app.layer not in layers:
            layers.append(app.layer)
    if model.kind == "sequential":
        return layers
    if not _is_chain(model):
        return UNKNOWN
    return [*(InputLayer(t) for t in model.inputs), *layers]


def _is_chain(model: Model) -> bool:
    """One input, and each application reads the tensor the one before it made."""
    if len(model.inputs) != 1:
        return False
    previous = model.inputs[0]
    for app in model.applications:
        if len(app.inputs) != 1 or app.inputs[0] is not previous or len(app.outputs) != 1:
            return False
        previous = app.outputs[0]
    return True


def get_layer(model: Model, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """``model.get_layer("dense_1")`` (a ``name=`` given to the layer) or ``index=``."""
    name = positional[0] if positional else keywords.get("name")
    index = positional[1] if len(positional) > 1 else keywords.get("index")
    layers = model_layers(model)
    if isinstance(name, str):
        named = [
            layer
            for layer in (layers if isinstance(layers, list) else _applied_layers(model))
            if isinstance(layer, Layer) and layer.args.values.get("name") == name
        ]
        return named[0] if len(named) == 1 else UNKNOWN
    if isinstance(index, int) and isinstance(layers, list) and -len(layers) <= index < len(layers):
        return layers[index]
    return UNKNOWN


def _applied_layers(model: Model) -> list[Layer]:
    return [app.layer for app in model.applications]


def layer_attribute(layer: Layer | InputLayer, attr: str) -> Any:
    """``layer.output`` and ``layer.input`` of a layer applied once (Keras refuses to say
    for a layer applied several times); ``output_shape``/``input_shape`` likewise."""
    if isinstance(layer, InputLayer):
        tensor: Tensor | None = layer.tensor
        if attr in ("input", "output"):
            return tensor
        if attr in ("input_shape", "output_shape") and tensor.shape is not None:
            return tuple(tensor.shape)
        return UNKNOWN
    if len(layer.applications) != 1:
        return UNKNOWN
    [app] = layer.applications
    if attr in ("output", "input"):
        tensors = app.outputs if attr == "output" else app.inputs
        return tensors[0] if len(tensors) == 1 else list(tensors)
    if attr in ("output_shape", "input_shape"):
        tensors = app.outputs if attr == "output_shape" else app.inputs
        if len(tensors) == 1 and tensors[0].shape is not None:
            return tuple(tensors[0].shape)
    return UNKNOWN


def build_from_data(model: Model, x: Any) -> None:
    """A Sequential without an input shape is built by its first ``fit``/``predict``... for
    the shape of the data (without the sample axis), as ``model.build`` would build it."""
    if model.kind != "sequential" or model.uncertain or model.build_shapes is not None:
        return
    if not model.inputs or all(fully_known(t.shape) for t in model.inputs):
        return
    if isinstance(x, Array) and x.shape is not None and len(x.shape) >= 2:
        dims = tuple(d if is_known(d) else UNKNOWN for d in x.shape[1:])
        model.build_shapes = [(None, *dims)]


def predicted(model: Model, x: Any) -> Any:
    """What ``model.predict(x)`` returns: one row of the model's output per sample of ``x``
    (a NumPy array), when the model has one output of known shape; else unknown."""
    if model.uncertain or not isinstance(x, Array) or x.shape is None or not x.shape:
        return UNKNOWN
    output = output_shape(model)
    if output is None:
        return UNKNOWN
    return Array((x.shape[0], *output[1:]), "float")


def output_shape(model: Model) -> Any:
    """The shape of the model's one output (None with several, or none known), including a
    Sequential's built by its first call or ``fit``."""
    built = built_at_first_call(model)
    shapes = built.outputs if built is not None else model.output_shapes
    return shapes[0] if len(shapes) == 1 else None
