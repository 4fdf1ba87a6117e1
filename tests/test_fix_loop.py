"""The fix loop's bookkeeping: what counts as fixed, and when it refuses to finish."""

from __future__ import annotations

import textwrap

import pytest

from tdlint import fixes
from tdlint.config import Selection
from tdlint.diagnostics import FileResult

MANY_USES = "from keras.layers import TimeDistributedDense\n" + "".join(
    f"layer{i} = TimeDistributedDense({i + 1})\n" for i in range(3)
)


def test_every_applied_fix_is_counted_once_across_rounds() -> None:
    outcome = fixes.fix_source(MANY_USES, "m.py", Selection.from_options(), unsafe=False)
    # Three uses, then the import they leave unused: four fixes, all errors.
    assert outcome.applied == 4 and outcome.fixed_warnings == 0
    assert "TimeDistributedDense" not in outcome.source
    assert outcome.result.diagnostics == ()


def test_a_fixed_file_that_cannot_be_checked_again_is_not_finished(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the re-check of a fixed file fails (an internal error, a limit), fixing cannot know
    that it is done: the file is left as it was rather than written half-fixed."""
    real = fixes.check_source
    calls = []

    def flaky(source: str, *args: object, **kwargs: object) -> FileResult:
        calls.append(source)
        result = real(source, *args, **kwargs)  # type: ignore[arg-type]
        if len(calls) > 1:
            return FileResult(result.filename, (), error="internal error in TDL002: boom")
        return result

    monkeypatch.setattr(fixes, "check_source", flaky)
    with pytest.raises(fixes.FixError, match="could not be checked again"):
        fixes.fix_source(MANY_USES, "m.py", Selection.from_options(), unsafe=False)


def test_an_error_present_before_fixing_does_not_stop_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fixes.check_source

    def always(source: str, *args: object, **kwargs: object) -> FileResult:
        result = real(source, *args, **kwargs)  # type: ignore[arg-type]
        return FileResult(result.filename, result.diagnostics, error="internal error in TDL104")

    monkeypatch.setattr(fixes, "check_source", always)
    source = textwrap.dedent(MANY_USES)
    outcome = fixes.fix_source(source, "m.py", Selection.from_options(), unsafe=False)
    assert "TimeDistributedDense" not in outcome.source


def test_a_fixed_file_whose_recheck_says_it_does_not_parse_is_not_finished(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fixed text was parsed before it was checked again: a TDL000 on the re-check means
    the check failed (an interrupt inside the parser), and the file must not be written as if
    fixing had converged."""
    real = fixes.check_source
    calls = []

    def interrupted(source: str, *args: object, **kwargs: object) -> FileResult:
        calls.append(source)
        result = real(source, *args, **kwargs)  # type: ignore[arg-type]
        if len(calls) == 2:
            syntax = real("import keras\nx = (", "m.py", Selection.from_options())
            return FileResult(result.filename, syntax.diagnostics)
        return result

    monkeypatch.setattr(fixes, "check_source", interrupted)
    with pytest.raises(
        fixes.FixError, match=r"^the fixed code could not be checked again \(it did not parse\)$"
    ):
        fixes.fix_source(MANY_USES, "m.py", Selection.from_options(), unsafe=False)
