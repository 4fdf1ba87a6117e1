"""Model-versus-data checks against real Keras 3 training (jax backend, one small step).

Seeded programs build arrays from literals, a model, compile it and call `fit`. Keras says
whether `fit` raises; tdlint must report TDL201/TDL202 exactly then, and TDL203 on the programs
that train silently with labels broadcast over the timesteps.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from typing import Any

import pytest
from oracle.harness import keras_available, run_keras

from tdlint.api import check_source

if not keras_available():
    pytest.skip("oracle tests need keras and jax installed", allow_module_level=True)

pytestmark = pytest.mark.oracle

PROGRAMS = 100
T, F, N = 6, 3, 8
FIT_RULES = {"TDL201", "TDL202"}


@dataclass(frozen=True)
class Program:
    seed: int
    source: str
    output_rank: int
    label_rank: int


def generate(seed: int) -> Program:
    rng = random.Random(seed)
    sequence = rng.random() < 0.6
    units = rng.choice([1, 3])
    activation = (
        rng.choice([None, "sigmoid", "softmax"]) if units > 1 else rng.choice([None, "sigmoid"])
    )
    loss = rng.choice(
        [
            "mse",
            "binary_crossentropy",
            "categorical_crossentropy",
            "sparse_categorical_crossentropy",
        ]
    )
    if sequence:
        input_shape: tuple[int, ...] = (T, F)
        returns = rng.random() < 0.5
        body = f"layers.LSTM(4, return_sequences={returns}), layers.Dense({units}, activation={activation!r})"
        output_rank = 3 if returns else 2
    else:
        input_shape = (F,)
        body = (
            f"layers.Dense(8, activation='relu'), layers.Dense({units}, activation={activation!r})"
        )
        output_rank = 2
    x_shape: tuple[int, ...] = (N, *input_shape)
    roll = rng.random()
    if roll < 0.12:
        x_shape = (N, *input_shape[:-1], input_shape[-1] + 2)  # wrong feature count
    elif roll < 0.2:
        x_shape = input_shape  # one sample without its batch axis
    elif roll < 0.27 and sequence:
        x_shape = (N, T * F)  # flattened sequences
    samples = N - 2 if rng.random() < 0.08 else N
    choice = rng.choice(
        ["float_col", "float_units", "floats", "ints", "onehot_units", "onehot_more", "seq"]
    )
    if choice == "float_col":
        y_expr, label_rank = f"np.random.rand({samples}, 1)", 2
    elif choice == "float_units":
        y_expr, label_rank = f"np.random.rand({samples}, {units})", 2
    elif choice == "floats":  # one value per sample, without an axis for it
        y_expr, label_rank = f"np.random.rand({samples})", 1
    elif choice == "ints":
        y_expr, label_rank = f"np.random.randint(0, {max(units, 2)}, size=({samples},))", 1
    elif choice == "onehot_units":
        y_expr, label_rank = (
            f"to_categorical(np.random.randint(0, {units}, size=({samples},)), {units})",
            2,
        )
    elif choice == "onehot_more":
        y_expr, label_rank = (
            f"to_categorical(np.random.randint(0, 2, size=({samples},)), {units + 2})",
            2,
        )
    else:
        y_expr, label_rank = f"np.random.rand({samples}, {T}, {units})", 3
    source = textwrap.dedent(
        f"""\
        import numpy as np
        import keras
        from keras import layers
        from keras.utils import to_categorical

        X = np.random.rand{x_shape}
        y = {y_expr}
        model = keras.Sequential([keras.Input(shape={input_shape}), {body}])
        model.compile(loss={loss!r}, optimizer="adam")
        model.fit(X, y, epochs=1, batch_size=4, verbose=0)
        """
    )
    return Program(seed, source, output_rank, label_rank)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Program, Any, set[str]]]:
    root = tmp_path_factory.mktemp("fit")
    programs = [generate(seed) for seed in range(PROGRAMS)]
    paths = []
    for program in programs:
        path = root / f"fit_{program.seed:03}.py"
        path.write_text(program.source)
        paths.append(path)
    runs = run_keras(paths, backend="jax")
    results = []
    for program, path in zip(programs, paths, strict=True):
        codes = {d.code for d in check_source(program.source, path.name)}
        results.append((program, runs[str(path)]["error"], codes))
    return results


def _table(rows: list[tuple[Program, Any, set[str]]]) -> str:
    return "\n\n".join(
        f"seed {p.seed}: keras {e and e['message'][:160]!r}; tdlint {sorted(c)}\n{p.source}"
        for p, e, c in rows
    )


def test_fit_errors_are_reported_exactly_when_keras_raises(
    outcomes: list[tuple[Program, Any, set[str]]],
) -> None:
    failed = [o for o in outcomes if o[1] is not None]
    fitted = [o for o in outcomes if o[1] is None]
    assert failed and fitted, "the generator should make both kinds"
    missed = [o for o in failed if not (o[2] & FIT_RULES)]
    false_alarms = [o for o in fitted if o[2] & FIT_RULES]
    print(
        f"\nfit oracle: {len(outcomes)} programs, {len(failed)} fail in Keras, "
        f"{len(failed) - len(missed)} caught, {len(false_alarms)} false alarms"
    )
    assert not false_alarms, "tdlint reports programs that train:\n" + _table(false_alarms)
    assert not missed, "Keras fails, tdlint is silent:\n" + _table(missed)


def test_silent_broadcasts_are_td203(outcomes: list[tuple[Program, Any, set[str]]]) -> None:
    silent = [o for o in outcomes if o[1] is None and o[0].output_rank == 3 and o[0].label_rank < 3]
    missed = [o for o in silent if "TDL203" not in o[2]]
    assert not missed, "trains silently against broadcast labels, no TDL203:\n" + _table(missed)
    # TDL203 speaks of labels against the output: never on a 2D output, and never as the only
    # explanation of a failing fit (a wrong `X` may fail first while TDL203's point still holds).
    wrong = [
        o
        for o in outcomes
        if "TDL203" in o[2]
        and (o[0].output_rank != 3 or (o[1] is not None and not o[2] & FIT_RULES))
    ]
    assert not wrong, _table(wrong)
