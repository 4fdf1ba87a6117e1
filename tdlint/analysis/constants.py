"""Python's own semantics on values known statically: literals, arithmetic, comparisons and
the few builtins a model definition uses (``len``, ``range``, ``int``...).

The interpreter asks these questions of values it can know without running anything; any
operand it cannot know makes the answer unknown (keeping where it came from), and nothing here
may grow without bound: a file cannot make tdlint build a huge number or sequence.
"""

from __future__ import annotations

import math
from typing import Any

import libcst as cst

from tdlint.analysis.arrays import Array, elementwise
from tdlint.analysis.values import GrownList, is_constant
from tdlint.keras.shapes import (
    UNKNOWN,
    UNKNOWN_INT,
    UNKNOWN_RANGE,
    Symbol,
    Unknown,
    UnknownInt,
    is_known,
    is_unknown,
)

MAX_SEQUENCE = 10_000  # no constant tuple/list/string larger than this is built

SAFE_BUILTINS = {
    "len": len,
    "int": int,
    "float": float,
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "tuple": tuple,
    "list": list,
    "sum": sum,
}


def number(node: cst.Integer | cst.Float) -> Any:
    """The value of a number literal. ``int``/``float`` read every form Python's grammar
    allows (``0x1F``, ``1_000``, ``1e-3``) at a fraction of ``evaluated_value``'s cost,
    which compiles the literal. Literals past ``int``'s digit limit are unknown."""
    text = node.value
    try:
        return int(text, 0) if isinstance(node, cst.Integer) else float(text)
    except ValueError:
        pass
    try:
        return node.evaluated_value
    except Exception:
        return UNKNOWN


def string_literal(node: cst.SimpleString) -> Any:
    """The value of a plain string literal; bytes and undecodable literals are unknown."""
    text = node.value
    # No prefix, no escapes, no line ends Python would normalise: the value is the text.
    if text[0] in "'\"" and "\\" not in text and "\r" not in text:
        quotes = 3 if text[:3] in ('"""', "'''") and len(text) >= 6 else 1
        return text[quotes:-quotes]
    try:
        value = node.evaluated_value
    except Exception:
        return UNKNOWN
    return value if isinstance(value, str) else UNKNOWN


def truth(value: Any) -> bool | None:
    if is_constant(value):
        return bool(value)
    return None


COMPARE = {
    "Equal": lambda a, b: a == b,
    "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b,
    "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEqual": lambda a, b: a >= b,
    "In": lambda a, b: a in b,
    "NotIn": lambda a, b: a not in b,
    "Is": lambda a, b: a is b if a is None or b is None else a == b,
    "IsNot": lambda a, b: a is not b if a is None or b is None else a != b,
}


def _first_unknown(*values: Any) -> Any:
    """The unknown operand (keeping its origin), or the generic unknown. A symbol is not
    passed on: ``-units`` is not ``units``."""
    found = next((v for v in values if is_unknown(v)), UNKNOWN)
    if isinstance(found, Symbol):
        return UnknownInt(found.origin) if isinstance(found, UnknownInt) else Unknown(found.origin)
    return found


def binary(op: str, a: Any, b: Any) -> Any:
    grown = _grown_list(op, a, b)
    if grown is not None:
        return grown
    if isinstance(a, Array) or isinstance(b, Array):
        array = elementwise(op, a, b)
        return array if array is not None else UNKNOWN
    if not (is_constant(a) and is_constant(b)):
        if op in _INTEGER_OPS and _integer(a) and _integer(b):
            return UNKNOWN_INT  # i + window: still an integer, of unknown value
        return _first_unknown(a, b)
    try:
        if op == "Add":
            if isinstance(a, (tuple, list, str)) and len(a) + len(b) > MAX_SEQUENCE:
                return _too_long(a, b)
            return a + b
        if op == "Subtract":
            return a - b
        if op == "Multiply":
            if (
                _huge(a)
                or _huge(b)
                or (
                    isinstance(a, int)
                    and isinstance(b, int)
                    and a.bit_length() + b.bit_length() > 4096
                )
            ):
                return UNKNOWN  # repeated squaring would build numbers no model uses
            if isinstance(a, (tuple, list, str)) or isinstance(b, (tuple, list, str)):
                seq, n = (a, b) if isinstance(a, (tuple, list, str)) else (b, a)
                if not is_known(n) or len(seq) * max(n, 0) > MAX_SEQUENCE:
                    return _too_long(seq)
            return a * b
        if op == "FloorDivide":
            return a // b
        if op == "Divide":
            return a / b
        if op == "Modulo":
            return a % b if not isinstance(a, str) else UNKNOWN
        if op == "Power":
            if isinstance(b, (int, float)) and abs(b) > 64:
                return UNKNOWN
            if isinstance(a, (int, float)) and abs(a) > 2**64:
                return UNKNOWN
            return a**b
    except Exception:
        return UNKNOWN
    return UNKNOWN


_INTEGER_OPS = frozenset({"Add", "Subtract", "Multiply", "FloorDivide", "Modulo"})


def _integer(value: Any) -> bool:
    return isinstance(value, UnknownInt) or (isinstance(value, int) and not isinstance(value, bool))


def _too_long(*parts: Any) -> Any:
    """A list too long to build (``[1] * 7000 + [0] * 7000``): its items are known, its
    length need not be. A string stays unknown."""
    if all(isinstance(part, (list, tuple)) for part in parts):
        return GrownList(tuple(item for part in parts for item in part))
    return UNKNOWN


def _grown_list(op: str, a: Any, b: Any) -> GrownList | None:
    """Lists of unknown length grow by ``+`` and ``*`` and keep the items they hold."""
    if not (isinstance(a, GrownList) or isinstance(b, GrownList)):
        return None
    if op == "Add" and all(isinstance(v, (GrownList, list, tuple)) for v in (a, b)):
        return GrownList(tuple(_items(a)) + tuple(_items(b)))
    if op == "Multiply":
        grown, count = (a, b) if isinstance(a, GrownList) else (b, a)
        if is_known(count) or isinstance(count, UnknownInt):
            return grown
    return None


def _items(value: Any) -> tuple[Any, ...]:
    return value.items if isinstance(value, GrownList) else tuple(value)


def _huge(value: Any) -> bool:
    return isinstance(value, int) and value.bit_length() > 4096


def unary(op: str, a: Any) -> Any:
    if not is_constant(a):
        return _first_unknown(a)
    try:
        if op == "Minus":
            return -a
        if op == "Plus":
            return +a
        if op == "Not":
            return not a
    except Exception:
        return UNKNOWN
    return UNKNOWN


def boolean(op: str, a: Any, b: Any) -> Any:
    if not (is_constant(a) and is_constant(b)):
        return UNKNOWN
    return (a and b) if op == "And" else (a or b)


def call_builtin(name: str, positional: list[Any], keywords: dict[str, Any], star: bool) -> Any:
    if name == "len" and len(positional) == 1 and not is_constant(positional[0]):
        value = positional[0]
        samples = value.samples if isinstance(value, Array) else UNKNOWN
        return samples if is_known(samples) else UNKNOWN_INT
    if name == "dict" and not star and not positional:
        return dict(keywords)  # dict(kernel_size=3, ...): layer arguments kept for **kwargs
    if name == "int" and len(positional) == 1 and is_unknown(positional[0]):
        return UNKNOWN_INT
    if name == "range" and positional and not star and any(is_unknown(v) for v in positional):
        return UNKNOWN_RANGE
    if star or keywords or not all(is_constant(v) for v in positional):
        return UNKNOWN
    if name == "range":
        if not positional or not all(is_known(v) for v in positional) or len(positional) > 3:
            return UNKNOWN
        try:
            result = range(*positional)
            return result if len(result) <= MAX_SEQUENCE else UNKNOWN
        except (OverflowError, ValueError, TypeError):  # range(10**30): too long to count
            return UNKNOWN
    fn = SAFE_BUILTINS.get(name)
    if fn is None:
        return UNKNOWN
    try:
        value = fn(*positional)
    except Exception:
        return UNKNOWN
    if isinstance(value, float) and not math.isfinite(value):
        return UNKNOWN
    return value


# Python's ``math`` module on known numbers (``math.log(10000)``, ``math.ceil(n / 2)``): pure
# functions of their arguments, computed as Python computes them.
_MATH_FUNCTIONS = {
    name: getattr(math, name)
    for name in (
        "ceil", "floor", "trunc", "sqrt", "isqrt", "exp", "log", "log2", "log10", "log1p",
        "pow", "sin", "cos", "tan", "atan", "gcd", "fabs",
    )
}  # fmt: skip
MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf}


def call_math(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """``math.<name>(...)`` on known numbers; unknown (an int for ``ceil``/``floor``...)
    otherwise."""
    fn = _MATH_FUNCTIONS.get(name)
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in positional)
    if fn is None or keywords or not numbers:
        return UNKNOWN_INT if name in ("ceil", "floor", "trunc", "isqrt") else UNKNOWN
    try:
        value = fn(*positional)
    except (ValueError, TypeError, OverflowError):
        return UNKNOWN
    return value if not isinstance(value, int) or abs(value) < 10**18 else UNKNOWN
