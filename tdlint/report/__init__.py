"""Output formats: ``full`` and ``concise`` for people (report/text.py), the rest for machines."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from tdlint.diagnostics import Diagnostic

MACHINE_FORMATS = ("json", "json-lines", "github", "sarif", "junit", "gitlab")


def render_machine(output_format: str, diagnostics: Sequence[Diagnostic]) -> str:
    """Render diagnostics in one of ``MACHINE_FORMATS``. Only that format's module is
    imported (SARIF lists the rules, which pulls in LibCST; the others need nothing)."""
    module = importlib.import_module(f"tdlint.report.{output_format.replace('-', '_')}")
    return module.render(diagnostics)
