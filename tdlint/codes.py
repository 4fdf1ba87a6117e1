"""Every code tdlint reports and its name, importable without LibCST (the configuration and a
warm, cached run need them; the rule classes in ``tdlint.rules`` are checked against this)."""

from __future__ import annotations

CODES: dict[str, str] = {
    "TD000": "syntax-error",
    "TD001": "dense-on-sequence-output",
    "TD002": "time-distributed-dense",
    "TD003": "time-distributed-without-time-axis",
    "TD101": "incompatible-input-rank",
    "TD102": "merge-shape-mismatch",
    "TD103": "reshape-size-mismatch",
    "TD104": "non-positive-dimension",
    "TD105": "input-shape-includes-batch",
    "TD106": "flatten-missing",
    "TD107": "unbuildable-weights",
    "TD201": "fit-input-shape-mismatch",
    "TD202": "fit-target-shape-mismatch",
    "TD203": "sequence-output-for-sequence-label",
    "TD204": "activation-loss-mismatch",
    "TD900": "unused-noqa",
}

# Off unless selected explicitly (like ruff's RUF100).
DEFAULT_OFF = frozenset({"TD900"})
