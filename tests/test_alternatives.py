"""``Diagnostic.alternatives``: other ways to settle a finding, for a person to choose (the
quick fixes of `tdlint server`), never applied by `--fix`. TDL001 offers the two remedies
its help names: one output per sequence, or one per timestep stated with TimeDistributed."""

from __future__ import annotations

import json
from pathlib import Path

from tdlint.api import check_notebook_text, check_source
from tdlint.config import Selection, Settings
from tdlint.diagnostics import (
    Applicability,
    FileResult,
    Fix,
    result_from_dict,
    result_to_dict,
)
from tdlint.fixes import fix_source

ROOT = Path(__file__).resolve().parents[1]
PER_SEQUENCE = (ROOT / "examples" / "many_to_one_forgot_to_reduce.py").read_text()
NO_EVIDENCE = (ROOT / "examples" / "functional_bidirectional_head.py").read_text()


def only(source: str):  # noqa: ANN201
    (d,) = check_source(source, "m.py")
    return d


def applied(source: str, fix: Fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        source = source[: edit.start] + edit.content + source[edit.end :]
    return source


def test_per_sequence_evidence_fix_and_the_time_distributed_alternative() -> None:
    d = only(PER_SEQUENCE)
    assert d.fix is not None and d.fix.message == "Set `return_sequences=False` on the LSTM"
    (wrap,) = d.alternatives
    assert wrap.message == "Wrap in `TimeDistributed` (one output per timestep)"
    assert wrap.applicability is Applicability.UNSAFE
    fixed = applied(PER_SEQUENCE, wrap)
    assert 'layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))' in fixed
    assert check_source(fixed, "m.py") == []  # the intent is stated: nothing to say


def test_no_evidence_no_fix_and_both_remedies_as_alternatives() -> None:
    d = only(NO_EVIDENCE)
    assert d.fix is None
    reduce, wrap = d.alternatives
    assert reduce.message == "Set `return_sequences=False` on the LSTM (one output per sequence)"
    assert "LSTM(32, return_sequences=False)" in applied(NO_EVIDENCE, reduce)
    assert "keras.layers.TimeDistributed(keras.layers.Dense(4, " in applied(NO_EVIDENCE, wrap)


def test_fix_applies_the_fix_never_an_alternative() -> None:
    outcome = fix_source(NO_EVIDENCE, "m.py", Selection.from_options(), unsafe=True)
    assert outcome.applied == 0 and outcome.source == NO_EVIDENCE
    outcome = fix_source(PER_SEQUENCE, "m.py", Selection.from_options(), unsafe=True)
    assert "TimeDistributed" not in outcome.source and "return_sequences=False" in outcome.source


def test_a_shared_dense_gets_no_time_distributed_alternative() -> None:
    shared = NO_EVIDENCE.replace(
        'outputs = keras.layers.Dense(4, activation="softmax")(seq)',
        'head = keras.layers.Dense(4, activation="softmax")\noutputs = head(seq)\nother = head(seq)',
    )
    d = check_source(shared, "m.py")[0]
    assert [a.message for a in d.alternatives if "TimeDistributed" in a.message] == []


def test_the_cache_keeps_them() -> None:
    result = FileResult("m.py", tuple(check_source(NO_EVIDENCE, "m.py")))
    again = result_from_dict(json.loads(json.dumps(result_to_dict(result))), "m.py")
    assert again.diagnostics[0].alternatives == result.diagnostics[0].alternatives
    # An entry written before alternatives existed still reads.
    old = result_to_dict(result)
    del old["diagnostics"][0]["alternatives"]
    assert result_from_dict(old, "m.py").diagnostics[0].alternatives == ()


def test_in_a_notebook_their_edits_are_placed_in_cells() -> None:
    cells = ["import keras\n", NO_EVIDENCE.split("import keras\n", 1)[1]]
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "source": c,
                "metadata": {},
                "outputs": [],
                "execution_count": None,
            }
            for c in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (d,) = check_notebook_text(json.dumps(notebook), "n.ipynb", Settings()).diagnostics
    assert d.cell == 2
    _, wrap = d.alternatives
    (edit,) = wrap.edits
    line = cells[1].splitlines()[edit.location.row - 1]
    assert line[edit.location.column - 1 :].startswith("keras.layers.Dense(4")
