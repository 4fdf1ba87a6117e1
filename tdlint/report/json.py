"""Machine output: ruff's JSON schema (a list of diagnostic objects)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from tdlint.diagnostics import Diagnostic, Location

DOCS_PATH = "docs/rules/{code}.md"


def _location(location: Location) -> dict[str, int]:
    return {"row": location.row, "column": location.column}


def diagnostic_to_json(d: Diagnostic) -> dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [
                {
                    "content": e.content,
                    "location": _location(e.location),
                    "end_location": _location(e.end_location),
                }
                for e in d.fix.edits
            ],
        }
    return {
        "cell": d.cell,
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "help": d.help,
        "severity": d.severity.value,
        "filename": os.path.abspath(d.filename),
        "location": _location(d.location),
        "end_location": _location(d.end_location),
        "fix": fix,
        "noqa_row": d.noqa_row,
        "url": DOCS_PATH.format(code=d.code),
    }


def render(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([diagnostic_to_json(d) for d in diagnostics], indent=2)
