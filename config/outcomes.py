"""Pydantic models of config/outcomes.toml: named groups of police.uk outcome categories."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ConfigDict, Field, RootModel

from config.models import Strict

# --- outcomes --------------------------------------------------------------------------------


class PositiveOutcomes(Strict):
    description: str
    values: list[str] = Field(min_length=1)
    prefixes: list[str] = []

    def is_positive(self, outcome: str | None) -> bool:
        """True when a police.uk 'Last outcome category' counts as a positive outcome."""
        if not outcome:
            return False
        return outcome in self.values or any(outcome.startswith(p) for p in self.prefixes)


class Outcomes(RootModel[dict[str, PositiveOutcomes]]):
    """Named groups of police.uk outcome categories (a measure's `policeuk.outcomes`)."""

    model_config = ConfigDict(frozen=True)

    def __getitem__(self, name: str) -> PositiveOutcomes:
        return self.root[name]

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]  # names, as a dict iterates
        return iter(self.root)
