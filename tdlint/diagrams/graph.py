"""A model drawn as a graph: what every diagram format renders, and nothing format-specific.

Nodes are layer applications (a layer applied twice is two nodes, grouped as one shared
layer), the model's inputs and outputs; edges are the tensors flowing between them; groups
are the model itself, the models nested in it and the user's layers whose insides are known,
and the applications of a shared layer. Ids come from the model's place in the file's list
and the order of its applications, so the same source gives the same ids on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tdlint.analysis.summary import ModelSummary

# Node kinds.
INPUT, OUTPUT, LAYER, OP, UNKNOWN, TENSOR, NOTE = (
    "input",
    "output",
    "layer",
    "op",
    "unknown",
    "tensor",
    "note",
)
# Group kinds: the model drawn, a model used as a layer, a user's layer class, a shared layer.
MODEL, NESTED, CUSTOM, SHARED = "model", "nested", "custom", "shared"


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    name: str  # ``Dense``, ``TimeDistributed(Dense)``, ``Input``, ``add``
    where: str = ""  # the line (``12``), or ``3:12`` in a notebook's cell 3
    shape: str = ""  # formatted as ``tdlint shapes`` prints it: ``(None, 4)``, ``?``
    params: int | None = None  # None: unknown, or no parameters to speak of (inputs)
    has_params: bool = False  # a layer, whose count (known or not) may be shown
    findings: tuple[str, ...] = ()  # the codes of ``tdlint check`` findings on its lines

    def lines(self, params: bool = False) -> list[str]:
        """The label, line by line: every format shows the same words."""
        head = self.name
        if self.where:
            head += f" (cell {self.where})" if ":" in self.where else f" (line {self.where})"
        lines = [head]
        if self.shape:
            lines.append(self.shape)
        if params and self.has_params:
            lines.append("? params" if self.params is None else f"{self.params:,} params")
        if self.findings:
            lines.append("finding: " + ", ".join(self.findings))
        return lines


@dataclass(frozen=True)
class Group:
    """A box around nodes: ``head`` describes what it stands for (a nested model's or a
    custom layer's application, with its output shape), ``title`` for a model drawn."""

    id: str
    kind: str
    members: tuple[str | Group, ...]  # node ids and groups, in order
    title: str = ""
    head: Node | None = None
    # A last line: a nested model's name (``model encoder``), a shared layer's calls.
    note: str = ""

    def lines(self, params: bool = False) -> list[str]:
        if self.head is None:
            return [self.title]
        lines = self.head.lines(params)
        return [*lines, self.note] if self.note else lines

    @property
    def findings(self) -> tuple[str, ...]:
        return self.head.findings if self.head is not None else ()


@dataclass(frozen=True)
class ModelDiagram:
    summary: ModelSummary
    root: Group  # the model's own group: every node is in it
    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str], ...]  # (from, to) node ids, in the order the flow was met

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.summary.model,
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "name": n.name,
                    "where": n.where,
                    "shape": n.shape,
                    "params": n.params,
                    "findings": list(n.findings),
                }
                for n in self.nodes
            ],
            "edges": [list(e) for e in self.edges],
        }


def summary_title(s: ModelSummary) -> str:
    """``model (m.py:12, functional; built by `build(3)` at line 20)``, as ``tdlint shapes``
    titles its tables."""
    title = f"{s.model} ({s.filename}:{s.where}, {s.kind}"
    if s.call is not None:
        title += f"; built by `{s.call.code}` at line {s.call.line}"
        title += f", #{s.call.occurrence}" if s.call.occurrence else ""
    return title + ")"


def walk(group: Group) -> list[Group]:
    """The group and every group inside it, outermost first."""
    found = [group]
    for member in group.members:
        if isinstance(member, Group):
            found += walk(member)
    return found


def numbered(diagrams: list[ModelDiagram] | tuple[ModelDiagram, ...]) -> list[ModelDiagram]:
    """The diagrams with ids ``m1``, ``m2``... in this order: each file's diagrams are
    numbered from ``m1``, and one output may hold several files' models."""
    return [_renamed(d, f"m{index}") for index, d in enumerate(diagrams, 1)]


def _renamed(diagram: ModelDiagram, mid: str) -> ModelDiagram:
    old = diagram.root.id
    if old == mid:
        return diagram

    def new(node_id: str) -> str:
        return mid + node_id[len(old) :]

    def group(g: Group) -> Group:
        members = tuple(new(m) if isinstance(m, str) else group(m) for m in g.members)
        head = replace(g.head, id=new(g.head.id)) if g.head is not None else None
        return replace(g, id=new(g.id), members=members, head=head)

    nodes = tuple(replace(n, id=new(n.id)) for n in diagram.nodes)
    edges = tuple((new(a), new(b)) for a, b in diagram.edges)
    return replace(diagram, root=group(diagram.root), nodes=nodes, edges=edges)
