"""The pre-commit hook, tried for real: `pre-commit try-repo` against this repository, in a
throw-away git repository with a bad model in it. `try-repo` needs this repository to be a git
checkout: from an unpacked sdist the test is skipped, saying so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, not_a_git_checkout

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))


def skip_reason() -> str | None:
    """Why the hook cannot be tried here, or None."""
    if not Path(PRE_COMMIT).exists():
        return "pre-commit (test extra) is not installed"
    return not_a_git_checkout(REPO)


SKIP_REASON = skip_reason()
needs_pre_commit_and_checkout = pytest.mark.skipif(
    SKIP_REASON is not None, reason=SKIP_REASON or ""
)

BAD = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
"""


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@needs_pre_commit_and_checkout
def test_hook_reports_through_pre_commit(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / "model.py").write_text(BAD)
    (project / "pyproject.toml").write_text('[tool.tdlint]\nextend-exclude = ["vendored"]\n')
    (project / "vendored").mkdir()
    (project / "vendored" / "old.py").write_text(BAD)
    git("add", ".", cwd=project)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    result = subprocess.run(
        [PRE_COMMIT, "try-repo", str(REPO), "tdlint", "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "model.py:3:" in output and "TDL003" in output
    assert "vendored" not in output  # --force-exclude applies the project's excludes


# ---------------------------------------------------------------- when the test can run


def test_a_git_checkout_is_recognised(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git("init", "-q", cwd=tmp_path)
    assert not_a_git_checkout(tmp_path) is None
    inner = tmp_path / "unpacked-sdist"
    inner.mkdir()
    reason = not_a_git_checkout(inner)
    assert reason is not None and "inside the one at" in reason


def test_a_folder_outside_git_is_not_a_checkout(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    # GIT_CEILING_DIRECTORIES would be needed if tmp_path sat inside a repository; it does
    # not (pytest's temporary folders are under the system's).
    if not_a_git_checkout(tmp_path.parent) is None:
        pytest.skip("the temporary folder is inside a git repository")
    reason = not_a_git_checkout(tmp_path)
    assert reason == f"{tmp_path} is not a git checkout (an unpacked sdist?)"


def test_without_git_nothing_is_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert not_a_git_checkout(REPO) == "git is not installed"
