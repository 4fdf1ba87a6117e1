"""Differential test: random model programs, built by real Keras 3 and read by tdlint.

The programs come from ``differential/generator.py`` (seeded: every run sees the same ones);
``differential/compare.py`` builds them with Keras, reads them with tdlint and classifies
them. ``TDLINT_DIFFERENTIAL_START`` and ``TDLINT_DIFFERENTIAL_SEEDS`` choose another window
of seeds; ``benchmarks/differential.py`` runs the same comparison over thousands of seeds.
"""

from __future__ import annotations

import os

import pytest
from differential.compare import Kind, Report, compare
from oracle.harness import keras_available

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

START = int(os.environ.get("TDLINT_DIFFERENTIAL_START", "0"))
SEEDS = int(os.environ.get("TDLINT_DIFFERENTIAL_SEEDS", "300"))
# What the code achieves on the default window (seeds 0..299): every model Keras builds has a
# known output shape, and every model Keras rejects for its shapes is reported. Anything less
# is a lost shape or a lost error, not noise: these are exact counts, not floors below them.
SHOWN = 5  # discrepancies printed per failure


@pytest.fixture(scope="module")
def report() -> Report:
    result = compare(range(START, START + SEEDS))
    print(f"\ndifferential, seeds {START}..{START + SEEDS - 1}:\n{result.counts.table()}")
    return result


def fail_with(report: Report, headline: str, *kinds: Kind) -> None:
    found = [d for d in report.discrepancies if d.kind in kinds]
    shown = "\n".join(f"--- {d.describe()}" for d in found[:SHOWN])
    more = f"\n... and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    pytest.fail(f"{headline}\n{report.counts.table()}\n\n{shown}{more}", pytrace=False)


def test_tdlint_does_not_crash(report: Report) -> None:
    if report.of_kind(Kind.CRASH):
        fail_with(report, "tdlint raised on generated programs", Kind.CRASH)


def test_known_shapes_and_params_equal_keras(report: Report) -> None:
    if report.of_kind(Kind.WRONG_SHAPE) or report.of_kind(Kind.WRONG_PARAMS):
        fail_with(report, "tdlint disagrees with Keras", Kind.WRONG_SHAPE, Kind.WRONG_PARAMS)
    assert report.counts.equal == report.counts.covered


def test_no_false_alarms(report: Report) -> None:
    if report.counts.false_alarms:
        fail_with(report, "shape findings on models Keras builds", Kind.FALSE_ALARM)


def test_coverage_of_built_models(report: Report) -> None:
    counts = report.counts
    assert counts.built > 0
    if counts.covered != counts.built:
        lost = counts.built - counts.covered
        fail_with(report, f"tdlint lost the shape of {lost} built model(s)", Kind.NOT_COVERED)


def test_shape_errors_caught(report: Report) -> None:
    counts = report.counts
    assert counts.rejected_shape > 0
    if counts.caught != counts.rejected_shape:
        lost = counts.rejected_shape - counts.caught
        fail_with(report, f"tdlint lost {lost} shape error(s) Keras raises", Kind.MISSED)
