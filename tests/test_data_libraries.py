"""What tdlint knows of data built with pandas, scikit-learn, Keras's bundled datasets,
windowed pipelines and lists grown in loops, checked against the libraries themselves.

Each program is written here (or generated from a seed), run by the test with the real
libraries to get the true shapes, and read by tdlint without running it. tdlint may leave a
shape or a dim unknown; a rank or a dim it claims must be the real one.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tdlint.analysis.arrays import Array
from tdlint.analysis.datasets import Dataset
from tdlint.analysis.interpreter import Interpreter
from tdlint.keras.shapes import is_known
from tdlint.parsing import parse_for_analysis

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas", reason="pandas (test extra) is the oracle for tables")
pytest.importorskip("sklearn", reason="scikit-learn (test extra) is the oracle for scalers")

PRELUDE = """\
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler, StandardScaler, LabelEncoder, OneHotEncoder
"""


def tdlint_values(source: str) -> dict[str, Any]:
    """The module-level values tdlint infers for a program, without running it."""
    interpreter = Interpreter(parse_for_analysis(source), source)
    interpreter.run()
    return interpreter.globals.vars


def real_values(source: str, folder: Path) -> dict[str, Any]:
    """The program run for real: the test's own code, never a user's file."""
    namespace: dict[str, Any] = {"__name__": "oracle"}
    exec(compile(source, "<oracle>", "exec"), namespace)  # noqa: S102 - our generated program
    return namespace


def disagreement(name: str, inferred: Any, real: Any) -> str | None:
    """Why tdlint's value for ``name`` contradicts the real one, or None."""
    if not isinstance(inferred, Array) or inferred.shape is None:
        return None  # unknown: allowed
    shape = tuple(np.asarray(real).shape)
    if len(shape) != len(inferred.shape):
        return f"{name}: tdlint says rank {len(inferred.shape)} {inferred.shape}, really {shape}"
    for claimed, actual in zip(inferred.shape, shape, strict=True):
        if is_known(claimed) and claimed != actual:
            return f"{name}: tdlint says {inferred.shape}, really {shape}"
    return None


def check(source: str, folder: Path, must_know: dict[str, int]) -> None:
    """Compare every array tdlint infers with the real one; the arrays in ``must_know`` must
    be known at least to their rank (the value)."""
    source = PRELUDE + textwrap.dedent(source).replace("DATA", str(folder / "data.csv"))
    inferred = tdlint_values(source)
    real = real_values(source, folder)
    problems = [
        problem
        for name, value in inferred.items()
        if name in real and (problem := disagreement(name, value, real[name])) is not None
    ]
    assert not problems, "\n".join(problems)
    for name, rank in must_know.items():
        value = inferred.get(name)
        assert isinstance(value, Array) and value.rank == rank, (name, value)


@pytest.fixture
def csv(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((40, 5)), columns=["open", "high", "low", "close", "volume"])
    frame.to_csv(tmp_path / "data.csv", index=False)
    return tmp_path


def test_pandas_columns_and_selections(csv: Path) -> None:
    check(
        """
        df = pd.read_csv("DATA")
        train = df[:30]
        x_train = train[["open", "high", "low", "close", "volume"]].values[:-1]
        y_train = train["close"].shift(-1).values[:-1]
        one_col = df.iloc[:, 3:4].values
        column = df.iloc[:, 0].to_numpy()
        block = df.iloc[:, 1:3].values
        by_label = df.loc[:, ["low", "close"]].values
        attr = df.close.values
        from_dict = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0], "c": [5.0, 6.0]}).values
        dropped = df.dropna().fillna(0).copy().values
        """,
        csv,
        {
            "x_train": 2, "y_train": 1, "one_col": 2, "column": 1, "block": 2, "by_label": 2,
            "attr": 1, "from_dict": 2, "dropped": 2,
        },
    )  # fmt: skip


def test_scalers_encoders_and_lists_grown_in_loops(csv: Path) -> None:
    check(
        """
        df = pd.read_csv("DATA")
        scaler = MinMaxScaler(feature_range=(0, 1))
        scaled = scaler.fit_transform(df[["close"]].values)
        also = StandardScaler().fit(df.values).transform(df.values)
        back = scaler.inverse_transform(scaled)
        labels = LabelEncoder().fit_transform(["a", "b", "a", "c"])
        window = 5
        X, y = [], []
        for i in range(window, len(scaled)):
            X.append(scaled[i - window:i, 0])
            y.append(scaled[i, 0])
        X, y = np.array(X), np.array(y)
        X = np.reshape(X, (X.shape[0], X.shape[1], 1))
        rows = []
        for i in range(len(scaled) - window):
            rows.append(scaled[i + window])
        rows = np.array(rows)
        """,
        csv,
        {"scaled": 2, "also": 2, "back": 2, "labels": 1, "X": 3, "y": 1, "rows": 2},
    )


def test_reshape_says_an_array_of_loaded_data(csv: Path) -> None:
    np.save(csv / "y.npy", np.zeros((60, 2)))
    check(
        """
        raw = np.loadtxt("DATA", delimiter=",", skiprows=1)
        y = np.load("DATA".replace("data.csv", "y.npy"))
        y = y.reshape(-1, 10, 2)
        flat = raw.reshape(raw.shape[0], raw.shape[1], 1)
        line = raw.flatten()
        again = np.reshape(raw, (-1,))
        """,
        csv,
        {"y": 3, "flat": 3, "line": 1, "again": 1},
    )


def test_generated_table_pipelines_agree_with_pandas(csv: Path) -> None:
    """Seeded random chains of table operations, each compared with pandas."""
    rng = random.Random(7)
    columns = ["open", "high", "low", "close", "volume"]
    steps_frame = [
        lambda e: f"{e}.dropna()",
        lambda e: f"{e}.shift({rng.choice([-1, 1, 2])})",
        lambda e: f"{e}.fillna(0)",
        lambda e: f"{e}.copy()",
        lambda e: f"{e}.head({rng.randint(3, 30)})",
        lambda e: f"{e}[{rng.randint(0, 5)}:{rng.randint(10, 35)}]",
        lambda e: f"{e}.iloc[{rng.randint(0, 5)}:]",
        lambda e: f"{e}.abs()",
    ]
    finals = [
        lambda e: f"{e}[{rng.sample(columns, rng.randint(1, 4))!r}].values",
        lambda e: f"{e}[{rng.choice(columns)!r}].values",
        lambda e: f"{e}.iloc[:, {rng.randint(0, 4)}].to_numpy()",
        lambda e: f"{e}.iloc[:, {rng.randint(0, 2)}:{rng.randint(2, 5)}].values",
        lambda e: f"{e}.values",
        lambda e: f"MinMaxScaler().fit_transform({e}.values)",
        lambda e: f"{e}.values[:-1]",
        lambda e: f"{e}[{rng.choice(columns)!r}].values.reshape(-1, 1)",
    ]
    lines, names = ['df = pd.read_csv("DATA")'], []
    for i in range(60):
        expression = "df"
        for _ in range(rng.randint(0, 3)):
            expression = rng.choice(steps_frame)(expression)
        lines.append(f"v{i} = {rng.choice(finals)(expression)}")
        names.append(f"v{i}")
    source = "\n".join(lines)
    check(source, csv, {})
    inferred = tdlint_values(PRELUDE + source.replace("DATA", str(csv / "data.csv")))
    known = sum(1 for n in names if isinstance(inferred.get(n), Array) and inferred[n].rank)
    assert known == len(names)  # every one of these is a known rank


def test_bundled_datasets_have_the_documented_shapes() -> None:
    values = tdlint_values(
        textwrap.dedent(
            """
            from keras.datasets import mnist, imdb, boston_housing, reuters
            (x_train, y_train), (x_test, y_test) = mnist.load_data()
            (hx, hy), _ = boston_housing.load_data()
            (ix, iy), _ = imdb.load_data(num_words=10000)
            (rx, ry), _ = reuters.load_data(test_split=0.3)
            """
        )
    )
    assert values["x_train"] == Array((60000, 28, 28), None)
    assert values["y_train"] == Array((60000,), "int")
    assert values["x_test"].shape == (10000, 28, 28)
    assert values["hx"].shape == (404, 13) and values["hy"] == Array((404,), "float")
    assert values["ix"].shape == (25000,) and values["iy"].shape == (25000,)
    assert values["rx"].rank == 1 and not is_known(values["rx"].shape[0])  # test_split moved


def test_windowed_pipelines_give_one_label_per_window() -> None:
    values = tdlint_values(
        textwrap.dedent(
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            series = np.zeros((500, 4))
            targets = np.zeros((500,))
            ds = keras.utils.timeseries_dataset_from_array(series, targets, sequence_length=24)
            no_labels = keras.utils.timeseries_dataset_from_array(series, None, 24)
            pairs = tf.data.Dataset.from_tensor_slices((series, targets)).shuffle(10).batch(32)
            exact = tf.data.Dataset.from_tensor_slices((series, targets)).batch(8, drop_remainder=True)
            mapped = pairs.map(lambda x, y: (x, y))
            """
        )
    )
    ds: Dataset = values["ds"]
    assert ds.features == Array((None, 24, 4), "float")
    assert ds.labels == Array((None,), "float")
    assert ds.one_label_per_window and values["no_labels"].labels is None
    assert values["pairs"].features == Array((None, 4), "float")
    assert values["pairs"].labels == Array((None,), "float") and values["pairs"].batched
    assert values["exact"].features.shape == (8, 4)
    assert not isinstance(values["mapped"], Dataset)  # map: not followed
