"""benchmarks/upgrade_corpus.py: fixes counted by rule over a scratch copy of a corpus."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from oracle.harness import keras_available

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "upgrade_corpus.py"
UPGRADE = Path(__file__).parent / "upgrade"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600
    )


def test_it_counts_fixes_by_rule_and_never_touches_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "examples"
    corpus.mkdir()
    # two files where TDL002 (TimeDistributedDense) has a fix, one that does not parse
    for name in ("k1_time_distributed_dense.py", "mix_k1_sequence_tagger.py"):
        shutil.copy(UPGRADE / name, corpus / name)
    (corpus / "broken.py").write_text("def f(:\n")
    before = {p.name: p.read_text() for p in corpus.iterdir()}

    proc = run("--corpus", str(corpus))

    assert proc.returncode == 0, proc.stderr
    assert {p.name: p.read_text() for p in corpus.iterdir()} == before
    assert f"== {tmp_path.name}/examples: 3 files" in proc.stdout
    # rule, before, after the fix, fixed
    assert re.search(r"^  TDL002 +2 +0 +2 *$", proc.stdout, re.M), proc.stdout
    assert re.search(r"^files changed by the fix +2 *$", proc.stdout, re.M)
    assert re.search(r"^fixed files that parse +2 of 3 *$", proc.stdout, re.M)
    assert "  does not parse: broken.py" in proc.stdout


def test_a_folder_without_python_files_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("--corpus", str(tmp_path / "missing"))
    assert proc.returncode == 2
    assert "not a folder of .py files" in proc.stderr
    assert "Traceback" not in proc.stderr


DATASETS = """
import numpy as np
from keras.datasets import cifar10, imdb, mnist
(x, y), (x_test, y_test) = mnist.load_data()
assert x.shape == (60000, 28, 28) and x.dtype == np.uint8 and y.shape == (60000,), x.shape
assert x_test.shape == (10000, 28, 28) and y.max() <= 9
(x, y), _ = cifar10.load_data()
assert x.shape == (50000, 32, 32, 3) and y.shape == (50000, 1), y.shape
(x, y), _ = imdb.load_data(num_words=100)
assert len(x) == 25000 and all(type(w) is int and 0 < w < 100 for w in x[0]), x[0]
again, _ = imdb.load_data(num_words=100)
assert all(a == b for a, b in zip(x, again[0]))  # the same data at every call
"""


@pytest.mark.oracle
def test_run_with_fake_datasets_gives_the_real_shapes(tmp_path: Path) -> None:
    if not keras_available():
        pytest.skip("needs keras and jax")
    corpus = tmp_path / "examples"
    corpus.mkdir()
    (corpus / "datasets.py").write_text(DATASETS)
    (corpus / "wrong_argument.py").write_text(
        "from keras.datasets import mnist\nmnist.load_data(nb_samples=10)\n"
    )
    proc = run("--corpus", str(corpus), "--run", "--fake-datasets", "--run-timeout", "120")
    assert proc.returncode == 0, proc.stderr
    # the real signature still rejects what the real load_data rejects
    assert re.search(r"^ran +1 +1 *$", proc.stdout, re.M), proc.stdout
    assert "wrong_argument.py: TypeError: got an unexpected keyword argument 'nb_samples'" in (
        proc.stdout
    )
