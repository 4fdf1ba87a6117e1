"""TDL311 keras3-save-path: which file names and checkpoint arguments are reported, on which
target Keras, and (with the `oracle` marker) real Keras 3 deciding that every original
raises and every fixed program runs, saving and loading included."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from oracle.harness import keras_available, run_models

from tdlint.config import Selection
from tdlint.diagnostics import Applicability, Diagnostic
from tdlint.engine import check_source
from tdlint.fixes import fix_source
from tdlint.rules.tdl311_keras3_save_path import Keras3SavePath

TDL311 = Selection.from_options(["TDL311"])


def found(
    source: str, keras_version: str | None = None, target: str | None = None
) -> list[Diagnostic]:
    result = check_source(
        textwrap.dedent(source), "train.py", TDL311, keras_version, target_version=target
    )
    assert result.error is None, result.error
    return list(result.diagnostics)


def fixed(source: str, keras_version: str | None = None) -> str:
    outcome = fix_source(textwrap.dedent(source), "train.py", TDL311, True, keras_version)
    return outcome.source


# ------------------------------------------------------------------ the Keras it runs on

KERAS1 = """
from keras.models import Sequential
from keras.layers import Dense
from keras.callbacks import ModelCheckpoint
model = Sequential()
model.add(Dense(2, input_dim=3))
model.compile(loss="mse", optimizer="sgd")
checkpointer = ModelCheckpoint(filepath="weights.hdf5", verbose=1, save_best_only=True)
model.fit(X, Y, nb_epoch=2, callbacks=[checkpointer])
model.save_weights("final.h5")
"""

KERAS23 = """
import keras
model = keras.models.Sequential([keras.layers.Dense(2, input_shape=(3,))])
model.compile(optimizer=keras.optimizers.Adam(lr=0.01), loss="mse")
model.save_weights("model_weights.h5")
"""

TF_KERAS = """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
model.save("saved_model")
cb = tf.keras.callbacks.ModelCheckpoint("cp-{epoch:04d}.ckpt", save_weights_only=True)
"""


@pytest.mark.parametrize(
    ("source", "keras_version", "rows"),
    [(KERAS1, "1.2", [8, 10]), (KERAS23, "2.3", [5]), (TF_KERAS, "2.15", [4, 5])],
    ids=["keras1", "keras2.3", "tf.keras2"],
)
def test_old_code_is_reported_for_keras3_only(
    source: str, keras_version: str, rows: list[int]
) -> None:
    assert [d.location.row for d in found(source, keras_version)] == rows
    # tf.keras 2 wrote every one of these names; so did Keras 1 and Keras 2.3.
    assert found(source, keras_version, target="2.15") == []
    assert found(source, keras_version, target="2.3") == []


def test_keras1_fix() -> None:
    assert fixed(KERAS1, "1.2") == textwrap.dedent(KERAS1).replace(
        '"weights.hdf5"', '"weights.h5"'
    ).replace('"final.h5"', '"final.weights.h5"')


def test_tf_keras_fix() -> None:
    assert fixed(TF_KERAS, "2.15") == textwrap.dedent(TF_KERAS).replace(
        '"saved_model"', '"saved_model.keras"'
    ).replace('"cp-{epoch:04d}.ckpt"', '"cp-{epoch:04d}.ckpt.weights.h5"')


# ------------------------------------------------------------------------ the rules read

MODEL = """
import os
import keras
from pathlib import Path
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
"""


# Names Keras 3 accepts: never reported (and run for real by the oracle test below).
ACCEPTED = [
    'model.save_weights("model.weights.h5")',
    'model.save_weights("a.weights.h5", overwrite=True)',
    'model.save("m.keras")',
    'model.save("m.h5")',
    'model.save("m.hdf5")',
    'model.save("m", zipped=False)',  # Keras 3's unzipped folder
    'model.save_weights("m.weights.json", max_shard_size=1)',  # Keras 3's shards
    'keras.models.save_model(model, "m.keras")',
    'keras.saving.save_model(model, filepath="m.h5")',
    'keras.callbacks.ModelCheckpoint("best.keras")',
    'keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)',
    'keras.callbacks.ModelCheckpoint("w.weights.h5", save_weights_only=True)',
    'keras.callbacks.ModelCheckpoint("w.weights.h5", "loss", 0, False, True)',
    # A whole model to `.weights.h5` is still `.h5`: accepted.
    'keras.callbacks.ModelCheckpoint("w.weights.h5")',
    'model.save(Path(out) / "m.keras")',
    'model.save_weights(os.path.join(out, "m.weights.h5"))',
]
# Names tdlint cannot read, or calls it does not know for Keras's.
UNKNOWN = [
    # Refused if `flag` is true, accepted otherwise.
    'keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=flag)',
    "keras.callbacks.ModelCheckpoint(filepath=path)",
    "model.save_weights(path)",
    'model.save_weights(f"{stem}{suffix}")',
    'model.save_weights(f"{stem}h5")',  # could be 'x.weights' + 'h5'
    'model.save_weights("runs/" + name)',
    "model.save_weights(os.path.join(out, name))",
    'other.save_weights("model.h5")',  # not a model tdlint knows
    'model.save_weights(b"model.h5")',
]


@pytest.mark.parametrize("line", ACCEPTED + UNKNOWN)
def test_names_keras3_accepts_or_that_are_unknown_are_not_reported(line: str) -> None:
    source = MODEL + line + "\n"
    assert found(source) == [], line


# Names Keras 3 refuses: (call, how the message shows the name, the suffixes it names).
REFUSED = [
    ('model.save_weights("model.H5")', "'model.H5'", "`.weights.h5`"),
    ('model.save_weights(filepath="w")', "'w'", "`.weights.h5`"),
    ('model.save("m.tf")', "'m.tf'", "`.keras`, `.h5` or `.hdf5`"),
    ('keras.models.save_model(model, "m")', "'m'", "`.keras`, `.h5` or `.hdf5`"),
    ('keras.callbacks.ModelCheckpoint("b.hdf5")', "'b.hdf5'", "`.keras` or `.h5`"),
    (
        'keras.callbacks.ModelCheckpoint("b.h5", "loss", 0, False, True)',
        "'b.h5'",
        "`.weights.h5`",
    ),
    # save_best_only given positionally, save_weights_only not: the whole model.
    (
        'keras.callbacks.ModelCheckpoint("b.hdf5", "loss", 0, True)',
        "'b.hdf5'",
        "`.keras` or `.h5`",
    ),
    (
        'keras.callbacks.ModelCheckpoint("b.hdf5", save_weights_only=flag)',
        "'b.hdf5'",
        "`.keras` or `.h5`",
    ),
    ('model.save_weights(f"{run}.h5")', 'f"{run}.h5"', "`.weights.h5`"),
    (
        'model.save_weights(os.path.join(out, "m.h5"))',
        "a path ending in '/m.h5'",
        "`.weights.h5`",
    ),
    ('model.save(Path(out) / "m.tf")', "a path ending in '/m.tf'", "`.keras`, `.h5` or `.hdf5`"),
    ('model.save(out + ".hdf")', "a path ending in '.hdf'", "`.keras`, `.h5` or `.hdf5`"),
]


@pytest.mark.parametrize(("line", "shown", "needed"), REFUSED)
def test_names_keras3_refuses_are_reported(line: str, shown: str, needed: str) -> None:
    (diagnostic,) = found(MODEL + line + "\n")
    assert f"writes to {shown}: Keras 3 wants a name ending in {needed}" in diagnostic.message


def test_a_constant_is_read_but_not_fixed() -> None:
    source = MODEL + 'BEST = "best.hdf5"\nmodel.save_weights(BEST)\n'
    (diagnostic,) = found(source)
    assert "`BEST` ('best.hdf5')" in diagnostic.message and diagnostic.fix is None


def test_a_name_bound_twice_is_unknown() -> None:
    source = MODEL + 'BEST = "best.hdf5"\ndef f(BEST):\n    model.save_weights(BEST)\n'
    assert found(source) == []


def test_an_expression_is_reported_without_a_fix() -> None:
    source = MODEL + 'model.save_weights(os.path.join("out", "m.h5"))\n'
    (diagnostic,) = found(source)
    assert diagnostic.fix is None and "`.weights.h5`" in (diagnostic.help or "")


def test_positional_save_weights_only() -> None:
    source = MODEL + 'keras.callbacks.ModelCheckpoint("w.h5", "loss", 0, False, True)\n'
    assert 'ModelCheckpoint("w.weights.h5", "loss", 0, False, True)' in fixed(source)


def test_unknown_save_weights_only_is_reported_without_a_fix() -> None:
    source = MODEL + 'keras.callbacks.ModelCheckpoint("b.hdf5", save_weights_only=flag)\n'
    (diagnostic,) = found(source)
    assert diagnostic.fix is None
    assert "(`.weights.h5` with `save_weights_only=True`)" in (diagnostic.help or "")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('model.save_weights("model.hdf5")', 'model.save_weights("model.weights.h5")'),
        ('model.save_weights("model.weights.hdf5")', 'model.save_weights("model.weights.h5")'),
        ("model.save_weights('ckpt/')", "model.save_weights('ckpt.weights.h5')"),
        ('model.save_weights(r"C:\\out\\w.h5")', 'model.save_weights(r"C:\\out\\w.weights.h5")'),
        (
            'model.save_weights("C:\\\\out\\\\w.h5")',
            'model.save_weights("C:\\\\out\\\\w.weights.h5")',
        ),
        ('model.save("m.HDF5")', 'model.save("m.h5")'),
        ('model.save("model.tf")', 'model.save("model.tf.keras")'),
        ('model.save("m", save_format="h5")', 'model.save("m.h5", save_format="h5")'),
        ('keras.callbacks.ModelCheckpoint("b.H5")', 'keras.callbacks.ModelCheckpoint("b.h5")'),
        (
            'keras.callbacks.ModelCheckpoint("ck/b")',
            'keras.callbacks.ModelCheckpoint("ck/b.keras")',
        ),
        ('model.save_weights(f"{d}_{{x}}.h5")', 'model.save_weights(f"{d}_{{x}}.weights.h5")'),
        ("model.save_weights('''w.h5''')", "model.save_weights('''w.weights.h5''')"),
    ],
)
def test_new_names(before: str, after: str) -> None:
    assert fixed(MODEL + before + "\n") == textwrap.dedent(MODEL) + after + "\n"


def test_a_trailing_backslash_is_not_rewritten() -> None:
    (diagnostic,) = found(MODEL + 'model.save("C:\\\\models\\\\")\n')
    assert diagnostic.fix is None


def test_a_savedmodel_folder_in_a_folder_gets_a_note_not_a_fix() -> None:
    # Keras 3's `.keras` writer does not make `saved_model/` (FileNotFoundError); TensorFlow's
    # SavedModel did.
    (diagnostic,) = found(MODEL + 'model.save("saved_model/1")\n')
    assert diagnostic.fix is None
    assert 'make it before saving to "saved_model/1.keras"' in (diagnostic.help or "")
    assert "folder `saved_model`" in (diagnostic.help or "")
    (checkpoint,) = found(MODEL + 'model.save_weights(f"{out}/ckpt")\n')
    assert checkpoint.fix is None and "folder `{out}`" in (checkpoint.help or "")


def test_folders_the_writer_makes_or_the_old_code_needed_keep_the_fix() -> None:
    for line in (
        'keras.callbacks.ModelCheckpoint("ck/b")',  # ModelCheckpoint makes folders
        'model.save("out/m", save_format="h5")',  # so does the legacy `.h5` writer
        'model.save_weights("out/w.h5")',  # HDF5 before too: the folder had to exist
    ):
        (diagnostic,) = found(MODEL + line + "\n")
        assert diagnostic.fix is not None, line


def test_period() -> None:
    (five,) = found(MODEL + 'keras.callbacks.ModelCheckpoint("best.keras", period=5)\n')
    assert "is given `period`, a TypeError on Keras 3" in five.message
    assert five.fix is not None and five.fix.applicability is Applicability.UNSAFE
    assert "Keras 3 saves every epoch; its `save_freq` counts batches" in (five.help or "")
    # period=1 was every epoch already: dropping it changes nothing.
    (one,) = found(MODEL + 'keras.callbacks.ModelCheckpoint("best.keras", period=1)\n')
    assert one.fix is not None and one.fix.applicability is Applicability.SAFE
    assert fixed(MODEL + 'cb = keras.callbacks.ModelCheckpoint("b.hdf5", period=2)\n').endswith(
        'cb = keras.callbacks.ModelCheckpoint("b.h5")\n'
    )


def test_the_same_file_is_renamed_where_it_is_read() -> None:
    source = MODEL + textwrap.dedent(
        """
        model.save_weights("m.h5")
        if os.path.isfile("m.h5"):
            model.load_weights("m.h5")
        other = keras.models.load_model("m.h5")  # a whole model: another file
        model.load_weights("other.h5")
        """
    )
    assert fixed(source) == textwrap.dedent(MODEL) + textwrap.dedent(
        """
        model.save_weights("m.weights.h5")
        if os.path.isfile("m.weights.h5"):
            model.load_weights("m.weights.h5")
        other = keras.models.load_model("m.h5")  # a whole model: another file
        model.load_weights("other.h5")
        """
    )


def test_a_whole_model_checkpoint_read_back_with_load_weights() -> None:
    source = MODEL + textwrap.dedent(
        """
        cb = keras.callbacks.ModelCheckpoint("best.hdf5", save_best_only=True)
        model.save("best.hdf5")
        model.load_weights("best.hdf5")
        restored = keras.models.load_model("best.hdf5")
        """
    )
    # model.save accepts `.hdf5`: never touched; the readers follow the checkpoint.
    assert fixed(source) == textwrap.dedent(MODEL) + textwrap.dedent(
        """
        cb = keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)
        model.save("best.hdf5")
        model.load_weights("best.h5")
        restored = keras.models.load_model("best.h5")
        """
    )


def test_two_saves_of_one_file() -> None:
    source = MODEL + textwrap.dedent(
        """
        model.save_weights("w.h5")
        model.save_weights("w.h5")
        model.load_weights("w.h5")
        """
    )
    assert fixed(source) == textwrap.dedent(MODEL) + textwrap.dedent(
        """
        model.save_weights("w.weights.h5")
        model.save_weights("w.weights.h5")
        model.load_weights("w.weights.h5")
        """
    )


# ------------------------------------------------------------------- Keras 3 decides

# Programs that save for real, beside the rule's own examples; each is fixed by tdlint (with
# the Keras it was written for) and then run.
PROGRAMS = {
    "keras1_checkpoint": (
        "1.2",
        """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.callbacks import ModelCheckpoint
model = Sequential()
model.add(Dense(2, input_shape=(3,)))
model.compile(loss="mse", optimizer="sgd")
X, Y = np.random.rand(8, 3), np.random.rand(8, 2)
checkpointer = ModelCheckpoint(filepath="weights.hdf5", verbose=1, save_best_only=True, period=2)
model.fit(X, Y, validation_data=(X, Y), callbacks=[checkpointer])
model.load_weights("weights.hdf5")
""",
    ),
    "keras23_loop": (
        "2.3",
        """
import numpy as np
import keras
model = keras.models.Sequential([keras.layers.Dense(2, input_shape=(3,))])
model.compile(optimizer="adam", loss="mse")
X, Y = np.random.rand(8, 3), np.random.rand(8, 2)
for epoch in range(2):
    model.fit(X, Y, epochs=1, verbose=0)
    model.save_weights(f"weights_{epoch:02d}.h5")
model.load_weights(f"weights_{epoch:02d}.h5")
""",
    ),
    "tf_keras_tutorial": (
        "2.15",
        """
import numpy as np
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
model.compile(optimizer="adam", loss="mse")
X, Y = np.random.rand(8, 3), np.random.rand(8, 2)
cp = tf.keras.callbacks.ModelCheckpoint("training/cp-{epoch:04d}.ckpt", save_weights_only=True)
model.fit(X, Y, epochs=1, callbacks=[cp])
model.save("my_model")
restored = tf.keras.models.load_model("my_model")
""",
    ),
}

# Each program runs in its own folder (one Python runs them all).
PROLOGUE = "import os; os.chdir(os.path.dirname(os.path.abspath(__file__)))\n"


def _oracle_cases() -> list[tuple[str, str, str]]:
    """(name, original, fixed): the rule's fixed examples, and PROGRAMS fixed by tdlint."""
    cases = [
        (f"example{i}", textwrap.dedent(c.source), textwrap.dedent(c.fixed))
        for i, c in enumerate(Keras3SavePath.INVALID)
        if c.fixed
    ]
    for name, (version, source) in PROGRAMS.items():
        cases.append((name, source, fixed(source, version)))
    return cases


@pytest.mark.oracle
@pytest.mark.skipif(not keras_available(), reason="oracle tests need keras and jax installed")
def test_keras3_refuses_the_originals_and_runs_the_fixed_programs(tmp_path: Path) -> None:
    cases = _oracle_cases()
    assert len(cases) >= 7
    paths: dict[str, Path] = {}
    for name, original, fixed_source in cases:
        assert original != fixed_source, name
        for version, text in (("original", original), ("fixed", fixed_source)):
            folder = tmp_path / f"{name}-{version}"
            folder.mkdir()
            paths[f"{name}-{version}"] = folder / "train.py"
            paths[f"{name}-{version}"].write_text(PROLOGUE + text)
    outcome = run_models(list(paths.values()), tmp_path)
    for name, _, _ in cases:
        error = outcome[str(paths[f"{name}-original"])]["error"]
        assert error is not None, f"{name}: Keras 3 ran the original"
        # The save path or `period` is what Keras 3 refuses, nothing else.
        assert error.startswith(("ValueError", "TypeError")), (name, error)
        assert "filepath=" in error or "'period'" in error, (name, error)
        assert outcome[str(paths[f"{name}-fixed"])]["error"] is None, (name, outcome)


# What the rule assumes of Keras 3's writers about folders: None = runs, else the error type.
FOLDERS = {
    'model.save_weights("out/w.weights.h5")': "FileNotFoundError",
    'model.save("out/m.keras")': "FileNotFoundError",
    'model.save("out/m.h5")': None,  # the legacy HDF5 writer makes them
    'model.fit(x, y, callbacks=[keras.callbacks.ModelCheckpoint("out/b.keras")])': None,
}
# Names in the lines above, and training data.
VALUES = 'out, run, flag = "out", "run", True\nx, y = np.random.rand(8, 3), np.random.rand(8, 2)\n'


@pytest.mark.oracle
@pytest.mark.skipif(not keras_available(), reason="oracle tests need keras and jax installed")
def test_keras3_accepts_and_refuses_the_names_as_the_rule_says(tmp_path: Path) -> None:
    expected: dict[str, str | None] = {line: None for line in ACCEPTED}
    expected.update({line: "ValueError" for line, _, _ in REFUSED})
    expected.update(FOLDERS)
    paths = []
    for i, line in enumerate(expected):
        folder = tmp_path / f"line{i}"
        folder.mkdir()
        paths.append(folder / "line.py")
        model = MODEL + 'model.compile("sgd", "mse")\nimport numpy as np\n'
        made = "" if line in FOLDERS else "os.makedirs(out)\n"  # but where folders are tested
        paths[-1].write_text(PROLOGUE + model + VALUES + made + line + "\n")
    outcome = run_models(paths, tmp_path)
    for path, (line, error) in zip(paths, expected.items(), strict=True):
        got = outcome[str(path)]["error"]
        assert (got and got.partition(":")[0]) == error, (line, got)
