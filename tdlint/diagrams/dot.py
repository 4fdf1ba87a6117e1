"""``ModelDiagram``s as one Graphviz ``digraph``: each model a cluster, and the models nested
in it, the user's layers and the applications of a shared layer clusters inside it."""

from __future__ import annotations

from collections.abc import Sequence

from tdlint.diagrams.graph import (
    CUSTOM,
    INPUT,
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
    numbered,
)

_NODE_ATTRS = {
    INPUT: 'shape=box, style="rounded,filled", fillcolor="#e8f1fb", color="#4a78b0"',
    OUTPUT: 'shape=box, style="rounded,filled", fillcolor="#e9f6ec", color="#3f8f55"',
    OP: 'shape=ellipse, style=filled, fillcolor="#f5f5f5", color="#888888"',
    UNKNOWN: 'style="filled,dashed", fillcolor="#fff6dd", color="#b08a2e"',
    TENSOR: 'shape=parallelogram, style=filled, fillcolor="#ffffff"',
    NOTE: 'shape=note, style=filled, fillcolor="#ffffff"',
}
_FINDING = 'style="filled,bold", fillcolor="#ffe3e3", color="#d02020", penwidth=2'
_GROUP_STYLE = {
    NESTED: 'style="rounded", color="#4a78b0"',
    CUSTOM: 'style="rounded", color="#7a5ab0"',
    SHARED: 'style="dashed", color="#555555"',
}


def quote(text: str) -> str:
    """A DOT quoted string: a backslash and a quote escaped, so no escape sequence of DOT's
    (``\\N``, ``\\l``...) is read in the text and a quote cannot end it."""
    text = "".join(" " if ord(c) < 32 or c == "\x7f" else c for c in text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(lines: Sequence[str]) -> str:
    """The lines of a label, each escaped, joined by DOT's centred line break."""
    return "\\n".join(quote(line)[1:-1] for line in lines).join('""')


def render_dot(diagrams: Sequence[ModelDiagram], params: bool = False) -> str:
    out = [
        "digraph tdlint {",
        '  graph [rankdir=TB, fontname="Helvetica", fontsize=11, newrank=true];',
        '  node [shape=box, style=filled, fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
        '  edge [color="#555555", arrowsize=0.7];',
    ]
    diagrams = numbered(diagrams)
    for diagram in diagrams:
        nodes = {node.id: node for node in diagram.nodes}
        _group(diagram.root, nodes, params, out, "  ")
    for diagram in diagrams:
        out += [f"  {quote(a)} -> {quote(b)};" for a, b in diagram.edges]
        out += _in_order([n.id for n in diagram.nodes if n.kind == INPUT])
    out.append("}")
    return "\n".join(out) + "\n"


def _group(group: Group, nodes: dict[str, Node], params: bool, out: list[str], indent: str) -> None:
    out.append(f"{indent}subgraph {quote('cluster_' + group.id)} {{")
    out.append(f"{indent}  label={label(group.lines(params))};")
    style = _FINDING if group.findings else _GROUP_STYLE.get(group.kind)
    if style:
        out.append(f"{indent}  {style.replace(', ', '; ')};")
    for member in group.members:
        if isinstance(member, Group):
            _group(member, nodes, params, out, indent + "  ")
            continue
        node = nodes[member]
        attrs = _FINDING if node.findings else _NODE_ATTRS.get(node.kind, "")
        extra = f", {attrs}" if attrs else ""
        out.append(f"{indent}  {quote(node.id)} [label={label(node.lines(params))}{extra}];")
    out.append(f"{indent}}}")


def _in_order(inputs: list[str]) -> list[str]:
    """Several inputs side by side in their order (Graphviz may otherwise swap them): on one
    rank, joined by invisible edges."""
    if len(inputs) < 2:
        return []
    chain = " -> ".join(quote(i) for i in inputs)
    return [f"  {{ rank=same; {chain} [style=invis]; }}"]
