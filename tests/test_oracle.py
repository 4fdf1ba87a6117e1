"""Check tdlint's static shapes against real Keras 3 on ``examples/*.py``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from oracle.examples_meta import ExampleMeta, read_meta
from oracle.harness import apply_fix, keras_available, run_keras, run_tdlint_shapes

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = REPO_ROOT / "examples"
TDL003_MESSAGE = re.compile(r"TimeDistributed|ndim|dimension|shape", re.IGNORECASE)

Mismatch = tuple[str, str, str, str, str]  # file, model, field, tdlint, keras


@pytest.fixture(scope="module")
def examples3() -> list[tuple[Path, ExampleMeta]]:
    """Examples buildable with Keras 3, with their header metadata."""
    found = [(path, read_meta(path)) for path in sorted(EXAMPLES_DIR.glob("*.py"))]
    examples = [(path, meta) for path, meta in found if meta.keras == 3]
    if not examples:
        pytest.skip(f"no '# keras: 3' examples in {EXAMPLES_DIR}")
    return examples


@pytest.fixture(scope="module")
def keras_results(examples3: list[tuple[Path, ExampleMeta]]) -> dict[str, Any]:
    return run_keras([path for path, _ in examples3])


def with_code(examples: list[tuple[Path, ExampleMeta]], code: str) -> list[Path]:
    paths = [path for path, meta in examples if code in meta.expect]
    if not paths:
        pytest.skip(f"no '# keras: 3' example expects {code}")
    return paths


def format_table(rows: list[Mismatch]) -> str:
    header: Mismatch = ("file", "model", "field", "tdlint", "keras")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


def tdlint_output(report: dict[str, Any]) -> object:
    outputs = report.get("outputs")
    if not outputs:
        return None
    return outputs[-1] if len(outputs) == 1 else outputs


def test_shapes_match_keras(
    examples3: list[tuple[Path, ExampleMeta]], keras_results: dict[str, Any]
) -> None:
    buildable = [path for path, _ in examples3 if keras_results[str(path)]["error"] is None]
    if not buildable:
        pytest.skip("no '# keras: 3' example builds without error")
    reports: dict[Path, dict[str, dict[str, Any]]] = {}
    for report in run_tdlint_shapes(buildable):
        file = (REPO_ROOT / report["filename"]).resolve()
        reports.setdefault(file, {})[report["model"]] = report

    mismatches: list[Mismatch] = []
    for path in buildable:
        found = reports.get(path.resolve(), {})
        for name, expected in keras_results[str(path)]["models"].items():
            report = found.get(name)
            if report is None:
                mismatches.append((path.name, name, "model", "not reported", "present"))
                continue
            actual = {"output_shape": tdlint_output(report), "params": report.get("params")}
            for field, value in actual.items():
                if value is None or value != expected[field]:
                    mismatches.append((path.name, name, field, str(value), str(expected[field])))

    assert not mismatches, "tdlint disagrees with Keras:\n" + format_table(mismatches)


def test_td003_examples_really_fail(
    examples3: list[tuple[Path, ExampleMeta]], keras_results: dict[str, Any]
) -> None:
    problems: list[str] = []
    for path in with_code(examples3, "TDL003"):
        error = keras_results[str(path)]["error"]
        if error is None:
            problems.append(f"{path.name}: Keras built it without error")
        elif not TDL003_MESSAGE.search(error["message"]):
            problems.append(f"{path.name}: unrelated {error['type']}: {error['message']}")
    assert not problems, "TDL003 examples that do not fail as expected:\n" + "\n".join(problems)


def test_td001_fix_takes_the_time_axis_out(
    examples3: list[tuple[Path, ExampleMeta]], tmp_path: Path
) -> None:
    """Where TDL001 offers its fix (the file says one output per sequence), the fixed example
    builds in Keras and its output has lost the time axis, nothing else."""
    changed: list[tuple[Path, Path]] = []
    for index, path in enumerate(with_code(examples3, "TDL001")):
        copy = tmp_path / str(index) / path.name
        copy.parent.mkdir()
        shutil.copyfile(path, copy)
        apply_fix(copy, select="TDL001")
        if copy.read_text(encoding="utf-8") != path.read_text(encoding="utf-8"):
            changed.append((path, copy))
    assert changed, "no example gets TDL001's fix"
    before = run_keras([p for p, _ in changed])
    after = run_keras([c for _, c in changed])
    for path, copy in changed:
        old, new = before[str(path)], after[str(copy)]
        assert new["error"] is None, new
        for name, model in old["models"].items():
            shape = model["output_shape"]
            assert new["models"][name]["output_shape"] == [shape[0], shape[-1]], path.name


def test_td004_fix_preserves_shapes(
    examples3: list[tuple[Path, ExampleMeta]], tmp_path: Path
) -> None:
    """The TimeDistributed wrap (TDL004, opt-in) changes no shape or parameter count of any
    example it applies to."""
    originals: list[Path] = []
    problems: list[str] = []
    copies: list[Path] = []
    for index, (path, _) in enumerate(examples3):
        copy = tmp_path / str(index) / path.name
        copy.parent.mkdir()
        shutil.copyfile(path, copy)
        apply_fix(copy, select="TDL004")
        fixed = copy.read_text(encoding="utf-8")
        if fixed == path.read_text(encoding="utf-8"):
            continue
        if "TimeDistributed(" not in fixed:
            problems.append(f"{path.name}: fixed file has no 'TimeDistributed('")
        originals.append(path)
        copies.append(copy)
    assert len(originals) >= 2, "too few examples with a per-timestep Dense to mean anything"

    before = run_keras(originals)
    after = run_keras(copies)
    for path, copy in zip(originals, copies, strict=True):
        old, new = before[str(path)], after[str(copy)]
        for label, result in (("original", old), ("fixed", new)):
            if result["error"] is not None:
                problems.append(f"{path.name}: {label} raised {result['error']}")
        if old["models"] != new["models"]:
            problems.append(
                f"{path.name}: models changed\n  before: {old['models']}\n  after:  {new['models']}"
            )
    assert not problems, "TDL004 fixes that do not preserve shapes:\n" + "\n".join(problems)
