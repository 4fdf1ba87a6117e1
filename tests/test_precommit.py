"""The pre-commit hook, tried for real: `pre-commit try-repo` against this repository, in a
throw-away git repository with a bad model in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))

pytestmark = pytest.mark.skipif(
    not Path(PRE_COMMIT).exists(), reason="pre-commit (test extra) is not installed"
)

BAD = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
"""


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


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
