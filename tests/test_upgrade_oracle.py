"""The Keras-version upgrade fixes (TDL3xx, issue 16), proven on real Keras 3.

Each `tests/upgrade/NAME.py` is a small complete program written for an old Keras (Keras 1,
multi-backend Keras 2.0-2.3 or tf.keras 2.x) that crashes on Keras 3 today. Its header says

    # upgrade: what it exercises
    # keras-version: 1.2 | 2.3 | 2.15       the Keras it was written for
    # crashes-on-keras3: TypeError: ...     what Keras 3 (jax) raises, from a real run
    # checked: keras 1.2.2 (Theano ...)     how the model lines were confirmed, by hand
    # model: NAME (None, 10) 1234           one line per model: output shape and parameter
                                            count under its own Keras, worked out by hand

The `checked` lines record a run of the original, outside this suite, under the old Keras
itself: Keras 1.2.2 and 2.3.1 on Theano 1.0.5 (Python 3.11, with the `collections` and
`inspect` names they use put back, and Theano's Cython scan left out), or tensorflow-cpu
2.15.1. Every case was checked so: the original ran to the end (the CuDNN layers only build
without a GPU) and built the models its header lists.

For every case, after `tdlint check --fix --unsafe-fixes` (no --keras-version: the version
must be read from the file), the fixed file must (a) parse, (b) have no TDL3xx finding left,
(c) not change under a second fix, (d) run to the end under Keras 3 (jax backend), training
included, and (e) build the same models: for each header model, the Keras 3 model bound to
the same module-level name (the name `tdlint shapes` gives it; failing that, the first
unnamed model in order of creation) has the same output shape and parameter count. Models the
fixed file makes beyond those are ignored. The header values are checked against
`tdlint shapes --keras-version V` of the original (`test_tdlint_reads_the_original...`), so
together (e) compares Keras 3 with what tdlint computes for the original, as issue 16 asks,
and a wrong reading of the old Keras by tdlint is caught on its own.

`tests/upgrade/hand_fixed/` holds fixes written by hand: the harness self-test runs them
through the same comparison, so the harness is proven without the rules (a right fix passes,
two plausible wrong ones fail).

Files written for tf.keras import `tensorflow`: without TensorFlow installed, the Keras runner
gives them a stand-in where `tensorflow.keras` is Keras 3 and nothing else exists, as with
TensorFlow 2.16+ (tests/oracle/script_runner.py).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from helpers import tdlint
from oracle.harness import keras_available, run_models

UPGRADE = Path(__file__).parent / "upgrade"
CASES = sorted(UPGRADE.glob("*.py"))
# What the fixes cannot do yet, said here so that the gap shows (and the test turns red
# when it closes).
GAPS: dict[str, str] = {}
FIXED_CASES = [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=GAPS[p.stem]))
    if p.stem in GAPS
    else p
    for p in CASES
]
HAND_FIXED = UPGRADE / "hand_fixed"
VERSIONS = {"1.2", "2.3", "2.15"}

Dims = list[int | None]


@dataclass(frozen=True)
class Model:
    name: str
    outputs: list[Dims]  # one shape per output
    params: int


@dataclass(frozen=True)
class Case:
    path: Path
    description: str
    version: str
    crash: str
    models: tuple[Model, ...]
    keras3_models: tuple[Model, ...] = ()
    keras3_because: str = ""


_MODEL_LINE = re.compile(r"(\w+) (\([^)]*\)) (\d+)")


def _shape(text: str) -> Dims:
    """`(None, 10, 3)` as [None, 10, 3]."""
    dims = [d.strip() for d in text.strip("()").split(",") if d.strip()]
    return [None if d == "None" else int(d) for d in dims]


def read_case(path: Path) -> Case:
    header: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        header.setdefault(key.strip(), []).append(value.strip())
    models = _models(path, header.get("model", []))
    # Where an unsafe fix knowingly changes the model (CuDNNLSTM's second bias vector), what
    # Keras 3 builds from the fixed file: `# keras3-model: NAME (None, ...) PARAMS  (TDLxxx)`.
    changed = [line.rpartition("  (")[0] for line in header.get("keras3-model", [])]
    keras3 = _models(path, changed) if changed else models
    return Case(
        path=path,
        description=" ".join(header.get("upgrade", [])),
        version=" ".join(header.get("keras-version", [])),
        crash=" ".join(header.get("crashes-on-keras3", [])),
        models=tuple(models),
        keras3_models=tuple(keras3),
        keras3_because=" ".join(header.get("keras3-model", [])),
    )


def _models(path: Path, lines: list[str]) -> list[Model]:
    models = []
    for line in lines:
        found = _MODEL_LINE.fullmatch(line)
        if found is None:
            raise ValueError(f"{path.name}: bad model line {line!r}")
        models.append(Model(found[1], [_shape(found[2])], int(found[3])))
    return models


# ---------------------------------------------------------------- headers (fast)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_a_case_header_is_well_formed(path: Path) -> None:
    case = read_case(path)
    assert case.description, "say what it exercises: # upgrade: ..."
    assert case.version in VERSIONS, f"# keras-version: one of {sorted(VERSIONS)}"
    assert re.fullmatch(r"[A-Z]\w*: \S.*", case.crash), "# crashes-on-keras3: Type: message"
    assert case.models, "# model: NAME (None, ...) PARAMS, for every model"
    names = [model.name for model in case.models]
    assert len(names) == len(set(names)), "one line per model name"
    assert all(model.outputs[0][0] is None for model in case.models), "a batch dim first"
    compile(path.read_text(), str(path), "exec")  # the original itself is valid Python


# What the set must exercise: a hazard missing from every case is a hole in the oracle.
HAZARDS = [
    "output_dim=", "init=", "inner_init=", "inner_activation=", "border_mode=", "subsample=",
    "nb_filter=", "nb_row=", "nb_col=", "filter_length=", "subsample_length=", "pool_length=",
    "stride=", "W_regularizer=", "b_regularizer=", "U_regularizer=", "W_constraint=",
    "b_constraint=", "bias=False", "dropout_W=", "dropout_U=", "dim_ordering='tf'",
    "Dropout(p=", "GaussianNoise(sigma=", "consume_less=", "input_dim=", "input_length=",
    "dropout=0.2", "Convolution2D(8, 3, 3,", "Convolution1D(nb_filter=", "MaxPooling1D(pool_length=",
    "beta_init=", "gamma_init=", "mode='concat'", "concat_axis=-1", "mode='sum'", "mode='mul'",
    "mode='ave'", "mode='dot'", "Merge([", "Model(input=", "nb_epoch=", "fit_generator(",
    "samples_per_epoch=", "nb_val_samples=", "evaluate_generator(", "predict_generator(",
    "predict_classes(", "predict_proba(", "from keras.layers.core import",
    "from keras.layers.convolutional import", "from keras.layers.recurrent import",
    "from keras.layers.embeddings import", "from keras.layers.normalization import",
    "from keras.layers.wrappers import", "from keras.utils import np_utils",
    "np_utils.to_categorical(", "from keras.utils.np_utils import to_categorical",
    "experimental.preprocessing.Rescaling", "import Normalization", "RandomFlip(",
    "CuDNNLSTM", "CuDNNGRU", "tf.compat.v1.keras.layers.CuDNNGRU", "SGD(lr=", "decay=",
    "Adam(lr=", "optimizers.RMSprop(lr=", "from keras import backend as K", "K.mean(",
    "K.sum(", "K.square(", "K.sqrt(", "K.concatenate(", "K.expand_dims(", "K.max(",
    "TimeDistributedDense(", "Merge(mode='mul')", "Merge(mode='max')", "dot_axes=[2, 2]",
    "activity_l2(", "l1l2(", "maxnorm(m=", "nonneg(", "ThresholdedReLU(", "nb_classes=",
    "from keras.engine.topology import Merge", "self.add_weight('kernel', shape=",
    "K.int_shape(", "K.shape(", "K.relu(", "metrics=['accuracy']", "history.history['val_acc']",
    "ModelCheckpoint('best_model.hdf5'", "save_weights('final_weights.h5'", "Adadelta()",
]  # fmt: skip


def test_the_set_covers_every_hazard() -> None:
    cases = [read_case(path) for path in CASES]
    assert len(cases) >= 25
    assert {case.version for case in cases} == VERSIONS
    text = "\n".join(path.read_text() for path in CASES)
    assert [hazard for hazard in HAZARDS if hazard not in text] == []
    mixed = [case for case in cases if case.path.name.startswith("mix_")]
    assert len(mixed) >= 5
    # predict_classes after a softmax and after a sigmoid
    classes = [p.read_text() for p in CASES if "predict_classes(" in p.read_text()]
    assert any("'softmax'" in t for t in classes) and any("'sigmoid'" in t for t in classes)


# ---------------------------------------------------------------- tdlint reads the originals


@cache
def tdlint_shapes(version: str) -> dict[str, list[dict[str, Any]]]:
    """`tdlint shapes --output-format json --keras-version VERSION` over the cases written
    for that version, by file name."""
    paths = [str(p) for p in CASES if read_case(p).version == version]
    proc = tdlint("shapes", "--output-format", "json", "--keras-version", version, *paths)
    assert proc.returncode in (0, 1), proc.stderr
    found: dict[str, list[dict[str, Any]]] = {}
    for model in json.loads(proc.stdout):
        found.setdefault(Path(model["filename"]).name, []).append(model)
    return found


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_tdlint_reads_the_original_as_its_keras_built_it(path: Path) -> None:
    """`tdlint shapes` of the original, under the Keras it was written for, gives the header's
    hand-worked shapes and counts: the models the fixed file must rebuild."""
    case = read_case(path)
    reported = tdlint_shapes(case.version).get(path.name, [])
    got = [(m["model"], m["outputs"], m["params"]) for m in reported]
    assert got == [(m.name, m.outputs, m.params) for m in case.models]


# ---------------------------------------------------------------- the fixes (oracle)


@dataclass
class Fixed:
    """What became of one case: the fixed text and what each tdlint step said."""

    original: Path
    fixed: Path
    fix: Any  # CompletedProcess of the first --fix run
    refix: Path  # a copy of the fixed file after a second --fix run
    relint: Any  # CompletedProcess of `check --select TDL3` over all fixed files


@pytest.fixture(scope="module")
def fixed_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Fixed]:
    """Every case copied and fixed (one tdlint run a file: the version is read per file), the
    fixed files re-linted for TDL3 and fixed a second time (one run each over all)."""
    root = tmp_path_factory.mktemp("upgrade")
    first, second = root / "fixed", root / "refixed"
    first.mkdir()
    second.mkdir()
    runs = {}
    for path in CASES:
        copy = first / path.name
        shutil.copy(path, copy)
        runs[path.name] = tdlint("check", "--fix", "--unsafe-fixes", "--exit-zero", str(copy))
    for path in CASES:
        shutil.copy(first / path.name, second / path.name)
    tdlint("check", "--fix", "--unsafe-fixes", "--exit-zero", str(second))
    relint = tdlint("check", "--select", "TDL3", "--output-format", "json", str(first))
    return {
        path.name: Fixed(path, first / path.name, runs[path.name], second / path.name, relint)
        for path in CASES
    }


@pytest.fixture(scope="module")
def keras_runs(fixed_cases: dict[str, Fixed], tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Originals and fixed files run under Keras 3 (jax), all in one Python."""
    if not keras_available():
        pytest.skip("needs keras and jax")
    paths = [p for f in fixed_cases.values() for p in (f.original, f.fixed)]
    return run_models(paths, cwd=tmp_path_factory.mktemp("keras-cwd"), script_timeout=240)


@pytest.mark.oracle
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_original_crashes_on_keras_3(path: Path, keras_runs: Any) -> None:
    error = keras_runs[str(path)]["error"]
    assert error is not None, f"{path.name} runs on Keras 3: not a hazard"
    expected_type = read_case(path).crash.split(":", 1)[0]
    assert error.split(":", 1)[0] == expected_type, error


@pytest.mark.oracle
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_fixed_file_parses(path: Path, fixed_cases: dict[str, Fixed]) -> None:
    done = fixed_cases[path.name]
    assert done.fix.returncode == 0, f"tdlint --fix failed:\n{done.fix.stderr}"
    compile(done.fixed.read_text(), str(done.fixed), "exec")


@pytest.mark.oracle
@pytest.mark.parametrize("path", FIXED_CASES, ids=lambda p: p.stem)
def test_the_fixed_file_has_no_tdl3_finding(path: Path, fixed_cases: dict[str, Fixed]) -> None:
    relint = fixed_cases[path.name].relint
    if relint.returncode == 2 and "unknown rule selector" in relint.stderr:
        pytest.fail(f"the TDL3xx rules do not exist yet: {relint.stderr.strip()}")
    assert relint.returncode in (0, 1), relint.stderr
    left = [f for f in json.loads(relint.stdout) if Path(f["filename"]).name == path.name]
    assert [f"{f['code']} line {f['location']['row']}: {f['message']}" for f in left] == []


@pytest.mark.oracle
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_a_second_fix_changes_nothing(path: Path, fixed_cases: dict[str, Fixed]) -> None:
    done = fixed_cases[path.name]
    assert done.refix.read_text() == done.fixed.read_text()


@pytest.mark.oracle
@pytest.mark.parametrize("path", FIXED_CASES, ids=lambda p: p.stem)
def test_the_fixed_file_runs_on_keras_3(
    path: Path, fixed_cases: dict[str, Fixed], keras_runs: Any
) -> None:
    error = keras_runs[str(fixed_cases[path.name].fixed)]["error"]
    assert error is None, f"the fixed {path.name} raised on Keras 3: {error}"


@pytest.mark.oracle
@pytest.mark.parametrize("path", FIXED_CASES, ids=lambda p: p.stem)
def test_the_fixed_file_builds_the_same_models(
    path: Path, fixed_cases: dict[str, Fixed], keras_runs: Any
) -> None:
    built = keras_runs[str(fixed_cases[path.name].fixed)]["models"]
    assert differences(read_case(path).keras3_models, built) == []


def test_a_changed_model_names_the_unsafe_fix_that_changes_it() -> None:
    changed = [case for case in map(read_case, CASES) if case.keras3_models != case.models]
    assert changed, "CuDNNLSTM's case builds another model on Keras 3"
    for case in changed:
        assert re.search(r"\(TDL\d{3}, unsafe", case.keras3_because), case.path.name


def differences(expected: tuple[Model, ...], built: list[dict[str, Any]]) -> list[str]:
    """How the models Keras built differ from the expected ones (empty: the same). Each
    expected model is matched with the Keras model bound to its name at module level, or
    else the first unnamed one not yet matched, in order of creation."""
    unnamed = [model for model in built if model["name"] is None]
    by_name = {model["name"]: model for model in built if model["name"] is not None}
    found = []
    for model in expected:
        match = by_name.get(model.name) or (unnamed.pop(0) if unnamed else None)
        if match is None:
            found.append(f"{model.name}: no such model was built")
            continue
        got = (match["outputs"], match["params"])
        if got != (model.outputs, model.params):
            found.append(
                f"{model.name}: Keras 3 built {match['outputs']} with {match['params']} "
                f"parameters, the original {model.outputs} with {model.params}"
            )
    return found


# ---------------------------------------------------------------- the harness itself


@pytest.mark.oracle
def test_the_harness_tells_a_right_fix_from_wrong_ones(tmp_path: Path) -> None:
    """Fixes written by hand, without the rules: the right one passes (d) and (e), one with
    a different unit count and one that keeps Keras 3's GRU bias layout fail (e), and the
    original fails (d)."""
    if not keras_available():
        pytest.skip("needs keras and jax")
    case = read_case(UPGRADE / "mix_k1_merge_rnn_branches.py")
    tf_case = read_case(UPGRADE / "tf2_compat_cudnn_gru.py")
    right = HAND_FIXED / "mix_k1_merge_rnn_branches.py"
    units = HAND_FIXED / "mix_k1_merge_rnn_branches.wrong_units.py"
    gru = HAND_FIXED / "mix_k1_merge_rnn_branches.wrong_gru_bias.py"
    tf_right = HAND_FIXED / "tf2_compat_cudnn_gru.py"
    runs = run_models([case.path, right, units, gru, tf_right], cwd=tmp_path)

    assert runs[str(case.path)]["error"] is not None
    assert runs[str(right)]["error"] is None
    assert [m["name"] for m in runs[str(right)]["models"]] == ["encoder_a", "encoder_b", "model"]
    assert differences(case.models, runs[str(right)]["models"]) == []
    assert runs[str(tf_right)]["error"] is None
    assert differences(tf_case.models, runs[str(tf_right)]["models"]) == []

    assert runs[str(units)]["error"] is None
    assert differences(case.models, runs[str(units)]["models"]) == [
        "model: Keras 3 built [[None, 5]] with 1095 parameters, the original [[None, 4]] with 1084"
    ]
    assert runs[str(gru)]["error"] is None
    assert differences(case.models, runs[str(gru)]["models"]) == [
        "encoder_b: Keras 3 built [[None, 10]] with 510 parameters, the original [[None, 10]] with 480",
        "model: Keras 3 built [[None, 4]] with 1114 parameters, the original [[None, 4]] with 1084",
    ]


def test_models_are_matched_by_name_then_by_order() -> None:
    expected = (Model("a", [[None, 2]], 10), Model("b", [[None, 3]], 20))
    built = [
        {"name": None, "outputs": [[None, 3]], "params": 20},
        {"name": "a", "outputs": [[None, 2]], "params": 10},
    ]
    assert differences(expected, built) == []
    assert differences(expected, built[1:]) == ["b: no such model was built"]
    assert differences(expected, [{**built[0], "params": 21}, built[1]]) == [
        "b: Keras 3 built [[None, 3]] with 21 parameters, the original [[None, 3]] with 20"
    ]
    assert differences(expected, [built[0], {**built[1], "outputs": [[None, 2, 1]]}]) == [
        "a: Keras 3 built [[None, 2, 1]] with 10 parameters, the original [[None, 2]] with 10"
    ]


RUNNER_SCRIPTS = {
    # the models a script makes, and only those: not the functional model a Sequential
    # makes of itself at each add(), but its own subclass, helper-built and unnamed ones
    "made.py": """
import keras
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(3)
    def call(self, x):
        return self.dense(x)
def build():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2), keras.layers.Dense(5)])
net = Net()
net(keras.ops.ones((1, 4)))
seq = build()
also_seq = seq
i = keras.Input((4,))
func = keras.Model(i, keras.layers.Dense(7)(i))
keras.Model(i, func(i))
""",
    "raises.py": """
import keras
m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
raise ValueError("boom")
""",
    # tensorflow.keras is Keras 3 (TensorFlow 2.16+, or the runner's stand-in without it)
    "tf_keras.py": """
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers import Dense
model = keras.Sequential([keras.Input((2,)), layers.Dense(4), Dense(3)])
""",
    "tf_experimental.py": "from tensorflow.keras.layers.experimental import preprocessing\n",
    "endless.py": "while True:\n    pass\n",
    "exits.py": "import sys\nsys.exit(0)\n",
}


@pytest.mark.oracle
def test_the_runner_reports_models_errors_and_time_limits(tmp_path: Path) -> None:
    if not keras_available():
        pytest.skip("needs keras and jax")
    paths = []
    for name, text in RUNNER_SCRIPTS.items():
        paths.append(tmp_path / name)
        paths[-1].write_text(text)
    runs = run_models(paths, cwd=tmp_path, script_timeout=15)
    made, raises, tf_keras, tf_experimental, endless, exits = (runs[str(p)] for p in paths)
    assert made == {
        "error": None,
        "models": [
            {"name": "net", "class": "Net", "outputs": None, "params": 15},
            {"name": "also_seq", "class": "Sequential", "outputs": [[None, 5]], "params": 25},
            {"name": "func", "class": "Functional", "outputs": [[None, 7]], "params": 35},
            {"name": None, "class": "Functional", "outputs": [[None, 7]], "params": 35},
        ],
    }
    assert raises == {
        "error": "ValueError: boom",
        "models": [{"name": "m", "class": "Sequential", "outputs": [[None, 2]], "params": 8}],
    }
    assert tf_keras == {
        "error": None,
        "models": [{"name": "model", "class": "Sequential", "outputs": [[None, 3]], "params": 27}],
    }
    assert tf_experimental["error"].startswith("ModuleNotFoundError")
    assert endless["error"].startswith("ScriptTimeout")
    assert exits == {"error": None, "models": []}
