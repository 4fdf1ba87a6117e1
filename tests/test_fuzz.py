"""Fuzzing, the short deterministic slice for CI: the three generators of ``fuzz/fuzz.py``.

(a) hypothesmith programs after a Keras import, (b) seeded byte/line mutants of the examples
and of the rules' VALID/INVALID snippets (and the CLI over a folder of raw mutants), (c)
random, often wrong, Keras model programs. Every input must pass ``fuzz.check_input``:
``check_source`` and ``infer_shapes`` never raise, no rule raises, ``fix_source`` raises
nothing but ``FixError``, its output parses, and fixing it again applies nothing.

The long run is by hand: ``python fuzz/fuzz.py --minutes 10 --seed 0``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import random
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 10.0  # seconds per input


def _load_fuzz():  # fuzz/ is not a package: load fuzz.py by path
    spec = importlib.util.spec_from_file_location("tdlint_fuzz", ROOT / "fuzz" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


def assert_all_pass(inputs: Iterable[tuple[str, str]]) -> int:
    """Check every (label, source); fail once at the end, with the smallest input of each
    distinct failure. Returns how many inputs were checked."""
    worst: dict[str, tuple[str, str, object]] = {}
    checked = 0
    for label, source in inputs:
        checked += 1
        outcome = fuzz.check_input(source, timeout=TIMEOUT)
        for failure in outcome.failures:
            known = worst.get(failure.signature)
            if known is None or len(source) < len(known[1]):
                worst[failure.signature] = (label, source, failure)
    if worst:
        report = [f"{len(worst)} distinct failure(s) in {checked} inputs"]
        for signature, (label, source, failure) in worst.items():
            report.append(
                f"\n=== {signature}\n--- smallest input ({label}) ---\n{source[:3000]}\n"
                f"--- {failure.prop} ---\n{failure.detail[-3000:]}"
            )
        pytest.fail("\n".join(report), pytrace=False)
    return checked


# ---------------------------------------------------------------------- (a) hypothesmith


def test_hypothesmith_programs_after_a_keras_import() -> None:
    pytest.importorskip("hypothesmith")
    from hypothesis import HealthCheck, given, settings

    @settings(
        derandomize=True,
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(fuzz.program_strategy())
    def check(source: str) -> None:
        outcome = fuzz.check_input(source, timeout=TIMEOUT)
        assert not outcome.failures, fuzz.failure_report(outcome)

    check()


# ---------------------------------------------------------------------- (b) mutation

MUTANTS_PER_SEED = 100
MUTATION_SEEDS = (0, 1, 2)


def test_seed_corpus_covers_examples_and_rule_snippets() -> None:
    corpus = fuzz.seed_corpus()
    examples = list((ROOT / "examples").glob("*.py"))
    assert len(examples) > 5 and len(corpus) > len(examples) + 40


@pytest.mark.parametrize("seed", MUTATION_SEEDS)
def test_mutants_of_examples_and_rule_snippets(seed: int) -> None:
    corpus = fuzz.seed_corpus()
    mutants = fuzz.mutants(seed, MUTANTS_PER_SEED, corpus)
    checked = assert_all_pass(
        (f"mutation seed {seed} #{i}", fuzz.decode(data)) for i, data in enumerate(mutants)
    )
    assert checked == MUTANTS_PER_SEED


def test_mutants_are_varied() -> None:
    """The mutators really mutate: most mutants differ from every seed and from each other."""
    corpus = fuzz.seed_corpus()
    mutants = list(fuzz.mutants(0, 200, corpus))
    assert len(set(mutants)) > 180
    assert sum(m not in corpus for m in mutants) > 170
    assert any(b"\x00" in m for m in fuzz.mutants(1, 2000, corpus))


def test_cli_on_a_folder_of_raw_mutants(tmp_path: Path) -> None:
    """Raw bytes (bad encodings, NUL, BOMs, cookies, broken notebooks) through the CLI; more
    than 16 files, so that the process pool runs too."""
    corpus = fuzz.seed_corpus()
    rng = random.Random(7)
    batch = list(fuzz.mutants(7, 40, corpus))
    fuzz.write_mutants(tmp_path / "mutants", batch, rng)
    run = fuzz.run_cli(("check",), tmp_path / "mutants", cwd=tmp_path, timeout=300)
    assert not run.problems(), (
        f"{'; '.join(run.problems())}\n--- stderr ---\n{run.stderr[-5000:]}"
        f"\n--- stdout ---\n{run.stdout[-2000:]}"
    )
    assert run.returncode in (0, 1, 2)


# ---------------------------------------------------------------------- (c) generated models

MODEL_SEEDS = range(200)


def test_generated_keras_models() -> None:
    checked = assert_all_pass(
        (f"generate_model({seed})", fuzz.generate_model(seed)) for seed in MODEL_SEEDS
    )
    assert checked == len(MODEL_SEEDS)


def test_generated_models_reach_the_rules() -> None:
    """The builder is useful only if its programs build models the rules look at."""
    from tdlint.api import check_source, infer_shapes

    def count(function: Callable[[str, str], object], sources: list[str]) -> int:
        found = 0
        for source in sources:
            # A crash is test_generated_keras_models's business, not this test's.
            with (
                contextlib.suppress(Exception, fuzz.InputTimeout),
                fuzz.memory_limit(fuzz.MEMORY_GB),
                fuzz.time_limit(2.0),
            ):
                found += bool(function(source, "m.py"))
        return found

    sources = [fuzz.generate_model(seed) for seed in range(60)]
    assert count(infer_shapes, sources) > 40
    assert count(check_source, sources) > 10
