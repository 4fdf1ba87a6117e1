"""Header metadata of ``examples/*.py``.

Each example starts with comment lines such as::

    # expect: TDL001, TDL003     (or: # expect: clean)
    # keras: 3                 (1 or 2 for old-API examples the oracle does not run)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"#\s*(expect|keras)\s*:\s*(.*?)\s*$")
_CODE = re.compile(r"TDL\d{3}")


@dataclass(frozen=True)
class ExampleMeta:
    expect: frozenset[str]
    keras: int


def _parse_expect(value: str, path: Path) -> frozenset[str]:
    if value.lower() == "clean":
        return frozenset()
    codes = frozenset(code.strip().upper() for code in value.split(","))
    bad = sorted(code for code in codes if not _CODE.fullmatch(code))
    if bad:
        raise ValueError(f"{path}: bad code(s) in '# expect:' header: {', '.join(bad)}")
    return codes


def read_meta(path: Path) -> ExampleMeta:
    """Parse the ``# expect:`` and ``# keras:`` headers of an example file."""
    headers: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if match:
            headers.setdefault(match.group(1), match.group(2))
    missing = [key for key in ("expect", "keras") if key not in headers]
    if missing:
        raise ValueError(f"{path}: missing header(s): {', '.join(f'# {k}:' for k in missing)}")
    if headers["keras"] not in ("1", "2", "3"):
        raise ValueError(f"{path}: '# keras:' must be 1, 2 or 3, got {headers['keras']!r}")
    return ExampleMeta(expect=_parse_expect(headers["expect"], path), keras=int(headers["keras"]))
