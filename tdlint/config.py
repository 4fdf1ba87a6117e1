"""Which rules run: ``--select`` / ``--ignore`` by code, prefix or kebab name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tdlint.rules import ALL_RULES, rule_names


class ConfigError(ValueError):
    """Bad user configuration or arguments: reported as one line, exit 2."""


@dataclass(frozen=True)
class Selection:
    codes: frozenset[str]

    @classmethod
    def from_options(
        cls, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
    ) -> Selection:
        known = rule_names()
        chosen = _expand(select, known) if select else set(known)
        chosen -= _expand(ignore or (), known)
        return cls(frozenset(chosen))

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def rules(self) -> list[type]:
        return [rule for rule in ALL_RULES if rule.code in self.codes]


def _expand(selectors: Iterable[str], known: dict[str, str]) -> set[str]:
    by_name = {name: code for code, name in known.items()}
    codes: set[str] = set()
    for raw in selectors:
        for item in raw.split(","):
            selector = item.strip()
            if not selector:
                continue
            if selector.upper() == "ALL":
                codes |= set(known)
                continue
            if selector in by_name:
                codes.add(by_name[selector])
                continue
            matched = {code for code in known if code.startswith(selector.upper())}
            if not matched:
                raise ConfigError(f"unknown rule selector `{selector}`")
            codes |= matched
    return codes
