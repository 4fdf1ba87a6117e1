"""The rule registry. Each rule lives in its own module; ``ALL_RULES`` lists them in code order."""

from __future__ import annotations

from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.td001_dense_on_sequence_output import DenseOnSequenceOutput
from tdlint.rules.td002_time_distributed_dense import TimeDistributedDense
from tdlint.rules.td003_time_distributed_without_time_axis import TimeDistributedWithoutTimeAxis

ALL_RULES: tuple[type[Rule], ...] = (
    DenseOnSequenceOutput,
    TimeDistributedDense,
    TimeDistributedWithoutTimeAxis,
)

# Not a rule class: reported by the engine when a file does not parse.
SYNTAX_ERROR = ("TD000", "syntax-error")

__all__ = ["ALL_RULES", "SYNTAX_ERROR", "Invalid", "Rule", "RuleContext", "rule_names"]


def rule_names() -> dict[str, str]:
    """Code -> kebab name, every rule and TD000."""
    return {SYNTAX_ERROR[0]: SYNTAX_ERROR[1], **{r.code: r.name for r in ALL_RULES}}
