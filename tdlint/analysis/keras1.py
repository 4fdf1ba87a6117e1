"""Keras 1's own ways of building models (Keras 2.0 kept them under ``keras.legacy``): the
``merge(...)`` function, the ``Merge`` layer, which may be given whole models to merge
(``Sequential().add(Merge([left, right], mode='concat'))``), and the ``Graph`` model of
Keras 1.0-1.1 (``add_input``, ``add_node``, ``add_output``).

Each merge mode is the Keras 2 layer that computes the same (``concat`` -> ``Concatenate``,
``cos`` -> ``Dot(normalize=True)``...), so shapes and rules treat them alike. Keras 1's
``Merge`` checks shapes as these layers do (``Only layers of same output shape can be merged
using sum mode``; ``"concat" mode can only merge layers with matching output shapes except
for the concat axis``; ``Dimension incompatibility using dot mode``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from tdlint.analysis.building import reachable
from tdlint.analysis.graph import Layer, Model, Tensor
from tdlint.analysis.unresolved import OpaqueLayer, UnresolvedLayer, label_of
from tdlint.keras.catalogue import bind, lookup
from tdlint.keras.shapes import UNKNOWN

# Keras 1 merge mode -> the layer that does the same.
MERGE_MODES = {
    "concat": "Concatenate",
    "sum": "Add",
    "mul": "Multiply",
    "ave": "Average",
    "max": "Maximum",
    "dot": "Dot",
    "cos": "Dot",  # with normalize=True: the cosine of the two vectors
}

MERGE_FUNCTION_PATHS = frozenset(
    {"keras.layers.merge", "keras.layers.core.merge", "keras.engine.topology.merge"}
)
MERGE_LAYER_PATHS = frozenset(
    {
        "keras.layers.Merge",
        "keras.layers.core.Merge",
        "keras.engine.Merge",
        "keras.engine.topology.Merge",
        "keras.legacy.layers.Merge",
    }
)
GRAPH_PATHS = frozenset({"keras.models.Graph", "keras.legacy.models.Graph"})

NOT_KERAS1 = object()  # what ``keras1_call`` returns for any other path

# ``merge(inputs, mode, concat_axis, dot_axes)`` and ``Merge(layers, mode, ...)``; Graph's
# ``add_node(layer, name, input, inputs, merge_mode, concat_axis, dot_axes, create_output)``
# and ``add_output(name, input, inputs, merge_mode, concat_axis, dot_axes)``.
_MERGE_PARAMS = ("inputs", "mode", "concat_axis", "dot_axes")
_ADD_NODE_PARAMS = (
    "layer", "name", "input", "inputs", "merge_mode", "concat_axis", "dot_axes", "create_output"
)  # fmt: skip
_ADD_SHARED_NODE_PARAMS = (
    "layer", "name", "inputs", "merge_mode", "concat_axis", "dot_axes", "outputs",
    "create_output",
)  # fmt: skip
_ADD_OUTPUT_PARAMS = ("name", "input", "inputs", "merge_mode", "concat_axis", "dot_axes")
_ADD_INPUT_PARAMS = ("name", "input_shape", "batch_input_shape", "dtype")


@dataclass(eq=False)
class GraphModel(Model):
    """Keras 1's ``Graph``: named inputs and nodes; its outputs, once added, make the model
    (the nodes that lead to none are not part of it)."""

    nodes: dict[str, Tensor] = field(default_factory=dict)


class Keras1Builder:
    """Mixed into the interpreter; uses ``ModelBuilder``'s ``create_layer`` and ``apply``."""

    graph: Any
    create_layer: Any
    apply: Any
    model_layer: Any
    unresolved_layer: Any
    calls: list[cst.Call]
    _function: Any

    def keras1_call(
        self, name: str, path: str, positional: list[Any], keywords: dict[str, Any], node: cst.Call
    ) -> Any:
        """``merge(...)``, ``Merge(...)`` or ``Graph()`` (``name``: the canonical path)."""
        if name in MERGE_FUNCTION_PATHS:
            options = _bound(_MERGE_PARAMS, positional, keywords)
            layer = self.merge_layer(path, options, node)
            return self.apply(layer, options.get("inputs", UNKNOWN), node)
        if name in MERGE_LAYER_PATHS:
            return self.keras1_merge_layer(path, positional, keywords, node)
        if name in GRAPH_PATHS:
            model = GraphModel(
                kind="functional",
                node=node,
                function=self._function(),
                call=self.calls[0] if self.calls else None,
                keras_path=path,
            )
            model.keras_name = (
                keywords.get("name") if isinstance(keywords.get("name"), str) else None
            )
            self.graph.models.append(model)
            return model
        return NOT_KERAS1

    def merge_layer(
        self, path: str, options: dict[str, Any], node: cst.Call, mode_key: str = "mode"
    ) -> Layer:
        """The layer a merge mode stands for; an unknown layer for a function as the mode
        (its output shape is the user's), which keeps the graph connected."""
        mode = options.get(mode_key, "sum")
        layer_name = MERGE_MODES.get(mode) if isinstance(mode, str) else None
        spec = lookup(layer_name) if layer_name else None
        if spec is None:
            unknown = UnresolvedLayer("Merge", "layer")
            layer = Layer(spec=unknown, args=bind(unknown, [], {}), call=node, path="")
            self.graph.layers.append(layer)
            return layer
        arguments: dict[str, Any] = {}
        if layer_name == "Concatenate":
            arguments["axis"] = options.get("concat_axis", -1)
        elif layer_name == "Dot":
            arguments["axes"] = options.get("dot_axes", -1)
            arguments["normalize"] = mode == "cos"
        return self.create_layer(spec, path, [], arguments, False, node)

    def keras1_merge_layer(
        self, path: str, positional: list[Any], keywords: dict[str, Any], node: cst.Call
    ) -> Layer:
        """``Merge(mode=...)``, applied later like any layer; or ``Merge([a, b], ...)`` given
        the layers (models) to merge, applied at once to their outputs: a Sequential it
        starts takes that output, and the branches' inputs as its own."""
        options = _bound(("layers", *_MERGE_PARAMS[1:]), positional, keywords)
        layer = self.merge_layer(path, options, node)
        branches = options.get("layers")
        if branches is None:
            return layer
        if isinstance(branches, (list, tuple)):
            inputs = [self._branch_output(item) for item in branches]
            out = self.apply(layer, inputs, node)
        else:
            out = Tensor(None, node=node, origin="the layers merged are not known statically")
        layer.output_at_creation = out if isinstance(out, Tensor) else Tensor(None, node=node)
        return layer

    def _branch_output(self, item: Any) -> Tensor:
        """What ``Merge`` takes from one of its layers: a model's output (the model applied
        to its own inputs, as a layer), a layer's first output, or a tensor."""
        if isinstance(item, Model):
            inputs = item.inputs
            if not inputs:
                return Tensor(None, origin="a model without inputs")
            out = self.apply(
                self.model_layer(item), inputs if len(inputs) > 1 else inputs[0], item.node
            )
            return out if isinstance(out, Tensor) else Tensor(None, node=item.node)
        if isinstance(item, Layer) and item.applications:
            return item.applications[0].output
        if isinstance(item, Tensor):
            return item
        return Tensor(None, origin="a layer tdlint cannot see")

    # ------------------------------------------------------------------ Graph
    def graph_method(
        self,
        model: GraphModel,
        method: str,
        positional: list[Any],
        keywords: dict[str, Any],
        node: cst.Call,
    ) -> Any:
        """``add_input``, ``add_node``, ``add_shared_node`` and ``add_output``; NOT_KERAS1
        for the methods every model has (``compile``, ``fit``...)."""
        handlers = {
            "add_input": (_ADD_INPUT_PARAMS, self._add_input),
            "add_node": (_ADD_NODE_PARAMS, self._add_node),
            "add_shared_node": (_ADD_SHARED_NODE_PARAMS, self._add_shared_node),
            "add_output": (_ADD_OUTPUT_PARAMS, self._add_output),
        }
        if method not in handlers:
            return NOT_KERAS1
        params, handler = handlers[method]
        model.version += 1  # in a branch or a loop, the model becomes uncertain
        options = _bound(params, positional, keywords)
        name = options.get("name")
        if not isinstance(name, str):
            model.uncertain = True  # a node tdlint cannot name: the wiring is unknown
            return None
        handler(model, name, options, node)
        return None

    def _add_input(self, model: GraphModel, name: str, options: dict[str, Any], node: Any) -> None:
        spec = lookup("InputLayer")
        assert spec is not None
        shapes = {k: options[k] for k in ("input_shape", "batch_input_shape") if k in options}
        shape = spec.declared_input_shape(bind(spec, [], shapes))
        tensor = Tensor(shape, node=node, origin=f"input `{name}` of the Graph")
        model.inputs.append(tensor)
        model.nodes[name] = tensor

    def _add_node(self, model: GraphModel, name: str, options: dict[str, Any], node: Any) -> None:
        source = self._node_input(model, options, node)
        out = self.apply(self._as_layer(options.get("layer"), node), source, node, model)
        model.nodes[name] = _single(out)
        if options.get("create_output") is True:
            self._set_output(model, model.nodes[name])

    def _add_shared_node(
        self, model: GraphModel, name: str, options: dict[str, Any], node: Any
    ) -> None:
        layer = self._as_layer(options.get("layer"), node)
        names = options.get("inputs", [])
        if not isinstance(names, (list, tuple)):
            model.uncertain = True
            return
        outs = [_single(self.apply(layer, self._node(model, n), node, model)) for n in names]
        outputs = options.get("outputs", [])
        if options.get("merge_mode") is not None:
            merge = self.merge_layer("keras.layers.Merge", options, node, "merge_mode")
            model.nodes[name] = _single(self.apply(merge, outs, node, model))
            if options.get("create_output") is True:
                self._set_output(model, model.nodes[name])
        elif isinstance(outputs, (list, tuple)) and len(outputs) == len(outs):
            for output_name, out in zip(outputs, outs, strict=True):
                if isinstance(output_name, str):
                    model.nodes[output_name] = out
                    if options.get("create_output") is True:
                        self._set_output(model, out)
        else:
            model.uncertain = True

    def _add_output(self, model: GraphModel, name: str, options: dict[str, Any], node: Any) -> None:
        self._set_output(model, self._node_input(model, options, node))

    def _set_output(self, model: GraphModel, tensor: Tensor) -> None:
        model.outputs.append(tensor)
        model.applications = reachable(model.outputs)

    def _node_input(self, model: GraphModel, options: dict[str, Any], node: Any) -> Tensor:
        """A node's ``input=`` (a name), or its ``inputs=`` merged by ``merge_mode``
        (``concat`` unless said)."""
        names = options.get("inputs")
        if options.get("input") is not None or not names:
            return self._node(model, options.get("input"))
        if not isinstance(names, (list, tuple)):
            model.uncertain = True
            return Tensor(None, origin="inputs not known statically")
        merge = self.merge_layer(
            "keras.layers.Merge", {"merge_mode": "concat", **options}, node, "merge_mode"
        )
        return _single(self.apply(merge, [self._node(model, n) for n in names], node, model))

    def _node(self, model: GraphModel, name: Any) -> Tensor:
        tensor = model.nodes.get(name) if isinstance(name, str) else None
        if tensor is None:
            model.uncertain = True
            return Tensor(None, origin=f"no node named {name!r} in the Graph")
        return tensor

    def _as_layer(self, item: Any, node: cst.CSTNode) -> Layer:
        if isinstance(item, Model):
            return self.model_layer(item)
        if isinstance(item, Layer):
            return item
        if isinstance(item, OpaqueLayer):
            return self.unresolved_layer(item, item.node)
        spec = UnresolvedLayer(label_of(node), "layer")
        layer = Layer(spec=spec, args=bind(spec, [], {}), call=node, path="")
        self.graph.layers.append(layer)
        return layer


def _bound(
    params: tuple[str, ...], positional: list[Any], keywords: dict[str, Any]
) -> dict[str, Any]:
    """A call's arguments by parameter name."""
    return {**dict(zip(params, positional, strict=False)), **keywords}


def _single(value: Any) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if isinstance(value, list) and value and isinstance(value[0], Tensor):
        return value[0]
    return Tensor(None)
