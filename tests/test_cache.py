"""The result cache is keyed on tdlint's own code: results computed by other code (an older
checkout, a local edit, a broken rule being fixed) are never replayed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write

import tdlint
from tdlint import cache as cache_module
from tdlint.cache import Cache, code_fingerprint

PACKAGE = Path(tdlint.__file__).resolve().parent
SOURCE = "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n"
MESSAGE = "`TimeDistributedDense` was removed in Keras 2.0"


def copy_package(target: Path) -> Path:
    """A copy of the tdlint package under ``target`` (import it with PYTHONPATH=target)."""
    shutil.copytree(PACKAGE, target / "tdlint", ignore=shutil.ignore_patterns("__pycache__"))
    return target / "tdlint"


def run_with(code: Path, project: Path) -> list[dict[str, object]]:
    """``python -m tdlint . --output-format json`` run with the tdlint found in ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code.parent), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tdlint", ".", "--output-format", "json"],
        capture_output=True,
        text=True,
        cwd=project,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_fingerprint_follows_the_package_sources(tmp_path: Path) -> None:
    code = copy_package(tmp_path / "a")
    first = code_fingerprint(code)
    assert first == code_fingerprint(copy_package(tmp_path / "b"))  # same code, same key
    (code / "cli.py").write_text((code / "cli.py").read_text() + "\n# edited\n")
    code_fingerprint.cache_clear()
    edited = code_fingerprint(code)
    assert edited != first
    (code / "rules" / "extra.py").write_text("")  # a new (even empty) module counts
    code_fingerprint.cache_clear()
    assert code_fingerprint(code) not in (first, edited)
    (code / "rules" / "extra.py").rename(code / "rules" / "extra2.py")  # so does its name
    code_fingerprint.cache_clear()
    renamed = code_fingerprint(code)
    assert renamed not in (first, edited)
    (code / "README.txt").write_text("not code")  # anything but Python does not
    code_fingerprint.cache_clear()
    assert code_fingerprint(code) == renamed


def test_key_depends_on_code_content_and_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Cache(tmp_path)
    key = store.key(b"x = 1\n", "settings")
    assert key == store.key(b"x = 1\n", "settings")
    assert key != store.key(b"x = 2\n", "settings")
    assert key != store.key(b"x = 1\n", "other settings")
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another tdlint")
    assert key != store.key(b"x = 1\n", "settings")


def test_changed_tdlint_code_misses_the_cache(tmp_path: Path) -> None:
    code = copy_package(tmp_path / "code")
    project = tmp_path / "project"
    write(project / "m.py", SOURCE)
    first = run_with(code, project)
    assert [d["message"] for d in first] == [MESSAGE]
    # The same code replays the cache: prove it by editing the stored entry.
    (entry,) = (project / ".tdlint_cache").rglob("*.json")
    stored = json.loads(entry.read_text())
    stored["diagnostics"][0]["message"] = "replayed from the cache"
    entry.write_text(json.dumps(stored))
    assert [d["message"] for d in run_with(code, project)] == ["replayed from the cache"]
    # A change to a rule (any .py file of the package) is a miss: the new code runs.
    rule = next((code / "rules").glob("tdl002_*.py"))
    rule.write_text(rule.read_text().replace(MESSAGE, "edited rule says so"))
    assert [d["message"] for d in run_with(code, project)] == ["edited rule says so"]


def test_the_test_helper_never_reads_a_cache_left_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import tdlint as run_tdlint

    checkout = tmp_path / "checkout"
    checkout.mkdir()
    path = write(tmp_path / "files" / "m.py", SOURCE)
    # Fill a cache in `checkout`, as an earlier run there (by other code) would, and poison it.
    run_tdlint(str(path), "--output-format", "json", cwd=checkout)
    (entry,) = (checkout / ".tdlint_cache").rglob("*.json")
    stored = json.loads(entry.read_text())
    stored["diagnostics"][0]["message"] = "stale"
    entry.write_text(json.dumps(stored))
    poisoned = run_tdlint(str(path), "--output-format", "json", cwd=checkout)
    assert json.loads(poisoned.stdout)[0]["message"] == "stale"  # the cache is read there
    # The helper without cwd (the tests' usual call) must not read it, from wherever pytest runs.
    monkeypatch.chdir(checkout)
    result = run_tdlint(str(path), "--output-format", "json")
    assert [d["message"] for d in json.loads(result.stdout)] == [MESSAGE]


def test_runner_key_follows_what_changes_a_files_result(tmp_path: Path) -> None:
    from tdlint.config import Settings
    from tdlint.runner import _cache_key

    store = Cache(tmp_path)
    path = tmp_path / "m.py"
    settings = Settings(root=tmp_path)
    base = _cache_key(store, path, b"x = 1\n", settings)
    assert base == _cache_key(store, path, b"x = 1\n", Settings(root=tmp_path))
    changed = [
        _cache_key(store, path, b"x = 2\n", settings),
        _cache_key(store, path, b"x = 1\n", Settings(root=tmp_path, keras_version="1")),
        _cache_key(store, path, b"x = 1\n", Settings(root=tmp_path, ignore=("TDL001",))),
        _cache_key(store, path, b"x = 1\n", Settings(root=tmp_path, extend_select=("TDL900",))),
        _cache_key(
            store,
            path,
            b"x = 1\n",
            Settings(root=tmp_path, per_file_ignores=(("m.py", ("TDL002",)),)),
        ),
        _cache_key(store, tmp_path / "m.ipynb", b"x = 1\n", settings),  # notebooks differ
    ]
    assert base not in changed and len(set(changed)) == len(changed)
    # Settings that do not change this file's result do not change its key.
    elsewhere = Settings(root=tmp_path, per_file_ignores=(("other/*.py", ("TDL002",)),))
    assert _cache_key(store, path, b"x = 1\n", elsewhere) == base
    assert (
        _cache_key(store, path, b"x = 1\n", Settings(root=tmp_path, output_format="json")) == base
    )


def test_entries_round_trip_and_the_folder_is_marked(tmp_path: Path) -> None:
    from tdlint.diagnostics import FileResult

    folder = tmp_path / ".tdlint_cache"
    store = Cache(folder)
    result = FileResult("m.py", redirected_noqa=2)
    store.put("k1", result)
    assert store.get("k1", "m.py") == result
    assert store.get("k1", "elsewhere.py") == FileResult("elsewhere.py", redirected_noqa=2)
    assert store.get("missing", "m.py") is None
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    )
    assert (folder / ".gitignore").read_text() == "*\n"
    assert sorted(p.name for p in store.entries.iterdir()) == ["k1.json"]  # no temp file left
    # A second run (a new Cache on the same folder) adds to it, and keeps the markers as found.
    (folder / ".gitignore").write_text("*\n# mine\n")
    again = Cache(folder)
    again.put("k2", result)
    assert again.get("k2", "m.py") == result
    assert (folder / ".gitignore").read_text() == "*\n# mine\n"


def test_errors_and_skips_are_not_cached(tmp_path: Path) -> None:
    from tdlint.diagnostics import FileResult

    store = Cache(tmp_path)
    store.put("e", FileResult("m.py", error="cannot read"))
    store.put("s", FileResult("m.py", skipped="too large"))
    store.put("ok", FileResult("m.py"))
    assert [store.get(k, "m.py") is None for k in ("e", "s", "ok")] == [True, True, False]


def test_the_temporary_entry_is_written_next_to_its_final_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.replace is atomic only within one file system: the temp file lives in the entries.
    import tempfile

    from tdlint.diagnostics import FileResult

    made: list[dict[str, object]] = []
    real = tempfile.mkstemp

    def spy(**kwargs: object) -> tuple[int, str]:
        made.append(kwargs)
        return real(**kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(cache_module.tempfile, "mkstemp", spy)
    store = Cache(tmp_path)
    store.put("k", FileResult("m.py"))
    assert made == [{"dir": store.entries, "suffix": ".tmp"}]
