"""The layout of a dip sample's review sheet, shared by its writer (`dipsampling.sheets`) and
its reader (`dipsampling.sheetread`): sheet names, columns and allowed answers."""

from __future__ import annotations

from config.dipsampling import Answer
from db.dipsamples import VERDICT, Sample

SHEET = "Review"
GUIDE = "How to fill in"
IDENTITY = ["sample", "case", "reference", "month", "district", "category"]
FIXED = IDENTITY  # the columns before the questions (the name earlier code uses)
NOTE = " note"  # suffix of a question's note column
VERDICT_NOTE = "verdict note"
REVIEWER = "reviewer"
REVIEWED_ON = "reviewed on"
ANSWERS = {a.value for a in Answer}
ANSWER_LIST = [Answer.YES.value, Answer.NO.value, Answer.NOT_APPLICABLE.value]
DATE_FORMAT = "yyyy-mm-dd"
REVIEWER_MAX = 120  # characters of the reviewer column (the store's column)


def columns(sample: Sample, *, reviewer: bool = True) -> list[str]:
    """The sheet's header: the identifying columns, each question and its note, the verdict
    and its note, then (sheets written since issue 25) the reviewer and the day."""
    asked = [c for code in sample.questions for c in (code, code + NOTE)]
    tail = [REVIEWER, REVIEWED_ON] if reviewer else []
    return [*IDENTITY, *asked, VERDICT, VERDICT_NOTE, *tail]
