"""tdlint's build backend: setuptools' own, with its scratch folders out of the source tree.

`pip install .` builds in the checkout (pip 21.3 and later), and setuptools leaves two
folders there, `build/` and `tdlint.egg-info/` (pypa/setuptools#4198). Every hook below runs
setuptools' hook of the same name with those two folders inside a temporary folder, named in
a distutils configuration file that the ``DIST_EXTRA_CONFIG`` variable points to, and removes
the temporary folder afterwards. Nothing else changes: the wheel and the sdist are setuptools'.

An editable install in setuptools' "strict" mode keeps a tree of links under ``build/`` for
as long as it is installed: that one is left where setuptools puts it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from setuptools import build_meta as _setuptools

_CONFIG = "DIST_EXTRA_CONFIG"


@contextmanager
def _scratch_outside_the_tree() -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="tdlint-build-") as scratch:
        config = os.path.join(scratch, "setup.cfg")
        build = os.path.join(scratch, "build")
        with open(config, "w", encoding="utf-8") as handle:
            # "%" would start an interpolation when distutils reads the file.
            handle.write(
                f"[build]\nbuild_base = {build.replace('%', '%%')}\n"
                f"[egg_info]\negg_base = {scratch.replace('%', '%%')}\n"
            )
        previous = os.environ.get(_CONFIG)
        os.environ[_CONFIG] = config
        try:
            yield
        finally:
            if previous is None:
                del os.environ[_CONFIG]
            else:
                os.environ[_CONFIG] = previous


def _outside_the_tree(hook: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        with _scratch_outside_the_tree():
            return hook(*args, **kwargs)

    run.__name__ = hook.__name__
    run.__doc__ = hook.__doc__
    return run


def _strict_editable(config_settings: dict[str, Any] | None) -> bool:
    return str((config_settings or {}).get("editable_mode", "")).lower() == "strict"


get_requires_for_build_wheel = _outside_the_tree(_setuptools.get_requires_for_build_wheel)
get_requires_for_build_sdist = _outside_the_tree(_setuptools.get_requires_for_build_sdist)
get_requires_for_build_editable = _outside_the_tree(_setuptools.get_requires_for_build_editable)
prepare_metadata_for_build_wheel = _outside_the_tree(_setuptools.prepare_metadata_for_build_wheel)
prepare_metadata_for_build_editable = _outside_the_tree(
    _setuptools.prepare_metadata_for_build_editable
)
build_wheel = _outside_the_tree(_setuptools.build_wheel)
build_sdist = _outside_the_tree(_setuptools.build_sdist)


def build_editable(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    if _strict_editable(config_settings):
        return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    with _scratch_outside_the_tree():
        return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
