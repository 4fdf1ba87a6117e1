"""Output formats: ``full`` and ``concise`` for people (report/text.py), the rest for machines."""

from __future__ import annotations

from collections.abc import Sequence

from tdlint.diagnostics import Diagnostic

MACHINE_FORMATS = ("json", "json-lines", "github", "sarif", "junit", "gitlab")


def render_machine(output_format: str, diagnostics: Sequence[Diagnostic]) -> str:
    """Render diagnostics in one of ``MACHINE_FORMATS`` (imported lazily: only one is needed)."""
    from tdlint.report import github, gitlab, json, json_lines, junit, sarif

    renderers = {
        "json": json.render,
        "json-lines": json_lines.render,
        "github": github.render,
        "sarif": sarif.render,
        "junit": junit.render,
        "gitlab": gitlab.render,
    }
    return renderers[output_format](diagnostics)
