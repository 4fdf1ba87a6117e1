"""Checks of diagram text that do not trust tdlint's renderers: a structural reading of a
Mermaid flowchart, Mermaid's own parser (Node.js, where ``.ci/run`` installed it), and
Graphviz's own reading of DOT (``dot -Tjson``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MERMAID_DIR = Path(__file__).parent / "mermaid"

_ID = r"[A-Za-z_][A-Za-z0-9_]*"
_LABEL = r'"[^"]*"'
# A node: its id, then one of Mermaid's bracket pairs around a quoted label.
_SHAPES = [("([", "])"), ("[[", "]]"), ("[/", "/]"), ("[", "]"), ("(", ")"), (">", "]")]
_NODE = re.compile(
    rf"^({_ID})(" + "|".join(rf"{re.escape(a)}{_LABEL}{re.escape(b)}" for a, b in _SHAPES) + r")$"
)
_SUBGRAPH = re.compile(rf"^subgraph ({_ID}) \[({_LABEL})\]$")
_EDGE = re.compile(rf"^({_ID}) --> ({_ID})$")
_CLASSDEF = re.compile(rf"^classDef ({_ID}) [a-z-]+:[^,]+(,[a-z-]+:[^,]+)*$")
_CLASS = re.compile(rf"^class ({_ID}(?:,{_ID})*) ({_ID})$")
_STYLE = re.compile(rf"^style ({_ID}) [a-z-]+:.+$")
_RESERVED = {"end", "subgraph", "graph", "flowchart", "class", "classDef", "style", "direction"}
# Inside a label: entity codes (``#35;``), the line break, and no other ``#``, ``<`` or ``>``.
_ENTITY = re.compile(r"#(\d+|quot|amp|lt|gt);")


@dataclass
class Flowchart:
    """What a Mermaid flowchart says, read line by line."""

    labels: dict[str, list[str]] = field(default_factory=dict)  # id -> label lines, decoded
    edges: list[tuple[str, str]] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)  # subgraph id -> member ids
    parents: dict[str, str] = field(default_factory=dict)  # id -> its subgraph's id
    classes: dict[str, str] = field(default_factory=dict)  # node id -> class name


def decode(label: str) -> list[str]:
    """A quoted Mermaid label as its lines of text."""
    inner = label[1:-1]
    names = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}

    def entity(match: re.Match[str]) -> str:
        code = match.group(1)
        return names[code] if code in names else chr(int(code))

    return [_ENTITY.sub(entity, part) for part in inner.split("<br/>")]


def read_mermaid(text: str) -> Flowchart:
    """The flowchart, or AssertionError naming the first malformed line: a header, each line
    a node, a subgraph, its end, an edge or a style; every id defined once; every edge and
    class between defined ids; subgraphs balanced; labels quoted and escaped."""
    lines = text.splitlines()
    assert lines and re.fullmatch(r"flowchart (TB|TD|BT|LR|RL)", lines[0]), "no flowchart header"
    chart = Flowchart()
    stack: list[str] = []
    defined_classes: set[str] = set()
    pending: list[tuple[int, str]] = []  # edges, classes and styles: checked once all is read
    for number, raw in enumerate(lines[1:], 2):
        line = raw.strip()
        where = f"line {number}: {raw!r}"
        if not line:
            continue
        if m := _SUBGRAPH.match(line):
            _define(chart, m.group(1), m.group(2), stack, where)
            chart.groups[m.group(1)] = []
            stack.append(m.group(1))
        elif line == "end":
            assert stack, f"{where}: `end` without a subgraph"
            stack.pop()
        elif re.fullmatch(r"direction (TB|TD|BT|LR|RL)", line):
            assert stack, f"{where}: direction outside a subgraph"
        elif m := _NODE.match(line):
            label = line[len(m.group(1)) :]
            opening = next(a for a, b in _SHAPES if label.startswith(a) and label.endswith(b))
            closing = next(b for a, b in _SHAPES if a == opening)
            _define(chart, m.group(1), label[len(opening) : -len(closing)], stack, where)
        elif m := _CLASSDEF.match(line):
            defined_classes.add(m.group(1))
        elif _EDGE.match(line) or _CLASS.match(line) or _STYLE.match(line):
            pending.append((number, line))
        else:
            raise AssertionError(f"{where}: not a flowchart statement")
    assert not stack, f"subgraph {stack[-1]} never ends"
    for number, line in pending:
        where = f"line {number}: {line!r}"
        if m := _EDGE.match(line):
            for end in m.groups():
                assert end in chart.labels and end not in chart.groups, f"{where}: no node {end}"
            chart.edges.append((m.group(1), m.group(2)))
        elif m := _CLASS.match(line):
            assert m.group(2) in defined_classes, f"{where}: class {m.group(2)} not defined"
            for node in m.group(1).split(","):
                assert node in chart.labels, f"{where}: no node {node}"
                chart.classes[node] = m.group(2)
        elif m := _STYLE.match(line):
            assert m.group(1) in chart.labels, f"{where}: nothing named {m.group(1)}"
    return chart


def _define(chart: Flowchart, ident: str, label: str, stack: list[str], where: str) -> None:
    assert ident not in _RESERVED, f"{where}: `{ident}` is a keyword"
    assert ident not in chart.labels, f"{where}: {ident} defined twice"
    inner = label[1:-1]
    assert label.startswith('"') and label.endswith('"') and '"' not in inner, (
        f"{where}: label not quoted, or a quote inside it"
    )
    bare = _ENTITY.sub("", inner.replace("<br/>", ""))
    for char in "#<>`":
        assert char not in bare, f"{where}: {char!r} unescaped in a label"
    chart.labels[ident] = decode(label)
    if stack:
        chart.groups[stack[-1]].append(ident)
        chart.parents[ident] = stack[-1]


# -- Mermaid's own parser ------------------------------------------------------------------


def mermaid_parser() -> str | None:
    """Why Mermaid's parser cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (MERMAID_DIR / "node_modules" / "mermaid").is_dir():
        return "Mermaid is not installed (npm install --prefix tests/mermaid, as .ci/run does)"
    return None


def mermaid_parse(texts: list[str]) -> list[dict]:
    """What Mermaid's parser reads in each text (see tests/mermaid/parse.mjs)."""
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for index, text in enumerate(texts):
            path = Path(folder) / f"{index}.mmd"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        done = subprocess.run(
            ["node", str(MERMAID_DIR / "parse.mjs"), *files],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    return json.loads(done.stdout)


# -- Graphviz ------------------------------------------------------------------------------


@dataclass
class DotGraph:
    """A DOT graph as Graphviz reads it."""

    labels: dict[str, list[str]]  # node name -> label lines
    edges: list[tuple[str, str]]
    clusters: dict[str, list[str]]  # cluster name -> the names of the nodes directly in it
    cluster_labels: dict[str, list[str]]


def dot_read(text: str) -> DotGraph:
    """Graphviz's own reading of the DOT text (``dot -Tjson``): it fails on malformed DOT."""
    done = subprocess.run(
        ["dot", "-Tjson"], input=text, capture_output=True, text=True, timeout=120, check=True
    )
    data = json.loads(done.stdout)
    objects = data.get("objects", [])
    nodes = {o["_gvid"]: o for o in objects if "nodes" not in o and "subgraphs" not in o}
    nodes = {k: o for k, o in nodes.items() if not o["name"].startswith("cluster_")}
    labels = {o["name"]: dot_lines(o["label"]) for o in nodes.values()}
    edges = [
        (objects[e["tail"]]["name"], objects[e["head"]]["name"])
        for e in data.get("edges", [])
        if e.get("style") != "invis"  # layout only: inputs kept in their order
    ]
    clusters: dict[str, list[str]] = {}
    cluster_labels: dict[str, list[str]] = {}
    for o in objects:
        if o["name"].startswith("cluster_"):
            inner = set(o.get("nodes", []))
            for sub in o.get("subgraphs", []):
                inner -= set(objects[sub].get("nodes", []))
            clusters[o["name"]] = sorted(objects[i]["name"] for i in inner)
            cluster_labels[o["name"]] = dot_lines(o.get("label", ""))
    return DotGraph(labels, edges, clusters, cluster_labels)


def dot_lines(label: str) -> list[str]:
    """A DOT label as Graphviz keeps it (escapes as written) as its lines of text."""
    lines, current, chars = [], [], iter(label)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            if following and following in "nlr":
                lines.append("".join(current))
                current = []
            else:
                current.append(following)
        else:
            current.append(char)
    return [*lines, "".join(current)]
