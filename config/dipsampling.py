"""Pydantic model of `config/dipsampling.toml`: the sampling settings, the review checklist and
the panel's verdicts. Like every model in `config.models`, it forbids unknown keys."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from config.models import Strict

CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class Allocation(StrEnum):
    """How a sample's cases are shared among districts."""

    PROPORTIONAL = "proportional"  # in proportion to each district's incidents
    EQUAL = "equal"  # the same number in every district


class Design(StrEnum):
    """How the size of a sample is set (`metrics.sampling` and `metrics.sampledesign`)."""

    ESTIMATE = "estimate"  # enough cases in every district to estimate its compliance
    DISCOVERY = "discovery"  # enough cases force-wide to find a failure if `margin` fail
    NUMBER = "number"  # a number of cases chosen by the person drawing


class Answer(StrEnum):
    """An answer to a checklist question."""

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "n/a"


class SamplingSettings(Strict):
    confidence: float = Field(gt=0.5, lt=1)
    margin: float = Field(gt=0, lt=0.5)
    precision: float = Field(gt=0, le=0.5)
    design: Design = Design.ESTIMATE
    min_compare: int = Field(ge=1)
    contact_hours: int = Field(ge=1, le=24 * 14)


class Coded(Strict):
    """A question or a verdict: a code (stored with every answer) and the words shown."""

    code: str
    text: str = Field(min_length=3, max_length=200)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE.match(value):
            raise ValueError(f"{value!r} is not a code (lower case letters, digits and _)")
        return value


class Verdict(Coded):
    """A verdict; `follow_up` when a case given it needs follow-up even with no answer no."""

    follow_up: bool = False


class DipSampling(Strict):
    sampling: SamplingSettings
    question: list[Coded] = Field(min_length=1)
    verdict: list[Verdict] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> DipSampling:
        for table in ("question", "verdict"):
            codes = [entry.code for entry in getattr(self, table)]
            repeated = sorted({c for c in codes if codes.count(c) > 1})
            if repeated:
                raise ValueError(f"{table} code(s) repeated: {', '.join(repeated)}")
        for question in self.question:
            try:
                question.text.format(**self.sampling.model_dump())
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(
                    f"question {question.code!r}: text names {exc} which is not a [sampling] key"
                ) from None
        return self

    def questions(self) -> dict[str, str]:
        """Each question's code and its words, with the settings filled in."""
        settings = self.sampling.model_dump()
        return {q.code: q.text.format(**settings) for q in self.question}

    def verdicts(self) -> dict[str, str]:
        return {v.code: v.text for v in self.verdict}

    def follow_up_verdicts(self) -> frozenset[str]:
        """The verdicts whose cases need follow-up whatever their answers."""
        return frozenset(v.code for v in self.verdict if v.follow_up)
