"""Where findings are reported (issue 13, "findings where users look for them"): a layer's
findings on the line that applies it to a tensor, the creation line named in the message and
still honouring its ``# noqa``. Expected rows and columns are counted by hand in the sources."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from helpers import tdlint

from tdlint.api import check_source
from tdlint.diagnostics import Diagnostic, Location

# A functional tagger whose head is created on line 6 and applied on line 8.
FUNCTIONAL = textwrap.dedent(
    """\
    from tensorflow import keras
    from tensorflow.keras import layers

    inputs = keras.Input(shape=(50, 12))
    h = layers.LSTM(32, return_sequences=True)(inputs)
    head = layers.Dense(3, activation="softmax")

    y = head(h)
    model = keras.Model(inputs, y)
    """
)

# A subclassed regressor: `self.out` created in `__init__` (line 9), applied in `call` (12).
SUBCLASS = textwrap.dedent(
    """\
    import keras
    from keras import layers


    class Regressor(keras.Model):
        def __init__(self):
            super().__init__()
            self.lstm = layers.LSTM(64, return_sequences=True)
            self.out = layers.Dense(1)

        def call(self, x):
            return self.out(self.lstm(x))


    model = Regressor()
    model.build((None, 20, 4))
    """
)

# TimeDistributed created on line 6, applied on line 7 to a 2D tensor.
TIME_DISTRIBUTED = textwrap.dedent(
    """\
    from tensorflow import keras
    from tensorflow.keras import layers

    inputs = keras.Input(shape=(30, 4))
    state = layers.GRU(16)(inputs)
    per_step = layers.TimeDistributed(layers.Dense(4))
    outputs = per_step(state)
    """
)


def found(source: str, *codes: str) -> list[Diagnostic]:
    return check_source(source, "m.py", select=list(codes or ("TDL001", "TDL003")))


def with_comment(source: str, row: int, comment: str) -> str:
    lines = source.splitlines()
    lines[row - 1] += f"  {comment}"
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- TDL001 and TDL003: where


def test_a_head_created_apart_is_reported_where_it_is_applied() -> None:
    [d] = found(FUNCTIONAL)
    assert d.code == "TDL001"
    assert (d.location, d.end_location) == (Location(8, 5), Location(8, 12))  # `head(h)`
    assert d.noqa_row == 8
    assert '`layers.Dense(3, activation="softmax")` (created at line 6) is applied' in d.message


def test_a_subclass_head_is_reported_in_call() -> None:
    [d] = found(SUBCLASS)
    assert (d.location, d.end_location) == (Location(12, 16), Location(12, 38))
    assert "`layers.Dense(1)` (created at line 9)" in d.message
    assert "`LSTM` (line 8)" in d.message


def test_the_fix_still_edits_the_rnn_where_it_is_created() -> None:
    source = FUNCTIONAL + 'model.compile(loss="mse")\nmodel.fit(X, np.zeros((100,)))\n'
    source = "import numpy as np\nX = np.zeros((100, 50, 12))\n" + source
    [d] = found(source)
    assert d.location.row == 10 and d.fix is not None
    [edit] = d.fix.edits
    assert edit.location.row == 7 and "return_sequences=False" in edit.content


def test_created_and_applied_in_one_expression_keeps_the_creation_span() -> None:
    source = FUNCTIONAL.replace("head = layers.Dense", "y = layers.Dense").replace(
        ")\n\ny = head(h)", ")(h)\n"
    )
    [d] = found(source)
    assert (d.location, d.end_location) == (Location(6, 5), Location(6, 42))  # `layers.Dense(...)`
    assert "created at" not in d.message


def test_a_sequential_layer_is_reported_where_it_is_listed() -> None:
    source = textwrap.dedent(
        """\
        import keras
        head = keras.layers.Dense(1)
        model = keras.Sequential([
            keras.Input(shape=(10, 8)),
            keras.layers.LSTM(32, return_sequences=True),
            head,
        ])
        """
    )
    [d] = found(source)
    assert d.location.row == 2 and "created at" not in d.message  # no separate application


def test_a_shared_layer_is_reported_at_each_application() -> None:
    source = FUNCTIONAL.replace(
        "y = head(h)\n", "y = head(h)\nz = head(layers.Dropout(0.1)(h))\n"
    ).replace("keras.Model(inputs, y)", "keras.Model(inputs, [y, z])")
    assert [d.location.row for d in found(source)] == [8, 9]


def test_two_layers_applied_by_one_call_are_two_findings() -> None:
    source = FUNCTIONAL.replace(
        'head = layers.Dense(3, activation="softmax")\n\ny = head(h)\n',
        "heads = [layers.Dense(1), layers.Dense(2)]\ny = [head(h) for head in heads]\n",
    )
    diagnostics = found(source)
    assert [d.location.row for d in diagnostics] == [7, 7]
    assert "Dense(1)" in diagnostics[0].message and "Dense(2)" in diagnostics[1].message


def test_time_distributed_created_apart_is_reported_where_it_is_applied() -> None:
    [d] = found(TIME_DISTRIBUTED)
    assert d.code == "TDL003"
    assert (d.location, d.end_location) == (Location(7, 11), Location(7, 26))
    assert "`TimeDistributed(Dense)` (created at line 6) needs a 3D input" in d.message


# ---------------------------------------------------------------- suppressions on either line


def test_noqa_on_the_application_line_suppresses() -> None:
    assert found(with_comment(FUNCTIONAL, 8, "# noqa: TDL001")) == []
    assert found(with_comment(SUBCLASS, 12, "# noqa: TDL001")) == []
    assert found(with_comment(TIME_DISTRIBUTED, 7, "# noqa: TDL003")) == []


def test_noqa_on_the_creation_line_still_suppresses_and_is_used() -> None:
    # Written where the finding used to be reported: it must not come back, and the
    # comment is not unused (TDL900).
    for source, row, code in [
        (FUNCTIONAL, 6, "TDL001"),
        (SUBCLASS, 9, "TDL001"),
        (TIME_DISTRIBUTED, 6, "TDL003"),
    ]:
        assert found(with_comment(source, row, f"# noqa: {code}"), code, "TDL900") == []


def test_noqa_on_the_creation_line_covers_every_application() -> None:
    source = FUNCTIONAL.replace("y = head(h)\n", "y = head(h)\nz = head(h)\n")
    assert len(found(source)) == 2
    assert found(with_comment(source, 6, "# noqa: TDL001")) == []


def test_noqa_on_an_unrelated_line_suppresses_nothing() -> None:
    source = with_comment(FUNCTIONAL, 5, "# noqa: TDL001")  # the LSTM's line
    diagnostics = found(source, "TDL001", "TDL900")
    assert [(d.code, d.location.row) for d in diagnostics] == [("TDL900", 5), ("TDL001", 8)]


def test_noqa_for_another_code_on_the_creation_line_does_not_suppress() -> None:
    assert [d.code for d in found(with_comment(FUNCTIONAL, 6, "# noqa: TDL003"))] == ["TDL001"]


def test_both_lines_suppressing_leaves_no_unused_noqa() -> None:
    source = with_comment(with_comment(FUNCTIONAL, 6, "# noqa: TDL001"), 8, "# noqa: TDL001")
    assert found(source, "TDL001", "TDL900") == []


def test_add_noqa_writes_on_the_application_line(tmp_path: Path) -> None:
    path = tmp_path / "tagger.py"
    path.write_text(FUNCTIONAL)
    tdlint(str(path), "--add-noqa", "--no-cache")
    lines = path.read_text().splitlines()
    assert lines[7] == "y = head(h)  # noqa: TDL001"
    assert "noqa" not in lines[5]


def test_json_carries_the_application_position(tmp_path: Path) -> None:
    path = tmp_path / "tagger.py"
    path.write_text(FUNCTIONAL)
    run = tdlint(str(path), "--output-format", "json", "--no-cache")
    [row] = json.loads(run.stdout)
    assert row["location"] == {"row": 8, "column": 5} and row["noqa_row"] == 8


# ---------------------------------------------------------------- TDL203: on the labels' call

# A regressor with per-sequence labels: the Dense on line 8, `fit` on lines 12-16.
LABELLED = textwrap.dedent(
    """\
    import numpy as np
    from keras import layers, Sequential, Input

    X = np.random.rand(200, 10, 8)
    y = np.random.rand(200)
    model = Sequential()
    model.add(layers.LSTM(32, return_sequences=True, input_shape=(10, 8)))
    model.add(layers.Dense(1))
    model.compile(loss="mse", optimizer="adam")

    print(model.summary())
    model.fit(
        X,
        y,
        epochs=5,
    )
    """
)


def test_tdl203_is_on_the_fit_that_shows_the_labels() -> None:
    diagnostics = found(LABELLED, "TDL001", "TDL203")
    assert [(d.code, d.location.row) for d in diagnostics] == [("TDL001", 8), ("TDL203", 12)]
    tdl203 = diagnostics[1]
    assert (tdl203.location, tdl203.end_location) == (Location(12, 1), Location(16, 2))
    assert "from the `Dense` at line 8, but the labels (200,) have one value" in tdl203.message
    [edit] = tdl203.fix.edits if tdl203.fix else []
    assert edit.location.row == 7  # the fix still edits the LSTM


def test_tdl203_is_on_the_call_whose_labels_decide() -> None:
    # `fit` reads a generator (no labels in sight); `evaluate` shows them.
    source = LABELLED.replace("X,\n    y,\n    epochs=5,", "batches(),").replace(
        "print(model.summary())", "model.evaluate(X, y)"
    )
    assert [(d.code, d.location.row) for d in found(source, "TDL203")] == [("TDL203", 11)]


def test_tdl203_needs_labels() -> None:
    """Without labels only a classifier's head speaks, and TDL001 says it on the Dense; TDL203
    does not repeat it on that line."""
    source = LABELLED.replace("layers.Dense(1)", "layers.Dense(1, activation='sigmoid')")
    source = source.replace('loss="mse"', 'loss="binary_crossentropy"')
    source = source.replace("X,\n    y,\n    epochs=5,", "batches(),")
    [d] = found(source, "TDL001", "TDL203")
    assert (d.code, d.location.row) == ("TDL001", 8)
    assert "per-sequence classifier's head" in d.message


def test_tdl203_noqa_on_the_fit_or_where_it_used_to_be() -> None:
    assert found(with_comment(LABELLED, 16, "# noqa: TDL203"), "TDL203", "TDL900") == []
    assert found(with_comment(LABELLED, 8, "# noqa: TDL203"), "TDL203", "TDL900") == []
    assert [d.code for d in found(with_comment(LABELLED, 9, "# noqa: TDL203"), "TDL203")] == [
        "TDL203"
    ]


# ---------------------------------------------------------------- TDL204: on the activation

# A classifier whose softmax head (line 7) is compiled with a binary loss (lines 11-14).
CLASSIFIER = textwrap.dedent(
    """\
    from tensorflow import keras
    from tensorflow.keras import layers

    inputs = keras.Input(shape=(64,))
    x = layers.Dense(32, activation="relu")(inputs)
    head = layers.Dense(4, activation="softmax")
    outputs = head(x)
    model = keras.Model(inputs, outputs)

    model.summary()
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
    )
    """
)


def test_tdl204_is_on_the_layer_that_sets_the_activation() -> None:
    [d] = found(CLASSIFIER, "TDL204")
    # Where `activation=` is written: the creation, not the application on line 7.
    assert (d.location, d.end_location) == (Location(6, 8), Location(6, 45))
    assert d.message.startswith("`binary_crossentropy` (`compile` at line 11) on a 4-unit")


def test_tdl204_on_an_activation_layer_after_a_linear_dense() -> None:
    source = CLASSIFIER.replace(
        'head = layers.Dense(4, activation="softmax")\noutputs = head(x)',
        "logits = layers.Dense(4)(x)\noutputs = layers.Softmax()(logits)",
    )
    [d] = found(source, "TDL204")
    assert d.location == Location(7, 11)  # `layers.Softmax()`


def test_tdl204_looks_past_layers_that_keep_the_activation() -> None:
    source = CLASSIFIER.replace("outputs = head(x)", "outputs = layers.Dropout(0.1)(head(x))")
    [d] = found(source, "TDL204")
    assert d.location == Location(6, 8)  # the softmax Dense, not the Dropout on line 7


def test_tdl204_noqa_on_the_layer_or_on_the_compile() -> None:
    assert found(with_comment(CLASSIFIER, 6, "# noqa: TDL204"), "TDL204", "TDL900") == []
    # Where it was reported before: the compile's first line, or the last of its statement.
    assert found(with_comment(CLASSIFIER, 11, "# noqa: TDL204"), "TDL204", "TDL900") == []
    assert found(with_comment(CLASSIFIER, 14, "# noqa: TDL204"), "TDL204", "TDL900") == []
    assert [d.code for d in found(with_comment(CLASSIFIER, 7, "# noqa: TDL204"), "TDL204")] == [
        "TDL204"
    ]
