"""Machine output: ``json-lines``, one ruff-style JSON object per line.

Each line is the object the ``json`` format puts in its list, so a consumer can switch between
the two without a second parser; streaming tools (``jq -c``, log shippers) want one per line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from tdlint.diagnostics import Diagnostic
from tdlint.report.json import diagnostic_to_json


def render(diagnostics: Sequence[Diagnostic]) -> str:
    """One compact object per line (newlines inside strings are escaped by JSON, so a message
    can never break a record in two); no trailing newline, and "" when there is nothing."""
    return "\n".join(json.dumps(diagnostic_to_json(d), separators=(",", ":")) for d in diagnostics)
