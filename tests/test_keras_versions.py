"""The Keras version in effect: from the setting, the project's pins or the file itself, and
what it changes: how `Convolution2D(32, 3, 3)` is read, the image data format, and whether
`fit` adds a missing trailing axis."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import tdlint

from tdlint.api import check_source, infer_shapes
from tdlint.keras.pins import pinned_version
from tdlint.keras.versions import NEW, OLD, KerasVersion, Line, crashing, in_effect

K1, MB, TF, K3 = Line.KERAS1, Line.MULTI_BACKEND, Line.TF_KERAS, Line.KERAS3


# ---------------------------------------------------------------- which lines


@pytest.mark.parametrize(
    ("setting", "lines"),
    [
        ("1", {K1}),
        ("1.1", {K1}),
        ("2", {MB, TF}),
        ("2.0", {MB}),
        ("2.3", {MB}),
        ("2.4", {TF}),
        ("2.15", {TF}),
        ("3", {K3}),
    ],
)
def test_a_setting_names_its_lines(setting: str, lines: set[Line]) -> None:
    version = in_effect(setting, "import keras\n")
    assert version.standalone == lines
    assert version.of("tensorflow.keras.layers.Conv2D") <= NEW  # never Keras 1 or 2.0-2.3


def test_the_file_tells_the_version_when_nothing_is_set() -> None:
    assert in_effect(None, "import keras\nx = keras.ops.ones((2,))\n").standalone == {K3}
    assert in_effect(None, "from keras import layers, ops\n").standalone == {K3}
    assert in_effect(None, "model.fit(x, y, nb_epoch=3)\n").standalone == OLD
    assert in_effect(None, "Convolution2D(8, 3, 3, border_mode='same')\n").standalone == OLD
    assert in_effect(None, "from keras.layers import TimeDistributedDense\n").standalone == OLD
    # Embedding(input_dim=..., output_dim=...) is Keras 2 and 3 too: no evidence
    assert in_effect(None, "Embedding(input_dim=10, output_dim=4)\n").standalone == OLD | NEW
    # the setting wins over the file
    assert in_effect("3", "model.fit(x, y, nb_epoch=3)\n").standalone == {K3}


def test_import_roots() -> None:
    version = KerasVersion(standalone=OLD)
    assert version.of("keras.layers.Conv2D") == OLD
    assert version.of("tensorflow.keras.layers.Conv2D") == {TF, K3}
    assert version.of("tf_keras.layers.Conv2D") == {TF}


def test_crashing_names_the_lines_in_release_order() -> None:
    assert crashing(frozenset({MB, K1})) == "Keras 1 and Keras 2.0-2.3"
    assert crashing(frozenset({K3})) == "Keras 3"
    assert crashing(frozenset({K1, MB, TF})) == "Keras 1, Keras 2.0-2.3 and tf.keras 2"


# ---------------------------------------------------------------- pins


@pytest.mark.parametrize(
    ("files", "setting"),
    [
        ({"requirements.txt": "numpy\nkeras==2.3.1\n"}, "2.3"),
        ({"requirements.txt": "Keras==1.2.2  # old\n"}, "1.2"),
        ({"requirements.txt": "keras>=3.0\n"}, "3"),
        ({"requirements.txt": "keras<2\n"}, "1"),
        ({"requirements-dev.txt": "tensorflow==2.12.0\n"}, "2.12"),
        ({"requirements.txt": "tensorflow-cpu~=2.10.1\n"}, "2.10"),
        ({"requirements.txt": "tensorflow>=2.16\n"}, "3"),
        ({"requirements.txt": "tensorflow==2.3.0\n"}, "2"),  # no keras of its own
        # a keras pin wins over tensorflow's
        ({"requirements.txt": "tensorflow==2.15\nkeras==3.3\n"}, "3"),
        ({"pyproject.toml": '[project]\ndependencies = ["keras==2.2.4"]\n'}, "2.2"),
        ({"pyproject.toml": '[tool.poetry.dependencies]\ntensorflow = "2.9.1"\n'}, "2.9"),
        ({"setup.cfg": "[options]\ninstall_requires =\n    numpy\n    keras==2.1.6\n"}, "2.1"),
        ({"setup.py": "setup(install_requires=['keras>=3.1', 'numpy'])\n"}, "3"),
        # pins that admit releases of several lines decide nothing
        ({"requirements.txt": "keras>=2.0\n"}, None),
        ({"requirements.txt": "keras\ntensorflow==2.12\n"}, None),
        ({"requirements.txt": "tensorflow>=2.4\n"}, None),
        ({"requirements.txt": "numpy\n"}, None),
        ({}, None),
    ],
)
def test_pins(tmp_path: Path, files: dict[str, str], setting: str | None) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    (root / ".git").mkdir()  # the project's root: the search stops here
    (root / "src").mkdir()
    pin = pinned_version(root / "src")
    assert (pin.setting if pin else None) == setting
    if pin is not None:
        assert pin.where.split(":")[0] in files


def test_pins_are_read_from_the_nearest_project_only(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("keras==2.2.4\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert pinned_version(inner / "model.py") is None  # inner is a project with no pins
    assert pinned_version(tmp_path / "model.py").setting == "2.2"


# ---------------------------------------------------------------- Convolution2D(32, 3, 3)

CONV = """\
from {root}.models import Sequential
from {root}.layers import Convolution2D, Dense, Flatten, MaxPooling2D

model = Sequential()
model.add(Convolution2D(32, 3, 3, activation="relu", input_shape=(28, 28, 1)))
model.add(Convolution2D(64, 3, 3, activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
"""


def known(shape: tuple | None) -> bool:
    return shape is not None and all(isinstance(d, int) for d in shape[1:])


def rows(source: str, keras_version: str | None = None) -> list[tuple | None]:
    [summary] = infer_shapes(source, "m.py", keras_version)
    return [row.output_shape for row in summary.layers]


def test_keras_2_signature_under_tf_keras_and_keras_3() -> None:
    """filters 32, kernel 3, strides 3: what Keras 3 builds (the oracle test below runs it)
    and what tf.keras 2's Conv2D(filters, kernel_size, strides) signature reads."""
    expected = [(None, 9, 9, 32), (None, 3, 3, 64), (None, 1, 1, 64), (None, 64), (None, 10)]
    assert rows(CONV.format(root="tensorflow.keras")) == expected
    assert rows(CONV.format(root="keras"), "3") == expected
    assert rows(CONV.format(root="keras"), "2.6") == expected


def test_keras_1_signature_under_keras_1_and_2_0_to_2_3() -> None:
    """Keras 1's Convolution2D(nb_filter, nb_row, nb_col), which Keras 2.0-2.3 still read
    through `conv2d_args_preprocessor` (keras/legacy/interfaces.py at 2.3.1)."""
    expected = [(None, 26, 26, 32), (None, 24, 24, 64), (None, 12, 12, 64), (None, 9216)]
    assert rows(CONV.format(root="keras"), "2.3")[:4] == expected
    keras1 = CONV.format(root="keras").replace('activation="relu"', 'border_mode="valid"')
    assert rows(keras1, "2.0")[:4] == expected
    # Keras 1 itself: the image ordering may be Theano's, so the image shapes stay unknown
    assert not known(rows(keras1, "1")[0])


def test_when_either_reading_is_possible_only_the_common_part_is_kept() -> None:
    """Plain `keras`, no version anywhere: the strides (and, with Keras 1 in play, the image
    ordering) are unknown, so nothing is guessed and nothing is reported."""
    assert not any(known(shape) for shape in rows(CONV.format(root="keras"))[:4])
    # a Keras 2 name is written for Keras 2 or later: read as such
    keras2 = CONV.format(root="keras").replace("Convolution2D", "Conv2D")
    keras2 = keras2.replace("(32, 3, 3,", "(32, 3,").replace("(64, 3, 3,", "(64, 3,")
    assert rows(keras2)[:2] == [(None, 26, 26, 32), (None, 24, 24, 64)]


# ---------------------------------------------------------------- image data format

CHANNELS = """\
from keras import backend as K
from keras.layers import Conv2D, Flatten, Dense
from keras.models import Sequential

if K.image_data_format() == "channels_first":
    input_shape = (1, 28, 28)
else:
    input_shape = (28, 28, 1)
model = Sequential()
model.add(Conv2D(32, kernel_size=(3, 3), input_shape=input_shape))
model.add(Flatten())
model.add(Dense(10))
"""


def test_reading_image_data_format_gives_the_default() -> None:
    assert rows(CHANNELS) == [(None, 26, 26, 32), (None, 21632), (None, 10)]


def test_a_file_that_sets_the_format_or_uses_keras_1_ordering_keeps_it_unknown() -> None:
    sets = CHANNELS.replace("if K.", 'K.set_image_data_format("channels_first")\nif K.')
    assert not known(rows(sets)[1])
    dim = CHANNELS.replace(
        'K.image_data_format() == "channels_first"', 'K.image_dim_ordering() == "th"'
    )
    assert not known(rows(dim)[1])


# ---------------------------------------------------------------- fit's missing axis

# (100, 20) features for an input of shape (None, 20, 1). Keras 1.2.2 and 2.3.1 add an axis
# to 1D arrays only (`standardize_input_data`), so they fail: "expected lstm_input_1 to have
# 3 dimensions, but got array with shape (100, 20)". tf.keras 2.6-2.15 add it in
# `_conform_to_reference_input`, and Keras 3 in its data adapter: the model trains (the fit
# oracle runs Keras 3 on such programs).
FIT = """\
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

X = np.random.rand(100, 20)
y = np.random.rand(100, 1)
model = Sequential()
model.add(LSTM(32, input_shape=(20, 1)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, {epochs}=10, batch_size=16)
"""


def codes(source: str, keras_version: str | None = None) -> list[str]:
    found = check_source(source, "m.py", ignore=["TDL3"], keras_version=keras_version)
    return [d.code for d in found]


def test_the_missing_axis_is_an_error_where_keras_does_not_add_it() -> None:
    old = FIT.format(epochs="nb_epoch")  # Keras 1 arguments: Keras 1 or 2.0-2.3
    [finding] = check_source(old, "m.py", ignore=["TDL3"])
    assert finding.code == "TDL201"
    assert "Keras 1 and Keras 2.0-2.3 do not add the missing axis of size 1" in finding.message
    assert codes(FIT.format(epochs="epochs"), "2.3") == ["TDL201"]
    assert codes(FIT.format(epochs="epochs"), "1") == ["TDL201"]


def test_the_missing_axis_is_fine_where_keras_adds_it() -> None:
    assert codes(FIT.format(epochs="epochs")) == []  # plain keras, any version: not judged
    assert codes(FIT.format(epochs="epochs"), "3") == []
    assert codes(FIT.format(epochs="epochs"), "2.12") == []
    tf_keras = FIT.format(epochs="epochs").replace("from keras.", "from tensorflow.keras.")
    assert codes(tf_keras, "2.3") == []  # tensorflow.keras is never Keras 2.0-2.3
    # 1D features for a (None, 1) input: every version adds that axis
    one_d = FIT.replace("(100, 20)", "(100,)").replace(
        "LSTM(32, input_shape=(20, 1))", "Dense(4, input_shape=(1,))"
    )
    assert codes(one_d.format(epochs="nb_epoch")) == []
    assert codes(one_d.replace("(100,)", "(100, 3)").format(epochs="nb_epoch")) == ["TDL201"]


def test_the_cli_reads_the_pins(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(FIT.format(epochs="epochs"))
    assert tdlint("model.py", "--no-cache", cwd=tmp_path).returncode == 0
    (tmp_path / "requirements.txt").write_text("keras==2.2.4\n")
    result = tdlint("model.py", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and "TDL201" in result.stdout
    # the setting wins over the pin
    result = tdlint("model.py", "--no-cache", "--keras-version", "3", cwd=tmp_path)
    assert result.returncode == 0
    shapes = tdlint("shapes", "model.py", "--color", "never", cwd=tmp_path)
    assert "(None, 32)" in shapes.stdout


def test_the_setting_accepts_minor_versions(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tdlint]\nkeras-version = "2.3"\n')
    (tmp_path / "model.py").write_text(FIT.format(epochs="epochs"))
    result = tdlint("model.py", "--no-cache", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and "TDL201" in result.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.tdlint]\nkeras-version = "2.16"\n')
    result = tdlint("model.py", cwd=tmp_path)
    assert result.returncode == 2 and "keras-version" in result.stderr


# ---------------------------------------------------------------- against Keras 3

KERAS_RECORD = """
def record(namespace):
    model = namespace["model"]
    if "X" in namespace:
        model.fit(namespace["X"], namespace["y"], epochs=1, verbose=0)
    return [list(layer.output.shape) for layer in model.layers]
"""


@pytest.mark.oracle
def test_keras_3_reads_conv_and_fit_as_tdlint_says(tmp_path: Path) -> None:
    from oracle.harness import keras_available, run_keras_files

    if not keras_available():
        pytest.skip("needs keras and jax")
    conv = tmp_path / "conv.py"
    conv.write_text(CONV.format(root="keras"))
    fit = tmp_path / "fit.py"
    fit.write_text(FIT.format(epochs="epochs").replace("model.fit(", "# model.fit("))
    keras_rows = run_keras_files(KERAS_RECORD, [conv, fit], backend="jax")
    for path in (conv, fit):
        expected = [tuple(shape) for shape in keras_rows[str(path)]]
        assert rows(path.read_text(), "3") == expected, path.name
    # and `fit` with (100, 20) features for (None, 20, 1) trained (the record ran it)
    assert codes(FIT.format(epochs="epochs"), "3") == []


def params(source: str, keras_version: str | None = None) -> list[int | None]:
    [summary] = infer_shapes(source, "m.py", keras_version)
    return [row.params for row in summary.layers]


def test_either_reading_keeps_a_square_kernel_and_a_keras_2_name() -> None:
    layer = 'Convolution2D(32, 3, {cols}, data_format="channels_last", input_shape=(28, 28, 1))'
    source = "from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
    source += "model = Sequential([" + layer + "])\n"
    assert params(source.format(cols=3)) == [320]  # 3x3 kernel whichever the reading
    assert params(source.format(cols=5)) == [None]  # 3x5 or 3 with strides 5
    assert params(source.format(cols=5), "2.3") == [3 * 5 * 32 + 32]
    assert rows(source.format(cols=5), "3") == [(None, 6, 6, 32)]
    # Conv2D(8, 3, 2) names Keras 2's layer: strides 2 in every version that has it
    keras2 = "from keras.models import Sequential\nfrom keras.layers import Conv2D\n"
    keras2 += "model = Sequential([Conv2D(8, 3, 2, input_shape=(28, 28, 1))])\n"
    assert rows(keras2) == [(None, 13, 13, 8)]


# Keras 1.0's cifar10 example: the data and the model both channels first, as Keras 1.0's
# default "th" ordering made them (its cifar10.load_data() returned (n, 3, 32, 32)).
CIFAR_KERAS1 = """\
from keras.datasets import cifar10
from keras.models import Sequential
from keras.layers import Convolution2D, Flatten, Dense
from keras.preprocessing.image import ImageDataGenerator

(X_train, y_train), (X_test, y_test) = cifar10.load_data()
model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode="same", input_shape=(3, 32, 32)))
model.add(Flatten())
model.add(Dense(10))
model.compile(loss="mse", optimizer="sgd")
datagen = ImageDataGenerator()
model.fit_generator(datagen.flow(X_train, y_train, batch_size=32), samples_per_epoch=50000, nb_epoch=1)
model.fit(X_train, y_train, nb_epoch=1)
"""


def test_image_data_of_code_that_may_run_on_keras_1_has_no_known_ordering() -> None:
    assert codes(CIFAR_KERAS1) == []
    # on Keras 3 the same data is channels last, and the model's input is not
    modern = CIFAR_KERAS1.replace(', border_mode="same"', "").replace(
        "samples_per_epoch=50000, nb_epoch=1", "steps_per_epoch=10"
    )
    modern = modern.replace("nb_epoch=1", "epochs=1").replace(
        "Convolution2D(32, 3, 3,", "Convolution2D(32, (3, 3),"
    )
    assert "TDL201" in codes(modern, "3")
