"""Which samples a trend may join: only samples of the same population as the sample shown,
read on the same question, once each.

- Same population: the same number of months, the same districts, categories and flags (a
  sample of vulnerable victims in Burnley is not a point of the force's line). The design
  and size may differ: they change the precision, not what is measured.
- Same question: a question enters only where its words are those of the sample shown.
- Once: a sample with the seed and months of an earlier comparable one drew the same cases
  (possible before such draws were refused); it is left out as a repeat.

Points are ordered by the months sampled (first, then last month), not by sample number.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from db.dipsamples import Sample

FILTERS = ("districts", "categories", "flags")
TREND_COLUMNS = [
    "sample",
    "first_month",
    "last_month",
    "question",
    "yes",
    "answered",
    "rate",
    "low",
    "high",
]


@dataclass(frozen=True)
class Excluded:
    """A sample left out of a trend, and why: `differs` names what differs from the sample
    shown (of "months", "districts", "categories", "flags"), `repeats` the earlier sample it
    repeats, `questions` the questions whose words differ."""

    sample: Sample
    differs: tuple[str, ...] = ()
    repeats: int | None = None
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trend:
    points: pd.DataFrame  # TREND_COLUMNS, in the order of the months sampled
    excluded: tuple[Excluded, ...]


def months(sample: Sample) -> int:
    """The number of months a sample covers."""
    first, last = sample.first_month, sample.last_month
    return (last.year - first.year) * 12 + last.month - first.month + 1


def differences(sample: Sample, like: Sample) -> tuple[str, ...]:
    """What of the population of `sample` differs from that of `like`."""
    found = ["months"] if months(sample) != months(like) else []
    for name in FILTERS:
        if set(sample.parameters.get(name, ())) != set(like.parameters.get(name, ())):
            found.append(name)
    return tuple(found)


def comparable(samples: list[Sample], like: Sample) -> tuple[list[Sample], list[Excluded]]:
    """The samples a trend of `like` joins (oldest months first) and those it leaves out."""
    kept: list[Sample] = []
    left: list[Excluded] = []
    for sample in sorted(samples, key=lambda s: (s.first_month, s.last_month, s.id)):
        differs = differences(sample, like)
        twin = next(
            (
                k
                for k in kept
                if (k.seed, k.first_month, k.last_month)
                == (sample.seed, sample.first_month, sample.last_month)
            ),
            None,
        )
        if differs:
            left.append(Excluded(sample=sample, differs=differs))
        elif twin is None:
            kept.append(sample)
        elif sample.id != like.id:
            left.append(Excluded(sample=sample, repeats=twin.id))
        else:  # the sample shown repeats an earlier one: it stands, the earlier is left out
            kept[kept.index(twin)] = sample
            left.append(Excluded(sample=twin, repeats=sample.id))
    return kept, left


def reworded(sample: Sample, like: Sample) -> tuple[str, ...]:
    """The questions of `like` that `sample` asked in other words."""
    return tuple(
        code
        for code, words in like.questions.items()
        if code in sample.questions and sample.questions[code] != words
    )
