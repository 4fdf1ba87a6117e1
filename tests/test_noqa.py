"""Suppression comments (tdlint/noqa.py): what is parsed, what it suppresses, and how the
fixes rewrite a comment. Expected values are written out by hand from the conventions
(ruff's noqa syntax; a file-level ``# tdlint: noqa`` on a line of its own)."""

from __future__ import annotations

import textwrap

import pytest

from tdlint import noqa
from tdlint.api import check_source
from tdlint.noqa import Comment

TDL001 = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense, TimeDistributed
    model = Sequential()
    model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
    model.add(Dense(1))
    """
)
TDL003 = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense, TimeDistributed
    other = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
    """
)
BOTH = TDL001 + TDL003.split("\n", 2)[2]  # TDL001 on line 5, TDL003 on line 6


def codes(source: str) -> list[tuple[str, int]]:
    return [(d.code, d.location.row) for d in check_source(source, "m.py")]


def test_the_sources_report_what_the_tests_suppress() -> None:
    assert codes(BOTH) == [("TDL001", 5), ("TDL003", 6)]


# ---------------------------------------------------------------- parsing


def test_nothing_to_parse_without_the_word() -> None:
    found = noqa.parse("x = (1,\n     2)\ny = 3\n")
    assert found.line == {} and found.file_codes is None and found.file_all is False
    assert found.statement_end == {1: 2, 2: 2, 3: 3}


@pytest.mark.parametrize(
    ("line", "comment"),
    [
        ("x = 1  # noqa", Comment(1, (), 7, 13, "# noqa")),
        ("x = 1  # noqa: TDL001", Comment(1, ("TDL001",), 7, 21, "# noqa: TDL001")),
        (
            "x = 1 #noqa:tdl003,TDL001",
            Comment(1, ("TDL001", "TDL003"), 6, 25, "#noqa:tdl003,TDL001"),
        ),
        (
            "x = 1  # NOQA : TDL002 TDL001",
            Comment(1, ("TDL001", "TDL002"), 7, 29, "# NOQA : TDL002 TDL001"),
        ),
        ("x = 1  # noqa: TDL001 because", Comment(1, ("TDL001",), 7, 29, "# noqa: TDL001 because")),
        ("x = 1  # type: ignore  # noqa", Comment(1, (), 7, 29, "# type: ignore  # noqa")),
    ],
)
def test_line_comments(line: str, comment: Comment) -> None:
    found = noqa.parse(line + "\n")
    assert found.line == {1: comment}
    assert found.file_codes is None and not found.file_all


def test_file_level_suppression_of_all() -> None:
    found = noqa.parse("import keras\n# tdlint: noqa\n")
    assert found.file_all is True and found.line == {}


def test_two_file_level_lines_add_up() -> None:
    # Both count: the first must not be lost when the second is read.
    found = noqa.parse("# tdlint: noqa: TDL001\nimport keras\n  #TDLINT:NOQA:tdl003, TD102\n")
    assert found.file_codes == frozenset({"TDL001", "TDL003", "TDL102"})  # TD102: old spelling
    assert found.file_all is False and found.line == {}
    source = "# tdlint: noqa: TDL001\n# tdlint: noqa: TDL003\n" + BOTH
    assert codes(source) == []
    assert codes("# tdlint: noqa: TDL003\n# tdlint: noqa: TDL102\n" + BOTH) == [("TDL001", 7)]


def test_file_level_comment_must_be_on_a_line_of_its_own() -> None:
    found = noqa.parse("x = 1  # tdlint: noqa\n")
    assert found.file_all is False and found.file_codes is None
    assert codes(
        BOTH.replace("\nmodel = Sequential()", "\nmodel = Sequential()  # tdlint: noqa")
    ) == [
        ("TDL001", 5),
        ("TDL003", 6),
    ]


def test_statement_ends_cover_multiline_statements() -> None:
    source = "a = f(\n    1,\n    2,\n)\nb = 1\nc = [\n]  # noqa\n"
    found = noqa.parse(source)
    assert found.statement_end == {1: 4, 2: 4, 3: 4, 4: 4, 5: 5, 6: 7, 7: 7}
    assert found.suppresses("TDL001", 6) is found.line[7]
    assert found.suppresses("TDL001", 5) is None
    assert noqa.statement_ends(source) == found.statement_end


def test_lone_carriage_returns_end_lines_as_the_engine_counts_them() -> None:
    found = noqa.parse("x = 1\ry = 2  # noqa\n")
    assert list(found.line) == [2]


def test_a_tokenize_error_keeps_what_was_found_before_it() -> None:
    found = noqa.parse("x = 1  # noqa\ny = (\n")
    assert list(found.line) == [1]


# ---------------------------------------------------------------- what is suppressed


def test_suppresses_by_code_old_spelling_and_blanket() -> None:
    found = noqa.parse("a = 1  # noqa: TDL001\nb = 2  # noqa: TD003\nc = 3  # noqa\nd = 4\n")
    assert found.suppresses("TDL001", 1) is found.line[1]
    assert found.suppresses("TDL003", 1) is None
    assert found.suppresses("TDL003", 2) is found.line[2]  # the old spelling counts
    assert found.suppresses("TDL001", 2) is None
    assert found.suppresses("TDL999", 3) is found.line[3]
    assert found.suppresses("TDL001", 4) is None
    only = noqa.parse("# tdlint: noqa: TDL001\nx = 1\n")
    assert only.suppresses("TDL001", 2) is True and only.suppresses("TDL003", 2) is None


def test_old_spelling() -> None:
    assert noqa.old_spelling("TDL001") == "TD001"
    assert noqa.old_spelling("E501") == "E501"


def test_line_noqa_in_files_suppresses_only_the_named_code() -> None:
    lines = BOTH.splitlines()
    lines[4] += "  # noqa: TDL003"  # the wrong code for line 5
    assert codes("\n".join(lines) + "\n") == [("TDL001", 5), ("TDL003", 6)]
    lines[4] += ", TDL001"
    assert codes("\n".join(lines) + "\n") == [("TDL003", 6)]


# ---------------------------------------------------------------- rewriting comments


def comment_of(line: str) -> Comment:
    return noqa.parse(line + "\n").line[1]


@pytest.mark.parametrize(
    ("line", "unused", "expected"),
    [
        ("x  # noqa: TDL001, TDL003", {"TDL001"}, "# noqa: TDL003"),
        ("x  # noqa: TDL001, TDL003", {"TDL001", "TDL003"}, ""),
        ("x  # noqa: TDL001  # keep me", {"TDL001"}, "# keep me"),
        ("x  # noqa: TDL001 reason", {"TDL001"}, "# reason"),
        ("x  # type: ignore # noqa: TDL001", {"TDL001"}, "# type: ignore"),
        ("x  # noqa: E501, TDL001", {"TDL001"}, "# noqa: E501"),
        ("x  # noqa: TDL001, TDL002, TDL003", {"TDL002"}, "# noqa: TDL001, TDL003"),
        # What stood before the noqa stays, without its own trailing '#' and spaces.
        ("x  ## noqa: TDL001", {"TDL001"}, ""),
        ("x  # a ## noqa: TDL001", {"TDL001"}, "# a"),
        ("x  # a # # noqa: TDL001", {"TDL001"}, "# a"),
        ("x  # see FIX # noqa: TDL001", {"TDL001"}, "# see FIX"),
    ],
)
def test_without_codes(line: str, unused: set[str], expected: str) -> None:
    assert noqa.without_codes(comment_of(line), unused) == expected


def test_with_renamed_codes_respells_in_place() -> None:
    comment = comment_of("x  # NOQA: td001,TDL003 reason")
    assert noqa.with_renamed_codes(comment, {"TD001": "TDL001"}) == "# NOQA: TDL001,TDL003 reason"
    upper = comment_of("x  # noqa: TD003, TD001")
    renames = {"TD001": "TDL001", "TD003": "TDL003"}
    assert noqa.with_renamed_codes(upper, renames) == "# noqa: TDL003, TDL001"


@pytest.mark.parametrize(
    ("line", "codes_to_add", "expected"),
    [
        ("x = 1\n", {"TDL002", "TDL001"}, "x = 1  # noqa: TDL001, TDL002\n"),
        ("x = 1\r\n", {"TDL001"}, "x = 1  # noqa: TDL001\r\n"),
        ("x = 1", {"TDL001"}, "x = 1  # noqa: TDL001"),
        ("x = 1  # noqa: TDL003\n", {"TDL001"}, "x = 1  # noqa: TDL001, TDL003\n"),
        ("x = 1  # noqa: TDL003 why\n", {"TDL001"}, "x = 1  # noqa: TDL001, TDL003 # why\n"),
        ("x = 1  # noqa\n", {"TDL001"}, "x = 1  # noqa\n"),
        ("x = 1 \n", {"TDL001"}, "x = 1   # noqa: TDL001\n"),  # the line's own text is kept
        ("y = X\n", {"TDL001"}, "y = X  # noqa: TDL001\n"),
    ],
)
def test_with_codes(line: str, codes_to_add: set[str], expected: str) -> None:
    found = noqa.parse(line)
    assert noqa.with_codes(line, found.line.get(1), codes_to_add) == expected
