"""Fuzzing tdlint: three input generators, one set of properties.

    python fuzz/fuzz.py --minutes 10 --seed 0     # the long run: worker processes, fresh seeds
    python fuzz/fuzz.py --replay FILE [--select ALL] [--keras-version 1.1]
    python fuzz/fuzz.py --reduce FILE [...]       # shrink a saved input, keeping its failure

Generators (each deterministic from a seed):

* ``hypothesmith``: Hypothesis + hypothesmith programs (``from_grammar()``, and in the long run
  now and then ``from_node()``) between a Keras import and, sometimes, a small model.
* ``mutation``: byte and line edits of ``examples/*.py`` and of the rules' VALID/INVALID
  examples (delete/duplicate/swap lines, truncate, splice, random bytes incl. NUL, brackets,
  numbers to 0/-1/huge, commas, layer and keyword names, noqa comments, line endings,
  encodings, nesting...). Some mutants are also written raw to a folder that the CLI checks.
* ``models``: random Keras model programs from a hostile builder: Sequential, functional,
  subclassed and helper-function models of random layers with random arguments (wrong ranks,
  None dims, zero/negative/huge values, unknown names, ``*args``/``**kwargs``, loops...).

Properties of every input (``check_input``):

* ``tdlint.api.check_source`` and ``tdlint.api.infer_shapes`` never raise (and the summaries
  serialise to JSON);
* no rule raises: the engine turns a rule's exception into ``FileResult.error`` ("internal
  error in TDL...") rather than raising, which would hide it, so it is a failure here too;
* ``tdlint.fixes.fix_source(..., unsafe=True)`` raises nothing but ``FixError`` (counted: a
  fix rejected by its own verification), its source parses, and fixing that source again
  applies nothing;
* nothing takes longer than ``--timeout`` seconds.

The CLI (``python -m tdlint check DIR``) on a folder of raw mutants never prints a
traceback, exits 0, 1 or 2, and reports no internal error.

Failing inputs are saved to ``fuzz/crashes/`` (one per failure signature, the smallest kept),
with a ``.txt`` beside each saying which property failed and the traceback.
``tests/test_fuzz.py`` runs a short deterministic slice of each generator in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CRASH_DIR = Path(__file__).resolve().parent / "crashes"
FILENAME = "fuzz_input.py"
DEFAULT_TIMEOUT = 5.0  # seconds per input before it counts as a hang
SLOW = 2.0  # seconds: counted, not a failure
MEMORY_GB = 3.0  # more memory an input may take before it counts as a MemoryError
FUZZERS = ("hypothesmith", "mutation", "models")
KERAS_VERSIONS = (None, None, None, "1.0", "1.1", "1.2", "1", "2", "3")


# ====================================================================== properties


# tdlint's own per-file time limit (its FileTimeout is a BaseException: no
# ``except Exception`` in tdlint swallows it). tdlint is installed (editable) beside this.
from tdlint.guard import FileTimeout as InputTimeout  # noqa: E402
from tdlint.guard import time_limit  # noqa: E402


@contextlib.contextmanager
def memory_limit(extra_gb: float | None) -> Iterator[None]:
    """Cap the address space at its current size plus ``extra_gb`` for the block, so that a
    runaway allocation raises MemoryError rather than waking the OOM killer."""
    try:
        import resource

        with open("/proc/self/statm") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + int((extra_gb or 0) * 1024**3)
        if not extra_gb or (hard != resource.RLIM_INFINITY and limit > hard):
            raise ValueError("no limit to set")
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@dataclass(frozen=True)
class Options:
    """How tdlint is asked: the rule selection (None: the default) and the Keras version."""

    select: tuple[str, ...] | None = None
    keras_version: str | None = None

    def describe(self) -> str:
        parts = []
        if self.select:
            parts.append("select=" + ",".join(self.select))
        if self.keras_version:
            parts.append(f"keras_version={self.keras_version}")
        return " ".join(parts) or "default"

    @classmethod
    def random(cls, rng: random.Random) -> Options:
        select = ("ALL",) if rng.random() < 0.5 else None
        return cls(select, rng.choice(KERAS_VERSIONS))


@dataclass(frozen=True)
class Failure:
    prop: str  # which property failed, in words
    detail: str  # the traceback, or what was wrong
    signature: str  # the same bug gives the same signature (for saving one input per bug)


@dataclass
class Outcome:
    failures: list[Failure] = field(default_factory=list)
    fix_rejected: str | None = None  # the FixError message, when fix_source rejected a fix
    applied: int = 0
    seconds: float = 0.0


def _where(exc: BaseException) -> str:
    """The innermost frame in tdlint's own code (else the innermost frame) of a traceback,
    but for the time limit's signal handler (where every timeout is raised)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.name != "expire"]
    ours = [f for f in frames if "/tdlint/" in f.filename.replace(os.sep, "/")]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    path = frame.filename.replace(os.sep, "/")
    path = path[path.rfind("/tdlint/") + 1 :] if "/tdlint/" in path else Path(path).name
    return f"{path}:{frame.lineno}"


def _exception_failure(prop: str, exc: BaseException) -> Failure:
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Failure(prop, detail, f"{prop} | {type(exc).__name__} | {_where(exc)}")


def _internal_error_failures(error: str | None, where: str) -> list[Failure]:
    """``FileResult.error`` of the engine: "internal error in TDL001: KeyError: 'x'; ..."."""
    failures = []
    for part in (error or "").split("; "):
        match = re.match(r"internal error in (\w+): (\w+)", part)
        if match or "internal error" in part:
            key = f"{match.group(1)} {match.group(2)}" if match else part[:60]
            failures.append(
                Failure(
                    "a rule raised (the engine swallowed it into FileResult.error)",
                    f"{where}: {part}",
                    f"internal error | {key}",
                )
            )
    return failures


def check_input(
    source: str,
    options: Options = Options(),  # noqa: B008 - frozen
    filename: str = FILENAME,
    timeout: float | None = DEFAULT_TIMEOUT,
    memory_gb: float | None = MEMORY_GB,
) -> Outcome:
    """Run every property on one source, each API call within ``timeout`` seconds, all within
    ``memory_gb`` more memory; never raises (but for KeyboardInterrupt)."""
    started = time.perf_counter()
    outcome = Outcome()
    with memory_limit(memory_gb):
        _check(source, options, filename, outcome, timeout)
    outcome.seconds = time.perf_counter() - started
    return outcome


class _Step:
    """One API call: an exception (or ``InputTimeout``) becomes a failure of that call."""

    def __init__(self, outcome: Outcome, timeout: float | None) -> None:
        self.outcome = outcome
        self.timeout = timeout

    def __call__(self, name: str, call: Callable[[], object], prop: str = "") -> tuple[bool, Any]:
        try:
            with time_limit(self.timeout):
                return True, call()
        except InputTimeout as exc:
            detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            signature = f"timeout | {name} | {_where(exc)}"
            failure = Failure(f"{name} took longer than {self.timeout:g} s", detail, signature)
        except Exception as exc:
            failure = _exception_failure(prop or f"{name} raised", exc)
        self.outcome.failures.append(failure)
        return False, None


def _check(
    source: str, options: Options, filename: str, outcome: Outcome, timeout: float | None
) -> None:
    import libcst as cst

    from tdlint import api, engine
    from tdlint.config import Selection
    from tdlint.fixes import FixError, apply_edits, fix_source
    from tdlint.guard import too_deep_to_parse

    step = _Step(outcome, timeout)
    failures = outcome.failures
    version = options.keras_version
    step(
        "check_source",
        lambda: api.check_source(source, filename, select=options.select, keras_version=version),
    )
    step(
        "infer_shapes",
        lambda: json.dumps([s.to_json() for s in api.infer_shapes(source, filename)]),
    )

    selection = Selection.from_options(options.select)

    def fix(text: str) -> Any:
        try:
            return fix_source(text, filename, selection, unsafe=True, keras_version=version)
        except FixError as exc:
            return exc

    if "noqa" in source.lower():
        # TDL900's fix only deletes suppression comments: the code around them must not change.
        ok, result = step(
            "check_source (all rules)",
            lambda: engine.check_source(source, filename, Selection.from_options(["ALL"]), version),
        )
        unused = [d for d in result.diagnostics if d.code == "TDL900" and d.fix] if ok else []
        if unused:
            removed, _ = apply_edits(source, unused)
            before, after = _code_tokens(source), _code_tokens(removed)
            if before is not None and before != after:
                failures.append(
                    Failure(
                        "the TDL900 fix (remove unused noqa) changed code, not only comments",
                        f"--- before ---\n{source}\n--- after ---\n{removed}",
                        "fix changed code | TDL900",
                    )
                )

    ok, first = step("fix_source", lambda: fix(source), "fix_source raised (not FixError)")
    if not ok:
        return
    if isinstance(first, FixError):
        outcome.fix_rejected = str(first)
        ok, result = step(
            "check_source", lambda: engine.check_source(source, filename, selection, version)
        )
        if ok:
            failures.extend(_internal_error_failures(result.error, "check"))
        return
    outcome.applied = first.applied
    failures.extend(_internal_error_failures(first.result.error, "check"))
    if first.applied == 0:
        return
    fixed = first.source
    if too_deep_to_parse(fixed) is not None:  # never hand LibCST what could crash it
        failures.append(Failure("fixed source too deep to parse", fixed, "fix | too deep to parse"))
        return
    ok, _ = step(
        "parse of the fixed source", lambda: cst.parse_module(fixed), "fixed source does not parse"
    )
    if not ok:
        return
    ok, second = step(
        "fix_source of the fixed source",
        lambda: fix(fixed),
        "fix not idempotent: fixing the fix raised",
    )
    if not ok:
        return
    if isinstance(second, FixError):
        failures.append(
            Failure(
                "fix not idempotent: fixing the fixed source raised FixError",
                f"{second}\n--- fixed once ---\n{fixed}",
                "fix not idempotent | FixError",
            )
        )
        return
    failures.extend(_internal_error_failures(second.result.error, "check of the fixed source"))
    if second.applied:
        codes = sorted({d.code for d in second.result.diagnostics})
        detail = (
            f"fixing the fixed source applied {second.applied} more fix(es)\n"
            f"--- fixed once ---\n{fixed}\n--- fixed twice ---\n{second.source}"
        )
        failures.append(Failure("fix not idempotent", detail, f"fix not idempotent | {codes}"))


def _code_tokens(text: str) -> list[tuple[int, str]] | None:
    """The tokens of a source but for comments and line structure (None: not tokenizable)."""
    import io
    import tokenize

    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    return [(t.type, t.string) for t in tokens if t.type not in skip | {tokenize.ENDMARKER}]


def failure_report(outcome: Outcome) -> str:
    """A readable assertion message."""
    return "\n\n".join(f"{f.prop}\n{f.detail}" for f in outcome.failures)


# ====================================================================== hypothesmith

PREFIXES = (
    "import keras\n",
    "from keras import layers\n",
    "from keras.layers import Dense, LSTM, TimeDistributed, Flatten, Reshape\n",
    "import tensorflow as tf\nfrom tensorflow import keras\n",
    "from keras.models import Sequential\nfrom keras.layers import *\n",
)
SUFFIXES = (
    "",
    "",
    "model = keras.Sequential([keras.layers.LSTM(8, return_sequences=True, "
    "input_shape=(5, 3)), keras.layers.Dense(2)])\n",
    "x = keras.Input(shape=(4, 4))\ny = keras.layers.Dense(3)(x)\nm = keras.Model(x, y)\n",
    "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n",
)


def program_strategy(node: bool = False):  # -> a hypothesis strategy (imported lazily)
    """hypothesmith programs between a Keras import and, sometimes, a small model."""
    import hypothesmith
    from hypothesis import strategies as st

    body = hypothesmith.from_node() if node else hypothesmith.from_grammar()
    return st.builds(
        lambda prefix, program, suffix: prefix + program + ("\n" + suffix if suffix else ""),
        st.sampled_from(PREFIXES),
        body,
        st.sampled_from(SUFFIXES),
    )


# ====================================================================== mutation


def _layer_params() -> dict[str, tuple[str, ...]]:
    """Every layer tdlint knows, with its positional parameters (from the catalogue)."""
    try:
        from tdlint.keras.catalogue import all_layer_names, lookup

        return {name: tuple(lookup(name).params) for name in sorted(all_layer_names())}
    except Exception:  # the catalogue moved: a fixed list still fuzzes
        names = ("Dense", "LSTM", "GRU", "Conv1D", "Conv2D", "Flatten", "Reshape", "Embedding")
        return {name: () for name in names}


LAYERS = _layer_params()
LAYER_NAMES = tuple(LAYERS)
RNN_LAYERS = ("LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM1D", "ConvLSTM2D")
_CORE = (
    "Dense TimeDistributed Bidirectional Flatten Reshape Conv1D Conv2D MaxPooling1D "
    "MaxPooling2D GlobalAveragePooling1D GlobalMaxPooling2D Embedding RepeatVector Dropout "
    "BatchNormalization Permute TimeDistributedDense Activation Concatenate Add "
    "UpSampling2D ZeroPadding1D Cropping2D LayerNormalization MultiHeadAttention"
)
CORE_LAYERS = RNN_LAYERS[:3] + tuple(_CORE.split())
UNKNOWN_LAYERS = ("Dence", "NotALayer", "dense", "lstm", "Model", "Sequential", "Input", "Layer")
_KEYWORDS = (
    "units filters kernel_size pool_size strides padding data_format activation "
    "return_sequences return_state input_shape batch_input_shape input_dim output_dim "
    "input_length batch_size target_shape dims axis axes n rate layer merge_mode use_bias "
    "num_heads key_dim size cropping dilation_rate groups depth_multiplier name dtype shape "
    "batch_shape inputs outputs init nb_filter nb_row border_mode dim_ordering subsample "
    "unknown_kw"
)
KEYWORDS = tuple(_KEYWORDS.split())
NUMBERS = (
    b"0",
    b"-1",
    b"1",
    b"-0",
    b"10**30",
    b"2**63",
    b"99999999999999999999999999",
    b"1e308",
    b"1e400",
    b"0.5",
    b"-7",
    b"None",
    b"3.0",
    b"0x10",
    b"1_000",
    b"True",
    b"(-1)",
    b"-(2**64)",
)
NOQA = (
    b"  # noqa",
    b"  # noqa: TDL001",
    b"  # noqa: TDL001, TDL101",
    b"  # noqa:TDL1,XX9",
    b"  # NOQA: tdl101",
    b"  # noqa: E501",
    b"  # noqa: TDL900",
    b"# tdlint: noqa",
    b"  # noqa: TDL999",
)
RANDOM_BYTES = (
    b"\x00",
    b"\xff",
    b"\xfe",
    b"\r",
    b"\n",
    b"\x0c",
    b"\t",
    b"\\",
    b"'",
    b'"',
    b'"""',
    b"#",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b",",
    b";",
    b"=",
    b"*",
    b"**",
    b"@",
    b" ",
    b"\xe2\x80\xa8",
    b"\xef\xbb\xbf",
    b"\x1a",
    b"\xc3\xa9",
    b"\xe2\x88\x9e",
    b"lambda",
    b"yield",
    b"await ",
    b"async ",
    b"del ",
    b"return ",
)
COOKIES = (
    b"# -*- coding: latin-1 -*-\n",
    b"# coding: utf-16\n",
    b"# coding: bogus\n",
    b"# vim: set fileencoding=cp1252 :\n",
    b"# coding: utf-8\n",
    b"#!/usr/bin/env python\n# coding=ascii\n",
)
BRACKETS = b"()[]{}"


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _pick_match(rng: random.Random, pattern: bytes, data: bytes) -> re.Match[bytes] | None:
    matches = list(re.finditer(pattern, data))
    return rng.choice(matches) if matches else None


def _replace(data: bytes, match: re.Match[bytes], new: bytes, group: int = 0) -> bytes:
    return data[: match.start(group)] + new + data[match.end(group) :]


def m_delete_line(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    lines = _lines(data)
    if lines:
        del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def m_duplicate_line(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    lines = _lines(data)
    if lines:
        i = rng.randrange(len(lines))
        count = rng.choice((1, 1, 2, 5, 100)) if rng.random() < 0.9 else rng.randint(200, 800)
        lines[i:i] = [lines[i]] * count
    return b"".join(lines)


def m_swap_lines(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def m_move_line(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        line = lines.pop(rng.randrange(len(lines)))
        lines.insert(rng.randrange(len(lines) + 1), line)
    return b"".join(lines)


def m_truncate(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def m_splice(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    other = rng.choice(corpus)
    if rng.random() < 0.5:  # at line boundaries
        a, b = _lines(data), _lines(other)
        return b"".join(a[: rng.randint(0, len(a))] + b[rng.randint(0, len(b)) :])
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)) :]


def m_insert_bytes(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    pos = rng.randint(0, len(data))
    if rng.random() < 0.3:
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    else:
        junk = b"".join(rng.choice(RANDOM_BYTES) for _ in range(rng.randint(1, 4)))
    return data[:pos] + junk + data[pos:]


def m_brackets(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    match = _pick_match(rng, rb"[()\[\]{}]", data)
    choice = rng.random()
    if match is None or choice < 0.2:
        pos = rng.randint(0, len(data))
        return data[:pos] + bytes([rng.choice(BRACKETS)]) + data[pos:]
    if choice < 0.5:
        return _replace(data, match, b"")
    return _replace(data, match, bytes([rng.choice(BRACKETS)]))


def m_number(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    match = _pick_match(rng, rb"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", data)
    return data if match is None else _replace(data, match, rng.choice(NUMBERS))


def m_comma(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    if rng.random() < 0.7:
        match = _pick_match(rng, rb",", data)
        return data if match is None else _replace(data, match, b"")
    match = _pick_match(rng, rb"[\w)\]]", data)  # a stray comma: a tuple where none was
    return data if match is None else data[: match.end()] + b"," + data[match.end() :]


def m_layer_name(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    match = _pick_match(rng, rb"\b[A-Z]\w*(?=\()", data)
    if match is None:
        return data
    name = rng.choice(LAYER_NAMES if rng.random() < 0.85 else UNKNOWN_LAYERS)
    return _replace(data, match, name.encode())


def m_keyword(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    match = _pick_match(rng, rb"\b(\w+)=(?!=)([^,()\[\]\n]*)", data)
    if match is None:
        return data
    choice = rng.random()
    if choice < 0.4:
        return _replace(data, match, rng.choice(KEYWORDS).encode(), 1)
    if choice < 0.8:
        value = rng.choice((b"True", b"False", b"None", b"'same'", b"'channels_first'", b"x"))
        return _replace(data, match, value, 2)
    extra = rng.choice((b"**kwargs, ", b"*args, ", b"**{'units': 3}, ", b"*[], "))
    return data[: match.start()] + extra + data[match.start() :]


def m_noqa(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    lines = _lines(data) or [b""]
    i = rng.randrange(len(lines))
    line = lines[i]
    body = line.rstrip(b"\r\n")
    lines[i] = body + rng.choice(NOQA) + line[len(body) :]
    return b"".join(lines)


def m_line_endings(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    new = rng.choice((b"\r\n", b"\r", b"\n\n", b"\\\n", b" \n"))
    if rng.random() < 0.5:
        return data.replace(b"\n", new)
    match = _pick_match(rng, rb"\n", data)
    return data if match is None else _replace(data, match, new)


def m_indent(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    lines = _lines(data)
    if not lines:
        return data
    i = rng.randrange(len(lines))
    choice = rng.random()
    if choice < 0.4:
        lines[i] = rng.choice((b" ", b"    ", b"\t", b"\x0c")) + lines[i]
    elif choice < 0.8:
        lines[i] = lines[i].lstrip(b" \t")
    else:
        lines = [line.replace(b"    ", b"\t") for line in lines]
    return b"".join(lines)


def m_encoding(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    choice = rng.random()
    if choice < 0.3:
        return b"\xef\xbb\xbf" + data
    if choice < 0.8:
        return rng.choice(COOKIES) + data
    try:
        return data.decode("utf-8").encode(rng.choice(("utf-16", "latin-1", "utf-32")), "replace")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return data


def m_snippet(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    lines = _lines(data)
    i = rng.randint(0, len(lines))
    indent = re.match(rb"[ \t]*", lines[i - 1]).group() if i and lines else b""
    snippet = rng.choice(HOSTILE_STATEMENTS).encode()
    block = b"".join(indent + line + b"\n" for line in snippet.split(b"\n"))
    return b"".join(lines[:i]) + block + b"".join(lines[i:])


def m_nesting(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    """Moderate nesting: deep for the analysis, far below what could crash LibCST's parser."""
    match = _pick_match(rng, rb"(?<![\w.])\d+(?![\w.])", data)
    if match is None:
        return data
    choice = rng.random()
    k = rng.choice((20, 100, 199, 201, 300, 450))
    if choice < 0.4:
        new = b"(" * k + match.group() + b")" * k
    elif choice < 0.7:
        new = b"-" * k + match.group()
    elif choice < 0.85:
        new = b" + ".join([match.group()] * rng.choice((100, 1000, 3000)))
    else:
        new = b"[" * k + match.group() + b"]" * k
    return _replace(data, match, new)


MUTATORS: tuple[Callable[[random.Random, bytes, list[bytes]], bytes], ...] = (
    m_delete_line,
    m_duplicate_line,
    m_swap_lines,
    m_move_line,
    m_truncate,
    m_splice,
    m_insert_bytes,
    m_brackets,
    m_number,
    m_number,
    m_comma,
    m_layer_name,
    m_keyword,
    m_keyword,
    m_noqa,
    m_line_endings,
    m_indent,
    m_encoding,
    m_snippet,
    m_snippet,
    m_nesting,
)


def mutate(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        data = rng.choice(MUTATORS)(rng, data, corpus)
    return data


def seed_corpus() -> list[bytes]:
    """examples/*.py and every rule's VALID and INVALID examples (and their fixed forms)."""
    from tdlint.rules import ALL_RULES

    corpus = [path.read_bytes() for path in sorted((ROOT / "examples").glob("*.py"))]
    for rule in ALL_RULES:
        corpus.extend(source.encode() for source in rule.VALID)
        for invalid in rule.INVALID:
            corpus.append(invalid.source.encode())
            if invalid.fixed:
                corpus.append(invalid.fixed.encode())
    return corpus


def mutants(seed: int, count: int, corpus: list[bytes] | None = None) -> Iterator[bytes]:
    corpus = corpus or seed_corpus()
    rng = random.Random(seed)
    for _ in range(count):
        yield mutate(rng, rng.choice(corpus), corpus)


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------- the CLI on a folder

CLI_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("check",),
    ("check", "--output-format", "json"),
    ("check", "--output-format", "sarif"),
    ("check", "--output-format", "github"),
    ("check", "--output-format", "junit"),
    ("check", "--output-format", "gitlab"),
    ("check", "--output-format", "concise", "--statistics"),
    ("check", "--select", "ALL", "--show-fixes", "--fix", "--unsafe-fixes"),
    ("check", "--diff", "--unsafe-fixes"),
    ("check", "--add-noqa"),
    ("check", "--keras-version", "1.1", "--select", "ALL"),
    ("check", "--no-cache", "--color", "always"),
    ("shapes",),
    ("shapes", "--output-format", "json"),
)


@dataclass(frozen=True)
class CliRun:
    args: tuple[str, ...]
    returncode: int | None
    stdout: str
    stderr: str

    def problems(self) -> list[str]:
        found = []
        if self.returncode is None:
            found.append("the CLI did not finish in time")
        elif self.returncode not in (0, 1, 2):
            found.append(f"the CLI exited {self.returncode}")
        if "Traceback" in self.stdout or "Traceback" in self.stderr:
            found.append("the CLI printed a traceback")
        if "internal error" in self.stderr:
            found.append("the CLI reported an internal error")
        return found


def write_mutants(folder: Path, batch: list[bytes], rng: random.Random) -> list[Path]:
    """Write raw mutants as files; a few as notebooks (their text as one code cell)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, data in enumerate(batch):
        if rng.random() < 0.1:
            cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": decode(data)}
            text = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4}).encode()
            path = folder / f"mutant_{i:03d}.ipynb"
            path.write_bytes(text if rng.random() < 0.8 else mutate(rng, text, [text]))
        else:
            path = folder / f"mutant_{i:03d}.py"
            path.write_bytes(data)
        paths.append(path)
    return paths


def run_cli(args: tuple[str, ...], target: Path, cwd: Path, timeout: float = 600) -> CliRun:
    command = [sys.executable, "-m", "tdlint", *args, str(target)]
    try:
        done = subprocess.run(
            command, capture_output=True, cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace")
        err = (exc.stderr or b"").decode(errors="replace")
        return CliRun(args, None, out, err)
    return CliRun(
        args,
        done.returncode,
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
    )


def cli_culprits(args: tuple[str, ...], pristine: list[Path], work: Path) -> list[Path]:
    """The files that make the CLI fail on their own (it failed on the whole folder)."""
    found = []
    for path in pristine:
        single = work / path.stem
        single.mkdir(parents=True, exist_ok=True)
        copy = single / path.name
        shutil.copyfile(path, copy)
        if run_cli(args, copy, cwd=single, timeout=300).problems():
            found.append(path)
    return found


# ====================================================================== models


HOSTILE_STATEMENTS = (
    "n = 2\nfor _ in range(64):\n    n = n * n",
    "N = range(10**30)",
    "N = len(range(10**30))",
    "n = 10**30\nn = n * n * n * n",
    "s = 'a' * 10**9",
    "shape = (None,) * 10**6",
    "shape = (4,) * 64 * 64",
    "t = tuple(range(10000))",
    "t = sum(range(10**6))",
    "x = x",
    "del x",
    "x = x[:, 0]",
    "x = x[..., None]",
    "x = x[::-1, 1:2, None]",
    "x = keras.ops.reshape(x, (-1,))",
    "model = model.layers[0]",
    "model.add(model)",
    "model.summary()\nmodel.compile(loss='mse', optimizer='adam')",
    "while True:\n    model.add(Dense(1))\n    break",
    "global model",
    "model: keras.Model = None",
    "keras = None",
    "import keras as layers",
    "def f(x):\n    return f(x)\nx = f(x)",
    "def g(x):\n    return h(x)\ndef h(x):\n    return g(x)\nx = g(x)",
    "x = layers.Reshape(x.shape[1:])(x)",
    "x = layers.Dense(len(x.shape))(x)",
    "x = layers.Dense(x.shape[-1] * 10**20)(x)",
    "layer = layers.Dense(3)\nx = layer(layer(x))",
    "x = layers.Lambda(lambda t: t)(x)",
    "x, y = x",
    "x = [x, x]",
    "x = layers.Concatenate()(x)",
    "x = layers.add([x, x, x])",
    "x = int('9' * 5000)",
    "x = float('inf')\ny = int(x)",
    "x = round(1e308, -400)",
    "x = min()\ny = max([])",
    "x = dict(**x)",
    "x = {**x}",
    "for i in range(64):\n    for j in range(64):\n        x = layers.Dense(i * j + 1)(x)",
    "for x in x:\n    pass",
    "x = [layers.Dense(i) for i in range(10**9)]",
    "x = (layers.Dense(i) for i in range(-5, 5))",
    "if x:\n    x = 1\nelse:\n    x = layers.Flatten()(x)",
    "try:\n    x = layers.Dense(3)(x)\nexcept Exception:\n    x = None",
    "with open('f') as x:\n    pass",
    "class M(keras.Model):\n    def call(self, x):\n        return self.missing(x)",
    "class L(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n"
    "        self.d = self.d",
    "x = yield x",
    "async def a(x):\n    return await x",
    "x = (y := layers.Dense(3))(x)",
    "x @= x",
    "x = layers.Dense(*[3, 4, 5, 6, 7, 8])(x)",
    "x = layers.Dense(**{'units': -1, 'units2': 3})(x)",
    "model = keras.Sequential(model.layers + model.layers)",
    "model = keras.Model(inputs=[], outputs=[])",
    "model = keras.Model(x, x)",
    "model = keras.Model(inputs=model.inputs, outputs=model.outputs)",
)


class ModelBuilder:
    """One random, often wrong, Keras program."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.chaos = rng.choice((0.0, 0.03, 0.1, 0.1, 0.25, 0.5))
        self.style = rng.choice(("layers", "keras", "from", "tf", "keras1", "star"))
        self.lines: list[str] = []
        self.constants: list[str] = []

    # -------------------------------------------------------------- spelling
    def imports(self) -> list[str]:
        return {
            "layers": ["import keras", "from keras import layers"],
            "keras": ["import keras"],
            "from": [
                "import keras",
                "from keras.layers import " + ", ".join(sorted(set(LAYER_NAMES[:40]))),
                "from keras.layers import Dense, LSTM, GRU, TimeDistributed, Bidirectional",
                "from keras.layers import Flatten, Reshape, Input, Concatenate, Add",
            ],
            "tf": ["import tensorflow as tf", "from tensorflow import keras"],
            "keras1": [
                "import keras",
                "from keras.models import Sequential, Model",
                "from keras.layers.core import Dense, Activation, TimeDistributedDense",
                "from keras.layers import *",
            ],
            "star": ["import keras", "from keras.layers import *", "from keras.models import *"],
        }[self.style]

    def layer_ref(self, name: str) -> str:
        if self.style == "layers":
            return f"layers.{name}"
        if self.style in ("keras",):
            return f"keras.layers.{name}"
        if self.style == "tf":
            return f"tf.keras.layers.{name}"
        return name if self.rng.random() < 0.8 else f"keras.layers.{name}"

    def model_ref(self, name: str) -> str:
        if self.style == "tf":
            return f"tf.keras.{name}"
        if self.style in ("keras1", "star") and name != "Input":
            return name
        return f"keras.{name}"

    # -------------------------------------------------------------- values
    def wild(self) -> bool:
        """Whether this choice goes wrong on purpose (how often: the program's chaos)."""
        return self.rng.random() < self.chaos

    def dim(self) -> str:
        if not self.wild():
            return str(self.rng.choice((1, 2, 3, 4, 5, 8, 10, 16, 28, 32, 50, 64)))
        return self.rng.choice(
            ("None", "None", "0", "-1", "1", "10**9", "2**63", "N", "-N", "'x'", "2.5", "True")
            + ("()", "x", "1e400", "10**30")
        )

    def shape(self, rank: int | None = None) -> str:
        if rank is None:
            rank = (
                self.rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
                if not self.wild()
                else (self.rng.choice((0, 1, 5, 6)))
            )
        if rank == 0:
            return self.rng.choice(("()", "[]", "None", "N"))
        dims = [self.dim() for _ in range(rank)]
        if rank == 1:
            return f"({dims[0]},)" if self.rng.random() < 0.8 else dims[0]
        text = ", ".join(dims)
        return f"({text})" if self.rng.random() < 0.85 else f"[{text}]"

    def sane(self, param: str) -> str:
        """A value a careful user might pass for ``param``."""
        rng = self.rng
        small = str(rng.choice((1, 2, 3, 4, 5)))
        if param in ("kernel_size", "pool_size", "strides", "size", "dilation_rate", "cropping"):
            if rng.random() < 0.6:
                return small
            return "(" + ", ".join(str(rng.randint(1, 4)) for _ in range(rng.randint(1, 3))) + ")"
        if param == "padding":
            return rng.choice(("'same'", "'valid'", "'causal'", small, f"({small}, {small})"))
        if param in ("target_shape", "shape", "input_shape", "batch_shape"):
            return self.shape()
        if param == "dims":
            return rng.choice(("(2, 1)", "(1, 2)", "(2, 1, 3)", "(1,)"))
        if param in ("rate", "stddev"):
            return rng.choice(("0.1", "0.5"))
        if param == "activation":
            return rng.choice(("'relu'", "'softmax'", "None", "'tanh'"))
        if param in ("axis", "axes"):
            return rng.choice(("-1", "1", "2", "(1, 2)"))
        if param in ("return_sequences", "return_state", "use_bias", "go_backwards"):
            return rng.choice(("True", "False"))
        if param == "data_format":
            return rng.choice(("'channels_last'", "'channels_first'"))
        if param == "layer":
            return self.layer_call_named(rng.choice(("LSTM", "GRU", "Dense", "Conv1D")), 1)
        if param == "merge_mode":
            return rng.choice(("'concat'", "'sum'", "None", "'mul'"))
        return str(rng.choice((1, 2, 4, 8, 10, 16, 32, 64, 128)))

    def value(self, param: str = "", depth: int = 0) -> str:
        if not self.wild():
            return self.sane(param)
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(
                ("0", "-1", "-7", "10**9", "10**30", "2**63", "1e400", "-0", "N", "N * N")
            )
        if r < 0.4:
            return self.shape()
        if r < 0.5:
            return self.rng.choice(
                ("'same'", "'valid'", "'causal'", "'channels_first'", "'relu'", "'sum'", "''")
            )
        if r < 0.6:
            return self.rng.choice(("None", "True", "False", "0.5", "1.5", "-0.5"))
        if r < 0.8:
            return self.rng.choice(
                ("undefined_name", "x", "model", "len(x)", "x.shape", "x.shape[1:]", "*args")
                + ("lambda t: t", "[]", "{}", "...", "f'{N}'", "int(N)", "max(N, -1)")
            )
        if r < 0.9 and depth < 2:
            return self.layer_call(depth + 1)
        return self.rng.choice(self.constants or ["N"])

    # -------------------------------------------------------------- layers
    def layer_name(self) -> str:
        rng = self.rng
        if self.wild() and rng.random() < 0.3:
            return rng.choice(UNKNOWN_LAYERS)
        if rng.random() < 0.6:
            return rng.choice(CORE_LAYERS)
        return rng.choice(LAYER_NAMES)

    def layer_call(self, depth: int = 0, first: bool = False) -> str:
        rng = self.rng
        name = self.layer_name()
        params = LAYERS.get(name, ())
        args: list[str] = []
        if name in ("TimeDistributed", "Bidirectional") and depth < 2:
            args.append(
                self.layer_call(depth + 1)
                if self.wild()
                else self.layer_call_named(
                    rng.choice(("LSTM", "GRU", "Dense", "Conv2D", "Flatten", "SimpleRNN")),
                    depth + 1,
                )
            )
        count = rng.randint(min(len(params), 1), len(params))
        keyword_from = rng.randint(0, count)
        for i, param in enumerate(params[len(args) : count], start=len(args)):
            value = self.value(param, depth)
            args.append(value if i < keyword_from else f"{param}={value}")
        used = set(params[:count])
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2)) if self.wild() else 0):
            keyword = rng.choice(KEYWORDS)
            if keyword not in used:
                used.add(keyword)
                args.append(f"{keyword}={self.value(keyword, depth)}")
        if first and rng.random() < 0.6:
            key = rng.choice(("input_shape", "input_shape", "batch_input_shape", "input_dim"))
            args.append(f"{key}={self.shape() if key != 'input_dim' else self.dim()}")
        if self.wild() and rng.random() < 0.2:
            args.append(rng.choice(("**kwargs", "*args", "**{'units': 4}", "*[]")))
        if "return_sequences" not in used and name in RNN_LAYERS and rng.random() < 0.6:
            args.append(f"return_sequences={rng.choice(('True', 'True', 'False', 'flag'))}")
        return f"{self.layer_ref(name)}({', '.join(args)})"

    def layer_call_named(self, name: str, depth: int) -> str:
        params = LAYERS.get(name, ())
        args = [self.value(p, depth) for p in params[: self.rng.randint(min(1, len(params)), 2)]]
        if name in RNN_LAYERS and self.rng.random() < 0.7:
            args.append(f"return_sequences={self.rng.choice(('True', 'False'))}")
        return f"{self.layer_ref(name)}({', '.join(args)})"

    # -------------------------------------------------------------- programs
    def emit(self, line: str, indent: str = "") -> None:
        self.lines.extend(indent + part for part in line.split("\n"))

    def maybe_hostile(self, indent: str = "") -> None:
        if self.rng.random() < 0.15:
            self.emit(self.rng.choice(HOSTILE_STATEMENTS), indent)

    def sequential(self) -> None:
        rng = self.rng
        count = rng.randint(0, 7)
        if rng.random() < 0.5:
            items = [self.layer_call(first=i == 0) for i in range(count)]
            if rng.random() < 0.2:
                items.insert(0, f"{self.model_ref('Input')}(shape={self.shape()})")
            self.emit(f"model = {self.model_ref('Sequential')}([{', '.join(items)}])")
            self.maybe_hostile()
            return
        self.emit(f"model = {self.model_ref('Sequential')}()")
        if rng.random() < 0.3:
            self.emit(f"model.add({self.model_ref('Input')}(shape={self.shape()}))")
        for i in range(count):
            layer = self.layer_call(first=i == 0)
            shape = rng.random()
            if shape < 0.15:
                self.emit(f"for _ in range({rng.choice(('2', '0', 'N', '65', '10**9', 'x'))}):")
                self.emit(f"model.add({layer})", "    ")
            elif shape < 0.25:
                self.emit(f"if {rng.choice(('flag', 'True', 'N > 2', 'x'))}:")
                self.emit(f"model.add({layer})", "    ")
                if rng.random() < 0.5:
                    self.emit("else:")
                    self.emit(f"model.add({self.layer_call()})", "    ")
            else:
                self.emit(f"model.add({layer})")
            self.maybe_hostile()
        self.emit(rng.choice(("", "model.summary()", "model.compile(loss='mse')")))

    def latest(self, tensors: list[str]) -> str:
        """Mostly the newest tensor, so that chains run deep."""
        return tensors[-1] if self.rng.random() < 0.7 else self.rng.choice(tensors)

    def functional(self) -> None:
        rng = self.rng
        inputs = [f"inp{i}" for i in range(rng.choice((1, 1, 1, 2, 3)))]
        for name in inputs:
            key = rng.choice(("shape", "shape", "batch_shape", "batch_input_shape", "name"))
            self.emit(f"{name} = {self.model_ref('Input')}({key}={self.shape()})")
        tensors = list(inputs)
        for i in range(rng.randint(0, 8)):
            target = f"h{i}"
            choice = rng.random()
            if choice < 0.15 and len(tensors) > 1:
                merge = rng.choice(("Concatenate", "Add", "Multiply", "Average", "Dot", "Subtract"))
                args = rng.choice(("", "axis=-1", "axis=1", "axis=5", "axes=1", "axis=None"))
                picked = ", ".join(rng.sample(tensors, rng.randint(1, len(tensors))))
                self.emit(f"{target} = {self.layer_ref(merge)}({args})([{picked}])")
            elif choice < 0.25:
                layer = self.layer_call()
                self.emit(f"for _ in range({rng.choice(('2', '3', 'N', '64'))}):")
                self.emit(f"{target} = {layer}({self.latest(tensors)})", "    ")
                self.emit(f"{target} = {self.latest(tensors)}")
            elif choice < 0.3:
                layer = self.layer_call()
                self.emit(f"shared = {layer}")
                self.emit(f"{target} = shared(shared({self.latest(tensors)}))")
            else:
                extra = rng.choice(("", "", "", ", training=True", ", mask=None", ", x"))
                self.emit(f"{target} = {self.layer_call()}({self.latest(tensors)}{extra})")
            tensors.append(target)
            self.maybe_hostile()
        outputs = rng.sample(tensors, rng.randint(1, min(2, len(tensors))))
        model = self.model_ref("Model")
        if rng.random() < 0.5:
            ins = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
            self.emit(f"model = {model}({ins}, {outputs[0]})")
        else:
            ins, outs = ", ".join(inputs), ", ".join(outputs)
            self.emit(f"model = {model}(inputs=[{ins}], outputs=[{outs}])")

    def subclassed(self) -> None:
        rng = self.rng
        base = rng.choice(("keras.Model", "keras.layers.Layer", "tf.keras.Model", "object"))
        self.emit(f"class Net({base}):")
        self.emit("    def __init__(self, units=N, **kwargs):")
        self.emit("        super().__init__(**kwargs)")
        names = [f"l{i}" for i in range(rng.randint(0, 5))]
        for name in names:
            self.emit(f"        self.{name} = {self.layer_call()}")
        self.emit("    def call(self, x, training=None):")
        for _ in names:
            self.emit(f"        x = self.{rng.choice(names)}(x)")
            if rng.random() < 0.1:
                self.emit(rng.choice(HOSTILE_STATEMENTS), "        ")
        self.emit("        return x")
        self.emit(f"model = Net({rng.choice(('', '3', 'units=-1', '*args'))})")
        if rng.random() < 0.5:
            self.emit(f"y = model({self.model_ref('Input')}(shape={self.shape()}))")

    def helper(self) -> None:
        rng = self.rng
        self.emit("def block(x, units, depth=2):")
        for _ in range(rng.randint(1, 4)):
            self.emit(f"    x = {self.layer_call()}(x)")
        if rng.random() < 0.3:
            self.emit("    if depth > 0:")
            self.emit("        x = block(x, units, depth - 1)")
        self.emit("    return x")
        self.emit(f"inp = {self.model_ref('Input')}(shape={self.shape()})")
        out = "inp"
        for i in range(rng.randint(1, 3)):
            self.emit(f"y{i} = block({out}, {self.value()}{rng.choice(('', ', depth=5', ', 0'))})")
            out = f"y{i}"
        self.emit(f"model = {self.model_ref('Model')}(inp, {out})")

    def build(self) -> str:
        rng = self.rng
        for line in self.imports():
            self.emit(line)
        self.emit(f"N = {rng.choice(('3', '0', '-1', '10**9', 'None', 'int(x)', '2**70'))}")
        self.emit(f"flag = {rng.choice(('True', 'False', 'N > 1', 'undefined'))}")
        self.constants = ["N", "flag"]
        self.maybe_hostile()
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            rng.choice((self.sequential, self.sequential, self.functional, self.functional))()
            if rng.random() < 0.15:
                rng.choice((self.subclassed, self.helper))()
        return "\n".join(self.lines) + "\n"


def generate_model(seed: int) -> str:
    return ModelBuilder(random.Random(seed)).build()


# ====================================================================== reducing


def reduce(
    source: str,
    keeps_failing: Callable[[str], bool],
    budget: float = 300.0,
) -> str:
    """Delta debugging: drop chunks of lines, then single lines, then tokens, while the input
    still fails the same way."""
    deadline = time.monotonic() + budget

    def chunks_pass(parts: list[str], joiner: str) -> list[str]:
        n = 2
        while len(parts) >= 2 and time.monotonic() < deadline:
            size = max(1, len(parts) // n)
            removed = False
            for start in range(0, len(parts), size):
                candidate = parts[:start] + parts[start + size :]
                if time.monotonic() > deadline:
                    break
                if keeps_failing(joiner.join(candidate)):
                    parts, removed = candidate, True
                    break
            if removed:
                n = max(n - 1, 2)
            elif size == 1:
                break
            else:
                n = min(n * 2, len(parts))
        return parts

    lines = chunks_pass(source.splitlines(keepends=True), "")
    text = "".join(lines)
    tokens = re.findall(r"\w+|\s+|.", text, flags=re.S)
    tokens = chunks_pass(tokens, "")
    return "".join(tokens)


def signatures(outcome: Outcome) -> list[str]:
    """What went wrong with an input, failures first, then a rejected fix."""
    found = [f.signature for f in outcome.failures]
    if outcome.fix_rejected:
        kind = re.sub(r"\d+", "N", outcome.fix_rejected)[:80]
        found.append(f"FixError | {kind}")
    return found


def same_failure(options: Options, signature: str, timeout: float) -> Callable[[str], bool]:
    def keeps_failing(candidate: str) -> bool:
        return signature in signatures(check_input(candidate, options, timeout=timeout))

    return keeps_failing


# ====================================================================== the long run


class Recorder:
    """Counts per fuzzer, and saves failing inputs (one per signature, the smallest)."""

    _COLUMNS = (
        "inputs crashes internal_errors fix_rejected fix_unparseable non_idempotent "
        "timeouts slow cli_runs cli_failures worker_deaths"
    )
    COLUMNS = tuple(_COLUMNS.split())

    def __init__(self, crash_dir: Path, state: Path | None = None, worker: int = 0) -> None:
        self.crash_dir = crash_dir
        self.state = state
        self.worker = worker
        self.counts: dict[str, Counter[str]] = {name: Counter() for name in FUZZERS}
        self.signatures: Counter[str] = Counter()
        self.inflight = state / f"inflight-{worker}" if state else None

    def before(self, data: bytes, fuzzer: str, options: Options) -> None:
        if self.inflight is not None:
            meta = json.dumps({"fuzzer": fuzzer, "options": options.describe()}).encode()
            self.inflight.write_bytes(meta + b"\n" + data)

    def record(self, fuzzer: str, data: bytes, options: Options, outcome: Outcome) -> None:
        counts = self.counts[fuzzer]
        counts["inputs"] += 1
        if outcome.fix_rejected:
            counts["fix_rejected"] += 1
            # Allowed (the file is left as it was), but a fix that fails its own
            # verification is worth a look: saved like a failure, one per kind of message.
            prop = "fix rejected by its verification (FixError)"
            rejected = Failure(prop, outcome.fix_rejected, signatures(outcome)[-1])
            self.signatures[rejected.signature] += 1
            self.save(fuzzer, data, options, rejected)
        if outcome.seconds > SLOW:
            counts["slow"] += 1
        for failure in outcome.failures:
            sig = failure.signature
            if sig.startswith("timeout"):
                counts["timeouts"] += 1
            elif sig.startswith("internal error"):
                counts["internal_errors"] += 1
            elif sig.startswith("fix not idempotent"):
                counts["non_idempotent"] += 1
            elif failure.prop.startswith("fixed source") or sig.startswith("fix changed code"):
                counts["fix_unparseable"] += 1
            else:
                counts["crashes"] += 1
            self.signatures[sig] += 1
            self.save(fuzzer, data, options, failure)

    def save(self, fuzzer: str, data: bytes, options: Options, failure: Failure) -> None:
        self.crash_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(failure.signature.encode()).hexdigest()[:10]
        stem = f"{fuzzer}-{digest}"
        if failure.signature.startswith("FixError"):
            stem = f"fixerror-{stem}"
        path = self.crash_dir / f"{stem}.py"
        if path.exists() and path.stat().st_size <= len(data):
            return
        path.write_bytes(data)
        (self.crash_dir / f"{stem}.txt").write_text(
            f"property: {failure.prop}\nsignature: {failure.signature}\n"
            f"fuzzer: {fuzzer}\noptions: {options.describe()}\n"
            f"replay: python fuzz/fuzz.py --replay {os.path.relpath(path, ROOT)}"
            + (f" --select {','.join(options.select)}" if options.select else "")
            + (f" --keras-version {options.keras_version}" if options.keras_version else "")
            + f"\n\n{failure.detail}\n",
            encoding="utf-8",
        )

    def save_cli(self, run: CliRun, files: list[Path]) -> None:
        folder = self.crash_dir / f"cli-{hashlib.sha1(run.stderr.encode()).hexdigest()[:10]}"
        folder.mkdir(parents=True, exist_ok=True)
        for path in files:
            shutil.copyfile(path, folder / path.name)
        (folder / "README.txt").write_text(
            f"command: python -m tdlint {' '.join(run.args)} <file or folder>\n"
            f"problems: {'; '.join(run.problems())}\nexit: {run.returncode}\n\n"
            f"--- stderr ---\n{run.stderr[-20000:]}\n--- stdout (tail) ---\n{run.stdout[-5000:]}\n",
            encoding="utf-8",
        )

    def dump(self) -> None:
        if self.state is not None:
            data = {
                "counts": {k: dict(v) for k, v in self.counts.items()},
                "signatures": dict(self.signatures),
            }
            tmp = self.state / f"stats-{self.worker}.json.tmp"
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.state / f"stats-{self.worker}.json")


def fuzz_one(
    recorder: Recorder, fuzzer: str, source: str | bytes, options: Options, timeout: float
) -> Outcome:
    """Check one input: bytes are decoded with errors="replace", as the brief of the str
    APIs has it; the bytes are what is saved."""
    if isinstance(source, bytes):
        data, text = source, decode(source)
    else:
        data, text = source.encode("utf-8", "surrogatepass"), source
    recorder.before(data, fuzzer, options)
    outcome = check_input(text, options, timeout=timeout)
    recorder.record(fuzzer, data, options, outcome)
    return outcome


def round_hypothesmith(recorder: Recorder, seed: int, count: int, timeout: float) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    rng = random.Random(seed)
    use_node = rng.random() < 0.25

    @hypothesis_seed(seed)
    @settings(
        max_examples=count // 4 if use_node else count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(program_strategy(node=use_node))
    def run(source: str) -> None:
        fuzz_one(recorder, "hypothesmith", source, Options.random(rng), timeout)

    run()


def round_mutation(
    recorder: Recorder,
    seed: int,
    count: int,
    timeout: float,
    corpus: list[bytes],
    work: Path,
    until: float,
) -> None:
    rng = random.Random(seed + 1)
    batch = list(mutants(seed, count, corpus))
    for data in batch:
        if time.time() > until:
            return
        fuzz_one(recorder, "mutation", data, Options.random(rng), timeout)
    # The CLI, once per round, over a folder of raw mutants.
    pristine = write_mutants(work / "pristine", rng.sample(batch, min(len(batch), 24)), rng)
    target = work / "run"
    shutil.copytree(work / "pristine", target)
    args = rng.choice(CLI_VARIANTS) if rng.random() < 0.7 else ("check",)
    run = run_cli(args, target, cwd=work)
    counts = recorder.counts["mutation"]
    counts["cli_runs"] += 1
    if run.problems():
        counts["cli_failures"] += 1
        recorder.signatures[f"cli | {'; '.join(run.problems())}"] += 1
        culprits = cli_culprits(args, pristine, work / "single")
        recorder.save_cli(run, culprits or pristine)


def round_models(recorder: Recorder, seed: int, count: int, timeout: float, until: float) -> None:
    rng = random.Random(seed)
    for i in range(count):
        if time.time() > until:
            return
        source = generate_model(seed * 100_003 + i)
        fuzz_one(recorder, "models", source, Options.random(rng), timeout)


def worker_main(args: argparse.Namespace) -> int:
    """One worker: rounds of the three fuzzers until the deadline, counts to --state."""
    warnings.simplefilter("ignore", SyntaxWarning)  # hypothesmith compiles odd literals
    state = Path(args.state)
    recorder = Recorder(Path(args.crash_dir), state, args.worker)
    corpus = seed_corpus()
    try:
        import hypothesmith  # noqa: F401

        have_hypothesmith = True
    except ImportError:
        print("fuzz: hypothesmith is not installed: that fuzzer is skipped", file=sys.stderr)
        have_hypothesmith = False
    rounds = 0
    while time.time() < args.until:
        seed = args.seed * 1_000_003 + rounds
        if have_hypothesmith:
            round_hypothesmith(recorder, seed, 60, args.timeout)
            recorder.dump()
        if time.time() >= args.until:
            break
        work = Path(tempfile.mkdtemp(prefix="work-", dir=state))  # the supervisor cleans up
        try:
            round_mutation(recorder, seed, 150, args.timeout, corpus, work, args.until)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        recorder.dump()
        if time.time() >= args.until:
            break
        round_models(recorder, seed, 150, args.timeout, args.until)
        recorder.dump()
        rounds += 1
    return 0


def supervise(args: argparse.Namespace) -> int:
    """Worker processes with fresh seeds until the time is up; a worker that dies (a
    segfault, the OOM killer) has its last input saved and is replaced."""
    until = time.time() + args.minutes * 60
    crash_dir = Path(args.crash_dir)
    crash_dir.mkdir(parents=True, exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix="tdlint-fuzz-state-"))
    totals: dict[str, Counter[str]] = {name: Counter() for name in FUZZERS}
    signatures: Counter[str] = Counter()
    next_seed = args.seed * 1000
    procs: dict[int, tuple[subprocess.Popen[bytes], int]] = {}

    def harvest(worker: int) -> None:
        stats = state / f"stats-{worker}.json"
        if stats.exists():
            data = json.loads(stats.read_text())
            for name, counts in data["counts"].items():
                totals[name].update(counts)
            signatures.update(data["signatures"])
            stats.unlink()

    def start(worker: int) -> None:
        nonlocal next_seed
        options = {
            "--worker": worker,
            "--seed": next_seed,
            "--until": until,
            "--state": state,
            "--crash-dir": crash_dir,
            "--timeout": args.timeout,
        }
        command = [sys.executable, __file__, *(str(x) for kv in options.items() for x in kv)]
        procs[worker] = (subprocess.Popen(command), next_seed)
        next_seed += 1

    started = time.time()
    for worker in range(args.jobs):
        start(worker)
    try:
        while procs:
            time.sleep(1)
            for worker, (proc, seed) in list(procs.items()):
                code = proc.poll()
                if code is None:
                    if time.time() > until + 600:  # a worker stuck beyond every timeout
                        proc.kill()
                    continue
                harvest(worker)
                del procs[worker]
                if code != 0:
                    inflight = state / f"inflight-{worker}"
                    fuzzer, meta, data = "mutation", b"{}", b""
                    if inflight.exists():
                        meta, _, data = inflight.read_bytes().partition(b"\n")
                        fuzzer = json.loads(meta).get("fuzzer", fuzzer)
                    totals[fuzzer]["worker_deaths"] += 1
                    if data:
                        name = hashlib.sha1(data).hexdigest()[:10]
                        (crash_dir / f"died-{name}.py").write_bytes(data)
                        (crash_dir / f"died-{name}.txt").write_text(
                            f"the worker process died (exit {code}) on this input\n"
                            f"{meta.decode()}\nseed: {seed}\n"
                        )
                    signatures[f"worker died | exit {code}"] += 1
                    if time.time() < until:
                        start(worker)
    except KeyboardInterrupt:
        for proc, _ in procs.values():
            proc.terminate()
        for worker, (proc, _) in procs.items():
            proc.wait()
            harvest(worker)
    shutil.rmtree(state, ignore_errors=True)
    print_table(totals, signatures, time.time() - started, crash_dir)
    return 0


def print_table(
    totals: dict[str, Counter[str]], signatures: Counter[str], seconds: float, crash_dir: Path
) -> None:
    columns = Recorder.COLUMNS
    width = max(len(c) for c in columns)
    print(f"\ntdlint fuzzing: {seconds / 60:.1f} minutes\n")
    print(f"{'':<{width}}  " + "  ".join(f"{name:>12}" for name in (*FUZZERS, "total")))
    for column in columns:
        values = [totals[name][column] for name in FUZZERS]
        cells = "  ".join(f"{v:>12}" for v in (*values, sum(values)))
        print(f"{column:<{width}}  {cells}")
    if signatures:
        print("\nfailures by signature:")
        for sig, count in signatures.most_common():
            print(f"  {count:>6}  {sig}")
        print(f"\ninputs saved in {crash_dir}")
    else:
        print("\nno failures")


def replay(args: argparse.Namespace) -> int:
    options = Options(tuple(args.select.split(",")) if args.select else None, args.keras_version)
    data = Path(args.replay or args.reduce).read_bytes()
    outcome = check_input(decode(data), options, timeout=args.timeout)
    if args.reduce:
        if not signatures(outcome):
            print("that input does not fail: nothing to reduce")
            return 1
        signature = signatures(outcome)[0]
        print(f"reducing, keeping: {signature}", file=sys.stderr)
        small = reduce(decode(data), same_failure(options, signature, args.timeout))
        out = Path(args.reduce).with_suffix(".min.py")
        out.write_text(small, encoding="utf-8")
        print(small)
        print(f"--- written to {out}", file=sys.stderr)
        outcome = check_input(small, options, timeout=args.timeout)
    print(
        f"{len(outcome.failures)} failure(s), {outcome.seconds:.2f} s, options: "
        f"{options.describe()}, fix rejected: {outcome.fix_rejected}"
    )
    for failure in outcome.failures:
        print(f"\n== {failure.prop}\n   signature: {failure.signature}\n{failure.detail}")
    return 1 if outcome.failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=max(1, min(os.cpu_count() or 1, 2)))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="s per input")
    parser.add_argument("--crash-dir", default=str(CRASH_DIR))
    parser.add_argument("--replay", help="check one saved input and print its failures")
    parser.add_argument("--reduce", help="shrink a saved input, keeping its first failure")
    parser.add_argument("--select", help="with --replay/--reduce: e.g. ALL")
    parser.add_argument("--keras-version", help="with --replay/--reduce")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.replay or args.reduce:
        return replay(args)
    if args.worker is not None:
        return worker_main(args)
    return supervise(args)


if __name__ == "__main__":
    sys.exit(main())
