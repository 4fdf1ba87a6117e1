"""Images read from folders: `image_dataset_from_directory` and `ImageDataGenerator`'s
`flow_from_directory`/`flow` give batches sized by their arguments, checked against the
model like arrays. The oracle writes a small folder of real images and trains on it with
Keras 3 (jax): the programs tdlint reports fail, the others train."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tdlint.api import check_source

HEADER = "import numpy as np\nimport keras\nfrom keras import layers\n"

DATASET = """
train_ds = keras.utils.image_dataset_from_directory(
    "{folder}", image_size=({size}, {size}), batch_size=4, label_mode="{mode}"{extra}
)
model = keras.Sequential(
    [keras.Input(shape=(32, 32, 3)), layers.Conv2D(4, 3), layers.GlobalAveragePooling2D(),
     layers.Dense({units}, activation="{activation}")]
)
model.compile(optimizer="adam", loss="{loss}")
model.fit(train_ds, epochs=1, verbose=0)
"""

GENERATOR = """
from keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rescale=1.0 / 255)
train = datagen.flow_from_directory(
    "{folder}", target_size=({size}, {size}), batch_size=4, class_mode="{mode}"{extra}
)
model = keras.Sequential(
    [keras.Input(shape=(32, 32, 3)), layers.Flatten(), layers.Dense({units}, activation="{activation}")]
)
model.compile(optimizer="adam", loss="{loss}")
model.fit(train, steps_per_epoch=1, epochs=1, verbose=0)
"""

# (template, size, mode, extra arguments, units, activation, loss, crashes)
CASES = {
    "dataset_right": (
        DATASET,
        32,
        "int",
        "",
        2,
        "softmax",
        "sparse_categorical_crossentropy",
        False,
    ),
    "dataset_wrong_size": (
        DATASET,
        64,
        "int",
        "",
        2,
        "softmax",
        "sparse_categorical_crossentropy",
        True,
    ),
    "dataset_grayscale": (
        DATASET,
        32,
        "int",
        ', color_mode="grayscale"',
        2,
        "softmax",
        "sparse_categorical_crossentropy",
        True,
    ),
    "dataset_categorical": (
        DATASET,
        32,
        "categorical",
        ', class_names=["a", "b"]',
        2,
        "softmax",
        "categorical_crossentropy",
        False,
    ),
    "dataset_classes": (
        DATASET,
        32,
        "categorical",
        ', class_names=["a", "b"]',
        3,
        "softmax",
        "categorical_crossentropy",
        True,
    ),
    "dataset_binary": (DATASET, 32, "binary", "", 1, "sigmoid", "binary_crossentropy", False),
    "generator_right": (GENERATOR, 32, "binary", "", 1, "sigmoid", "binary_crossentropy", False),
    "generator_wrong_size": (
        GENERATOR,
        150,
        "binary",
        "",
        1,
        "sigmoid",
        "binary_crossentropy",
        True,
    ),
    "generator_classes": (
        GENERATOR,
        32,
        "categorical",
        ', classes=["a", "b"]',
        3,
        "softmax",
        "categorical_crossentropy",
        True,
    ),
    "generator_binary_two_units": (
        GENERATOR,
        32,
        "binary",
        "",
        2,
        "softmax",
        "categorical_crossentropy",
        True,
    ),
    "dataset_channels_first": (
        DATASET,
        32,
        "int",
        ', data_format="channels_first"',
        2,
        "softmax",
        "sparse_categorical_crossentropy",
        True,
    ),
    "generator_sparse": (
        GENERATOR,
        32,
        "sparse",
        "",
        2,
        "softmax",
        "sparse_categorical_crossentropy",
        False,
    ),
}


def program(name: str, folder: str = "images") -> str:
    template, size, mode, extra, units, activation, loss, _ = CASES[name]
    body = template.format(
        folder=folder,
        size=size,
        mode=mode,
        extra=extra,
        units=units,
        activation=activation,
        loss=loss,
    )
    return HEADER + textwrap.dedent(body)


@pytest.mark.parametrize("name", CASES)
def test_tdlint_reports_exactly_the_crashes(name: str) -> None:
    codes = [d.code for d in check_source(program(name), "m.py", ignore=["TDL3"])]
    assert bool(codes) == CASES[name][-1], codes
    assert set(codes) <= {"TDL201", "TDL202"}


def test_unknown_arguments_and_transformations_stay_unknown() -> None:
    source = program("dataset_wrong_size").replace("image_size=(64, 64)", "image_size=size")
    assert check_source("size = input()\n" + source, "m.py", ignore=["TDL3"]) == []
    mapped = program("dataset_wrong_size").replace(
        "model.fit(train_ds,", "train_ds = train_ds.map(lambda x, y: (x, y))\nmodel.fit(train_ds,"
    )
    assert check_source(mapped, "m.py", ignore=["TDL3"]) == []
    # a keras.json that may say channels_first: the image axes are not known
    channels = program("dataset_wrong_size").replace(
        "train_ds =", 'keras.config.set_image_data_format("channels_first")\ntrain_ds ='
    )
    assert check_source(channels, "m.py", ignore=["TDL3"]) == []


def test_flow_batches_given_arrays() -> None:
    source = HEADER + textwrap.dedent(
        """
        from keras.preprocessing.image import ImageDataGenerator

        x = np.zeros((20, 28, 28, 1))
        y = keras.utils.to_categorical(np.zeros(20), 10)
        model = keras.Sequential([keras.Input(shape=(32, 32, 1)), layers.Flatten(), layers.Dense(10)])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(ImageDataGenerator(rotation_range=10).flow(x, y, batch_size=4), epochs=1)
        """
    )
    [finding] = check_source(source, "m.py", ignore=["TDL3"])
    assert finding.code == "TDL201" and "(None, 28, 28, 1)" in finding.message
    assert check_source(source.replace("(32, 32, 1)", "(28, 28, 1)"), "m.py", ignore=["TDL3"]) == []


@pytest.mark.oracle
def test_keras_3_trains_exactly_the_programs_tdlint_accepts(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    from oracle.harness import keras_available, run_scripts, tensorflow_available

    if not keras_available():
        pytest.skip("needs keras and jax")
    # Keras 3 builds `image_dataset_from_directory` on tf.data: without TensorFlow, only the
    # ImageDataGenerator programs run (`pip install '.[oracle-tf]'` runs them all).
    names = [n for n in CASES if n.startswith("generator") or tensorflow_available()]
    from PIL import Image

    images = tmp_path / "images"
    for label in ("a", "b"):
        (images / label).mkdir(parents=True)
        for i in range(4):
            Image.new("RGB", (40, 40), (60 * i, 100, 30)).save(images / label / f"{i}.png")
    paths = []
    for name in names:
        path = tmp_path / f"{name}.py"
        # Keras 3 keeps ImageDataGenerator for tf.keras users only (keras._tf_keras): the run
        # imports the same class from where it lives
        source = program(name, str(images)).replace(
            "from keras.preprocessing.image import",
            "from keras.src.legacy.preprocessing.image import",
        )
        path.write_text(source)
        paths.append(path)
    outcome = run_scripts(paths, cwd=tmp_path)
    for name, path in zip(names, paths, strict=True):
        crashed = outcome[str(path)] is not None
        assert crashed == CASES[name][-1], (name, outcome[str(path)])


ONE_IMAGE = """
img = keras.utils.load_img("{path}", target_size=(32, 32){extra})
x = keras.utils.img_to_array(img)
{line}
model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Flatten(), layers.Dense(2)])
model.predict(x, verbose=0)
"""

ONE_IMAGE_CASES = {
    "no_batch_axis": ("", "", True),
    "expanded": ("", "x = np.expand_dims(x, axis=0)", False),
    "grayscale": (', color_mode="grayscale"', "x = np.expand_dims(x, axis=0)", True),
}


def one_image(name: str, path: str = "cat.png") -> str:
    extra, line, _ = ONE_IMAGE_CASES[name]
    return HEADER + textwrap.dedent(ONE_IMAGE.format(path=path, extra=extra, line=line))


@pytest.mark.parametrize("name", ONE_IMAGE_CASES)
def test_one_image_loaded_for_predict(name: str) -> None:
    codes = [d.code for d in check_source(one_image(name), "m.py", ignore=["TDL3"])]
    assert codes == (["TDL201"] if ONE_IMAGE_CASES[name][-1] else [])


def test_an_image_of_unknown_size_keeps_its_rank_only() -> None:
    source = one_image("expanded").replace("target_size=(32, 32)", "target_size=size")
    assert check_source("size = input()\n" + source, "m.py", ignore=["TDL3"]) == []


@pytest.mark.oracle
def test_keras_3_predicts_exactly_the_images_tdlint_accepts(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    from oracle.harness import keras_available, run_scripts

    if not keras_available():
        pytest.skip("needs keras and jax")
    from PIL import Image

    picture = tmp_path / "cat.png"
    Image.new("RGB", (50, 40), (200, 120, 30)).save(picture)
    paths = []
    for name in ONE_IMAGE_CASES:
        path = tmp_path / f"{name}.py"
        path.write_text(one_image(name, str(picture)))
        paths.append(path)
    outcome = run_scripts(paths, cwd=tmp_path)
    for name, path in zip(ONE_IMAGE_CASES, paths, strict=True):
        assert (outcome[str(path)] is not None) == ONE_IMAGE_CASES[name][-1], (name, outcome)
