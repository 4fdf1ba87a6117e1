"""The Python API, as docs/api.md documents it."""

from __future__ import annotations

from pathlib import Path

import pytest

import tdlint
from tdlint.config import Settings
from tdlint.diagnostics import Diagnostic, FileResult, FixMode

SOURCE = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
"""


def test_check_source() -> None:
    (d,) = tdlint.check_source(SOURCE, filename="model.py")
    assert isinstance(d, Diagnostic) and d.code == "TDL003" and d.location.row == 3
    assert tdlint.check_source(SOURCE, "model.py", ignore=["TDL003"]) == []
    assert tdlint.check_source("def broken(:\n  keras", "x.py")[0].code == "TDL000"


@pytest.mark.parametrize(
    ("source", "row", "message"),
    [
        ('import keras\nx = "a" b"b"\n', 2, "cannot mix bytes and nonbytes literals"),
        (
            "import keras\ntry:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
            4,
            "default 'except:' must be last",
        ),
    ],
)
def test_syntax_errors_libcst_finds_only_by_validating_are_td000(
    source: str, row: int, message: str
) -> None:
    # LibCST's parser accepts these and rejects them when it builds the nodes, with an error
    # that has no position; they were reported as internal errors.
    (d,) = tdlint.check_source(source, "x.py")
    assert (d.code, d.location.row) == ("TDL000", row)
    assert d.message == f"SyntaxError: {message}"


def test_check_paths(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    (result,) = tdlint.check_paths([str(tmp_path)], Settings(), FixMode.NONE)
    assert isinstance(result, FileResult) and [d.code for d in result.diagnostics] == ["TDL003"]
    quiet = list(tdlint.check_paths([str(tmp_path)], Settings(ignore=("TDL003",))))
    assert quiet[0].diagnostics == ()


def test_infer_shapes() -> None:
    (model,) = tdlint.infer_shapes(SOURCE, filename="model.py")
    assert model.model == "model" and model.layers[0].output_shape == (None, 32)
    assert model.layers[0].layer == "LSTM" and model.layers[0].params == 5248
    assert tdlint.infer_shapes("import torch") == []
