"""The rules' own examples against real Keras 3: VALID models build with the shapes tdlint
infers, TDL003's INVALID models really fail, and TDL001's unsafe fix changes no shape."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from oracle.harness import apply_fix, keras_available, run_keras, run_tdlint_shapes

from tdlint.rules import ALL_RULES

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle


def _snippets() -> dict[str, str]:
    cases = {}
    for rule in ALL_RULES:
        for i, source in enumerate(rule.VALID):
            cases[f"{rule.code}_valid_{i}.py"] = source
        for i, invalid in enumerate(rule.INVALID):
            cases[f"{rule.code}_invalid_{i}.py"] = invalid.source
    return cases


@pytest.fixture(scope="module")
def snippet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("snippets")
    for name, source in _snippets().items():
        (root / name).write_text(textwrap.dedent(source))
    return root


@pytest.fixture(scope="module")
def keras_runs(snippet_dir: Path) -> dict[str, Any]:
    results = run_keras(sorted(snippet_dir.glob("*.py")))
    return {Path(path).name: result for path, result in results.items()}


def test_valid_snippets_match_keras(snippet_dir: Path, keras_runs: dict[str, Any]) -> None:
    built = [
        snippet_dir / name
        for name, run in keras_runs.items()
        if "_valid_" in name and run["error"] is None and run["models"]
    ]
    assert len(built) >= 4, "too few VALID snippets build in Keras 3 to mean anything"
    compared = 0
    for report in run_tdlint_shapes(built):
        keras_model = keras_runs[Path(report["filename"]).name]["models"].get(report["model"])
        if keras_model is None or keras_model["output_shape"] is None:
            continue
        expected = keras_model["output_shape"]
        several = bool(expected) and isinstance(expected[0], list)
        assert (report["outputs"] if several else report["outputs"][-1]) == expected, report
        assert report["params"] == keras_model["params"], report
        compared += 1
    assert compared >= 4


BUILD_ERROR_RULES = (
    "TDL003", "TDL101", "TDL102", "TDL103", "TDL104", "TDL107", "TDL108", "TDL109",
    "TDL110",
)  # fmt: skip


@pytest.mark.parametrize("code", BUILD_ERROR_RULES)
def test_build_error_snippets_fail_in_keras(keras_runs: dict[str, Any], code: str) -> None:
    """What these rules report, Keras really refuses to build."""
    runs = {name: run for name, run in keras_runs.items() if name.startswith(f"{code}_invalid_")}
    assert runs
    for name, run in runs.items():
        assert run["error"] is not None, f"{name} builds in Keras, but {code} reports it"
        message = run["error"]["message"]
        assert run["error"]["type"] in ("ValueError", "TypeError"), (name, run["error"])
        assert not message.startswith("No module named"), (name, message)


def test_valid_snippets_of_build_error_rules_build(keras_runs: dict[str, Any]) -> None:
    """What these rules accept, Keras builds (except code that needs a caller's tensor)."""
    failures = {
        name: run["error"]
        for name, run in keras_runs.items()
        if name.split("_valid_")[0] in BUILD_ERROR_RULES
        and "_valid_" in name
        and run["error"] is not None
    }
    assert failures == {}


def test_td004_fix_keeps_shapes_and_params(snippet_dir: Path, keras_runs: dict[str, Any]) -> None:
    """Wrapping a per-timestep Dense in TimeDistributed states the intent and changes nothing
    Keras computes."""
    checked = 0
    for name, run in keras_runs.items():
        if not name.startswith("TDL004_invalid_") or run["error"] or not run["models"]:
            continue
        fixed = snippet_dir / f"fixed_{name}"
        fixed.write_text((snippet_dir / name).read_text())
        apply_fix(fixed, "TDL004")
        assert "TimeDistributed(" in fixed.read_text()
        after = run_keras([fixed])[str(fixed)]
        assert after["error"] is None, after
        assert after["models"] == run["models"], name
        checked += 1
    assert checked >= 2


def test_td001_fix_reduces_the_sequence(snippet_dir: Path, keras_runs: dict[str, Any]) -> None:
    """TDL001's fix (offered when the file says one output per sequence) really takes the time
    axis out of the model's output in Keras, and nothing else."""
    checked = 0
    for name, run in keras_runs.items():
        if not name.startswith("TDL001_invalid_") or not run["models"]:
            continue
        fixed = snippet_dir / f"fixed_{name}"
        fixed.write_text((snippet_dir / name).read_text())
        apply_fix(fixed, "TDL001")
        if fixed.read_text() == (snippet_dir / name).read_text():
            continue  # no evidence either way: no fix offered
        after = run_keras([fixed])[str(fixed)]
        assert after["error"] is None or "fit" in after["error"]["message"], after
        for model, before in run["models"].items():
            old, new = before["output_shape"], after["models"][model]["output_shape"]
            assert len(old) == 3 and new == [old[0], old[2]], (name, old, new)
        checked += 1
    assert checked >= 1  # the others train in `fit` or import tf.keras: see test_oracle.py
