"""From the model graph to ``ModelDiagram``s: one per summary of ``tdlint shapes``.

Reads what the analysis recorded (applications with their input and output tensors, the
models nested as layers, the first run of a user's layer) and nothing else: the tree is not
walked again. A model used as a layer is drawn with its own layers inside a group, run on the
shapes it is applied to (as Keras's ``plot_model(expand_nested=True)`` draws it); a user's
layer class with the layers its ``call`` applied the first time it ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from tdlint.analysis.blocks import dotted
from tdlint.analysis.classes import UserLayerSpec
from tdlint.analysis.graph import Application, Model, Tensor
from tdlint.analysis.nested import ModelAsLayer, built_at_first_call
from tdlint.analysis.summary import ModelSummary, RowShape, Source, format_row_shape
from tdlint.analysis.unresolved import is_unresolved
from tdlint.diagrams.graph import (
    CUSTOM,
    INPUT,
    LAYER,
    MODEL,
    NESTED,
    NOTE,
    OP,
    OUTPUT,
    SHARED,
    TENSOR,
    UNKNOWN,
    Group,
    ModelDiagram,
    Node,
    summary_title,
)
from tdlint.keras.catalogue import LayerShapeError
from tdlint.keras.shapes import format_shape, is_known


@dataclass(frozen=True)
class Finding:
    """Where ``tdlint check`` reported a code: 1-based row and column."""

    row: int
    column: int
    code: str


# How deep models nested in models (in models...) are drawn; deeper ones are one node.
MAX_DEPTH = 8

# An application's (output shape, parameters) when they are not the ones it recorded (a
# Sequential built at its first call, a nested model run on the shapes it was applied to).
Overrides = Mapping[int, tuple[Any, Any]]


@dataclass
class _Builder:
    positions: Mapping[Any, Any]
    place: Callable[[int], str]  # a line of the source -> ``12`` or ``3:12``
    findings: Sequence[Finding]  # the file's findings, when asked
    nodes: list[Node] = field(default_factory=list)
    edges: dict[tuple[str, str], None] = field(default_factory=dict)  # ordered, once each
    drawn: set[int] = field(default_factory=set)  # ids of the models being drawn (no loops)
    # The source ranges of each node (and group head) a finding may be on.
    spans: dict[str, list[Any]] = field(default_factory=dict)

    def line(self, node: Any) -> int | None:
        where = self.positions.get(node) if node is not None else None
        return None if where is None else where.start.line

    def where(self, node: Any) -> str:
        line = self.line(node)
        return "" if line is None else self.place(line)

    def spanned(self, nid: str, *nodes: Any) -> None:
        """Remember where ``nid`` is in the source, for the findings there."""
        if self.findings:
            found = [self.positions.get(n) for n in nodes if n is not None]
            self.spans[nid] = [where for where in found if where is not None]

    def add(self, node: Node) -> str:
        self.nodes.append(node)
        return node.id

    def edge(self, source: str | None, target: str) -> None:
        if source is not None:
            self.edges.setdefault((source, target), None)

    # -- one scope: a model's applications, or a custom layer's ----------------------------

    def scope(
        self,
        apps: Sequence[Application],
        producers: dict[int, str | None],
        prefix: str,
        overrides: Overrides,
        depth: int,
    ) -> list[str | Group]:
        """Nodes and groups for ``apps`` (in order), with edges from the nodes that made
        their inputs (``producers``: tensor id -> node id, filled in as outputs are made)."""
        inner = _applied_inside(apps)
        visible = [app for app in apps if id(app) not in inner]
        counts: dict[int, int] = {}
        for app in visible:
            counts[id(app.layer)] = counts.get(id(app.layer), 0) + 1
        members: list[str | Group] = []
        groups: dict[int, str] = {}  # a shared layer's id -> its group's id
        shared: dict[str, list[str | Group]] = {}  # a group's id -> its applications' nodes
        calls: dict[str, list[Application]] = {}  # a group's id -> its applications
        expanded: set[int] = set()
        for index, app in enumerate(visible, 1):
            nid = f"{prefix}n{index}"
            item = self.application(app, producers, nid, overrides, depth, expanded)
            if counts[id(app.layer)] == 1:
                members.append(item)
                continue
            if id(app.layer) not in groups:  # the group stands where the layer is first used
                gid = groups[id(app.layer)] = f"{nid}s"
                members.append(Group(gid, SHARED, ()))
                shared[gid] = []
                calls[gid] = []
            shared[groups[id(app.layer)]].append(item)
            calls[groups[id(app.layer)]].append(app)
        heads = {gid: self.shared_head(gid, apps, overrides) for gid, apps in calls.items()}
        return [_filled(m, shared, heads) for m in members]

    def shared_head(self, gid: str, apps: list[Application], overrides: Overrides) -> Node:
        """A shared layer's box, titled as its summary row: one output shape when every call
        gives the same, else ``?``."""
        results = [_result(app, overrides) for app in apps]
        shapes = {format_row_shape(output) for output, _ in results}
        params = results[0][1]
        first = apps[0]
        return Node(
            f"{gid}h",
            LAYER,
            _name(first),
            self.where(first.layer.call),
            shapes.pop() if len(shapes) == 1 else "?",
            params if is_known(params) else None,
            has_params=True,
        )

    def application(
        self,
        app: Application,
        producers: dict[int, str | None],
        nid: str,
        overrides: Overrides,
        depth: int,
        expanded: set[int],
    ) -> str | Group:
        spec = app.layer.spec
        if depth < MAX_DEPTH and isinstance(spec, ModelAsLayer):
            group = self.nested_model(app, spec.model, producers, nid, overrides, depth)
            if group is not None:
                return group
        if depth < MAX_DEPTH and isinstance(spec, UserLayerSpec) and id(spec) not in expanded:
            group = self.custom_layer(app, spec, producers, nid, overrides, depth)
            if group is not None:
                expanded.add(id(spec))  # its insides are those of its first run only
                return group
        node = self.add(self.layer_node(app, nid, overrides))
        for tensor in app.all_inputs:
            self.edge(self.source(tensor, producers, nid), node)
        for tensor in app.outputs:
            producers[id(tensor)] = node
        return node

    def layer_node(self, app: Application, nid: str, overrides: Overrides) -> Node:
        spec = app.layer.spec
        output, params = _result(app, overrides)
        kind = UNKNOWN if is_unresolved(spec) else OP if spec.is_op else LAYER
        self.spanned(nid, app.node, app.layer.call)
        return Node(
            nid,
            kind,
            _name(app),
            self.where(app.layer.call),
            format_row_shape(output),
            params if is_known(params) else None,
            has_params=kind != OP,
        )

    def source(self, tensor: Tensor, producers: dict[int, str | None], nid: str) -> str | None:
        """The node a tensor comes from; a tensor of unknown origin gets a node of its own
        (once), a constant none."""
        if id(tensor) in producers:
            return producers[id(tensor)]
        if tensor.constant:
            return None
        node = self.add(
            Node(
                f"{nid}t{len(producers)}", TENSOR, "tensor", self.where(tensor.node), _shape(tensor)
            )
        )
        producers[id(tensor)] = node
        return node

    # -- groups: a nested model, a user's layer ----------------------------------------------

    def nested_model(
        self,
        app: Application,
        model: Model,
        producers: dict[int, str | None],
        gid: str,
        overrides: Overrides,
        depth: int,
    ) -> Group | None:
        if model.uncertain or id(model) in self.drawn or len(model.inputs) != len(app.inputs):
            return None
        try:
            run = ModelAsLayer(model).rerun_layers([t.shape for t in app.inputs])
        except LayerShapeError:
            run = None  # the rules report it; the layers are drawn with the shapes they had
        inner: dict[int, str | None] = {}
        for outer, mine in zip(app.inputs, model.inputs, strict=True):
            inner[id(mine)] = self.source(outer, producers, gid)
        self.drawn.add(id(model))
        members = self.scope(model.applications, inner, f"{gid}_", run[2] if run else {}, depth + 1)
        self.drawn.discard(id(model))
        for outer, mine in zip(app.outputs, _model_outputs(model), strict=False):
            producers[id(outer)] = inner.get(id(mine))
        head = self.layer_node(app, f"{gid}h", overrides)
        named = model.name or model.keras_name
        note = f"model {named}" if named else ""
        return Group(gid, NESTED, tuple(members), head=head, note=note)

    def custom_layer(
        self,
        app: Application,
        spec: UserLayerSpec,
        producers: dict[int, str | None],
        gid: str,
        overrides: Overrides,
        depth: int,
    ) -> Group | None:
        first = spec.first
        if first is None or first.run.given is None or not first.applications:
            return None
        given = _tensors(first.run.given)
        if len(given) != len(app.inputs):
            return None
        inner: dict[int, str | None] = {}
        for outer, mine in zip(app.inputs, given, strict=True):
            inner[id(mine)] = self.source(outer, producers, gid)
        members = self.scope(first.applications, inner, f"{gid}_", {}, depth + 1)
        for outer, mine in zip(app.outputs, _tensors(first.run.returned), strict=False):
            producers[id(outer)] = inner.get(id(mine))
        head = self.layer_node(app, f"{gid}h", overrides)
        return Group(gid, CUSTOM, tuple(members), head=head)

    # -- a whole model -----------------------------------------------------------------------

    def model(self, source: Source, summary: ModelSummary, mid: str) -> ModelDiagram:
        members: list[str | Group] = []
        producers: dict[int, str | None] = {}
        if isinstance(source, Model):
            inputs, outputs = source.inputs, _model_outputs(source)
            built = built_at_first_call(source)
            apps, overrides = source.applications, built.apps if built else {}
            self.drawn.add(id(source))
        elif source is not None and source.first is not None and source.first.run.given:
            inputs = _tensors(source.first.run.given)
            outputs = _tensors(source.first.run.returned)
            apps, overrides = source.first.applications, {}
        else:
            inputs, outputs, apps, overrides = [], [], [], {}
        several = len(inputs) > 1
        for index, (tensor, shape) in enumerate(_shapes(inputs, summary.inputs), 1):
            named = _input_name(tensor.node)
            name = f"Input {named or index}" if several or named else "Input"
            node = Node(f"{mid}_in{index}", INPUT, name, self.where(tensor.node), shape)
            self.spanned(node.id, tensor.node)  # ``Input(shape=...)``: findings there too
            producers[id(tensor)] = self.add(node)
            members.append(node.id)
        members += self.scope(apps, producers, f"{mid}_", overrides, 0)
        several = len(outputs) > 1
        for index, (tensor, shape) in enumerate(_shapes(outputs, summary.outputs), 1):
            name = f"Output {index}" if several else "Output"
            node = self.add(Node(f"{mid}_out{index}", OUTPUT, name, "", shape))
            self.edge(producers.get(id(tensor)), node)
            members.append(node)
        if not apps:
            reason = summary.empty_reason or "no layers known"
            members.append(self.add(Node(f"{mid}_note", NOTE, f"No layers known ({reason})")))
        root = Group(mid, MODEL, tuple(members), title=summary_title(summary))
        marks = _marks(self.findings, self.spans)
        nodes = tuple(replace(n, findings=marks.get(n.id, ())) for n in self.nodes)
        return ModelDiagram(summary, _marked(root, marks), nodes, tuple(self.edges))


def build_diagrams(
    sources: Iterable[tuple[Source, ModelSummary]],
    positions: Mapping[Any, Any],
    place: Callable[[int], str] = str,
    findings: Sequence[Finding] = (),
) -> list[ModelDiagram]:
    """One diagram per summary, ids ``m1``, ``m2``... in the summaries' order, with the
    file's ``findings`` (if any) on the nodes whose source holds them."""
    diagrams = []
    for index, (source, summary) in enumerate(sources, 1):
        builder = _Builder(positions, place, findings)
        diagram = builder.model(source, summary, f"m{index}")
        diagrams.append(diagram)
    return diagrams


def _marks(findings: Sequence[Finding], spans: dict[str, list[Any]]) -> dict[str, tuple[str, ...]]:
    """The codes on each node: a finding goes to the nodes whose source range holds its
    position (several layers may share a line: ``Sequential([Dense(4), Dense(2)])``), or,
    when none does, to the nodes on its line (one reported at the start of a statement)."""
    marks: dict[str, set[str]] = {}
    for finding in findings:
        at = (finding.row, finding.column - 1)  # LibCST's columns start at 0
        holding = [nid for nid, ranges in spans.items() if any(_holds(r, at) for r in ranges)]
        if not holding:
            holding = [
                nid for nid, ranges in spans.items()
                if any(r.start.line <= finding.row <= r.end.line for r in ranges)
            ]  # fmt: skip
        for nid in holding:
            marks.setdefault(nid, set()).add(finding.code)
    return {nid: tuple(sorted(codes)) for nid, codes in marks.items()}


def _holds(where: Any, at: tuple[int, int]) -> bool:
    return (where.start.line, where.start.column) <= at < (where.end.line, where.end.column)


def _marked(group: Group, marks: dict[str, tuple[str, ...]]) -> Group:
    members = tuple(m if isinstance(m, str) else _marked(m, marks) for m in group.members)
    head = group.head
    if head is not None:
        head = replace(head, findings=marks.get(head.id, ()))
    return replace(group, members=members, head=head)


def _applied_inside(apps: Sequence[Application]) -> set[int]:
    """The applications a user's layer made inside its ``call`` (its first run's), which
    ``apps`` may list with the layer's own: they are drawn in the layer's group."""
    inside: set[int] = set()
    for app in apps:
        spec = app.layer.spec
        if isinstance(spec, UserLayerSpec) and spec.first is not None:
            inside.update(id(a) for a in spec.first.applications if a is not app)
    return inside


def _filled(
    member: str | Group, shared: dict[str, list[str | Group]], heads: dict[str, Node]
) -> str | Group:
    """A shared layer's group, with its applications, once all of them are drawn."""
    if isinstance(member, Group) and member.id in shared:
        calls = shared[member.id]
        note = f"shared: {len(calls)} calls"
        return Group(member.id, SHARED, tuple(calls), head=heads[member.id], note=note)
    return member


def _result(app: Application, overrides: Overrides) -> tuple[RowShape, Any]:
    """An application's output shape (one, several, or None) and parameters, as a summary
    row gives them."""
    if id(app) in overrides:
        return overrides[id(app)]
    shapes = [t.shape for t in app.outputs]
    output: RowShape = shapes[0] if len(shapes) == 1 else shapes or None
    return output, app.params


def _name(app: Application) -> str:
    """A layer's class as the summary names it; an op as it was called (``ops.mean``: the
    catalogue's names, ``reduce``, group several), ``add`` for ``+``."""
    spec = app.layer.spec
    if is_unresolved(spec):
        return spec.label  # type: ignore[attr-defined]
    if spec.is_op and isinstance(app.node, cst.Call):
        return dotted(app.node.func) or app.layer.display
    return app.layer.display


def _shape(tensor: Tensor) -> str:
    return format_shape(tensor.shape)


def _shapes(tensors: Sequence[Tensor], summarised: Sequence[Any]) -> list[tuple[Tensor, str]]:
    """Each tensor with its shape as the summary gives it (a Sequential built at its first
    call has its input shape from there), or its own."""
    found = []
    for index, tensor in enumerate(tensors):
        shape = summarised[index] if index < len(summarised) else tensor.shape
        found.append((tensor, format_shape(shape)))
    return found


def _input_name(node: Any) -> str | None:
    """The ``name="title"`` of an ``Input(...)`` call, when written as a string literal."""
    if not isinstance(node, cst.Call):
        return None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "name":
            value = arg.value
            if isinstance(value, cst.SimpleString):
                text = value.evaluated_value
                return text if isinstance(text, str) and text else None
    return None


def _model_outputs(model: Model) -> list[Tensor]:
    if model.kind == "sequential":
        return model.current_all or ([model.current] if model.current is not None else [])
    return list(model.outputs)


def _tensors(value: Any) -> list[Tensor]:
    """The tensors in what a ``call`` was given or returned (one, or a list, tuple or dict
    of them), in order."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _tensors(item)]
    return []
