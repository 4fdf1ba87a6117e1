"""Run Python files as the scripts they are, with real Keras, all in this one Python.

Usage: ``KERAS_BACKEND=jax python script_runner.py [--models] [--tf-alias] [--fake-datasets]
[--timeout=S] [--out=PATH] FILE...``

Each file runs with ``__name__ == "__main__"`` in the current folder, its prints swallowed.
One JSON object is printed as the last line of stdout (or written to the file ``--out=PATH``
names), keyed by each path as given::

    {path: {"error": null | "TypeError: message",
            "models": [{"name": "model" | null, "class": "Sequential",
                        "outputs": [[null, 10], ...] | null, "params": 1234 | null}, ...]}}

``error`` is what the script raised (null when it ran to the end); a script still running
after ``--timeout`` seconds (default 300) is stopped with ``ScriptTimeout``. ``models`` (with
``--models`` only) lists every ``keras.Model`` the script created, in order of creation,
including those it created but dropped and the inner models of a nested one: they are caught
as they are made (``keras.Model.__init__`` is wrapped), so a script that raises half-way still
reports the models it had. ``name`` is the module-level variable the model is bound to at the
end (the first in sorted order if several), or null. ``outputs`` has one shape per output
(null: the model was never built), ``params`` is ``count_params()`` (null when unbuilt).

``--tf-alias``: when TensorFlow is not installed, ``import tensorflow`` gets a stand-in whose
``keras`` (and ``tensorflow.keras.*`` submodules) is Keras 3, as with TensorFlow 2.16 and later
(without tf_keras), and nothing else: any other ``tf.*`` raises. It lets files written for
tf.keras run on Keras 3 here without the 500 MB of TensorFlow.

``--fake-datasets``: ``keras.datasets.*.load_data`` returns random data of the real shapes,
dtypes and sizes instead of downloading (benchmarks/upgrade_corpus.py's corpus runs).

Part of the test suite only; tdlint never imports it.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import io
import json
import os
import signal
import sys
import types
import warnings
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # imported after choosing the backend above

Dims = list[int | None]


class _TfKerasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``tensorflow.keras.X`` is ``keras.X``, as in TensorFlow 2.16+; ``tensorflow.X`` for
    any other X does not exist."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name == "tensorflow.keras" or name.startswith("tensorflow.keras."):
            try:
                importlib.import_module(name.replace("tensorflow.keras", "keras", 1))
            except ImportError:
                return None
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        return importlib.import_module(spec.name.replace("tensorflow.keras", "keras", 1))

    def exec_module(self, module: types.ModuleType) -> None:
        pass  # the keras module is already executed


class _Tensorflow(types.ModuleType):
    def __getattr__(self, attr: str) -> Any:
        raise AttributeError(
            f"module 'tensorflow' has no attribute {attr!r} (TensorFlow is not installed: "
            "only tensorflow.keras, which is Keras 3, is available)"
        )


def install_tf_alias() -> None:
    from keras.src.utils.module_utils import tensorflow as keras_tf_probe

    # Keras asks once whether real TensorFlow is importable and caches the answer: let it find
    # out "no" before the alias exists, so it never mistakes the alias for TensorFlow.
    if keras_tf_probe.available:
        return
    tf = _Tensorflow("tensorflow")
    tf.__path__ = []  # a package, so that `tensorflow.keras.layers` is looked up
    # Keras's preprocessing layers ask, when "tensorflow" is among the loaded modules, whether
    # they run inside a tf.function (``backend_utils.in_tf_graph``): never, here.
    tf.executing_eagerly = lambda: True  # type: ignore[attr-defined]
    tf.inside_function = lambda: False  # type: ignore[attr-defined]
    tf.keras = keras  # type: ignore[attr-defined]
    sys.modules["tensorflow"] = tf
    sys.meta_path.insert(0, _TfKerasFinder())


# (shape of one sample or None for word sequences, classes (0: a regression), label shape
# after the sample axis, train and test samples): the real counts, as scripts write
# `x_train.reshape(60000, 784)`.
_DATASETS: dict[str, tuple[tuple[int, ...] | None, int, tuple[int, ...], int, int]] = {
    "mnist": ((28, 28), 10, (), 60000, 10000),
    "fashion_mnist": ((28, 28), 10, (), 60000, 10000),
    "cifar10": ((32, 32, 3), 10, (1,), 50000, 10000),
    "cifar100": ((32, 32, 3), 100, (1,), 50000, 10000),
    "imdb": (None, 2, (), 25000, 25000),
    "reuters": (None, 46, (), 8982, 2246),
    "boston_housing": ((13,), 0, (), 404, 102),
}


def _fake_loader(name: str, real: Any) -> Any:
    """``keras.datasets.NAME.load_data``'s stand-in: the real signature (so a wrong argument
    still raises as it would), random data of the real shapes, dtypes and sizes."""
    import inspect

    import numpy as np

    item, classes, label_shape, train, test = _DATASETS[name]
    signature = inspect.signature(real)

    def part(bound: inspect.BoundArguments, samples: int) -> tuple[Any, Any]:
        # the same data at every call: an original and its fixed version see the same
        rng = np.random.default_rng(samples)
        if item is None:  # word-index sequences, as imdb and reuters give them
            top = bound.arguments.get("num_words") or 1000
            maxlen = bound.arguments.get("maxlen") or 120
            rows = [rng.integers(1, top, rng.integers(5, maxlen)).tolist() for _ in range(samples)]
            x = np.empty(samples, dtype=object)
            x[:] = rows
            return x, rng.integers(0, classes, samples)
        if classes == 0:  # regression
            return rng.random((samples, *item)), rng.random(samples) * 50
        x = rng.integers(0, 256, (samples, *item), dtype=np.uint8)
        return x, rng.integers(0, classes, (samples, *label_shape), dtype=np.uint8)

    def load_data(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        return part(bound, train), part(bound, test)

    return load_data


def install_fake_datasets() -> None:
    for name in _DATASETS:
        module = importlib.import_module(f"keras.datasets.{name}")
        module.load_data = _fake_loader(name, module.load_data)  # type: ignore[attr-defined]


_created: list[keras.Model] = []
_original_init = keras.Model.__init__


_KERAS_DIR = os.path.dirname(keras.__file__) + os.sep


def _made_by_keras() -> bool:
    """Whether the model being initialised was made by Keras itself rather than by the script:
    a Sequential makes a functional model of its layers at every ``add`` (kept as
    ``_functional``). Past the chain of constructors (``__init__``/``__new__`` inside Keras),
    the caller is the script's code, or Keras's."""
    frame = sys._getframe(2)  # the caller of _recording_init
    while frame is not None and frame.f_code.co_name in ("__init__", "__new__"):
        if not frame.f_code.co_filename.startswith(_KERAS_DIR):
            return False  # a subclass of keras.Model in the script
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename.startswith(_KERAS_DIR)


def _recording_init(self: keras.Model, *args: Any, **kwargs: Any) -> None:
    # A functional model passes through Model.__init__ more than once: keep the first.
    if not any(model is self for model in _created) and not _made_by_keras():
        _created.append(self)
    _original_init(self, *args, **kwargs)


def _outputs(model: keras.Model) -> list[Dims] | None:
    try:
        tensors = model.outputs
    except (AttributeError, ValueError):
        return None
    if not tensors:
        return None
    # The batch axis is the model's dynamic one: a Sequential that Keras 3 built from the first
    # batch it saw records that batch's size there, which is no property of the model.
    return [[None, *(None if d is None else int(d) for d in t.shape[1:])] for t in tensors]


def _params(model: keras.Model) -> int | None:
    try:
        return int(model.count_params())
    except ValueError:  # not built
        return None


def _describe(model: keras.Model, names: dict[int, str]) -> dict[str, Any]:
    return {
        "name": names.get(id(model)),
        "class": type(model).__name__,
        "outputs": _outputs(model),
        "params": _params(model),
    }


def run(path: str, models: bool, timeout: int) -> dict[str, Any]:
    _created.clear()
    # Our own namespace rather than runpy's, so that the names are still there when it raised.
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__file__": path,
        "__builtins__": __builtins__,
    }
    error = None
    signal.alarm(timeout)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            with open(path, encoding="utf-8") as handle:
                code = compile(handle.read(), path, "exec")
            exec(code, namespace)
    except Exception as exc:  # what the script raised is the result
        error = f"{type(exc).__name__}: {str(exc)[:300]}"
    except SystemExit as exc:  # a script may call sys.exit()
        error = None if exc.code in (None, 0) else f"SystemExit: {exc.code}"
    finally:
        signal.alarm(0)
    found: dict[str, Any] = {"error": error}
    if models:
        names: dict[int, str] = {}
        for name in sorted(namespace):
            if isinstance(namespace[name], keras.Model):
                names.setdefault(id(namespace[name]), name)
        found["models"] = [_describe(model, names) for model in _created]
    return found


class ScriptTimeout(Exception):
    """The script ran longer than --timeout seconds (an endless generator, say)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise ScriptTimeout("the script ran for longer than its time limit")


def main(argv: list[str]) -> None:
    models = "--models" in argv
    timeout = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--timeout=")), 300)
    signal.signal(signal.SIGALRM, _on_alarm)
    if "--tf-alias" in argv:
        install_tf_alias()
    if "--fake-datasets" in argv:
        install_fake_datasets()
    if models:
        keras.Model.__init__ = _recording_init  # type: ignore[method-assign]
    paths = [arg for arg in argv if not arg.startswith("--")]
    outcome = {path: run(path, models, timeout) for path in paths}
    out = next((a.split("=", 1)[1] for a in argv if a.startswith("--out=")), None)
    if out is None:
        print(json.dumps(outcome))
    else:  # a thread a stopped script left running may still print to stdout
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(outcome, handle)
    sys.stdout.flush()
    # Threads a script started (data loaders of a fit stopped by the time limit) must not keep
    # this Python alive.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
