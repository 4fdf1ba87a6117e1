"""Subprocess helpers for the oracle tests: real Keras on one side, tdlint on the other."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("keras_runner.py")
TIMEOUT = 600


def keras_available() -> bool:
    """True if Keras and JAX are installed (checked without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in ("keras", "jax"))


def tensorflow_available() -> bool:
    """Keras 3's vocabulary layers (StringLookup, IntegerLookup, TextVectorization) need
    TensorFlow installed whatever the backend; the oracle cases for them need it too."""
    return importlib.util.find_spec("tensorflow") is not None


def _run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _parse_json(proc: subprocess.CompletedProcess[str], what: str) -> Any:
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(
            f"{what} printed invalid JSON ({exc}); exit code {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout[-2000:]}\n--- stderr ---\n{proc.stderr}"
        ) from exc


def run_keras(paths: Sequence[Path], backend: str = "numpy") -> dict[str, Any]:
    """Run the Keras runner over ``paths``; results are keyed by ``str(path)``.
    The numpy backend builds models fastest; training (``fit``) needs ``jax``."""
    env = {**os.environ, "KERAS_BACKEND": backend}
    proc = _run([sys.executable, str(RUNNER), *map(str, paths)], env=env)
    if proc.returncode != 0:
        raise AssertionError(f"keras runner failed with exit code {proc.returncode}\n{proc.stderr}")
    return _parse_json(proc, "keras runner")


def run_tdlint_shapes(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Run ``tdlint shapes --output-format json`` and return its list of models."""
    cmd = [sys.executable, "-m", "tdlint", "shapes", "--output-format", "json"]
    proc = _run([*cmd, *map(str, paths)])
    if proc.returncode not in (0, 1):
        raise AssertionError(
            f"tdlint shapes failed with exit code {proc.returncode}\n{proc.stderr}"
        )
    result = _parse_json(proc, "tdlint shapes")
    if not isinstance(result, list):
        raise AssertionError(f"tdlint shapes returned {type(result).__name__}, not a list")
    return result


def apply_fix(path: Path, select: str) -> subprocess.CompletedProcess[str]:
    """Apply tdlint's (unsafe) fixes for ``select`` to ``path`` in place."""
    cmd = [sys.executable, "-m", "tdlint", "check", "--fix", "--unsafe-fixes"]
    proc = _run([*cmd, "--select", select, str(path)])
    if proc.returncode not in (0, 1):
        raise AssertionError(
            f"tdlint check --fix failed with exit code {proc.returncode}\n{proc.stderr}"
        )
    return proc


# Runs each file given on the command line quietly, then the caller's ``record(namespace)``
# (``namespace``: what the file defined) and prints {path: record(...)} as JSON.
_FILES_SCRIPT = """\
import contextlib, io, json, os, runpy, sys, warnings
os.environ["KERAS_BACKEND"] = {backend!r}
import numpy as np
import keras
{record}
found = {{}}
for path in sys.argv[1:]:
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        namespace = runpy.run_path(path)
    found[path] = record(namespace)
json.dump(found, sys.stdout)
"""


def run_keras_files(record: str, paths: Sequence[Path], backend: str = "numpy") -> dict[str, Any]:
    """Run each of ``paths`` with real Keras in a fresh Python; ``record`` is the source of
    ``def record(namespace)``, which returns what to keep of each file (JSON values), with
    ``keras`` and ``np`` at hand. Returns them keyed by ``str(path)``."""
    script = _FILES_SCRIPT.format(backend=backend, record=record.strip())
    proc = _run([sys.executable, "-c", script, *map(str, paths)])
    if proc.returncode != 0:
        raise AssertionError(
            f"keras failed with exit code {proc.returncode}\n{proc.stderr[-3000:]}"
        )
    return _parse_json(proc, "keras")


SCRIPT_RUNNER = Path(__file__).with_name("script_runner.py")


def _run_script_runner(
    paths: Sequence[Path], cwd: Path, flags: list[str], backend: str, timeout: int
) -> dict[str, Any]:
    """``script_runner.py FLAGS PATHS`` in one fresh Python working in ``cwd`` (one Keras and
    jax start-up for all the files)."""
    out = cwd / f".script-runner-{os.getpid()}.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT_RUNNER), *flags, f"--out={out}", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "KERAS_BACKEND": backend},
        timeout=timeout,
    )
    if proc.returncode != 0 or not out.exists():
        raise AssertionError(
            f"keras failed with exit code {proc.returncode}\n{proc.stderr[-3000:]}"
        )
    try:
        return json.loads(out.read_text())
    finally:
        out.unlink()


def run_scripts(
    paths: Sequence[Path], cwd: Path, backend: str = "jax", timeout: int = 1200
) -> dict[str, str | None]:
    """Run each of ``paths`` as a script with real Keras, in one fresh Python working in
    ``cwd``: keyed by ``str(path)``, None when it ran, else what it raised."""
    found = _run_script_runner(paths, cwd, [], backend, timeout)
    return {path: outcome["error"] for path, outcome in found.items()}


def run_models(
    paths: Sequence[Path],
    cwd: Path,
    backend: str = "jax",
    timeout: int = 1800,
    script_timeout: int = 300,
) -> dict[str, dict[str, Any]]:
    """Run each of ``paths`` as a script with real Keras (one fresh Python for all, working in
    ``cwd``; ``tensorflow.keras`` is Keras 3 when TensorFlow is missing) and report, keyed by
    ``str(path)``, what it raised (``"error"``: null when it ran to the end) and every Keras
    model it created (``"models"``: name, class, output shapes, parameter count, in order of
    creation). A script still running after ``script_timeout`` seconds is stopped (and reported
    as raising ``ScriptTimeout``). See ``script_runner.py``."""
    flags = ["--models", "--tf-alias", f"--timeout={script_timeout}"]
    return _run_script_runner(paths, cwd, flags, backend, timeout)
