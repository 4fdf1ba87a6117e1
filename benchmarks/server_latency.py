"""How fast `tdlint server` answers an editor, on a 1,000-line model file.

Starts `python -m tdlint server` over stdio with pygls's client (as an editor would), opens
the file, waits for its first analysis, then measures:

* hover latency on the layers and variables of the file (p50/p95), target 100 ms p95;
* code-action latency on its lines (p50/p95), target 100 ms p95;
* diagnostics latency after an edit: from `didChange` sent to `publishDiagnostics` received
  for that version, debounce included (p50/p95), target 300 ms p95;
* hover latency while an analysis runs (for information: the loop and the analysis thread
  share the interpreter).

    python benchmarks/server_latency.py                 # 200 hovers/actions, 30 edits
    python benchmarks/server_latency.py --lines 2000 --edits 40 --json out.json

Needs the server extra (`pip install -e '.[server]'`). Run from a checkout: the server
imports the tdlint next to this script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
TARGETS_MS = {"hover": 100.0, "code action": 100.0, "diagnostics after an edit": 300.0}

HEADER = '''"""A long file of models: {blocks} model-building functions and Sequential models."""
import keras
from keras import layers

MAX_LEN = 100
'''

BLOCK = '''

def build_classifier_{i}(vocab=20000, max_len=MAX_LEN, n_classes=5):
    """Model {i}: an embedding, a recurrent stack and a head."""
    inputs = keras.Input(shape=(max_len,), name="tokens_{i}")
    x = layers.Embedding(vocab, 64)(inputs)
    x = layers.Conv1D(64, 5, padding="same", activation="relu")(x)
    x = layers.MaxPooling1D(2)(x)
    x = layers.LSTM(64, return_sequences=True)(x)
    x = layers.Dropout(0.3)(x)
    x = layers.LSTM(32)(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs, name="classifier_{i}")
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


cnn_{i} = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ]
)
cnn_{i}.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
classifier_{i} = build_classifier_{i}()
'''

# One finding, so that diagnostics and code actions have something to carry (TDL001).
TAIL = """

tagger = keras.Sequential(
    [
        keras.Input(shape=(MAX_LEN,)),
        layers.Embedding(20000, 64),
        layers.LSTM(64, return_sequences=True),
        layers.Dense(1, activation="sigmoid"),
    ]
)
tagger.compile(optimizer="adam", loss="binary_crossentropy")
"""


def model_file(lines: int) -> str:
    """About ``lines`` lines of model code (whole blocks)."""
    block_lines = BLOCK.count("\n")
    blocks = max(1, round((lines - HEADER.count("\n") - TAIL.count("\n")) / block_lines))
    return HEADER.format(blocks=blocks) + "".join(BLOCK.format(i=i) for i in range(blocks)) + TAIL


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "max_ms": round(max(values), 1),
    }


class Bench:
    def __init__(self, text: str, path: Path, options: dict[str, Any]) -> None:
        self.text = text
        self.options = options
        self.debounce = options.get("debounceMs", 50) / 1000
        self.uri = path.as_uri()
        self.client = LanguageClient("tdlint-bench", "1")
        self.published: dict[int | None, float] = {}
        self.event = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            if params.uri == self.uri:
                self.published.setdefault(params.version, time.perf_counter())
                self.event.set()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            print(f"server: {params.message}", file=sys.stderr)

    async def start(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        await self.client.start_io(sys.executable, "-m", "tdlint", "server", env=env)
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                process_id=os.getpid(),
                initialization_options=self.options,
            )
        )
        self.client.initialized(types.InitializedParams())

    async def diagnostics_for(self, version: int) -> float:
        while version not in self.published:
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), 60)
        return self.published[version]

    def position(self, row: int, text: str) -> types.Position:
        line = self.text.splitlines()[row]
        return types.Position(line=row, character=line.index(text) + 1)

    async def hover(self, position: types.Position) -> tuple[float, Any]:
        started = time.perf_counter()
        result = await self.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri), position=position
            )
        )
        return (time.perf_counter() - started) * 1000, result

    async def code_action(self, row: int) -> tuple[float, Any]:
        started = time.perf_counter()
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri),
                range=types.Range(
                    start=types.Position(line=row, character=0),
                    end=types.Position(line=row, character=0),
                ),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        return (time.perf_counter() - started) * 1000, result

    def change(self, text: str, version: int) -> float:
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return time.perf_counter()

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def targets(text: str) -> list[tuple[int, str]]:
    """Where to hover: each layer call and each variable assigned a tensor or a model."""
    found = []
    for row, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if stripped.startswith("layers.") or stripped.startswith("keras.Input"):
            found.append((row, stripped.split("(")[0].split(".")[-1]))
        elif " = " in stripped and ("layers." in stripped or "keras." in stripped):
            found.append((row, stripped.split(" = ")[0]))
    return found


async def run(args: argparse.Namespace) -> dict[str, Any]:
    text = model_file(args.lines)
    rng = random.Random(args.seed)
    options = {} if args.debounce is None else {"debounceMs": args.debounce}
    bench = Bench(text, ROOT / "benchmarks" / "_latency_model.py", options)  # never written
    await bench.start()
    opened = time.perf_counter()
    bench.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=bench.uri, language_id="python", version=1, text=text
            )
        )
    )
    first = (await bench.diagnostics_for(1) - opened) * 1000
    # Hovers wait for the outline of the first analysis: the first one says when it is there.
    sites = targets(text)
    first_hover, result = await bench.hover(bench.position(*sites[0]))
    assert result is not None, "no hover on the first layer"
    hovers, misses = [], 0
    for _ in range(args.requests):
        took, result = await bench.hover(bench.position(*rng.choice(sites)))
        hovers.append(took)
        misses += result is None
    rows = len(text.splitlines())
    actions = [(await bench.code_action(rng.randrange(rows)))[0] for _ in range(args.requests)]
    finding_row = next(i for i, line in enumerate(text.splitlines()) if "sigmoid" in line)
    actions_on_finding = [(await bench.code_action(finding_row))[0] for _ in range(20)]
    lines = text.splitlines(keepends=True)
    dropout_rows = [r for r, line in enumerate(lines) if "Dropout(0." in line]
    version = 1

    def keystroke() -> str:
        row = rng.choice(dropout_rows)
        lines[row] = lines[row].replace("Dropout(0.", "Dropout(0.1", 1)
        return "".join(lines)

    edits = []
    for _ in range(args.edits):
        version += 1
        sent = bench.change(keystroke(), version)
        edits.append((await bench.diagnostics_for(version) - sent) * 1000)
        await asyncio.sleep(args.pause)  # a pause in the typing: each edit its own burst
    # Hovers while an analysis runs (the debounce is over, the analysis thread is busy).
    during = []
    for _ in range(args.edits):
        version += 1
        bench.change(keystroke(), version)
        await asyncio.sleep(bench.debounce + 0.03)
        during.append((await bench.hover(bench.position(*rng.choice(sites))))[0])
        await bench.diagnostics_for(version)
        await asyncio.sleep(args.pause)
    await bench.stop()
    report = {
        "file_lines": rows,
        "debounce_ms": args.debounce if args.debounce is not None else 50,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "first_diagnostics_ms": round(first, 1),
        "first_hover_ms": round(first_hover, 1),
        "hover": summary(hovers),
        "hover_misses": misses,
        "code action": summary(actions),
        "code action on the finding": summary(actions_on_finding),
        "diagnostics after an edit": summary(edits),
        "hover during an analysis": summary(during),
    }
    return report


def table(report: dict[str, Any]) -> str:
    out = [
        f"{report['file_lines']}-line model file, Python {report['python']}, "
        f"{report['cpus']} CPUs, debounce {report['debounce_ms']} ms",
        f"first diagnostics after open: {report['first_diagnostics_ms']} ms; "
        f"first hover (waits for the outline): {report['first_hover_ms']} ms",
        "",
        f"{'measure':<30} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target",
    ]
    for name in (
        "hover",
        "code action",
        "code action on the finding",
        "diagnostics after an edit",
        "hover during an analysis",
    ):
        row = report[name]
        target = TARGETS_MS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"p95 <= {target:g} ms: {'yes' if row['p95_ms'] <= target else 'NO'}"
        out.append(
            f"{name:<30} {row['n']:>4} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}"
            f"  {verdict}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1000, help="size of the model file")
    parser.add_argument("--requests", type=int, default=200, help="hovers and code actions")
    parser.add_argument("--edits", type=int, default=30, help="edits timed")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between edits")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--debounce", type=int, help="the server's debounceMs (default 50)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    report = asyncio.run(run(args))
    print(table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
