"""What a hover shows (Markdown) and the inlay hints, from a document's ``Outline``."""

from __future__ import annotations

from lsprotocol import types

from tdlint.analysis.summary import ModelSummary, format_row_shape
from tdlint.diagnostics import Location
from tdlint.keras.shapes import format_shape
from tdlint.outline import (
    Hit,
    Info,
    LayerInfo,
    ModelInfo,
    Outline,
    Run,
    TensorInfo,
)
from tdlint.server.views import View

# A function that builds a model many times: show the first few builds.
MAX_RUNS = 4
MAX_MODELS = 2


def hover(view: View, outline: Outline, position: types.Position) -> types.Hover | None:
    """What is at the position, from the outline of the source that holds the document."""
    lines = view.lines
    at = view.to_source(lines.location(position))
    if at is None:
        return None
    hit = outline.at(at.row, at.column, lines.word_at(position))
    if hit is None:
        return None
    start = view.from_source(Location(hit.span.row, hit.span.column))
    end = view.from_source(Location(hit.span.end_row, hit.span.end_column))
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown(hit)),
        range=lines.range(start, end) if start is not None and end is not None else None,
    )


def markdown(hit: Hit) -> str:
    return "\n\n---\n\n".join(_info(info, hit.name) for info in hit.infos)


def _info(info: Info, name: str) -> str:
    if isinstance(info, LayerInfo):
        return _layer(info, name)
    if isinstance(info, TensorInfo):
        return _tensor(info, name)
    return _models(info, name)


def _shapes(shapes: tuple[str, ...]) -> str:
    return ", ".join(f"`{s}`" for s in shapes) if shapes else "none"


def _layer(info: LayerInfo, name: str) -> str:
    title = f"**{info.name}**" + (f" `{name}`" if name else "") + f" · `{info.code}`"
    if not info.runs:
        return f"{title}\n\nNot applied to a tensor tdlint follows: its shapes are not known."
    parts = [title]
    for run in info.runs[:MAX_RUNS]:
        parts.append(_run(run))
    if len(info.runs) > MAX_RUNS:
        parts.append(f"…and {len(info.runs) - MAX_RUNS} more")
    return "\n\n".join(parts)


def _run(run: Run) -> str:
    where = f"In {run.context}, applied at line {run.row}:\n" if run.context else ""
    params = f"{run.params:,}" if run.params is not None else "unknown"
    text = (
        f"{where}- output shape: {_shapes(run.outputs)}\n"
        f"- input shape: {_shapes(run.inputs)}\n"
        f"- params: {params}"
    )
    if run.note:
        text += f"\n- unknown: {run.note}"
    return text


def _tensor(info: TensorInfo, name: str) -> str:
    what = f"**{name}**: " if name else ""
    kind = "tensor" if len(info.shapes) == 1 else "tensors"
    text = f"{what}{kind} {_shapes(info.shapes)}"
    if info.producer:
        text += f", output of {info.producer}"
    if info.context:
        text += f", in {info.context}"
    if info.note:
        text += f"\n\nunknown: {info.note}"
    return text


def _models(info: ModelInfo, name: str) -> str:
    shown = [_model(s, name) for s in info.summaries[:MAX_MODELS]]
    if len(info.summaries) > MAX_MODELS:
        shown.append(f"…and {len(info.summaries) - MAX_MODELS} more builds")
    return "\n\n".join(shown)


def _model(summary: ModelSummary, name: str) -> str:
    label = name or summary.model
    built = f", built by `{summary.call.code}` (line {summary.call.line})" if summary.call else ""
    lines = [f"**{label}**: {summary.kind} model (line {summary.line}){built}", ""]
    if not summary.layers:
        lines.append(f"No layers known: {summary.empty_reason or 'none found'}.")
        return "\n".join(lines)
    notes = any(row.note or row.unknown for row in summary.layers)
    lines.append("| Layer | Line | Output shape | Params |" + (" Note |" if notes else ""))
    lines.append("|---|---:|---|---:|" + ("---|" if notes else ""))
    for row in summary.layers:
        params = f"{row.params:,}" if row.params is not None else "?"
        note = row.note or ("not resolved" if row.unknown else "")
        cells = [row.layer, str(row.line), f"`{format_row_shape(row.output_shape)}`", params]
        if notes:
            cells.append(note)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    total = f"{summary.params:,}" if summary.params is not None else "unknown"
    inputs = ", ".join(f"`{format_shape(s)}`" for s in summary.inputs) or "none"
    outputs = ", ".join(f"`{format_shape(s)}`" for s in summary.outputs) or "none"
    lines += ["", f"Inputs: {inputs} · outputs: {outputs} · total params: {total}"]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def inlay_hints(view: View, outline: Outline, first: int, last: int) -> list[types.InlayHint]:
    """``→ (None, 10)`` at the end of each line (0-based, ``first`` to ``last``) that applies
    a layer."""
    lines = view.lines
    hints = []
    for hint in outline.hints:
        where = view.from_source(Location(hint.row, 1))
        if where is None or not first <= where.row - 1 <= last:
            continue
        row = where.row - 1
        hints.append(
            types.InlayHint(
                position=lines.position(row, len(lines.line(row))),
                label=f"→ {' | '.join(hint.shapes)}",
                kind=types.InlayHintKind.Type,
                padding_left=True,
            )
        )
    return hints
