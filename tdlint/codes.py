"""Every code tdlint reports and its name, importable without LibCST (the configuration and a
warm, cached run need them; the rule classes in ``tdlint.rules`` are checked against this)."""

from __future__ import annotations

import re

CODES: dict[str, str] = {
    "TDL000": "syntax-error",
    "TDL001": "dense-on-sequence-output",
    "TDL002": "time-distributed-dense",
    "TDL003": "time-distributed-without-time-axis",
    "TDL004": "implicit-per-timestep-dense",
    "TDL101": "incompatible-input-rank",
    "TDL102": "merge-shape-mismatch",
    "TDL103": "reshape-size-mismatch",
    "TDL104": "non-positive-dimension",
    "TDL105": "input-shape-includes-batch",
    "TDL106": "flatten-missing",
    "TDL107": "unbuildable-weights",
    "TDL108": "shape-not-a-tuple",
    "TDL109": "weights-shape-mismatch",
    "TDL110": "shared-layer-input-mismatch",
    "TDL201": "fit-input-shape-mismatch",
    "TDL202": "fit-target-shape-mismatch",
    "TDL203": "sequence-output-for-sequence-label",
    "TDL204": "activation-loss-mismatch",
    "TDL301": "keras1-layer-arguments",
    "TDL302": "old-training-api",
    "TDL303": "moved-keras-module",
    "TDL304": "removed-predict-method",
    "TDL305": "old-optimizer-arguments",
    "TDL306": "keras1-merge",
    "TDL307": "removed-backend-function",
    "TDL308": "cudnn-layer",
    "TDL309": "changed-recurrent-defaults",
    "TDL310": "renamed-keras-function",
    "TDL311": "keras3-save-path",
    "TDL900": "unused-noqa",
    "TDL901": "redirected-noqa",
    "TDL902": "io-error",
}

# Off unless selected explicitly: the noqa checks (like ruff's RUF100 and RUF101), and the
# strict reading of TDL001 for teams that want every per-timestep Dense stated.
DEFAULT_OFF = frozenset({"TDL004", "TDL900", "TDL901"})

# Until 0.2 the codes were TD001...: ruff's flake8-todos owns TD001-TD007, and ruff's RUF100
# deleted noqa comments naming TD001 as a code of its own that is not enabled. The old
# spellings stay accepted wherever a code is written (selectors, configuration, noqa comments).
OLD_PREFIX, PREFIX = "TD", "TDL"
_OLD_SELECTOR = re.compile(r"TD[0-9]{1,3}", re.IGNORECASE)


def redirect(selector: str) -> str | None:
    """The current spelling of an old code or code prefix (``TD001`` -> ``TDL001``,
    ``TD1`` -> ``TDL1``), or None when ``selector`` is not an old spelling."""
    if _OLD_SELECTOR.fullmatch(selector) is None:
        return None
    return PREFIX + selector[len(OLD_PREFIX) :]


def redirect_note(old: str, new: str) -> str:
    """The one-line deprecation note for an old spelling, as ruff words its own redirects."""
    return f"`{old}` has been remapped to `{new}` (tdlint's codes moved from TD to TDL)"
