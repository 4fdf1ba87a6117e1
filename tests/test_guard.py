"""The pre-parse guard: which sources are too costly to hand to LibCST, and which are not."""

from __future__ import annotations

import pytest

from tdlint.guard import MAX_BRACKET_DEPTH, MAX_CHAIN, too_deep_to_parse

# One link of each kind of left-deep chain that LibCST parses in quadratic time.
CHAINS = {
    "additions": ("x = 0", " + 0"),
    "multiplications": ("x = a", "*a"),
    "attributes": ("x = a", ".b"),
    "calls": ("x = f", "()"),
    "subscripts": ("x = a", "[0]"),
    "mixed": ("x = a", ".b[0]()"),
}


@pytest.mark.parametrize("kind", CHAINS)
def test_a_chain_over_the_limit_is_refused_and_one_at_the_limit_is_not(kind: str) -> None:
    head, link = CHAINS[kind]
    links_per_repeat = 3 if kind == "mixed" else 1
    at_limit = MAX_CHAIN // links_per_repeat
    assert too_deep_to_parse(head + link * at_limit + "\n") is None
    assert too_deep_to_parse(head + link * (at_limit + 1) + "\n") == (
        f"more than {MAX_CHAIN:,} operations chained in one expression"
    )


def test_a_chain_is_counted_across_lines_inside_brackets() -> None:
    terms = ["0"] * (MAX_CHAIN + 2)
    assert too_deep_to_parse("x = (" + " +\n    ".join(terms) + ")\n") is not None
    # ... but separate statements are separate chains
    assert too_deep_to_parse("x = 0 + 0\n" * (MAX_CHAIN + 2)) is None


def test_a_chain_goes_on_after_a_nested_bracket() -> None:
    """``f(a, b)(c, d)...``: the commas end chains inside the call, not the chain of calls."""
    assert too_deep_to_parse("x = f" + "(a + 1, b)" * (MAX_CHAIN + 1) + "\n") is not None


def test_the_mutant_found_by_the_fuzzer_is_refused() -> None:
    """Nested 300 deep, then 3,000 additions: ~2 s of parsing here, over 10 s on a busy CI."""
    source = (
        "from keras import layers\n"
        "x = layers.Cropping2D(((2, 2), "
        + "(" * 300
        + "0"
        + ")" * 300
        + ", "
        + " + ".join(["0"] * 3000)
        + "))\n"
    )
    assert too_deep_to_parse(source) is not None


def test_many_long_chains_exhaust_the_budget() -> None:
    chain = "x = " + " + ".join(["0"] * 900) + "\n"  # 899 links: under the limit
    assert too_deep_to_parse(chain * 3) is None
    assert too_deep_to_parse(chain * 4) == "too many long chains of operations"


REAL_CODE_THAT_PARSES_QUICKLY = {
    "a data literal with negative numbers": "w = np.array([" + ", -0.5" * 50_000 + "])\n",
    "many short sums as arguments": "y = f(" + "a + b, " * 20_000 + ")\n",
    "membership tests in sets": "ok = " + " or ".join(f"a in {{{i}}}" for i in range(2_000)) + "\n",
    "a long flat comparison": "ok = " + " == ".join(["a"] * 5_000) + "\n",
    "a long dict": "d = {" + ", ".join(f"'k{i}': v.x + {i}" for i in range(20_000)) + "}\n",
    "a long docstring of prose": '"""' + "A state-of-the-art model. It works.\n" * 5_000 + '"""\n',
    "many statements": "y = layers.Dense(4)(x) + x * 2\n" * 20_000,
}


@pytest.mark.parametrize("case", REAL_CODE_THAT_PARSES_QUICKLY)
def test_long_but_flat_code_is_parsed(case: str) -> None:
    assert too_deep_to_parse(REAL_CODE_THAT_PARSES_QUICKLY[case]) is None


def test_nesting_depth_limits() -> None:
    def nested(depth: int) -> str:
        return "x = " + "(" * depth + "1" + ")" * depth + "\n"

    assert too_deep_to_parse(nested(MAX_BRACKET_DEPTH)) is None
    assert too_deep_to_parse(nested(MAX_BRACKET_DEPTH + 1)) == (
        f"brackets nested more than {MAX_BRACKET_DEPTH} deep"
    )
    # ~8 GB for LibCST: 40 lines nested 490 deep; half as many is fine
    assert too_deep_to_parse(nested(490) * 20) is None
    assert too_deep_to_parse(nested(490) * 40) == ("more than 10000 brackets nested over 100 deep")
    # unbalanced closing brackets do not make the depth negative
    assert too_deep_to_parse(")" * 50 + nested(MAX_BRACKET_DEPTH)) is None
