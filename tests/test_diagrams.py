"""Diagrams of models (``tdlint shapes --output-format mermaid|dot|markdown``): snapshots
read and checked by hand, Mermaid's own parser and Graphviz on the output, every layer of the
JSON output on the picture, and edges along the data flow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from diagram_checks import (
    decode,
    dot_lines,
    dot_read,
    mermaid_parse,
    mermaid_parser,
    read_mermaid,
)

from tdlint.analysis.summary import ModelSummary
from tdlint.api import infer_diagrams, infer_notebook_diagrams, infer_shapes
from tdlint.config import Selection
from tdlint.diagrams.dot import render_dot
from tdlint.diagrams.graph import INPUT, LAYER, MODEL, OUTPUT, Group, ModelDiagram, Node
from tdlint.diagrams.markdown import render_markdown
from tdlint.diagrams.mermaid import render_mermaid

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).parent / "snapshots" / "diagrams"
MODELS = sorted(p.stem for p in SNAPSHOTS.glob("*.py"))
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
NO_DOT = "Graphviz's `dot` is not on PATH (.ci/run installs it)"


def diagrams_of(name: str) -> list[ModelDiagram]:
    path = SNAPSHOTS / f"{name}.py"
    return infer_diagrams(path.read_text(encoding="utf-8"), path.name)


def heads(chart_labels: dict[str, list[str]], edges: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Edges as (first label line, first label line): what a reader sees joined."""
    return {(chart_labels[a][0], chart_labels[b][0]) for a, b in edges}


# -- snapshots: written by the tool once, then read and checked by hand (shapes, parameter
# -- counts and every edge worked out from the source); any change must be looked at again.


@pytest.mark.parametrize("name", MODELS)
def test_mermaid_snapshot(name: str) -> None:
    expected = (SNAPSHOTS / f"{name}.mmd").read_text(encoding="utf-8")
    assert render_mermaid(diagrams_of(name), params=True) == expected


@pytest.mark.parametrize("name", ["branches", "nested_sequential"])
def test_dot_snapshot(name: str) -> None:
    expected = (SNAPSHOTS / f"{name}.dot").read_text(encoding="utf-8")
    params = name == "branches"
    assert render_dot(diagrams_of(name), params=params) == expected


# -- the edges follow the tensors ---------------------------------------------------------


def test_chain_and_merge() -> None:
    chart = read_mermaid(render_mermaid(diagrams_of("branches")))
    assert heads(chart.labels, chart.edges) == {
        ("Input (line 4)", "Dense (line 5)"),
        ("Dense (line 5)", "Dense (line 6)"),  # the branches
        ("Dense (line 5)", "Dense (line 7)"),
        ("Dense (line 6)", "Concatenate (line 8)"),  # the merge: both predecessors
        ("Dense (line 7)", "Concatenate (line 8)"),
        ("Concatenate (line 8)", "Dense (line 9)"),
        ("Dense (line 9)", "Output"),
    }


def test_multi_input_multi_output() -> None:
    chart = read_mermaid(render_mermaid(diagrams_of("multi_io")))
    assert heads(chart.labels, chart.edges) == {
        ("Input title (line 4)", "Embedding (line 6)"),
        ("Embedding (line 6)", "LSTM (line 7)"),
        ("LSTM (line 7)", "Concatenate (line 8)"),
        ("Input tags (line 5)", "Concatenate (line 8)"),
        ("Concatenate (line 8)", "Dense (line 9)"),
        ("Concatenate (line 8)", "Dense (line 10)"),
        ("Dense (line 9)", "Output 1"),
        ("Dense (line 10)", "Output 2"),
    }
    kinds = {n.id: n.kind for n in diagrams_of("multi_io")[0].nodes}
    assert [k for k in kinds.values() if k in (INPUT, OUTPUT)] == [INPUT, INPUT, OUTPUT, OUTPUT]


def test_shared_layer_is_one_group_and_keeps_both_paths_apart() -> None:
    chart = read_mermaid(render_mermaid(diagrams_of("shared_layer")))
    nodes = {i: lines for i, lines in chart.labels.items() if i not in chart.groups}
    embedding = [i for i, lines in nodes.items() if lines[0] == "Embedding (line 6)"]
    lstm = [i for i, lines in nodes.items() if lines[0] == "LSTM (line 7)"]
    assert len(embedding) == len(lstm) == 2  # one node per application...
    group = {chart.parents[i] for i in embedding}
    assert len(group) == 1  # ...in one box for the one layer
    # Titled as its summary row, with its calls counted.
    assert chart.labels[group.pop()] == ["Embedding (line 6)", "(None, None, 8)", "shared: 2 calls"]
    assert len({chart.parents[i] for i in lstm}) == 1
    # The left input goes through the first applications only, the right through the second.
    left, right = embedding
    edges = set(chart.edges)
    into = {a for a, b in edges if b == left} | {a for a, b in edges if b == right}
    assert {chart.labels[a][0] for a in into} == {"Input 1 (line 4)", "Input 2 (line 5)"}
    assert not ({(a, left) for a in into} & {(a, right) for a in into})
    assert {(left, lstm[0]), (right, lstm[1])} <= edges
    assert (left, lstm[1]) not in edges and (right, lstm[0]) not in edges


def test_a_shared_layer_with_calls_of_different_shapes() -> None:
    source = (
        "import keras\nfrom keras import layers\n"
        "a = keras.Input(shape=(4,))\n"
        "b = keras.Input(shape=(3, 4))\n"
        "shared = layers.Dense(2)\n"
        "model = keras.Model([a, b], [shared(a), shared(b)])\n"
    )
    (summary,) = infer_shapes(source, "s.py")
    assert summary.to_json()["layers"][0]["output_shape"] is None  # no single shape
    chart = read_mermaid(render_mermaid(infer_diagrams(source, "s.py"), params=True))
    assert chart.labels["m1_n1s"] == ["Dense (line 5)", "?", "10 params", "shared: 2 calls"]
    assert chart.labels["m1_n1"] == ["Dense (line 5)", "(None, 2)", "10 params"]
    assert chart.labels["m1_n2"] == ["Dense (line 5)", "(None, 3, 2)", "10 params"]
    assert set(chart.edges) == {
        ("m1_in1", "m1_n1"), ("m1_in2", "m1_n2"), ("m1_n1", "m1_out1"), ("m1_n2", "m1_out2"),
    }  # fmt: skip


def test_nested_sequential_is_a_group_between_the_outer_tensors() -> None:
    chart = read_mermaid(render_mermaid(diagrams_of("nested_sequential")))
    outer = [i for i in chart.groups if chart.labels[i][0] == "Sequential (line 4)"]
    assert len(outer) == 1
    assert chart.labels[outer[0]] == ["Sequential (line 4)", "(None, 8)", "model encoder"]
    first, second = chart.groups[outer[0]]
    assert chart.labels[first][:2] == ["Dense (line 4)", "(None, 32)"]
    assert chart.labels[second][:2] == ["Dense (line 4)", "(None, 8)"]
    inputs = [i for i in chart.labels if chart.labels[i][0] == "Input (line 6)"]
    dense = [i for i in chart.labels if chart.labels[i][0] == "Dense (line 8)"]
    assert {(inputs[0], first), (first, second), (second, dense[0])} <= set(chart.edges)


def test_custom_layer_shows_its_call() -> None:
    chart = read_mermaid(render_mermaid(diagrams_of("custom_layer")))
    box = next(g for g in chart.groups if chart.labels[g][0] == "Residual (line 16)")
    assert chart.labels[box][1] == "(None, None, 16)"
    inside = [chart.labels[i][0] for i in chart.groups[box]]
    assert inside == ["Dense (line 8)", "Dense (line 9)", "add (line 12)"]
    assert heads(chart.labels, chart.edges) == {
        ("Input (line 15)", "Dense (line 8)"),
        ("Dense (line 8)", "Dense (line 9)"),
        ("Dense (line 9)", "add (line 12)"),
        ("Input (line 15)", "add (line 12)"),  # the residual connection
        ("add (line 12)", "Dense (line 17)"),
        ("Dense (line 17)", "Output"),
    }


def test_helper_function_applications_are_separate_nodes() -> None:
    chart = read_mermaid(render_mermaid(diagrams_of("helper_function")))
    order = [chart.labels[i][:2] for i in chart.groups["m1"]]
    assert order == [
        ["Input (line 13)", "(None, 128, 2)"],
        ["Conv1D (line 8)", "(None, 128, 8)"],
        ["ReLU (line 9)", "(None, 128, 8)"],
        ["Conv1D (line 8)", "(None, 128, 16)"],
        ["ReLU (line 9)", "(None, 128, 16)"],
        ["GlobalMaxPooling1D (line 16)", "(None, 16)"],
        ["Dense (line 17)", "(None, 5)"],
        ["Output", "(None, 5)"],
    ]
    ids = chart.groups["m1"]
    assert chart.edges == list(zip(ids, ids[1:], strict=False))  # a chain, in that order


# -- every layer of the JSON output is on the picture, with its shape ---------------------


def json_shape(shape: object) -> str:
    """A shape of ``tdlint shapes --output-format json`` written as Keras prints it: worked
    out here, not taken from tdlint's formatter."""
    if shape is None:
        return "?"
    assert isinstance(shape, list)
    if (
        shape
        and all(isinstance(s, list) or s is None for s in shape)
        and any(isinstance(s, list) for s in shape)
    ):
        return "[" + ", ".join(json_shape(s) for s in shape) + "]"
    dims = ["None" if d is None else str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def _with_layers(paths: list[Path]) -> list[Path]:
    """The files where tdlint knows some layers (a subclassed model never built has none)."""
    return [p for p in paths if any(s.layers for s in infer_shapes(p.read_text("utf-8"), p.name))]


CORPUS = _with_layers([SNAPSHOTS / f"{m}.py" for m in MODELS] + EXAMPLES)


def test_the_corpus_is_not_empty() -> None:
    assert len(CORPUS) >= 14


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_json_layer_appears_with_its_shape(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rows = [
        (row["layer"], row["line"], json_shape(row["output_shape"]))
        for summary in infer_shapes(text, path.name)
        for row in summary.to_json()["layers"]
    ]
    assert rows, "a corpus file without layers proves nothing"
    diagrams = infer_diagrams(text, path.name)
    chart = read_mermaid(render_mermaid(diagrams))
    drawn = {(lines[0], lines[1]) for lines in chart.labels.values() if len(lines) > 1}
    for layer, line, shape in rows:
        assert (f"{layer} (line {line})", shape) in drawn, (layer, line, shape)
    if shutil.which("dot"):
        graph = dot_read(render_dot(diagrams))
        labels = [*graph.labels.values(), *graph.cluster_labels.values()]
        in_dot = {(lines[0], lines[1]) for lines in labels if len(lines) > 1}
        for layer, line, shape in rows:
            assert (f"{layer} (line {line})", shape) in in_dot, (layer, line, shape)


def test_symbolic_and_unknown_dims() -> None:
    source = (
        "import keras\nimport numpy as np\nfrom keras import layers\n"
        'X = np.load("x.npy")\n'
        "inputs = keras.Input(shape=(X.shape[1],))\n"
        "h = layers.Dense(4)(inputs)\n"
        "y = mystery(h)\n"
        "model = keras.Model(inputs, y)\n"
    )
    chart = read_mermaid(render_mermaid(infer_diagrams(source, "s.py")))
    assert chart.labels["m1_in1"] == ["Input (line 5)", "(None, X.shape[1])"]
    assert chart.labels["m1_n1"] == ["Dense (line 6)", "(None, 4)"]
    assert chart.labels["m1_n2"] == ["mystery (line 7)", "?"]
    assert chart.labels["m1_out1"] == ["Output", "?"]


# -- the formats themselves ----------------------------------------------------------------


def test_every_snapshot_parses_with_mermaids_parser() -> None:
    why = mermaid_parser()
    if why is not None:
        pytest.skip(why)
    texts = [render_mermaid(diagrams_of(m), params=True) for m in MODELS]
    for name, text, parsed in zip(MODELS, texts, mermaid_parse(texts), strict=True):
        assert "error" not in parsed, (name, parsed)
        assert parsed["type"] == "flowchart-v2"
        ours = read_mermaid(text)
        vertices = {v["id"]: v["text"] for v in parsed["vertices"]}
        nodes = {i: lines for i, lines in ours.labels.items() if i not in ours.groups}
        assert set(vertices) == set(nodes), name
        for ident, lines in nodes.items():
            assert decode('"' + vertices[ident].replace("<br>", "<br/>") + '"') == lines
        assert [tuple(e) for e in parsed["edges"]] == ours.edges
        groups = {s["id"]: s["nodes"] for s in parsed["subgraphs"]}
        assert {g: sorted(m) for g, m in groups.items()} == {
            g: sorted(m) for g, m in ours.groups.items()
        }
        for subgraph in parsed["subgraphs"]:
            title = subgraph["title"].replace("<br>", "<br/>")
            assert decode(f'"{title}"') == ours.labels[subgraph["id"]]
            if decode(f'"{title}"')[-1].startswith("shared: "):
                assert subgraph["classes"] == ["shared"]


@pytest.mark.parametrize("name", MODELS)
def test_graphviz_draws_the_dot(name: str, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip(NO_DOT)
    import subprocess

    text = render_dot(diagrams_of(name), params=True)
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no warning either
    assert "<svg" in done.stdout
    # The same graph as the Mermaid chart: same nodes, labels and edges, same nesting.
    graph = dot_read(text)
    chart = read_mermaid(render_mermaid(diagrams_of(name), params=True))
    nodes = {i: lines for i, lines in chart.labels.items() if i not in chart.groups}
    assert graph.labels == nodes
    assert sorted(graph.edges) == sorted(chart.edges)
    assert len(graph.edges) == len(set(graph.edges))  # each edge once
    assert {k.removeprefix("cluster_"): sorted(v) for k, v in graph.clusters.items()} == {
        g: sorted(m for m in members if m not in chart.groups)
        for g, members in chart.groups.items()
    }


def nasty() -> ModelDiagram:
    """Labels with everything that could break a format: quotes, brackets, pipes, hashes,
    angle brackets, backslashes, entity-like text, braces, semicolons."""
    bad = 'a "q" [b] {c} |d| #e; <f> & `g` \\n h #35; x;y'
    nodes = (
        Node("m1_in1", INPUT, bad, "3", "(None, n[0])"),
        Node("m1_n1", LAYER, "Dense", "4", "(None, 2)", 10, True, ("TDL001",)),
        Node("m1_out1", OUTPUT, "Output", "", "?"),
    )
    summary = ModelSummary("f.py", bad, 1, "functional", (), (), (), None)
    root = Group("m1", MODEL, ("m1_in1", "m1_n1", "m1_out1"), title=bad)
    return ModelDiagram(summary, root, nodes, (("m1_in1", "m1_n1"), ("m1_n1", "m1_out1")))


def test_labels_are_escaped_for_mermaid() -> None:
    text = render_mermaid([nasty()], params=True)
    chart = read_mermaid(text)  # a quote or a raw <, >, # in a label fails here
    bad = nasty().nodes[0].name
    assert chart.labels["m1_in1"] == [f"{bad} (line 3)", "(None, n[0])"]
    assert chart.labels["m1"] == [bad]
    assert chart.labels["m1_n1"] == ["Dense (line 4)", "(None, 2)", "10 params", "finding: TDL001"]
    assert chart.classes["m1_n1"] == "finding"
    if mermaid_parser() is None:
        (parsed,) = mermaid_parse([text])
        assert "error" not in parsed, parsed
        vertex = next(v for v in parsed["vertices"] if v["id"] == "m1_in1")
        assert decode('"' + vertex["text"].replace("<br>", "<br/>") + '"')[0] == f"{bad} (line 3)"


def test_labels_are_escaped_for_dot() -> None:
    if shutil.which("dot") is None:
        pytest.skip(NO_DOT)
    graph = dot_read(render_dot([nasty()]))
    bad = nasty().nodes[0].name
    assert graph.labels["m1_in1"] == [f"{bad} (line 3)", "(None, n[0])"]
    assert graph.cluster_labels["cluster_m1"] == [bad]


def test_dot_lines_reads_escapes() -> None:
    assert dot_lines('a\\nb\\\\nc\\"d') == ["a", 'b\\nc"d']


# -- the structural check itself must catch malformed charts -------------------------------

GOOD = 'flowchart TB\n  subgraph g ["G"]\n    a["A"]\n    b(["B"])\n  end\n  a --> b\n'


@pytest.mark.parametrize(
    "broken",
    [
        GOOD.replace("flowchart TB\n", ""),  # no header
        GOOD.replace("  end\n", ""),  # a subgraph never ends
        GOOD + "end\n",  # an end too many
        GOOD.replace('b(["B"])', 'a(["B"])'),  # an id defined twice
        GOOD + "  a --> c\n",  # an edge to nothing
        GOOD.replace('a["A"]', 'a["say "hi""]'),  # a quote inside a label
        GOOD.replace('a["A"]', 'a["<b>A"]'),  # HTML in a label
        GOOD.replace('a["A"]', 'a["#A"]'),  # a # that is no entity
        GOOD.replace('a["A"]', "a[A]"),  # a label not quoted
        GOOD + "  class a red\n",  # a class never defined
        GOOD.replace('a["A"]', 'end["A"]'),  # a keyword as an id
        GOOD + "  a -> b\n",  # not Mermaid's arrow
    ],
)
def test_structural_check_rejects(broken: str) -> None:
    read_mermaid(GOOD)
    with pytest.raises(AssertionError):
        read_mermaid(broken)


# -- findings, notebooks, stability --------------------------------------------------------

BAD = (
    "import keras\nfrom keras import layers\n"
    "model = keras.Sequential([layers.Input(shape=(10, 8)), layers.LSTM(4),"
    " layers.TimeDistributed(layers.Dense(2))])\n"
)


def test_findings_mark_the_node_that_holds_them() -> None:
    (diagram,) = infer_diagrams(BAD, "bad.py", findings=Selection.from_options())
    marked = {n.name: n.findings for n in diagram.nodes}
    # Both layers are on line 3: the finding's column picks the TimeDistributed call.
    assert marked == {
        "Input": (),
        "LSTM": (),
        "TimeDistributed(Dense)": ("TDL003",),
        "Output": (),
    }
    chart = read_mermaid(render_mermaid([diagram]))
    assert chart.labels["m1_n2"][-1] == "finding: TDL003"
    assert chart.classes["m1_n2"] == "finding"
    assert "finding" not in chart.labels["m1_n1"][-1]
    # Without the option, nothing is marked; with rules not selected, nothing either.
    assert not any(n.findings for n in infer_diagrams(BAD, "bad.py")[0].nodes)
    quiet = infer_diagrams(BAD, "bad.py", findings=Selection.from_options(["TDL001"]))
    assert not any(n.findings for n in quiet[0].nodes)


def test_a_finding_at_a_statement_start_marks_the_nodes_on_its_line() -> None:
    source = (
        "import keras\nfrom keras import layers\n"
        "inp = keras.Input(shape=(10,))\n"
        "x = layers.LSTM(4)(inp)\n"
        "m = keras.Model(inp, x)\n"
    )
    diagrams = infer_diagrams(source, "f.py", findings=Selection.from_options())
    lstm = next(n for n in diagrams[0].nodes if n.name == "LSTM")
    assert lstm.findings  # TDL reports LSTM on a 2D input where the call starts
    assert all(code.startswith("TDL") for code in lstm.findings)


def notebook(*cells: str) -> str:
    import json

    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "outputs": [], "source": c} for c in cells
            ],
            "metadata": {"language_info": {"name": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_notebook_nodes_have_cell_references() -> None:
    text = notebook(
        "import keras\nfrom keras import layers\n",
        "inp = keras.Input(shape=(4,))\nout = layers.Dense(2)(inp)\n",
        "model = keras.Model(inp, out)\n",
    )
    (diagram,) = infer_notebook_diagrams(text, "nb.ipynb")
    chart = read_mermaid(render_mermaid([diagram]))
    assert chart.labels["m1"] == ["model (nb.ipynb:cell 3:1, functional)"]
    assert chart.labels["m1_in1"] == ["Input (cell 2:1)", "(None, 4)"]
    assert chart.labels["m1_n1"] == ["Dense (cell 2:2)", "(None, 2)"]
    markdown = render_markdown([diagram])
    assert "| Layer | Cell:line | Output shape | Params |" in markdown
    assert "| Dense | 2:2 | (None, 2) | 10 |" in markdown


def test_markdown_is_a_table_then_its_mermaid_block() -> None:
    text = render_markdown(diagrams_of("branches") + diagrams_of("nested_sequential"))
    # The ids start again at m1 in each block: each is a chart of its own.
    blocks = text.split("```mermaid\n")
    assert len(blocks) == 4  # one block per model, each after its table
    for before, block in zip(blocks, blocks[1:], strict=False):
        assert "| Layer | Line | Output shape | Params |" in before.split("### ")[-1]
        chart = block.split("```\n")[0]
        read_mermaid(chart)
        assert "subgraph m1 [" not in chart  # the heading names the model
    assert text.startswith("### model (branches.py:10, functional)\n\n| Layer |")
    assert "| Dense | 5 | (None, 64) | 2,112 |" in text
    assert "Total params: 4,522" in text
    assert text.endswith("3 models: 3 fully known, 0 partly known, 0 with unknown layers\n")


def test_markdown_escapes_what_it_does_not_mean() -> None:
    heading = render_markdown([nasty()]).split("\n")[0]
    assert "<f>" not in heading and "&lt;f&gt;" in heading
    assert "\\|d\\|" in heading and "\\[b\\]" in heading


def test_a_custom_layer_inside_a_custom_layer_is_drawn_once() -> None:
    chart = read_mermaid(render_mermaid(diagrams_of("custom_in_custom")))
    outer = next(g for g in chart.groups if chart.labels[g][0] == "Outer (line 25)")
    inner = next(g for g in chart.groups if chart.labels[g][0] == "Inner (line 17)")
    assert chart.parents[inner] == outer
    assert [chart.labels[i][0] for i in chart.groups[inner]] == ["Dense (line 8)"]
    assert [chart.labels[i][0] for i in chart.groups[outer]] == [
        "Inner (line 17)",
        "Dense (line 18)",
    ]
    dense = [lines[0] for lines in chart.labels.values()].count("Dense (line 8)")
    assert dense == 1  # the inner layer's Dense is not also drawn in the outer box
    assert heads(chart.labels, chart.edges) == {
        ("Input (line 24)", "Dense (line 8)"),
        ("Dense (line 8)", "Dense (line 18)"),
        ("Dense (line 18)", "Output"),
    }


def test_generated_programs_draw_every_layer() -> None:
    """Sixty of the differential test's generated programs (Sequential lists and ``add``,
    functional code, custom layers, helper functions, loops, tensor ops): every layer of the
    JSON output on the chart, with its shape; Graphviz and Mermaid's parser read the output
    (where they are installed)."""
    from differential.generator import generate

    charts, dots, rows = [], [], 0
    for seed in range(60):
        source = generate(seed).source
        diagrams = infer_diagrams(source, f"seed{seed}.py")
        text = render_mermaid(diagrams, params=True)
        drawn = {(lines[0], lines[1]) for lines in read_mermaid(text).labels.values() if lines[1:]}
        for summary in infer_shapes(source, f"seed{seed}.py"):
            for row in summary.to_json()["layers"]:
                rows += 1
                key = (f"{row['layer']} (line {row['line']})", json_shape(row["output_shape"]))
                assert key in drawn, (seed, key)
        charts.append(text)
        dots.append(render_dot(diagrams, params=True))
    assert rows > 150
    if shutil.which("dot"):
        for text in dots:
            dot_read(text)
    if mermaid_parser() is None:
        for parsed, text in zip(mermaid_parse(charts), charts, strict=True):
            assert "error" not in parsed, parsed
            assert [tuple(e) for e in parsed["edges"]] == read_mermaid(text).edges


def test_which_nodes_hold_a_finding() -> None:
    from libcst.metadata import CodePosition, CodeRange

    from tdlint.diagrams.build import Finding, _marks

    def span(line: int, start: int, end: int) -> CodeRange:  # LibCST's columns: 0-based
        return CodeRange(CodePosition(line, start), CodePosition(line, end))

    # Line 3: `model = Sequential([Dense(4), Dense(2)])`, the calls at columns 20-28 and 30-38.
    spans = {"a": [span(3, 20, 28)], "b": [span(3, 30, 38)], "c": [span(5, 0, 10)]}
    assert _marks([Finding(3, 21, "TDL001")], spans) == {"a": ("TDL001",)}  # its first column
    assert _marks([Finding(3, 28, "TDL001")], spans) == {"a": ("TDL001",)}  # its last
    assert _marks([Finding(3, 31, "TDL002")], spans) == {"b": ("TDL002",)}
    # Just after the first call (LibCST's end column is past its last character): in none.
    assert _marks([Finding(3, 29, "TDL002")], spans) == {"a": ("TDL002",), "b": ("TDL002",)}
    # At the statement's start, in no call: every node on the line.
    assert _marks([Finding(3, 1, "TDL003")], spans) == {"a": ("TDL003",), "b": ("TDL003",)}
    assert _marks([Finding(4, 1, "TDL003")], spans) == {}  # a line without nodes
    found = _marks([Finding(5, 2, "TDL101"), Finding(5, 3, "TDL003")], spans)
    assert found == {"c": ("TDL003", "TDL101")}  # sorted, once each


def test_a_finding_on_an_input_marks_the_input() -> None:
    source = (
        "import numpy as np\nimport keras\nfrom keras import layers\n"
        "X = np.zeros((100, 20, 3))\n"
        "inputs = keras.Input(shape=X.shape)\n"  # TDL105: the sample axis included
        "model = keras.Model(inputs, layers.Dense(1)(inputs))\n"
    )
    (diagram,) = infer_diagrams(source, "f.py", findings=Selection.from_options())
    assert {n.id: n.findings for n in diagram.nodes} == {
        "m1_in1": ("TDL105",),
        "m1_n1": (),
        "m1_out1": (),
    }


def test_dot_keeps_the_inputs_in_their_order() -> None:
    text = render_dot(diagrams_of("multi_io"))
    assert '  { rank=same; "m1_in1" -> "m1_in2" [style=invis]; }\n' in text
    assert "rank=same" not in render_dot(diagrams_of("branches"))  # one input: nothing to order


def test_inputs_are_named_as_written() -> None:
    source = (
        "import keras\nfrom keras import layers\n"
        "n = 'from_a_variable'\n"
        'a = keras.Input(shape=(2,), name="pixels <raw>")\n'
        "b = keras.Input(shape=(2,), name=n)\n"
        "model = keras.Model([a, b], layers.Add()([a, b]))\n"
        "c = keras.Input(shape=(3,), name='only')\n"
        "single = keras.Model(c, layers.Dense(1)(c))\n"
        "d = keras.Input(shape=(3,))\n"
        "plain = keras.Model(d, layers.Dense(1)(d))\n"
    )
    charts = read_mermaid(render_mermaid(infer_diagrams(source, "f.py")))
    assert charts.labels["m1_in1"][0] == "Input pixels <raw> (line 4)"  # escaped, read back
    assert charts.labels["m1_in2"][0] == "Input 2 (line 5)"  # not a literal: numbered
    assert charts.labels["m2_in1"][0] == "Input only (line 7)"
    assert charts.labels["m3_in1"][0] == "Input (line 9)"
