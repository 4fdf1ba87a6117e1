"""A static ``model.summary()``: each model's layers with output shapes and parameter counts,
and, where tdlint cannot know something, what and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import libcst as cst

from tdlint.analysis.classes import UserLayerSpec, layers_held
from tdlint.analysis.graph import Application, FileGraph, Layer, Model, Tensor
from tdlint.analysis.nested import Built, ModelAsLayer, built_at_first_call
from tdlint.analysis.unresolved import is_unresolved
from tdlint.keras.shapes import (
    Shape,
    format_shape,
    fully_known,
    is_known,
    is_symbolic,
    shape_to_json,
    unknown_origin,
)
from tdlint.positions import module_positions

# How far a note looks upstream for the reason a shape is unknown.
MAX_NOTE_DEPTH = 64

# A model's status: every shape and parameter count known; some depend on values tdlint
# cannot know (a function parameter, data read at run time, layers added in a loop); or a
# layer tdlint cannot resolve at all (a custom layer, an unknown function).
KNOWN, PARTIAL, UNKNOWN_LAYERS = "known", "partial", "unknown-layers"


# A row's output shape: one shape, or a list of them for a layer with several outputs (as
# Keras's summary prints them); None when not even that is known.
RowShape = Shape | list[Shape | None] | None


def each_shape(output: RowShape) -> list[Shape | None]:
    """The shapes of a row's output, one per output tensor."""
    return output if isinstance(output, list) else [output]


def row_shape_to_json(output: RowShape) -> Any:
    """One shape as ``shape_to_json`` writes it; several as a list of those."""
    if isinstance(output, list):
        return [shape_to_json(s) for s in output]
    return shape_to_json(output)


def format_row_shape(output: RowShape) -> str:
    """``(None, 4)``; ``[(None, 4), (None, 2)]`` for several outputs, as Keras prints them."""
    if isinstance(output, list):
        return "[" + ", ".join(format_shape(s) for s in output) + "]"
    return format_shape(output)


@dataclass(frozen=True)
class LayerRow:
    line: int
    layer: str
    output_shape: RowShape
    params: int | None
    # Why the shape is unknown, when it is.
    note: str = ""
    # A layer tdlint cannot resolve (a custom layer class, an unknown function on tensors).
    unknown: bool = False
    # For an unknown layer: "layer", "model" or "call".
    unknown_kind: str = ""
    # In a notebook: the 1-based code cell, ``line`` being the line within it.
    cell: int | None = None

    @property
    def where(self) -> str:
        """``12``, or ``3:12`` in a notebook's cell 3."""
        return f"{self.cell}:{self.line}" if self.cell is not None else str(self.line)

    @property
    def known(self) -> bool:
        return not self.unknown and self.params is not None and self.shape_known(fully_known)

    def shape_known(self, known: Callable[[Shape | None], bool] = is_symbolic) -> bool:
        """Whether every output shape is known: symbols count unless ``known`` says not."""
        return all(known(s) for s in each_shape(self.output_shape))


@dataclass(frozen=True)
class Call:
    """The call of the user's function that built a model: ``build(10)`` at line 12."""

    code: str
    line: int
    # 1-based, when one call site built several models of one name (a loop unrolled).
    occurrence: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "line": self.line}


@dataclass(frozen=True)
class ModelSummary:
    filename: str
    model: str
    line: int
    kind: str
    layers: tuple[LayerRow, ...]
    inputs: tuple[Shape | None, ...]
    outputs: tuple[Shape | None, ...]
    params: int | None
    call: Call | None = None
    # Why the model has no rows, when it has none.
    empty_reason: str = ""
    uncertain: bool = False
    # In a notebook: the 1-based code cell, ``line`` being the line within it.
    cell: int | None = None

    @property
    def where(self) -> str:
        """``12``, or ``cell 3:12`` in a notebook."""
        return f"cell {self.cell}:{self.line}" if self.cell is not None else str(self.line)

    @property
    def status(self) -> str:
        """``known``, ``partial`` or ``unknown-layers`` (see the constants above)."""
        if not self.layers or any(row.unknown for row in self.layers):
            return UNKNOWN_LAYERS
        if self.uncertain or self.params is None or not all(row.known for row in self.layers):
            return PARTIAL
        return KNOWN

    def to_json(self) -> dict[str, Any]:
        cell = {"cell": self.cell} if self.cell is not None else {}
        return {
            "filename": self.filename,
            "model": self.model,
            **cell,
            "line": self.line,
            "kind": self.kind,
            "call": self.call.to_json() if self.call else None,
            "status": self.status,
            "layers": [
                {
                    **({"cell": row.cell} if row.cell is not None else {}),
                    "line": row.line,
                    "layer": row.layer,
                    "output_shape": row_shape_to_json(row.output_shape),
                    "params": row.params,
                    "unknown_layer": row.unknown,
                    "note": row.note,
                }
                for row in self.layers
            ],
            "inputs": [shape_to_json(s) for s in self.inputs],
            "outputs": [shape_to_json(s) for s in self.outputs],
            "params": self.params,
        }


def count_statuses(summaries: Iterable[ModelSummary]) -> Counter[str]:
    return Counter(s.status for s in summaries)


def summarize(
    graph: FileGraph, filename: str, positions: Mapping[Any, Any] | None = None
) -> list[ModelSummary]:
    """Every model of the graph, summarised (``positions``: the module's node positions, if
    already computed)."""
    return [summary for _, summary in summarize_with_nodes(graph, filename, positions)]


def summarize_with_nodes(
    graph: FileGraph, filename: str, positions: Mapping[Any, Any] | None = None
) -> list[tuple[tuple[cst.CSTNode, ...], ModelSummary]]:
    """``summarize``, each summary with the nodes that make its model (the ``Sequential(...)``
    or ``Model(...)`` call, the call of the user's function that built it, the instantiation
    of a subclass; the class itself when it is never built): what a variable assigned one of
    them holds."""
    return [(nodes, summary) for nodes, _, summary in summarize_graph(graph, filename, positions)]


# What a summary was made from: the model, the user's subclassed model as built (its first
# run), or nothing (a subclass never built).
Source = Model | UserLayerSpec | None


def summarize_graph(
    graph: FileGraph, filename: str, positions: Mapping[Any, Any] | None = None
) -> list[tuple[tuple[cst.CSTNode, ...], Source, ModelSummary]]:
    """``summarize_with_nodes``, each summary also with what it was made from: a diagram
    draws the model's applications and tensors from it."""
    if not graph.models and not graph.subclassed_models:
        return []
    if positions is None:
        positions = module_positions(graph.module)
    # A function analysed with unknown parameters, and also called with known arguments:
    # the call's models say more, so the generic ones are left out.
    called = {id(m.node) for m in graph.models if not m.generic}
    models = [m for m in graph.models if not (m.generic and id(m.node) in called)]
    nodes: list[tuple[cst.CSTNode, ...]] = [
        (model.node,) if model.call is None else (model.node, model.call) for model in models
    ]
    sources: list[Source] = list(models)
    summaries = [_summarize_model(model, filename, graph.module, positions) for model in models]
    functional = {id(m.subclass) for m in graph.models if m.subclass is not None}
    for cls in graph.subclassed_models:
        if id(cls) in functional:
            continue  # listed as the functional model it was made as
        specs = _instances(graph, cls)
        built = [(spec, _built_subclass(spec, filename, positions)) for spec in specs]
        found: list[tuple[tuple[cst.CSTNode, ...], Source, ModelSummary]]
        found = [((spec.node,), spec, s) for spec, s in built if s is not None]
        found = found or [((cls,), None, _subclassed(cls, filename, positions))]
        nodes += [n for n, _, _ in found]
        sources += [source for _, source, _ in found]
        summaries += [s for _, _, s in found]
    numbered = _number_repeated_calls(summaries)
    return list(zip(nodes, sources, numbered, strict=True))


def _instances(graph: FileGraph, cls: cst.ClassDef) -> list[UserLayerSpec]:
    return [
        layer.spec
        for layer in graph.layers
        if isinstance(layer.spec, UserLayerSpec) and layer.spec.instance.cls.node is cls
    ]


def _built_subclass(
    spec: UserLayerSpec, filename: str, positions: Mapping[Any, Any]
) -> ModelSummary | None:
    """A subclassed model Keras has built (called on a tensor, ``build``, ``fit``...): one row
    per layer it holds that its ``call`` applied, with the shapes of that first run."""
    first = spec.first
    if first is None:
        return None
    held = {id(layer) for layer in layers_held(spec.instance, lambda model: model.as_layer)}
    by_layer: dict[int, list[Application]] = {}
    for app in first.applications:
        if id(app.layer) in held:
            by_layer.setdefault(id(app.layer), []).append(app)
    rows = [_row(apps, positions) for apps in by_layer.values()]
    outputs = first.run.outputs if isinstance(first.run.outputs, list) else [first.run.outputs]
    inputs = first.inputs if isinstance(first.inputs, list) else [first.inputs]
    params = first.run.params if is_known(first.run.params) else None
    cls = spec.instance.cls.node
    return ModelSummary(
        filename=filename,
        model=spec.variable or cls.name.value,
        line=positions[spec.node].start.line,
        kind="subclassed",
        layers=tuple(rows),
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        params=params,
        empty_reason="" if rows else "its `call` applies no layer it holds",
    )


def _subclassed(cls: cst.ClassDef, filename: str, positions: Mapping[Any, Any]) -> ModelSummary:
    """A subclass of ``keras.Model``: listed, so that it is not silently left out, but its
    layers are wired up in ``call`` and only known once Keras runs it."""
    return ModelSummary(
        filename=filename,
        model=cls.name.value,
        line=positions[cls].start.line,
        kind="subclassed",
        layers=(),
        inputs=(),
        outputs=(None,),
        params=None,
        empty_reason="a subclassed model connects its layers in `call`, when it runs",
    )


def _without_shared_weights(total: int, layers: list[Layer]) -> int | None:
    """``total`` with each weight counted once, as Keras counts them: a model that holds a
    nested model and also one of that model's parts (Keras 1's ``Merge([response,
    question_encoder])``, where ``response`` merged the question encoder already) has the
    part's weights once.  None if a part counted twice has no known count."""
    leaves = [leaf for layer in layers for leaf in _weight_owners(layer)]
    counts = Counter(id(leaf) for leaf in leaves)
    if all(n == 1 for n in counts.values()):
        return total
    owners = {id(leaf): leaf for leaf in leaves}
    for key, n in counts.items():
        apps = owners[key].applications
        params = apps[0].params if apps else None
        if n > 1 and not (isinstance(params, int) and is_known(params)):
            return None
        if n > 1:
            total -= (n - 1) * params  # type: ignore[operator]
    return total


def _weight_owners(layer: Layer, depth: int = 0) -> list[Layer]:
    """The layers inside ``layer`` that own its weights: itself, or, for a nested model,
    the layers of that model (and of the models nested in it)."""
    spec = layer.spec
    if not isinstance(spec, ModelAsLayer) or depth > 20:
        return [layer]
    inner = {id(app.layer): app.layer for app in spec.model.applications}
    return [leaf for each in inner.values() for leaf in _weight_owners(each, depth + 1)]


def _summarize_model(
    model: Model, filename: str, module: cst.Module, positions: Mapping[Any, Any]
) -> ModelSummary:
    # One row per layer, as Keras's summary has it: a shared layer appears (and counts) once.
    by_layer: dict[int, list[Application]] = {}
    for app in model.applications:
        if not app.layer.spec.is_op:  # ops are not layers: Keras's summary leaves them out
            by_layer.setdefault(id(app.layer), []).append(app)
    built = built_at_first_call(model)
    rows = [_row(apps, positions, built) for apps in by_layer.values()]
    params = [row.params for row in rows]
    total = None if model.uncertain or None in params else sum(params)  # type: ignore[arg-type]
    if any(app.layer.spec.is_op and not is_known(app.params) for app in model.applications):
        total = None  # a join of two paths: which layers the model has depends on the path
    if total is not None:
        total = _without_shared_weights(total, [apps[0].layer for apps in by_layer.values()])
    call = None
    if model.call is not None:
        code = " ".join(module.code_for_node(model.call).split())
        call = Call(code, positions[model.call].start.line)
    return ModelSummary(
        filename=filename,
        model=model.name or model.keras_name or "<model>",
        line=positions[model.node].start.line,
        kind=model.kind,
        layers=tuple(rows),
        inputs=tuple(built.inputs if built else (t.shape for t in model.inputs)),
        outputs=tuple(built.outputs if built else model.output_shapes),
        params=total,
        call=call,
        empty_reason="" if rows else _empty_reason(model),
        uncertain=model.uncertain,
    )


def _number_repeated_calls(summaries: list[ModelSummary]) -> list[ModelSummary]:
    """One call site that built a model several times (``for n in (1, 2): m = build(n)``):
    number them, or the tables could not be told apart."""
    key = lambda s: (s.model, s.line, s.call)  # noqa: E731
    totals = Counter(key(s) for s in summaries if s.call is not None)
    seen: Counter[Any] = Counter()
    numbered = []
    for s in summaries:
        if s.call is not None and totals[key(s)] > 1:
            seen[key(s)] += 1
            s = replace(s, call=replace(s.call, occurrence=seen[key(s)]))
        numbered.append(s)
    return numbered


def _empty_reason(model: Model) -> str:
    if model.kind == "sequential":
        current = model.current
        return current.origin if current is not None and current.origin else "no layers"
    if not model.outputs:
        return "outputs not known statically"
    return "no layer between the inputs and the outputs"


def _row(
    apps: list[Application], positions: Mapping[Any, Any], built: Built | None = None
) -> LayerRow:
    first = apps[0]
    # Several applications with different shapes: no single answer.
    shapes = {tuple(t.shape for t in app.outputs) for app in apps}
    outputs = shapes.pop() if len(shapes) == 1 else ()
    output: RowShape = outputs[0] if len(outputs) == 1 else list(outputs) or None
    params = first.params
    if built is not None and id(first) in built.apps and len(apps) == 1:
        output, params = built.apps[id(first)]
    spec = first.layer.spec
    unknown = is_unresolved(spec)
    return LayerRow(
        line=positions[first.layer.call].start.line,
        layer=spec.label if unknown else first.layer.display,  # type: ignore[attr-defined]
        output_shape=output,
        params=params if is_known(params) else None,
        note="" if unknown else _note(first, output),
        unknown=unknown,
        unknown_kind=spec.kind if unknown else "",  # type: ignore[attr-defined]
    )


def why_unknown(app: Application) -> str:
    """Why the output shape of one application is (partly) unknown; empty when it is known."""
    shapes = [t.shape for t in app.outputs]
    return _note(app, shapes[0] if len(shapes) == 1 else shapes or None)


def _note(app: Application, output: RowShape) -> str:
    """Why a shape is (partly) unknown: an unknown input, an unknown layer upstream, an
    unknown argument... Empty for a shape that is fully known, symbols included."""
    shapes = each_shape(output)
    if all(is_symbolic(s) for s in shapes):
        return ""
    origin = next((o for o in map(unknown_origin, shapes) if o), "")
    if origin:
        return origin
    seen: set[int] = set()
    for tensor in app.inputs:
        if not is_symbolic(tensor.shape):
            reason = _upstream_reason(tensor, seen)
            if reason:
                return reason
    if app.inputs and all(is_symbolic(t.shape) for t in app.inputs):
        return "an argument of this layer not known statically"
    return ""


def _upstream_reason(tensor: Tensor, seen: set[int]) -> str:
    """Walk up from a tensor of (partly) unknown shape to where the unknown comes from."""
    for _ in range(MAX_NOTE_DEPTH):
        origin = unknown_origin(tensor.shape)
        if origin:
            return origin
        producer = tensor.producer
        if producer is None or is_unresolved(producer.layer.spec):
            return tensor.origin
        if id(producer) in seen:
            return ""
        seen.add(id(producer))
        unknown_inputs = [t for t in producer.inputs if not is_symbolic(t.shape)]
        if not unknown_inputs:
            return f"an argument of `{producer.layer.display}` not known statically"
        tensor = unknown_inputs[0]
    return ""
