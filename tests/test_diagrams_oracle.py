"""The diagrams' edges against Keras's own graph: each snapshot model is built by Keras 3
(numpy backend), and the calls feeding each call must be the ones tdlint draws."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from oracle.harness import keras_available

from tdlint.api import infer_diagrams
from tdlint.diagrams.graph import CUSTOM, INPUT, NESTED, OUTPUT, Group, ModelDiagram

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(not keras_available(), reason="needs keras and jax"),
]

SNAPSHOTS = Path(__file__).parent / "snapshots" / "diagrams"
RUNNER = Path(__file__).parent / "oracle" / "keras_edges.py"


def collapsed(diagram: ModelDiagram) -> Counter[tuple[str, str]]:
    """The diagram's edges as Keras sees the model: a nested model or a layer of the user's is
    one operation (its box), a shared layer's calls are each one; edges to the outputs go."""
    owner: dict[str, str] = {}  # node id -> the id of what Keras calls it
    kind: dict[str, str] = {}  # that id -> its class, as Keras names it

    def visit(group: Group, box: str | None) -> None:
        for member in group.members:
            if isinstance(member, Group):
                inner = box
                if inner is None and member.kind in (NESTED, CUSTOM):
                    inner = member.id
                    assert member.head is not None
                    kind[member.id] = member.head.name
                visit(member, inner)
            else:
                owner[member] = box or member

    visit(diagram.root, None)
    for node in diagram.nodes:
        if owner.get(node.id) == node.id:
            kind[node.id] = "InputLayer" if node.kind == INPUT else node.name.split("(")[0]
    outputs = {n.id for n in diagram.nodes if n.kind == OUTPUT}
    edges = {
        (owner[a], owner[b]) for a, b in diagram.edges if b not in outputs and owner[a] != owner[b]
    }
    return Counter((kind[a], kind[b]) for a, b in edges)


def test_edges_are_kerass() -> None:
    paths = sorted(SNAPSHOTS.glob("*.py"))
    done = subprocess.run(
        [sys.executable, str(RUNNER), *map(str, paths)],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "KERAS_BACKEND": "numpy"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    keras_edges = json.loads(done.stdout)
    compared = 0
    for path in paths:
        ours = {d.summary.model: d for d in infer_diagrams(path.read_text("utf-8"), path.name)}
        for name, edges in keras_edges[str(path)].items():
            assert name in ours, (path.name, name)
            expected = Counter(tuple(e) for e in edges)
            assert collapsed(ours[name]) == expected, (path.name, name)
            compared += 1
    assert compared >= 8
