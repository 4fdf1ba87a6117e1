"""What docs/ci.md says about pinning the hook, tried for real: with no release tag,
`pre-commit autoupdate` pins the newest commit's SHA; once there is a tag, the tag. Run offline
against a throw-away git copy of this repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import copy_of_checkout
from test_precommit import BAD, PRE_COMMIT, SKIP_REASON

pytestmark = pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or "")

IDENTITY = ("-c", "user.name=t", "-c", "user.email=t@example.invalid")


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def copy_of_this_repository(target: Path) -> Path:
    """This checkout's files (as they are, like `pre-commit try-repo`) in a new git repo."""
    copy_of_checkout(target)
    git("init", "-q", cwd=target)
    git("add", ".", cwd=target)
    git("commit", "-q", "-m", "first", cwd=target)
    return target


def pinned_rev(config: Path) -> str:
    (line,) = [x for x in config.read_text().splitlines() if x.strip().startswith("rev:")]
    return line.split(":", 1)[1].strip()


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [PRE_COMMIT, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900
    )


def test_autoupdate_pins_the_newest_commit_then_the_newest_tag(tmp_path: Path) -> None:
    hooks = copy_of_this_repository(tmp_path / "tdlint")
    first = git("rev-parse", "HEAD", cwd=hooks)
    (hooks / "NEWS").write_text("a later commit\n")
    git("add", "NEWS", cwd=hooks)
    git("commit", "-q", "-m", "second", cwd=hooks)
    newest = git("rev-parse", "HEAD", cwd=hooks)

    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / "model.py").write_text(BAD)
    config = project / ".pre-commit-config.yaml"
    config.write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {first}\n    hooks:\n      - id: tdlint\n"
    )
    git("add", ".", cwd=project)
    home = tmp_path / "cache"

    # No tag anywhere: `git describe --tags` fails, pre-commit falls back to the SHA.
    result = pre_commit("autoupdate", cwd=project, home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert pinned_rev(config) == newest

    git("tag", "v9.9.9", cwd=hooks)
    result = pre_commit("autoupdate", cwd=project, home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert pinned_rev(config) == "v9.9.9"

    # The pinned hook installs and runs.
    result = pre_commit("run", "--all-files", cwd=project, home=home)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "model.py:3:" in output and "TDL003" in output
