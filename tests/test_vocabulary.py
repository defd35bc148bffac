"""The domain's words (`config.vocabulary`) are today's strings, and the one point-type rule
(`metrics.spc.point_types`) every SPC chart uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from config.vocabulary import (
    Assurance,
    ChartKind,
    Direction,
    FileKind,
    FileLayout,
    Improvement,
    Level,
    PointType,
    TargetKind,
    Variation,
)
from metrics import spc


@pytest.mark.parametrize(
    ("member", "text"),
    [
        (Level.DISTRICT, "district"),
        (Direction.DECREASE, "decrease"),
        (Improvement.NEUTRAL, "neutral"),
        (TargetKind.PERCENT_CHANGE, "percent_change"),
        (FileKind.POLICEUK, "policeuk"),
        (FileLayout.POLICEUK_STREET, "policeuk-street"),
        (ChartKind.RARE, "rare"),
        (Variation.IMPROVEMENT_LOW, "improvement_low"),
        (Assurance.HIT_AND_MISS, "hit_and_miss"),
    ],
)
def test_a_word_is_its_stored_string(member, text):
    assert member == text
    assert f"{member}" == text
    assert {member: 1}[text] == 1
    assert (pd.Series([text, "other"]) == member).tolist() == [True, False]


HIGH = np.array([True, False, False])
LOW = np.array([False, True, False])


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("increase", [PointType.IMPROVEMENT, PointType.CONCERN, PointType.COMMON_CAUSE]),
        ("decrease", ["concern", "improvement", "common_cause"]),
        ("neutral", ["neutral", "neutral", "common_cause"]),
    ],
)
def test_point_types_by_side_and_good_direction(improvement, expected):
    assert spc.point_types(HIGH, LOW, Improvement(improvement)).tolist() == expected
