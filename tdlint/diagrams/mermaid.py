"""``ModelDiagram``s as a Mermaid flowchart, which GitHub, GitLab, VS Code and Jupyter draw.

Every node is defined inside its group first and every edge comes after all groups: an edge
inside a ``subgraph`` block would pull a node defined later into that subgraph.
"""

from __future__ import annotations

from collections.abc import Sequence

from tdlint.diagrams.graph import (
    INPUT,
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

# Characters that would end a quoted label (``"``) or be read as an entity code (``#35;``
# is ``#``) or as HTML (labels are HTML when drawn), written as Mermaid's entity codes.
# Brackets, braces and ``|`` are text inside quotes (the lexer reads a quoted string up to
# the next quote), and stay as they are: ``x.shape[1]`` reads as itself in the source too.
_ESCAPED = {c: f"#{ord(c)};" for c in '"#&<>`'}

# How each kind of node is drawn: its brackets, and its style class.
_BRACKETS = {
    INPUT: ("([", "])"),
    OUTPUT: ("([", "])"),
    OP: ("(", ")"),
    UNKNOWN: ("[[", "]]"),
    TENSOR: ("[/", "/]"),
    NOTE: (">", "]"),
}
_CLASSES = {
    INPUT: "fill:#e8f1fb,stroke:#4a78b0",
    OUTPUT: "fill:#e9f6ec,stroke:#3f8f55",
    OP: "fill:#f5f5f5,stroke:#888888",
    UNKNOWN: "fill:#fff6dd,stroke:#b08a2e,stroke-dasharray:4 3",
    SHARED: "fill:none,stroke:#555555,stroke-dasharray:6 4",
    "finding": "fill:#ffe3e3,stroke:#d02020,stroke-width:2px",
}


def escape(text: str) -> str:
    """Text for inside a quoted Mermaid label: no quote, bracket, ``<``, ``>``, ``|``, ``#``
    or line break of its own survives."""
    text = "".join(" " if ord(c) < 32 or c == "\x7f" else c for c in text)
    return "".join(_ESCAPED.get(c, c) for c in text)


def label(lines: Sequence[str]) -> str:
    return '"' + "<br/>".join(escape(line) for line in lines) + '"'


def render_mermaid(
    diagrams: Sequence[ModelDiagram], params: bool = False, boxed: bool = True
) -> str:
    """One flowchart for all ``diagrams``; each model in a subgraph of its own unless
    ``boxed`` is False (a Markdown page titles each model and draws one per block)."""
    out = ["flowchart TB"]
    diagrams = numbered(diagrams)
    for diagram in diagrams:
        nodes = {node.id: node for node in diagram.nodes}
        if boxed:
            _group(diagram.root, nodes, params, out, "  ")
        else:
            for member in diagram.root.members:
                _member(member, nodes, params, out, "  ")
    for diagram in diagrams:
        out += [f"  {a} --> {b}" for a, b in diagram.edges]
    out += _styles(diagrams)
    return "\n".join(out) + "\n"


def _member(
    member: str | Group, nodes: dict[str, Node], params: bool, out: list[str], indent: str
) -> None:
    if isinstance(member, Group):
        _group(member, nodes, params, out, indent)
        return
    node = nodes[member]
    opening, closing = _BRACKETS.get(node.kind, ("[", "]"))
    out.append(f"{indent}{node.id}{opening}{label(node.lines(params))}{closing}")


def _group(group: Group, nodes: dict[str, Node], params: bool, out: list[str], indent: str) -> None:
    out.append(f"{indent}subgraph {group.id} [{label(group.lines(params))}]")
    out.append(f"{indent}  direction TB")
    for member in group.members:
        _member(member, nodes, params, out, indent + "  ")
    out.append(f"{indent}end")


def _styles(diagrams: Sequence[ModelDiagram]) -> list[str]:
    """The style classes used, and the nodes and groups in each: a node or a group with a
    finding in red, a shared layer's group dashed. (``class`` rather than ``style`` for a
    group: Mermaid's parser reads ``style ID`` as a node of that id.)"""
    members: dict[str, list[str]] = {}
    for diagram in diagrams:
        for node in diagram.nodes:
            kind = "finding" if node.findings else node.kind
            if kind in _CLASSES:
                members.setdefault(kind, []).append(node.id)
        for group in _groups(diagram.root):
            kind = "finding" if group.findings else group.kind
            if kind in _CLASSES:
                members.setdefault(kind, []).append(group.id)
    lines = [f"  classDef {name} {_CLASSES[name]}" for name in _CLASSES if name in members]
    return lines + [f"  class {','.join(ids)} {name}" for name, ids in members.items()]


def _groups(group: Group) -> list[Group]:
    found = []
    for member in group.members:
        if isinstance(member, Group):
            found += [member, *_groups(member)]
    return found
