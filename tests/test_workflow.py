"""Fitting into a team's workflow: configuration, suppressions, the cache, `tdlint rule`.
Every test runs the real command line on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import tdlint, write

from tdlint.config import ConfigError, glob_matches, load_settings

TDL001 = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense
    model = Sequential()
    model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
    model.add(Dense(1))
    """
)
TDL003 = textwrap.dedent(
    """\
    from keras.models import Sequential
    from keras.layers import LSTM, Dense, TimeDistributed
    model = Sequential([LSTM(32, input_shape=(10, 8)), TimeDistributed(Dense(5))])
    """
)


def codes(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    return sorted((Path(d["filename"]).name, d["code"]) for d in json.loads(result.stdout))


# ---------------------------------------------------------------- configuration


def test_pyproject_configuration_is_found_from_the_checked_path(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.tdlint]\nignore = ["TDL001"]\n'
    )
    write(tmp_path / "src" / "a.py", TDL001)
    write(tmp_path / "src" / "b.py", TDL003)
    result = tdlint("src", "--output-format", "json", cwd=tmp_path)
    assert codes(result) == [("b.py", "TDL003")]


def test_tdlint_toml_and_rule_names(tmp_path: Path) -> None:
    write(tmp_path / "tdlint.toml", 'select = ["time-distributed-without-time-axis"]\n')
    write(tmp_path / "a.py", TDL001)
    write(tmp_path / "b.py", TDL003)
    assert codes(tdlint(".", "--output-format", "json", cwd=tmp_path)) == [("b.py", "TDL003")]


def test_per_file_ignores_and_extend_exclude(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.tdlint]\nextend-exclude = ["generated"]\n'
        '[tool.tdlint.per-file-ignores]\n"tests/**" = ["TDL0"]\n',
    )
    write(tmp_path / "tests" / "deep" / "t.py", TDL001)
    write(tmp_path / "generated" / "g.py", TDL001)
    write(tmp_path / "m.py", TDL001)
    assert codes(tdlint(".", "--output-format", "json", cwd=tmp_path)) == [("m.py", "TDL001")]


def test_command_line_overrides_configuration(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml", '[tool.tdlint]\nselect = ["TDL001"]\noutput-format = "json"\n'
    )
    write(tmp_path / "a.py", TDL001)
    write(tmp_path / "b.py", TDL003)
    assert codes(tdlint(".", cwd=tmp_path)) == [("a.py", "TDL001")]
    assert codes(tdlint(".", "--select", "TDL003", cwd=tmp_path)) == [("b.py", "TDL003")]
    isolated = tdlint(".", "--isolated", "--output-format", "json", cwd=tmp_path)
    assert codes(isolated) == [("a.py", "TDL001"), ("b.py", "TDL003")]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("selct = []", "unknown key `selct`"),
        ('select = ["TDL9999"]', "unknown rule selector `TDL9999`"),
        ('output-format = "xml"', "`output-format`"),
        ("keras-version = 4", "`keras-version`"),
        ('respect-gitignore = "yes"', "`respect-gitignore`"),
        ("select = [", "not valid TOML"),
    ],
)
def test_bad_configuration_is_a_usage_error_naming_the_key_and_file(
    tmp_path: Path, table: str, message: str
) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.tdlint]\n{table}\n")
    write(tmp_path / "a.py", TDL001)
    result = tdlint(".", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "pyproject.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_explicit_config_file(tmp_path: Path) -> None:
    write(tmp_path / "ci.toml", 'ignore = ["TDL001"]\n')
    write(tmp_path / "a.py", TDL001)
    assert tdlint("a.py", "--config", "ci.toml", cwd=tmp_path).returncode == 0
    missing = tdlint("a.py", "--config", "nope.toml", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.toml" in missing.stderr


def test_keras_version_makes_td001_an_error_before_keras_1_2(tmp_path: Path) -> None:
    write(tmp_path / "a.py", TDL001)
    found = json.loads(
        tdlint("a.py", "--keras-version", "1.1", "--output-format", "json", cwd=tmp_path).stdout
    )
    old = [d for d in found if d["code"] == "TDL001"]  # (Keras 1 code: TDL309 has its say)
    new = json.loads(tdlint("a.py", "--output-format", "json", cwd=tmp_path).stdout)
    assert old[0]["severity"] == "error" and "Keras 1.0-1.1 cannot build" in old[0]["message"]
    assert new[0]["severity"] == "warning"


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("tests/**", "tests/a/b.py", True),
        ("tests/**", "src/tests.py", False),
        ("*.ipynb", "notebooks/a.ipynb", True),
        ("generated", "src/generated/x.py", True),
        ("src/*.py", "src/a.py", True),
        ("src/*.py", "src/sub/a.py", False),
        ("**/legacy_*.py", "a/b/legacy_model.py", True),
    ],
)
def test_globs(pattern: str, path: str, matches: bool) -> None:
    assert glob_matches(pattern, path) is matches


def test_load_settings_rejects_a_non_table(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", '[tool]\ntdlint = "on"\n')
    with pytest.raises(ConfigError):
        load_settings(config)


def test_gitignored_files_are_skipped_unless_named(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write(tmp_path / ".gitignore", "scratch/\n")
    write(tmp_path / "scratch" / "s.py", TDL001)
    write(tmp_path / "m.py", TDL003)
    assert codes(tdlint(".", "--output-format", "json", cwd=tmp_path)) == [("m.py", "TDL003")]
    named = tdlint("scratch/s.py", "--output-format", "json", cwd=tmp_path)
    assert codes(named) == [("s.py", "TDL001")]
    forced = tdlint("scratch/s.py", "--force-exclude", "--output-format", "json", cwd=tmp_path)
    assert codes(forced) == []
    everything = tdlint(".", "--no-respect-gitignore", "--output-format", "json", cwd=tmp_path)
    assert len(codes(everything)) == 2


def test_a_file_name_that_is_not_utf8_in_a_git_repository(tmp_path: Path) -> None:
    # The names were sent to `git check-ignore` as UTF-8 text: a traceback.
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write(tmp_path / ".gitignore", "ignored*.py\n")
    (tmp_path / os.fsdecode(b"odd\xff.py")).write_text(TDL003)
    (tmp_path / os.fsdecode(b"ignored\xff.py")).write_text(TDL003)
    command = [sys.executable, "-m", "tdlint", ".", "--output-format", "concise"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=120)
    stdout = result.stdout.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    assert result.returncode == 1 and stdout.count("TDL003") == 1
    assert "odd" in stdout and "ignored" not in stdout


# ---------------------------------------------------------------- suppressions


def test_file_level_suppression(tmp_path: Path) -> None:
    write(tmp_path / "all.py", "# tdlint: noqa\n" + TDL001)
    both = TDL001.replace("LSTM, Dense", "LSTM, Dense, TimeDistributed") + TDL003.split("\n", 2)[2]
    write(tmp_path / "code.py", "# tdlint: noqa: TDL001\n" + both)
    result = tdlint(".", "--output-format", "json", cwd=tmp_path)
    assert codes(result) == [("code.py", "TDL003")]


def test_unused_noqa_is_reported_when_selected_and_fixed_safely(tmp_path: Path) -> None:
    source = TDL003.replace(
        "model = Sequential(",
        "x = 1  # noqa: TDL001, E501\nmodel = Sequential(",
    ).replace("(Dense(5))])", "(Dense(5))])  # noqa: TDL003, TDL001")
    path = write(tmp_path / "m.py", source)
    assert tdlint("m.py", cwd=tmp_path).returncode == 0  # TDL900 is off by default
    result = tdlint("m.py", "--extend-select", "TDL900", "--output-format", "json", cwd=tmp_path)
    found = json.loads(result.stdout)
    assert [d["code"] for d in found] == ["TDL900", "TDL900"]
    assert "unused: TDL001" in found[0]["message"]
    fixed = tdlint("m.py", "--extend-select", "TDL900", "--fix", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout
    text = path.read_text()
    assert "x = 1  # noqa: E501\n" in text
    assert "(Dense(5))])  # noqa: TDL003\n" in text


def test_add_noqa_then_nothing_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "m.py", TDL001.replace("model.add(Dense(1))", "model.add(\n    Dense(1)\n)")
    )
    result = tdlint("m.py", "--add-noqa", cwd=tmp_path)
    assert result.returncode == 0 and "Added 1 noqa directive" in result.stderr
    assert ")  # noqa: TDL001\n" in path.read_text()
    assert tdlint("m.py", cwd=tmp_path).returncode == 0
    assert tdlint("m.py", "--extend-select", "TDL900", cwd=tmp_path).returncode == 0


# ---------------------------------------------------------------- cache


def test_warm_run_replays_the_cache_without_libcst(tmp_path: Path) -> None:
    write(tmp_path / "m.py", TDL001)
    cold = tdlint("m.py", "--output-format", "json", cwd=tmp_path)
    cache = tmp_path / ".tdlint_cache"
    assert (cache / "CACHEDIR.TAG").is_file() and (cache / ".gitignore").read_text() == "*\n"
    probe = (
        "import sys, tdlint.cli\n"
        "code = tdlint.cli.main(['m.py', '--output-format', 'json'])\n"
        "sys.stderr.write(str('libcst' in sys.modules))\n"
        "raise SystemExit(code)\n"
    )
    warm = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert warm.stdout == cold.stdout
    assert warm.stderr == "False"


def test_cache_follows_content_and_settings(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", TDL001)
    assert codes(tdlint("m.py", "--output-format", "json", cwd=tmp_path)) == [("m.py", "TDL001")]
    assert (
        codes(tdlint("m.py", "--ignore", "TDL001", "--output-format", "json", cwd=tmp_path)) == []
    )
    path.write_text(TDL003)
    assert codes(tdlint("m.py", "--output-format", "json", cwd=tmp_path)) == [("m.py", "TDL003")]
    nocache = tdlint("m.py", "--no-cache", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert nocache.returncode == 1 and not (tmp_path / "elsewhere").exists()


def test_corrupt_cache_entries_are_misses(tmp_path: Path) -> None:
    write(tmp_path / "m.py", TDL001)
    tdlint("m.py", cwd=tmp_path)
    for entry in (tmp_path / ".tdlint_cache").rglob("*.json"):
        entry.write_text("{not json")
    assert codes(tdlint("m.py", "--output-format", "json", cwd=tmp_path)) == [("m.py", "TDL001")]


def test_many_files_in_parallel_keep_their_order(tmp_path: Path) -> None:
    for i in range(40):
        write(tmp_path / f"m{i:02}.py", TDL001 if i % 2 else TDL003)
    result = tdlint(".", "--no-cache", "--output-format", "json", cwd=tmp_path)
    names = [Path(d["filename"]).name for d in json.loads(result.stdout)]
    assert names == sorted(names) and len(names) == 40


# ---------------------------------------------------------------- rule docs, stdin, statistics


def test_rule_command_prints_the_docs_page(tmp_path: Path) -> None:
    one = tdlint("rule", "TDL001", cwd=tmp_path)
    assert one.returncode == 0 and one.stdout.startswith("# dense-on-sequence-output (TDL001)")
    by_name = tdlint("rule", "time-distributed-dense", cwd=tmp_path)
    assert by_name.stdout.startswith("# time-distributed-dense (TDL002)")
    every = tdlint("rule", "--all", cwd=tmp_path)
    assert every.stdout.count("## Fix safety") >= 10
    assert tdlint("rule", "TDL777", cwd=tmp_path).returncode == 2


def test_stdin(tmp_path: Path) -> None:
    result = tdlint(
        "-",
        "--stdin-filename",
        "model.py",
        "--output-format",
        "concise",
        cwd=tmp_path,
        stdin=TDL003,
    )
    assert result.returncode == 1 and result.stdout.startswith("model.py:3:")
    fixed = tdlint("-", "--select", "TDL004", "--fix", "--unsafe-fixes", cwd=tmp_path, stdin=TDL001)
    assert "TimeDistributed(Dense(1))" in fixed.stdout and fixed.returncode == 0


def test_statistics(tmp_path: Path) -> None:
    write(tmp_path / "a.py", TDL001)
    write(tmp_path / "b.py", TDL001)
    write(tmp_path / "c.py", TDL003)
    lines = tdlint(".", "--statistics", cwd=tmp_path).stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["    2", "TDL001"]
    assert lines[1].split("\t")[:2] == ["    1", "TDL003"]


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    write(
        tmp_path / "m.py",
        "from keras.layers import TimeDistributedDense\nx = TimeDistributedDense(3)\n",
    )
    result = tdlint("m.py", "--fix", "--exit-non-zero-on-fix", cwd=tmp_path)
    assert result.returncode == 1
