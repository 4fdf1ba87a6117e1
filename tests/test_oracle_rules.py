"""The rules' own examples against real Keras 3: VALID models build with the shapes tdlint
infers, TD003's INVALID models really fail, and TD001's unsafe fix changes no shape."""

from __future__ import annotations

import re
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
        assert report["outputs"][-1] == keras_model["output_shape"], report
        assert report["params"] == keras_model["params"], report
        compared += 1
    assert compared >= 4


def test_td003_invalid_snippets_fail_in_keras(keras_runs: dict[str, Any]) -> None:
    runs = {name: run for name, run in keras_runs.items() if name.startswith("TD003_invalid_")}
    assert runs
    for name, run in runs.items():
        assert run["error"] is not None, f"{name} builds in Keras, but TD003 reports it"
        assert re.search(r"TimeDistributed|Kernel shape|ndim", run["error"]["message"]), run


def test_td001_fix_keeps_shapes_and_params(snippet_dir: Path, keras_runs: dict[str, Any]) -> None:
    checked = 0
    for name, run in keras_runs.items():
        if not name.startswith("TD001_invalid_") or run["error"] or not run["models"]:
            continue
        fixed = snippet_dir / f"fixed_{name}"
        fixed.write_text((snippet_dir / name).read_text())
        apply_fix(fixed, "TD001")
        assert "TimeDistributed(" in fixed.read_text()
        after = run_keras([fixed])[str(fixed)]
        assert after["error"] is None, after
        assert after["models"] == run["models"], name
        checked += 1
    assert checked >= 2
