"""Run with real Keras: each file given is executed, and for every model in its globals the
edges of Keras's own graph are printed as JSON: (producing operation's class, consuming
operation's class), one per tensor a call reads. tests/test_diagrams_oracle.py compares them
with tdlint's diagrams."""

import json
import runpy
import sys

import keras

out = {}
for path in sys.argv[1:]:
    ns = runpy.run_path(path)
    models = {}
    for name, value in ns.items():
        if isinstance(value, keras.Model) and not name.startswith("_"):
            graph = getattr(value, "_functional", value)
            if graph is None or not hasattr(graph, "_nodes_by_depth"):
                continue
            nodes = [n for depth in graph._nodes_by_depth.values() for n in depth]
            edges = []
            for node in nodes:
                for parent in node.parent_nodes:
                    edges.append([type(parent.operation).__name__, type(node.operation).__name__])
            models[name] = sorted(edges)
    out[path] = models
print(json.dumps(out))
