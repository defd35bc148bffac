"""Read the TOML files of this folder, validate them, and report every problem clearly.

Each problem names the file, the entry (by its code or name where it has one) and what is wrong,
for example::

    config/measures.toml: measure 'asb_incidents' (entry 1): good_direciton: unknown key
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from config.dipsampling import DipSampling
from config.force import FORCE_AREA
from config.models import (
    Geography,
    Measure,
    Measures,
    Operations,
    PublicSummary,
    PublicWords,
    Target,
    Targets,
    month_text,
)
from config.outcomes import Outcomes
from config.signals import Annotation, Exceptional, Recalculation, Signals
from config.vocabulary import Level, Unit

CONFIG_DIR = Path(__file__).resolve().parent
FILES: dict[str, type[BaseModel]] = {
    "geography.toml": Geography,
    "operations.toml": Operations,
    "measures.toml": Measures,
    "targets.toml": Targets,
    "outcomes.toml": Outcomes,
    "signals.toml": Signals,
    "dipsampling.toml": DipSampling,
    "public.toml": PublicSummary,
}


class ConfigError(ValueError):
    """Configuration that does not validate; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Configuration is not valid:\n" + "\n".join(f"- {p}" for p in problems))


def _shown(path: Path) -> str:
    """How a configuration file is named in messages."""
    return f"config/{path.name}" if path.parent == CONFIG_DIR else str(path)


def _entry_label(raw: dict[str, Any], loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """Name the entry a pydantic error location points into, and the rest of the location."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        table, index = loc[0], loc[1]
        entries = raw.get(table, [])
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else {}
        name = None
        if isinstance(entry, dict):
            name = entry.get("code") or entry.get("name") or entry.get("measure")
        label = f"{table} {name!r} (entry {index + 1})" if name else f"{table} entry {index + 1}"
        return label, loc[2:]
    return (str(loc[0]) if loc else ""), loc[1:]


def _describe(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (misspelt?)"
    if error["type"] == "missing":
        return "required key is missing"
    return str(error["msg"]).removeprefix("Value error, ")


def _validate(path: Path, model: type[BaseModel]) -> tuple[BaseModel | None, list[str]]:
    shown = _shown(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [f"{shown}: file not found"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{shown}: not valid TOML: {exc}"]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            label, rest = _entry_label(raw, tuple(error["loc"]))
            where = ".".join(str(p) for p in rest)
            field = f"{where}: " if where else ""
            prefix = f"{label}: " if label else ""
            problems.append(f"{shown}: {prefix}{field}{_describe(error)}")
        return None, problems


@dataclass(frozen=True)
class Catalogue:
    """The whole validated configuration: geography, operations, measures, targets, outcomes,
    signals, dip-sampling and the public summary."""

    geography: Geography
    operations: Operations
    measures: Measures
    targets: Targets
    outcomes: Outcomes
    signals: Signals
    dipsampling: DipSampling
    public: PublicSummary

    @cached_property
    def measure_by_code(self) -> dict[str, Measure]:
        return {m.code: m for m in self.measures.measure}

    def measure(self, code: str) -> Measure:
        try:
            return self.measure_by_code[code]
        except KeyError:
            raise KeyError(f"unknown measure code {code!r}") from None

    def public_words(self, code: str) -> PublicWords:
        """The words residents read about measure `code` in the public summary (its
        `[measure.public]`; `cross_check` makes sure every measure of public.toml has them)."""
        words = self.measure(code).public
        if words is None:
            raise KeyError(f"measure {code!r} has no words for the public summary")
        return words

    def policeuk_crime_types(self) -> frozenset[str]:
        """The police.uk crime types some measure counts: the street rows the store keeps."""
        return frozenset(
            t for m in self.measures.measure if m.policeuk for t in m.policeuk.crime_types
        )

    def area_names(self) -> list[str]:
        """Every area a figure can be reported for: the force, divisions, districts."""
        geo = self.geography
        return [geo.force] + [d.name for d in geo.division] + [d.name for d in geo.district]

    def area_level(self, area: str) -> Level:
        geo = self.geography
        if area == geo.force:
            return Level.FORCE
        if any(d.name == area for d in geo.division):
            return Level.DIVISION
        if any(d.name == area for d in geo.district):
            return Level.DISTRICT
        raise KeyError(f"unknown area {area!r}")

    @property
    def target_month(self) -> str:
        """The last month of the plan's target year in words ("March 2027"): how the pages,
        the pack and the commands name the date the targets are judged at."""
        return month_text(self.targets.period.last)

    def force_target(self, code: str) -> Target:
        return next(
            t for t in self.targets.target if t.measure == code and t.area == self.geography.force
        )

    def recalculations(self, code: str, area: str) -> list[Recalculation]:
        """The recalculation points of `measure` that apply in `area`, in date order."""
        found = [
            r for r in self.signals.recalculation if r.measure == code and r.area in (None, area)
        ]
        return sorted(found, key=lambda r: r.first)

    def exceptional(self, code: str, area: str) -> list[Exceptional]:
        """The exceptional periods that apply to `measure` in `area` (force-wide ones and its
        own), in date order: months no limit, baseline or model is fitted on."""
        found = [e for e in self.signals.exceptional if e.applies(code, area)]
        return sorted(found, key=lambda e: (e.first, e.last))

    def annotations(self, code: str, area: str) -> list[Annotation]:
        """Dated notes on `measure` in `area` (its own, and its operations'), in date order."""
        operations = set(self.measure(code).operations)
        found = [
            a
            for a in self.signals.annotation
            if (a.measure == code or a.operation in operations) and a.area in (None, area)
        ]
        return sorted(found, key=lambda a: a.first)

    def cross_check(self, directory: Path) -> list[str]:
        """Rules that span files. Returns the problems found (empty when all is well)."""
        problems: list[str] = []
        measures_file = _shown(directory / "measures.toml")
        targets_file = _shown(directory / "targets.toml")
        operations = {o.code for o in self.operations.operation}
        seen: set[str] = set()
        for i, m in enumerate(self.measures.measure, start=1):
            where = f"{measures_file}: measure {m.code!r} (entry {i})"
            if m.code in seen:
                problems.append(f"{where}: code repeated")
            seen.add(m.code)
            if m.policeuk and m.policeuk.outcomes and m.policeuk.outcomes not in self.outcomes:
                problems.append(
                    f"{where}: policeuk.outcomes: no group {m.policeuk.outcomes!r} in "
                    f"outcomes.toml (known: {sorted(self.outcomes)})"
                )
            for op in m.operations:
                if op not in operations:
                    problems.append(
                        f"{where}: operations: unknown operation {op!r} "
                        f"(known: {sorted(operations)})"
                    )
        operations_file = _shown(directory / "operations.toml")
        for i, o in enumerate(self.operations.operation, start=1):
            if not any(o.code in m.operations for m in self.measures.measure):
                problems.append(
                    f"{operations_file}: operation {o.code!r} (entry {i}): no measure names it "
                    "(its page shows its measures)"
                )
        areas = set(self.area_names())
        pairs: set[tuple[str, str]] = set()
        for i, t in enumerate(self.targets.target, start=1):
            where = f"{targets_file}: target {t.measure!r} (entry {i})"
            if t.measure not in self.measure_by_code:
                problems.append(f"{where}: measure: no measure has the code {t.measure!r}")
            if t.area not in areas:
                problems.append(f"{where}: area: unknown area {t.area!r}")
            if (t.measure, t.area) in pairs:
                problems.append(f"{where}: a target for {t.area} is already set")
            pairs.add((t.measure, t.area))
        for code in self.measure_by_code:
            if (code, FORCE_AREA) not in pairs:
                problems.append(f"{targets_file}: measure {code!r} has no {FORCE_AREA} target")
        problems += self._check_signals(_shown(directory / "signals.toml"), areas, operations)
        for code in self.public.measures:
            measure = self.measure_by_code.get(code, None)
            if measure is None or measure.unit != Unit.COUNT:
                problems.append(
                    f"{_shown(directory / 'public.toml')}: measures: {code!r} is not the code "
                    "of a count measure"
                )
            elif self.measure(code).public is None:
                problems.append(
                    f"{measures_file}: measure {code!r}: public: the public summary shows it, so "
                    "it needs its words for residents ([measure.public]: heading, one, many, "
                    "counted)"
                )
        if self.geography.force != FORCE_AREA:
            problems.append(
                f"{_shown(directory / 'geography.toml')}: force: must be {FORCE_AREA!r}"
            )
        return problems

    def _check_signals(self, shown: str, areas: set[str], operations: set[str]) -> list[str]:
        problems = []
        entries: list[tuple[str, Recalculation | Exceptional | Annotation]]
        entries = [("recalculation", r) for r in self.signals.recalculation]
        entries += [("exceptional", e) for e in self.signals.exceptional]
        entries += [("annotation", a) for a in self.signals.annotation]
        counters: dict[str, int] = {}
        for table, entry in entries:
            counters[table] = counters.get(table, 0) + 1
            where = f"{shown}: {table} entry {counters[table]}"
            code = entry.measure
            if code is not None and code not in self.measure_by_code:
                problems.append(f"{where}: measure: no measure has the code {code!r}")
            operation = getattr(entry, "operation", None)
            if operation is not None and operation not in operations:
                problems.append(f"{where}: operation: unknown operation {operation!r}")
            if entry.area is not None and entry.area not in areas:
                problems.append(f"{where}: area: unknown area {entry.area!r}")
        return problems


def load_catalogue(directory: Path = CONFIG_DIR) -> Catalogue:
    """Validate every configuration file; raise `ConfigError` listing every problem found."""
    parsed: dict[str, BaseModel] = {}
    problems: list[str] = []
    for name, model in FILES.items():
        value, found = _validate(directory / name, model)
        problems += found
        if value is not None:
            parsed[name.removesuffix(".toml")] = value
    if problems:
        raise ConfigError(problems)
    # each file's model, by its name: the models match the fields, which a dict cannot say
    catalogue = Catalogue(**parsed)  # type: ignore[arg-type]
    problems = catalogue.cross_check(directory)
    if problems:
        raise ConfigError(problems)
    return catalogue


@lru_cache
def get_catalogue() -> Catalogue:
    """The catalogue of this project's own `config/` folder, loaded once per process."""
    return load_catalogue()
