"""Building Keras objects from the calls the code makes: layers, inputs, Sequential and
functional models, Keras 1's ``merge``, and the applications of layers to tensors that make up
the model graph (with the shapes ``propagate.infer`` gives them).

``ModelBuilder`` is the half of the interpreter that knows Keras; ``Interpreter`` (the other
half) knows Python and calls into it.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import libcst as cst

from tdlint.analysis.graph import Application, FileGraph, Layer, Model, Tensor
from tdlint.analysis.nested import ModelAsLayer
from tdlint.analysis.propagate import infer, takes_several_tensors
from tdlint.analysis.unresolved import (
    OpaqueLayer,
    UnresolvedLayer,
    code_of,
    is_unresolved,
    label_of,
)
from tdlint.keras.catalogue import LayerSpec, bind, lookup
from tdlint.keras.shapes import UNKNOWN, is_unknown
from tdlint.keras.versions import NEW, OLD, Line

# Keras 1 class names whose positional arguments follow the Keras 1 signature.
_KERAS1_CLASS_NAMES = frozenset({"Convolution1D", "Convolution2D", "Convolution3D"})


# Python's own functions: applied to a tensor they print or test it, never make a layer.
_PYTHON_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))


# ---------------------------------------------------------------------- helpers


class ModelBuilder:
    """Creates layers and models, and applies layers to tensors, recording it all in
    ``graph``. Mixed into ``Interpreter``, whose state it shares."""

    graph: FileGraph
    default_data_format: Any
    lambda_layer_spec: Any
    model_layers: dict[int, Layer]
    opaque_layers: dict[int, tuple[OpaqueLayer, Layer]]
    functions: list[str]  # the user functions being analysed, innermost last
    calls: list[cst.Call]  # the user function calls being analysed, outermost first
    run_number: int  # where applications are made (tdlint.analysis.control)
    branch_path: tuple[tuple[int, int], ...]

    # ------------------------------------------------------------------ Keras objects
    def create_layer(
        self,
        spec: LayerSpec,
        path: str,
        positional: list[Any],
        keywords: dict[str, Any],
        star: bool,
        node: cst.Call,
    ) -> Layer:
        lines = self.graph.version.of(path)
        written_name = path.rpartition(".")[2]
        keras1_named = written_name in _KERAS1_CLASS_NAMES or any(
            k in spec.renames for k in keywords
        )
        positional, keras1_style = _positional_reading(spec, positional, lines, keras1_named)
        maybe_theano = keras1_named and Line.KERAS1 in lines
        args = bind(
            spec,
            positional,
            keywords,
            keras1_style=keras1_style,
            has_star_args=star,
            default_data_format=_default_data_format(spec, maybe_theano, self.default_data_format),
            defaults=spec.defaults_for(lines),
        )
        if spec.name == "Lambda":  # Lambda(fn): fn runs on the input, as Keras 3 does it
            spec = self.lambda_layer_spec(spec, args, node)
        layer = Layer(spec=spec, args=args, call=node, path=path)
        self.graph.layers.append(layer)
        return layer

    def create_input(
        self, positional: list[Any], keywords: dict[str, Any], star: bool, node: cst.Call
    ) -> Tensor:
        spec = lookup("InputLayer")
        assert spec is not None
        args = bind(spec, positional, keywords, has_star_args=star)
        shape = spec.declared_input_shape(args)
        origin = _unknown_declaration(node, ("shape", "batch_shape", "batch_input_shape"), shape, 0)
        tensor = Tensor(shape, node=node, origin=origin or "Input")
        self.graph.inputs.append(tensor)
        return tensor

    def create_sequential(
        self, positional: list[Any], keywords: dict[str, Any], node: cst.Call
    ) -> Model:
        model = Model(
            kind="sequential",
            node=node,
            function=self._function(),
            call=self.calls[0] if self.calls else None,
        )
        self.graph.models.append(model)
        model.keras_name = _string(keywords.get("name"))
        items = positional[0] if positional else keywords.get("layers")
        if isinstance(items, (list, tuple)):
            nodes = _element_nodes(node, "layers", len(items))
            for item, item_node in zip(items, nodes, strict=True):
                self.sequential_add(model, item, node, item_node)
        elif items is not None:
            model.uncertain = True
            model.set_current(Tensor(None, origin="layers not known statically"))
        return model

    def sequential_add(
        self,
        model: Model,
        item: Any,
        node: cst.CSTNode,
        item_node: cst.BaseExpression | None = None,
    ) -> None:
        model.version += 1
        if isinstance(item, Tensor) and item.producer is None and not model.applications:
            model.set_current(item)  # keras.Input(...) as the first entry
            model.inputs = [item]
            return
        if isinstance(item, Model) and item is not model:
            item = self.model_layer(item)
        if isinstance(item, Layer) and item.output_at_creation is not None:
            self._start_with_merged(model, item.output_at_creation)
            return
        if not isinstance(item, Layer):
            # The layers may be anything at run time (a list, a model...): the model is
            # uncertain, as before. An unknown item still gets a row, so that the layers
            # around it keep theirs.
            model.uncertain = True
            if not is_unknown(item):
                model.set_current(Tensor(None, origin="a layer tdlint cannot see"))
                return
            if isinstance(item, OpaqueLayer):
                layer = self.unresolved_layer(item, item.node)
            else:
                where = item_node if item_node is not None else node
                spec = UnresolvedLayer(label_of(where) if item_node is not None else "?", "layer")
                layer = Layer(spec=spec, args=bind(spec, [], {}), call=where, path="")
            current = model.current or Tensor(None, origin="the input of an unknown first layer")
            model.set_current(self._single(self.apply(layer, [current], layer.call, model)))
            return
        if model.current is None:
            model.set_current(self._sequential_input(item))
            model.inputs = [model.current]
            if item.spec.name == "InputLayer":
                return
        inputs: Any = model.current_all if len(model.current_all) > 1 else model.current
        out = self.apply(item, inputs, item.call, model)
        if isinstance(out, list):
            model.set_current([t for t in out if isinstance(t, Tensor)])
        else:
            model.set_current(self._single(out))

    def _start_with_merged(self, model: Model, merged: Tensor) -> None:
        """Keras 1's ``Merge([left, right])`` added to a Sequential: the model starts from the
        merged branches, whose inputs are its own (each once, in order)."""
        if model.current is not None:
            # Keras 1 refuses to apply a Merge that was given its layers a second time.
            model.uncertain = True
            model.set_current(Tensor(None, origin="a Merge of layers, not first in the model"))
            return
        model.inputs = _source_inputs(merged)
        model.merged_from = merged.producer
        model.applications.extend(reachable([merged]))
        model.set_current(merged)

    def model_layer(self, model: Model) -> Layer:
        """The layer a model becomes when used inside another model (one per model)."""
        layer = self.model_layers.get(id(model))
        if layer is None:
            spec = ModelAsLayer(model)
            layer = Layer(spec=spec, args=bind(spec, [], {}), call=model.node, path="keras.Model")
            self.model_layers[id(model)] = layer
            model.as_layer = layer
            self.graph.layers.append(layer)
        return layer

    def _sequential_input(self, first: Layer) -> Tensor:
        if isinstance(first.spec, ModelAsLayer):
            inner = first.spec.model.inputs
            shape = inner[0].shape if len(inner) == 1 else None
            return Tensor(shape, node=first.call, origin="input shape of the nested model")
        declared = first.spec.declared_input_shape(first.args)
        written = _unknown_declaration(first.call, _SHAPE_ARGUMENTS, declared)
        if written is not None:
            return Tensor(declared, node=first.call, origin=written)
        if declared is not None:
            return Tensor(declared, node=first.call, origin="input shape of the first layer")
        if first.args.has_star_args:
            origin = "the first layer's arguments, partly hidden in *args or **kwargs"
            return Tensor(None, node=first.call, origin=origin)
        return Tensor(None, node=first.call, origin="no input shape: built when first called")

    def create_functional(
        self, positional: list[Any], keywords: dict[str, Any], node: cst.Call
    ) -> Model:
        inputs = (
            positional[0] if positional else keywords.get("inputs", keywords.get("input", UNKNOWN))
        )
        outputs = (
            positional[1]
            if len(positional) > 1
            else keywords.get("outputs", keywords.get("output", UNKNOWN))
        )
        model = Model(
            kind="functional",
            node=node,
            function=self._function(),
            call=self.calls[0] if self.calls else None,
        )
        model.inputs = tensors_in(inputs)
        model.outputs = tensors_in(outputs)
        model.keras_name = _string(keywords.get("name"))
        if not model.outputs:
            model.uncertain = True
        model.applications = reachable(model.outputs)
        self.graph.models.append(model)
        return model

    # ------------------------------------------------------------------ applying layers
    def _is_python_builtin(self, name: str) -> bool:
        return name in _PYTHON_BUILTINS and not self.env.lookup(name)[0]

    def apply_unresolved(
        self,
        callee: Any,
        func: cst.BaseExpression,
        positional: list[Any],
        keywords: dict[str, Any],
        node: cst.Call,
        unknown: Any = UNKNOWN,
    ) -> Any:
        """A call tdlint cannot see into (``MyLayer()(x)``, ``tf.nn.relu(x)``): when it takes
        Keras tensors, it is recorded as an unknown layer whose output has an unknown shape,
        so that the graph stays connected; otherwise its value is ``unknown``."""
        tensors = _tensor_arguments(positional, keywords)
        if not tensors:
            return unknown
        if isinstance(callee, OpaqueLayer):
            layer = self.unresolved_layer(callee, callee.node)
        else:
            # ``Foo(...)(x)`` calls what a call made: a layer object, most likely.
            kind = "layer" if isinstance(func, cst.Call) else "call"
            spec = UnresolvedLayer(label_of(func), kind)
            layer = Layer(spec=spec, args=bind(spec, [], {}), call=node, path="")
        return self.apply(layer, tensors, node)

    def unresolved_layer(self, opaque: OpaqueLayer, node: cst.CSTNode) -> Layer:
        """The layer an opaque object becomes when applied (one per object: a custom layer
        applied twice is one layer, as in Keras)."""
        known = self.opaque_layers.get(id(opaque))
        if known is not None:
            return known[1]
        spec = UnresolvedLayer(opaque.name, opaque.kind)
        layer = Layer(spec=spec, args=bind(spec, [], {}), call=node, path="")
        self.opaque_layers[id(opaque)] = (opaque, layer)  # the object, to keep its id unique
        return layer

    def apply(
        self,
        layer: Layer,
        inputs: Any,
        node: cst.CSTNode,
        model: Model | None = None,
        keywords: dict[str, Any] | None = None,
    ) -> Any:
        """Record ``layer`` applied to ``inputs``; return the output tensor(s)."""
        if _all_constant(inputs):
            return _eager(layer, inputs)
        if getattr(layer.spec, "inputs_set_by_call", False):
            # The user's layer or Lambda function takes whatever it is given: a list is a
            # list of inputs (``Lambda(diff)([a, b])``).
            layer.spec.multi_input = isinstance(inputs, (list, tuple))
        if takes_several_tensors(layer.spec):
            items = inputs if isinstance(inputs, (list, tuple)) else [inputs]
            tensors = [_as_tensor(t) for t in items]
            shapes: Any = [t.shape for t in tensors]
        else:
            tensors = [_as_tensor(inputs)]
            shapes = tensors[0].shape
        outcome = infer(layer.spec, layer.args, shapes, layer.display)
        app = Application(
            layer=layer,
            inputs=tensors,
            outputs=[],
            node=node,
            params=outcome.params,
            call_keywords=frozenset(keywords or ()),
            # Tensors passed by keyword besides the inputs (``initial_state=``, ``mask=``):
            # the layer depends on them, so they belong to the model too.
            state_inputs=[
                t
                for name, value in (keywords or {}).items()
                if name not in layer.spec.call_inputs
                for t in tensors_in(value)
            ],
            run=self.run_number,
            branches=self.branch_path,
        )
        app.error = outcome.error
        out = outcome.output
        shapes_out = out if isinstance(out, list) else [out]
        origin = (
            f"`{layer.spec.label}`, an unknown {layer.spec.kind}"
            if is_unresolved(layer.spec)
            else ""
        )
        app.outputs = [
            Tensor(s if isinstance(s, tuple) else None, producer=app, node=node, origin=origin)
            for s in shapes_out
        ]
        layer.applications.append(app)
        self.graph.applications.append(app)
        if model is not None:
            model.applications.append(app)
        return list(app.outputs) if isinstance(out, list) else app.outputs[0]

    def _function(self) -> str | None:
        return self.functions[-1] if self.functions else None

    @staticmethod
    def _single(value: Any) -> Tensor:
        if isinstance(value, Tensor):
            return value
        if isinstance(value, list) and value and isinstance(value[0], Tensor):
            return value[0]
        return Tensor(None)


def call_inputs(spec: LayerSpec, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """The tensor argument(s) of a layer call: one, or a list for multi-tensor layers."""
    params = spec.call_inputs
    if len(params) == 1:
        return positional[0] if positional else keywords.get(params[0], UNKNOWN)
    tensors = []
    for i, name in enumerate(params):
        value = positional[i] if i < len(positional) else keywords.get(name)
        if value is None:
            break  # the optional ones (``key``) may be left out
        tensors.append(value)
    return tensors


def argument_node(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    """The expression of a call's first positional argument, or of ``keyword=``."""
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None or arg.keyword.value == keyword:
            return arg.value
    return None


def _element_nodes(call: cst.Call, keyword: str, count: int) -> list[cst.BaseExpression | None]:
    """The element expressions of a list literal passed to a call (``Sequential([...])``),
    when they match the evaluated items one to one."""
    value = argument_node(call, keyword)
    if (
        isinstance(value, (cst.List, cst.Tuple))
        and len(value.elements) == count
        and not any(isinstance(e, cst.StarredElement) for e in value.elements)
    ):
        return [e.value for e in value.elements]
    return [None] * count


def _tensor_arguments(positional: list[Any], keywords: dict[str, Any]) -> list[Tensor]:
    """The Keras tensors among a call's arguments (also inside a list, tuple or dict)."""
    found: dict[int, Tensor] = {}
    for value in [*positional, *keywords.values()]:
        if isinstance(value, dict):
            items = list(value.values())
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            items = [value]
        for item in items:
            if isinstance(item, Tensor):
                found.setdefault(id(item), item)
    return list(found.values())


# The arguments by which a first layer declares a model's input shape (Keras 1 to 3).
_SHAPE_ARGUMENTS = ("input_shape", "batch_input_shape", "input_dim", "input_length", "batch_shape")


def _unknown_declaration(
    call: cst.Call, names: Sequence[str], declared: Any, position: int | None = None
) -> str | None:
    """How a note names a declared input shape tdlint cannot know: by the expression written
    (```X_train.shape[1:]`, not known statically``). None when the shape is known (or its
    unknown dims say where they come from), or nothing was written."""
    if declared is not None and not any(is_unknown(d) and not d.origin for d in declared):
        return None
    for i, arg in enumerate(call.args):
        if arg.star:
            return None
        named = arg.keyword is not None and arg.keyword.value in names
        if named or (arg.keyword is None and i == position):
            return f"`{code_of(arg.value)}`, not known statically"
    return None


def _positional_reading(
    spec: LayerSpec, positional: list[Any], lines: frozenset[Line], keras1_named: bool
) -> tuple[list[Any], bool]:
    """The positional arguments to bind, and whether in the Keras 1 order. Keras 1 and the
    legacy interface of Keras 2.0-2.3 read ``Conv2D(32, 3, 3)`` as a 3x3 kernel; tf.keras 2
    and Keras 3 as a kernel of 3 with strides 3. When the file may run on either, only what
    both readings agree on is kept: the filters, the kernel when its sizes are all equal."""
    keras1 = spec.keras1_params
    if keras1 is None or lines <= NEW:
        return positional, False
    if lines <= OLD:
        return positional, True
    if not keras1_named:
        return positional, False  # a Keras 2 name (Conv2D): written for Keras 2 or later
    common = next(
        (i for i, (a, b) in enumerate(zip(spec.params, keras1, strict=False)) if a != b),
        min(len(spec.params), len(keras1)),
    )
    if len(positional) <= common:
        return positional, False
    kept: list[Any] = list(positional[:common])
    rank = getattr(spec, "rank", 0)
    kernel = positional[common : common + rank]
    if spec.params[common] == "kernel_size":
        # one size alone is the kernel for Keras 2.0-2.3 and later (Keras 1 wants them all)
        same = all(isinstance(k, int) and k == kernel[0] for k in kernel)
        kept.append(kernel[0] if same and len(kernel) in (1, rank) else UNKNOWN)
    return kept + [UNKNOWN] * (len(positional) - len(kept)), False


def _default_data_format(spec: LayerSpec, maybe_theano: bool, file_default: Any) -> Any:
    """Keras 1 image layers followed the user's configured ordering ('th' was common with
    Theano), so it is unknown for them; 1D layers were always channels-last."""
    if maybe_theano and getattr(spec, "rank", 2) >= 2:
        return UNKNOWN
    return file_default


def hand_over(positional: list[Any], keywords: dict[str, Any]) -> None:
    """Models passed to code tdlint does not follow (a wrapper class, another library) may be
    trained there, on data it cannot see: remember that they escaped."""
    for value in (*positional, *keywords.values()):
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, Model):
                item.handed_over = True


def _all_constant(inputs: Any) -> bool:
    items = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    return bool(items) and all(isinstance(t, Tensor) and t.constant for t in items)


def _eager(layer: Layer, inputs: Any) -> Any:
    """A layer (or op) called on constants runs at once, as in Keras: its result is another
    constant, and nothing is added to a model."""
    several = takes_several_tensors(layer.spec)
    shapes = [t.shape for t in inputs] if several else _as_tensor(inputs).shape
    outcome = infer(layer.spec, layer.args, shapes, layer.display)
    if layer.eager_params is None:
        layer.eager_params = outcome.params
    out = outcome.output
    if isinstance(out, list):
        return [Tensor(s if isinstance(s, tuple) else None, constant=True) for s in out]
    return Tensor(out if isinstance(out, tuple) else None, origin="a constant", constant=True)


def _as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(None, origin="not a Keras tensor")


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def tensors_in(value: Any) -> list[Tensor]:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return (
            [v for v in value if isinstance(v, Tensor)]
            if all(isinstance(v, Tensor) for v in value)
            else []
        )
    if isinstance(value, dict):
        return tensors_in(list(value.values()))
    return []


def _source_inputs(tensor: Tensor) -> list[Tensor]:
    """The tensors no layer produced that ``tensor`` is computed from, first seen first (as
    Keras 1's ``get_source_inputs``)."""
    found: dict[int, Tensor] = {}
    stack = [tensor]
    while stack:
        current = stack.pop()
        if current.producer is None:
            found.setdefault(id(current), current)
        else:
            stack.extend(reversed(current.producer.inputs))
    return list(found.values())


def reachable(outputs: list[Tensor]) -> list[Application]:
    seen: dict[int, Application] = {}
    stack = [t.producer for t in outputs if t.producer is not None]
    while stack:
        app = stack.pop()
        if id(app) in seen:
            continue
        seen[id(app)] = app
        stack.extend(t.producer for t in app.all_inputs if t.producer is not None)
    return sorted(seen.values(), key=lambda a: a.order)
