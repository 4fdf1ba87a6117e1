"""Reproductions of the Keras crashes users report, in tests/crashes/: each `NAME.py` crashes
(its first comment says on which Keras versions), and `NAME.fixed.py` is the same script
fixed. tdlint must report an error on every crash and none on any fixed script. The files
marked `# oracle: keras 3` are run with Keras 3 (jax backend) as the scripts they are: the
crash must raise and the fixed version must run. The others crash only on older Keras (the
versions their header names, established from Keras's sources), or need a dataset download.

`benchmarks/crash_recall.py` prints the same figures for any folder of such pairs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from oracle.harness import keras_available, run_scripts

from tdlint.api import check_source
from tdlint.diagnostics import Severity

CRASHES = Path(__file__).parent / "crashes"
PAIRS = sorted(p for p in CRASHES.glob("*.py") if not p.name.endswith(".fixed.py"))


def header(path: Path, key: str) -> str | None:
    """The value of a `# key: value` comment at the top of the file."""
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return None


def errors(path: Path) -> list[str]:
    """The error-level findings on a script, judged for the Keras it was written for: its
    version is also the target, so old-API hazards (TDL3xx) of a script that runs there are
    not errors of its own."""
    version = header(path, "keras-version")
    found = check_source(path.read_text(), path.name, keras_version=version, target_version=version)
    return [f"{d.code} {d.message}" for d in found if d.severity is Severity.ERROR]


def test_the_set_covers_the_causes() -> None:
    assert len(PAIRS) >= 30
    for crash in PAIRS:
        assert crash.with_suffix(".fixed.py").exists(), crash.name
        assert header(crash, "crashes"), f"{crash.name}: say which Keras versions crash"


@pytest.mark.parametrize("crash", PAIRS, ids=lambda p: p.stem)
def test_every_crash_is_an_error(crash: Path) -> None:
    assert errors(crash), f"{crash.name}: no error-level finding"


@pytest.mark.parametrize("crash", PAIRS, ids=lambda p: p.stem)
def test_no_fixed_script_has_an_error(crash: Path) -> None:
    fixed = crash.with_suffix(".fixed.py")
    assert errors(fixed) == [], fixed.name


@pytest.mark.oracle
def test_keras_3_crashes_where_the_header_says_and_runs_the_fixes(tmp_path: Path) -> None:
    if not keras_available():
        pytest.skip("needs keras and jax")
    runnable = [p for p in PAIRS if header(p, "oracle") == "keras 3"]
    assert len(runnable) >= 20
    files = [p for crash in runnable for p in (crash, crash.with_suffix(".fixed.py"))]
    outcome = run_scripts(files, cwd=tmp_path)
    for crash in runnable:
        assert outcome[str(crash)] is not None, f"{crash.name} runs on Keras 3"
        fixed = crash.with_suffix(".fixed.py")
        assert outcome[str(fixed)] is None, f"{fixed.name}: {outcome[str(fixed)]}"
