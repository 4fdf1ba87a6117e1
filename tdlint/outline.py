"""What is where in a file, for an editor: each layer's construction and applications, and
each variable that holds a tensor, a layer or a model, with the shapes tdlint inferred.

Built once per analysis from the model graph (``Outline.build``), then queried by position
(``Outline.at``) without touching LibCST again: an editor asks on every hover.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from tdlint.analysis.graph import Application, FileGraph, Layer, Model, Tensor
from tdlint.analysis.summary import ModelSummary, summarize_with_nodes, why_unknown
from tdlint.keras.shapes import format_shape, is_known, is_symbolic
from tdlint.positions import module_positions


@dataclass(frozen=True, order=True)
class Span:
    """1-based rows and columns (code points), end exclusive, as ``Diagnostic`` has them."""

    row: int
    column: int
    end_row: int
    end_column: int

    def contains(self, row: int, column: int) -> bool:
        return (self.row, self.column) <= (row, column) <= (self.end_row, self.end_column)

    @property
    def size(self) -> tuple[int, int]:
        return (self.end_row - self.row, self.end_column - self.column)


@dataclass(frozen=True)
class Run:
    """One application of a layer: in one build of a model (a call of the function that
    builds it), the shapes that went in and came out."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    params: int | None
    # Why an output shape is unknown, when one is ("an argument of this layer not known
    # statically", "from no input shape"...).
    note: str = ""
    # Which build it was in: "`build(3)` (line 12)"; "" when there was one way to build it.
    context: str = ""
    # Where the application is (for a layer hovered at its construction).
    row: int = 0


@dataclass(frozen=True)
class LayerInfo:
    """A layer, hovered at its construction or at one of its applications."""

    name: str  # ``Dense``, ``TimeDistributed(Dense)``
    code: str  # the construction, as written (shortened)
    row: int  # where it is constructed
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class TensorInfo:
    """A variable holding tensors: the outputs of an application, or an ``Input``."""

    shapes: tuple[str, ...]
    note: str = ""
    producer: str = ""  # "`Dense` (line 9)", or "" for an input
    context: str = ""


@dataclass(frozen=True)
class ModelInfo:
    summaries: tuple[ModelSummary, ...]


Info = LayerInfo | TensorInfo | ModelInfo


@dataclass(frozen=True)
class Binding:
    """``name = <something tdlint knows>``: where the name is written, and the rows in which
    it can be seen (its function's, or the whole file's)."""

    name: str
    target: Span
    statement_end: int
    scope: tuple[int, int] | None
    infos: tuple[Info, ...]


@dataclass(frozen=True)
class Hit:
    """What is at a position: what is there, and the range it covers."""

    span: Span
    infos: tuple[Info, ...]
    name: str = ""  # the variable, when a variable was hovered


@dataclass(frozen=True)
class LineHint:
    """An inlay hint: the output shape(s) of the layers applied on a line, at its end."""

    row: int
    shapes: tuple[str, ...]


@dataclass
class Outline:
    # Layers at their construction and applications, models, ``Input`` calls: by position.
    layers: list[tuple[Span, Info]] = field(default_factory=list)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    hints: list[LineHint] = field(default_factory=list)

    @classmethod
    def build(cls, graph: FileGraph, filename: str) -> Outline:
        return _Builder(graph, filename).build()

    def at(self, row: int, column: int, word: str = "") -> Hit | None:
        """What is at (row, column), 1-based; ``word``: the identifier there, if any. A
        variable wins over the layer around it (the ``x`` in ``Dense(4)(x)``)."""
        if word:
            binding = self.binding(word, row, column)
            if binding is not None:
                return Hit(binding.target, binding.infos, word)
        inside = [(span, info) for span, info in self.layers if span.contains(row, column)]
        if not inside:
            return None
        span, info = min(inside, key=lambda pair: pair[0].size)
        return Hit(span, (info,))

    def binding(self, name: str, row: int, column: int) -> Binding | None:
        """The assignment of ``name`` seen at (row, column): the one written there, or the
        latest one before it in the innermost function that has one."""
        candidates = self.bindings.get(name, ())
        for binding in candidates:
            if binding.target.contains(row, column):
                return binding
        visible = [
            b
            for b in candidates
            if b.statement_end < row and (b.scope is None or b.scope[0] <= row <= b.scope[1])
        ]
        if not visible:
            return None

        def nearest(b: Binding) -> tuple[int, int]:
            depth = -(b.scope[1] - b.scope[0]) if b.scope is not None else -(10**9)
            return (depth, b.statement_end)

        return max(visible, key=nearest)


# ---------------------------------------------------------------------------- building


def _code(module: cst.Module, node: cst.CSTNode, limit: int = 60) -> str:
    text = " ".join(module.code_for_node(node).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Builder:
    def __init__(self, graph: FileGraph, filename: str) -> None:
        self.graph = graph
        self.module = graph.module
        self.positions: Mapping[Any, Any] = module_positions(graph.module)
        self.summaries = summarize_with_nodes(graph, filename, self.positions)
        self.model_of: dict[int, Model] = {}
        superseded = {id(m.node) for m in graph.models if not m.generic}
        self.skipped: set[int] = set()
        for model in graph.models:
            for app in model.applications:
                self.model_of.setdefault(id(app), model)
            if model.generic and id(model.node) in superseded:
                self.skipped.update(id(app) for app in model.applications)

    def span(self, node: cst.CSTNode) -> Span:
        code_range = self.positions[node]
        start, end = code_range.start, code_range.end
        return Span(start.line, start.column + 1, end.line, end.column + 1)

    def build(self) -> Outline:
        outline = Outline()
        models = self.models()
        by_node: dict[int, tuple[cst.CSTNode, list[Layer]]] = {}
        for layer in self.graph.layers:
            by_node.setdefault(id(layer.call), (layer.call, []))[1].append(layer)
        layer_infos: dict[int, LayerInfo] = {}
        placed: set[int] = set()
        for node, layers in by_node.values():
            apps = [a for layer in layers for a in layer.applications if id(a) not in self.skipped]
            info = LayerInfo(
                name=layers[0].display,
                code=_code(self.module, node),
                row=self.span(node).row,
                runs=_merged(self.run(a) for a in apps),
            )
            layer_infos[id(node)] = info
            for where in (node, *(a.node for a in apps)):
                if id(where) not in placed:
                    placed.add(id(where))
                    # A model used as a layer (``Sequential([...])``) is shown as a model.
                    outline.layers.append((self.span(where), models.get(id(where), info)))
        for tensor in self.graph.inputs:  # ``keras.Input(...)``: the tensor it makes
            if tensor.node is not None and id(tensor.node) not in placed:
                placed.add(id(tensor.node))
                outline.layers.append((self.span(tensor.node), _input(tensor)))
        outline.layers.sort(key=lambda pair: pair[0])
        outline.hints = self.hints()
        outline.bindings = self.bindings(layer_infos, models)
        return outline

    def models(self) -> dict[int, ModelInfo]:
        """The expressions that make a model (its ``Sequential(...)``, the call of the
        function that built it...), each with the summaries of what it made."""
        found: dict[int, list[ModelSummary]] = {}
        for nodes, summary in self.summaries:
            for node in nodes:
                found.setdefault(id(node), []).append(summary)
        return {node_id: ModelInfo(tuple(summaries)) for node_id, summaries in found.items()}

    def run(self, app: Application) -> Run:
        model = self.model_of.get(id(app))
        return Run(
            inputs=tuple(format_shape(t.shape) for t in app.inputs),
            outputs=tuple(format_shape(t.shape) for t in app.outputs),
            params=app.params if is_known(app.params) else None,
            note=why_unknown(app),
            context=self.context(model),
            row=self.positions[app.node].start.line,
        )

    def context(self, model: Model | None) -> str:
        if model is None:
            return ""
        if model.call is not None:
            return f"`{_code(self.module, model.call, 40)}` (line {self.span(model.call).row})"
        if model.generic:
            return "its function's parameters unknown"
        return ""

    def hints(self) -> list[LineHint]:
        rows: dict[int, list[str]] = {}
        for app in self.graph.applications:
            if id(app) in self.skipped or not app.outputs:
                continue
            row = self.span(app.node).end_row
            shapes = ", ".join(format_shape(t.shape) for t in app.outputs)
            found = rows.setdefault(row, [])
            if shapes not in found:
                found.append(shapes)
        return [LineHint(row, tuple(shapes)) for row, shapes in sorted(rows.items())]

    def bindings(
        self, layer_infos: dict[int, LayerInfo], models: dict[int, ModelInfo]
    ) -> dict[str, list[Binding]]:
        """Each ``name = value`` whose value tdlint knows as a tensor, a layer or a model."""
        values: dict[int, list[Info]] = {}
        for app in self.graph.applications:
            if id(app) not in self.skipped and app.outputs:
                values.setdefault(id(app.node), []).append(self.tensor(app))
        for tensor in self.graph.inputs:
            if tensor.node is not None:
                values.setdefault(id(tensor.node), []).append(_input(tensor))
        for node_id, info in layer_infos.items():
            values.setdefault(node_id, []).insert(0, info)
        for node_id, model in models.items():
            values[node_id] = [model]  # a model applied is still a model
        found: dict[str, list[Binding]] = {}
        for target, value, statement, scope in _assignments(self.module):
            infos = values.get(id(value))
            if infos:
                binding = Binding(
                    name=target.value,
                    target=self.span(target),
                    statement_end=self.span(statement).end_row,
                    scope=None if scope is None else _rows(self.span(scope)),
                    infos=_merged(infos),
                )
                found.setdefault(binding.name, []).append(binding)
        return found

    def tensor(self, app: Application) -> TensorInfo:
        model = self.model_of.get(id(app))
        return TensorInfo(
            shapes=tuple(format_shape(t.shape) for t in app.outputs),
            note=why_unknown(app),
            producer=f"`{app.layer.display}` (line {self.span(app.node).row})",
            context=self.context(model),
        )


def _input(tensor: Tensor) -> TensorInfo:
    note = "" if is_symbolic(tensor.shape) else tensor.origin
    return TensorInfo(shapes=(format_shape(tensor.shape),), note=note)


def _rows(span: Span) -> tuple[int, int]:
    return (span.row, span.end_row)


def _merged(items: Iterable[Any]) -> tuple[Any, ...]:
    """Distinct items; runs or tensors that differ only in the build they were in are one,
    with no build named (the same shapes whichever way the function was called)."""
    found: list[Any] = []
    for item in items:
        if item not in found:
            found.append(item)
    contextual = [i for i in found if isinstance(i, Run | TensorInfo) and i.context]
    if len(contextual) > 1 and len({replace(i, context="") for i in contextual}) == 1:
        first = found.index(contextual[0])
        found = [i for i in found if i not in contextual]
        found.insert(first, replace(contextual[0], context=""))
    return tuple(found)


def _assignments(
    module: cst.Module,
) -> list[tuple[cst.Name, cst.BaseExpression, cst.CSTNode, cst.FunctionDef | None]]:
    """(name, value, statement, enclosing function) for every ``name = value`` (and each
    element of ``a, b = x, y``), and every class (its name, itself). Expressions are not
    walked into: only statements hold assignments."""
    visitor = _Assignments()
    module.visit(visitor)
    return visitor.found


class _Assignments(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[
            tuple[cst.Name, cst.BaseExpression, cst.CSTNode, cst.FunctionDef | None]
        ] = []
        self.functions: list[cst.FunctionDef] = []
        self.statement: cst.CSTNode | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.FunctionDef):
            self.functions.append(node)
        elif isinstance(node, cst.SimpleStatementLine):
            self.statement = node
        elif isinstance(node, cst.ClassDef):  # a model class: its name is its summary
            scope = self.functions[-1] if self.functions else None
            self.found.append((node.name, node, node, scope))  # type: ignore[arg-type]
        elif isinstance(node, cst.Assign | cst.AnnAssign):
            self.assignment(node)
            return False
        return not isinstance(node, cst.BaseExpression)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, cst.FunctionDef):
            self.functions.pop()

    def assignment(self, node: cst.Assign | cst.AnnAssign) -> None:
        if node.value is None:
            return
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        else:
            targets = [node.target]
        scope = self.functions[-1] if self.functions else None
        statement = self.statement or node
        for target in targets:
            if isinstance(target, cst.Name):
                self.found.append((target, node.value, statement, scope))
            elif isinstance(target, cst.Tuple | cst.List) and isinstance(
                node.value, cst.Tuple | cst.List
            ):
                for element, value in zip(target.elements, node.value.elements, strict=False):
                    if isinstance(element.value, cst.Name):
                        self.found.append((element.value, value.value, statement, scope))
