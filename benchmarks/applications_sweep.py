"""Every ``keras.applications`` backbone tdlint knows, against real Keras 3, over many inputs.

    KERAS_BACKEND=numpy python benchmarks/applications_sweep.py
    KERAS_BACKEND=numpy python benchmarks/applications_sweep.py --models ResNet50,VGG16
    KERAS_BACKEND=numpy python benchmarks/applications_sweep.py --sizes 32:100 --dynamic

For each model, Keras builds (``weights=None``) and tdlint reads statically:

* ``include_top=False`` for every height in ``--sizes``, with the width one more (so both
  parities of both axes are seen), and on one channel with ``pooling="avg"``;
* ``include_top=True`` with ``classes=7`` at the default input size, and on 2 channels;
* with ``--dynamic``, ``include_top=False`` with no ``input_shape`` (slow for some models).

A case matches when tdlint gives Keras's output shape and parameter count, or, where Keras
refuses the arguments, no shape at all. It prints one line per model and every mismatch,
and exits 1 if there is any. Building the large models takes minutes on a small machine;
tests/test_applications_oracle.py checks a sample on every test run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KERAS_BACKEND", "numpy")

from tdlint.api import infer_shapes  # noqa: E402
from tdlint.keras.applications import BACKBONES  # noqa: E402
from tdlint.keras.shapes import shape_to_json  # noqa: E402

DEFAULT_SIZES = [*range(32, 72), 75, 96, 127, 160, 199, 224, 255, 299, 331]


def parse_sizes(text: str) -> list[int]:
    if ":" in text:
        low, high = text.split(":")
        return list(range(int(low), int(high)))
    return [int(s) for s in text.split(",")]


def cases(name: str, sizes: list[int], dynamic: bool) -> list[str]:
    """The constructor arguments to try, as code."""
    found = [f"include_top=False, input_shape=({h}, {h + 1}, 3)" for h in sizes]
    size = BACKBONES[name].default_size
    found.append(f"include_top=False, pooling='avg', input_shape=({size}, {size}, 1)")
    found.append("include_top=True, classes=7")
    found.append(f"include_top=True, classes=7, input_shape=({size}, {size}, 2)")
    if dynamic:
        found.append("include_top=False")
    return found


def keras_result(keras: object, name: str, arguments: str) -> tuple[object, object]:
    """Keras's output shape and parameter count, or (None, None) where it refuses."""
    constructor = getattr(keras.applications, name)  # type: ignore[attr-defined]
    try:
        model = eval(f"constructor(weights=None, {arguments})", {"constructor": constructor})
    except Exception:
        return None, None
    finally:
        keras.backend.clear_session()  # type: ignore[attr-defined]
    return [None if d is None else int(d) for d in model.output_shape], model.count_params()


def tdlint_result(name: str, arguments: str) -> tuple[object, object]:
    source = f"import keras\nmodel = keras.applications.{name}(weights=None, {arguments})\n"
    (summary,) = [m for m in infer_shapes(source) if m.model == "model"]
    return shape_to_json(summary.outputs[0]), summary.params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", help="comma-separated names (default: all)")
    parser.add_argument("--sizes", help="heights: LOW:HIGH or a comma-separated list")
    parser.add_argument("--dynamic", action="store_true", help="also no input_shape")
    options = parser.parse_args(argv)
    names = options.models.split(",") if options.models else list(BACKBONES)
    sizes = parse_sizes(options.sizes) if options.sizes else DEFAULT_SIZES
    warnings.simplefilter("ignore")
    import keras

    mismatches = 0
    for name in names:
        start = time.perf_counter()
        tried = 0
        for arguments in cases(name, sizes, options.dynamic):
            tried += 1
            want = keras_result(keras, name, arguments)
            got = tdlint_result(name, arguments)
            if got != want:
                mismatches += 1
                print(f"  {name}({arguments}): tdlint {got}, keras {want}")
        print(f"{name}: {tried} cases, {time.perf_counter() - start:.0f} s", flush=True)
    print(f"{mismatches} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
