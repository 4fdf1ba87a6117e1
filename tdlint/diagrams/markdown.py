"""The summaries as Markdown tables, each followed by its model's Mermaid block: for a pull
request comment or a docs page (GitHub and GitLab draw the blocks)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tdlint.analysis.summary import count_statuses, format_row_shape
from tdlint.diagrams.graph import ModelDiagram, summary_title
from tdlint.diagrams.mermaid import render_mermaid

# Outside code spans: what Markdown would read as emphasis, a link, HTML or a table's column.
_SPECIAL = re.compile(r"([\\*_\[\]|#])")


def text(value: str) -> str:
    """Plain text for Markdown (a heading, a table cell): nothing in it becomes markup."""
    value = _SPECIAL.sub(r"\\\1", value)
    return value.replace("<", "&lt;").replace(">", "&gt;")


def titled(title: str) -> str:
    """A summary's title, its `code` spans kept as code and the rest escaped."""
    parts = title.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no span is safe
        return text(title)
    return "`".join(part if i % 2 else text(part) for i, part in enumerate(parts))


def render_markdown(diagrams: Sequence[ModelDiagram], params: bool = False) -> str:
    if not diagrams:
        return "No Keras models found.\n"
    out: list[str] = []
    for diagram in diagrams:
        out += _model(diagram, params)
    counts = count_statuses(d.summary for d in diagrams)
    total = len(diagrams)
    out.append(
        f"{total} model{'s' if total != 1 else ''}: {counts['known']} fully known, "
        f"{counts['partial']} partly known, {counts['unknown-layers']} with unknown layers"
    )
    return "\n".join(out) + "\n"


def _model(diagram: ModelDiagram, params: bool) -> list[str]:
    s = diagram.summary
    out = [f"### {titled(summary_title(s))}", ""]
    if s.layers:
        where = "Line" if s.cell is None else "Cell:line"
        out += [f"| Layer | {where} | Output shape | Params |", "| --- | ---: | --- | ---: |"]
        for row in s.layers:
            layer = f"{row.layer} (unknown {row.unknown_kind})" if row.unknown else row.layer
            shape = format_row_shape(row.output_shape)
            if row.note:
                shape += f" (from {row.note})"
            out.append(f"| {text(layer)} | {row.where} | {text(shape)} | {_count(row.params)} |")
        out += ["", f"Total params: {_count(s.params)}"]
    else:
        out.append(f"No layers known ({text(s.empty_reason)}).")
    findings = sorted({code for node in diagram.nodes for code in node.findings})
    if findings:
        out += ["", "Findings on the diagram: " + ", ".join(findings)]
    chart = render_mermaid([diagram], params, boxed=False)
    return [*out, "", "```mermaid", chart.rstrip("\n"), "```", ""]


def _count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"
