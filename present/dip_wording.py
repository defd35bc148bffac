"""The words and display tables of the Dip-sampling page (`pages/dip-sampling.py`): labels,
captions, and the tables it shows, built from what `dipsampling` returns."""

from __future__ import annotations

import pandas as pd

from config.dipsampling import Allocation, Answer, SamplingSettings
from db.dipsamples import Sample
from present import dip_estimate_wording as ew
from present import wording as w
from present.wording import NO_FIGURE

NO_SAMPLES = (
    "No sample has been drawn yet. A sample is drawn from the force's incident extracts "
    "(incident-level records with a pseudonymous reference); police.uk files hold no such "
    "records. Draw one under **Draw a sample**, or with `python manage.py sample draw`."
)
NO_RESULTS = "No sample to show yet: draw one under **Draw a sample**."
NO_SAMPLES_NO_INCIDENTS = (
    "No sample has been drawn yet, and none can be: a sample is drawn from the force's incident "
    "extracts (incident-level records with a pseudonymous reference), and this store holds "
    "none; police.uk files have no such records. Load an incident extract on the Data store "
    "page first."
)
NO_RESULTS_NO_INCIDENTS = "No sample to show: the store holds no incident records to sample."
NO_INCIDENTS = (
    "The store holds no incident records to sample: load a force incident extract on the Data "
    "store page (police.uk files have no incident references)."
)
NO_ANSWERS_IN_AREA = "No case of this sample in {area} has been answered yet."
NO_TREND = "No question of this checklist has been answered in two samples or more here yet."
NO_FOLLOW_UP = "No case here has an answer of no."
ONE_SAMPLE = "A trend needs two samples or more; this store holds one."
DEMO_SAMPLE = (
    "DEMONSTRATION sample: synthetic incidents and reviews made up to show the page, not real "
    "cases."
)
SHEET_HELP = (
    "Fill the sheet in (yes, no or n/a per question, a note where useful, and the verdict), "
    "then upload it here or record it with `python manage.py sample import FILE`: the whole "
    "sheet is checked first, and nothing is recorded if any cell is wrong."
)
ANSWER_WORDS = {Answer.YES.value: "Yes", Answer.NO.value: "No", Answer.NOT_APPLICABLE.value: "N/A"}
FLAG_WORDS = {
    "repeat_victim": "Repeat victim",
    "vulnerable_victim": "Vulnerable victim",
    "vehicle_involved": "Motorcycle or e-bike involved",
}
ALLOCATION_WORDS = {
    Allocation.PROPORTIONAL.value: "In proportion to incidents",
    Allocation.EQUAL.value: "Equally",
}


def sample_label(sample: Sample) -> str:
    demo = " (demonstration)" if sample.is_demo else ""
    return (
        f"Sample {sample.id}: {w.month(sample.first_month)} to {w.month(sample.last_month)}, "
        f"{sample.size} cases{demo}"
    )


def sample_caption(sample: Sample, district_names: dict[str, str]) -> str:
    """Every filter of a sample, its size rule and seed (`present.dip_estimate_wording`)."""
    return ew.sample_caption(sample, district_names)


def review_progress(done: pd.DataFrame) -> str:
    reviewed = int(done["verdict"].notna().sum())
    return f"{reviewed} of {len(done)} cases of the sample reviewed (a verdict given)."


def area_cases(count: int, area: str) -> str:
    return f"{count} case(s) of the sample in {area}."


def compliance_table(table: pd.DataFrame) -> pd.DataFrame:
    """Question, answered, compliance with its interval, and whether the area can be compared."""
    return pd.DataFrame(
        {
            "Question": table["question_text"],
            "Yes": table["yes"],
            "No": table["no"],
            "N/A": table["not_applicable"],
            "Compliance": [_percent(r) for r in table["rate"]],
            "95% interval": [
                _interval(lo, hi) for lo, hi in zip(table["low"], table["high"], strict=True)
            ],
            "Comparable": ["yes" if c else "no: too few cases" for c in table["comparable"]],
        }
    )


def compliance_caption(settings: SamplingSettings, *, weighted: bool = False) -> str:
    return (
        f"Compliance = yes / (yes + no); N/A answers are left out. The interval is Wilson's at "
        f"{settings.confidence:.0%}. An area with fewer than {settings.min_compare} answered "
        "cases is labelled, not compared." + (" " + ew.WEIGHTED if weighted else "")
    )


def verdict_table(done: pd.DataFrame, verdicts: dict[str, str]) -> pd.DataFrame:
    counts = done["verdict"].value_counts()
    rows = [(words, int(counts.get(code, 0))) for code, words in verdicts.items()]
    rows.append(("Not reviewed yet", int(done["verdict"].isna().sum())))
    return pd.DataFrame(rows, columns=["Verdict", "Cases"])


REVIEWERS_ONLY = (
    "Reviewing cases and drawing samples are for reviewers and analysts: the cases are "
    "incident-level records, not shown to other roles."
)


def follow_up_withheld(cases: int) -> str:
    """What a role that may not see case detail reads instead of the follow-up table."""
    return (
        f"{w.counted(cases, 'case')} had at least one answer no. Which cases, and the "
        "reviewers' notes, are shown to reviewers and analysts only."
    )


def follow_up_table(
    found: pd.DataFrame, questions: dict[str, str], district_names: dict[str, str]
) -> pd.DataFrame:
    order = {code: i for i, code in enumerate(questions)}
    found = found.sort_values(
        ["position", "question"],
        key=lambda column: column.map(order) if column.name == "question" else column,
    )
    return pd.DataFrame(
        {
            "Case": found["position"],
            "Reference": found["reference"],
            "District": found["district_code"].map(district_names),
            "Question": found["question"].map(questions),
            "Note": found["note"].fillna(NO_FIGURE),
        }
    )


SIGNAL_WORDS = {
    1: "above the upper limit: a real rise",
    -1: "below the lower limit: a real fall",
    0: "within the limits: no sign of real change",
}
LATEST = "Latest sample (p-chart)"
TOO_FEW = "too few cases to read against the limits"


def trend_table(chart: pd.DataFrame, questions: dict[str, str]) -> pd.DataFrame:
    """One row per question, one column per sample (by the months sampled, oldest first):
    compliance (answered); then where the latest sample sits against the p-chart limits
    (`metrics.sampling.p_chart`), in words."""
    labels = {
        s: f"{ew.period(f, m)} (sample {s})"
        for s, f, m in zip(chart["sample"], chart["first_month"], chart["last_month"], strict=True)
    }
    cells = chart.assign(
        cell=[
            f"{_percent(r)} ({int(n)})" if n else NO_FIGURE
            for r, n in zip(chart["rate"], chart["answered"], strict=True)
        ],
        column=chart["sample"].map(labels),
    )
    wide = cells.pivot(index="question", columns="column", values="cell").fillna(NO_FIGURE)
    wide = wide[list(dict.fromkeys(cells["column"]))]  # the months sampled, oldest first
    latest = chart[chart["sample"] == chart["sample"].iloc[-1]].set_index("question")
    words = latest["signal"].map(SIGNAL_WORDS)
    words = words.where(latest["readable"] | (latest["answered"] == 0), TOO_FEW)
    wide[LATEST] = words.reindex(wide.index).fillna(NO_FIGURE)
    wide = wide.reindex([q for q in questions if q in wide.index])
    wide.index = [questions[q] for q in wide.index]
    return wide.rename_axis(index="Question", columns=None).reset_index()


def sample_axis_labels(chart: pd.DataFrame) -> list[str]:
    """The p-chart's x axis: the months each sample covers, and its number."""
    return [
        f"{ew.short_period(f, m)}<br>sample {s}"
        for s, f, m in zip(
            chart["sample"],
            pd.to_datetime(chart["first_month"]),
            pd.to_datetime(chart["last_month"]),
            strict=True,
        )
    ]


def too_few_to_read(latest: pd.Series, area: str, min_answered: int) -> str:
    return (
        f"In {area} the latest sample has {int(latest['answered'])} answered case(s) of this "
        f"question: too few to read against the limits ({min_answered} needed). The points "
        "are shown, not judged."
    )


def p_chart_title(question: str) -> str:
    return f"{question}: compliance in each sample"


def first_signal(chart: pd.DataFrame, asked: list[str]) -> str:
    """The first question (checklist order) whose latest sample is outside its limits; the
    first question when none is."""
    latest = chart[chart["sample"] == chart["sample"].iloc[-1]]  # by the months sampled
    outside = set(latest.loc[latest["signal"].fillna(0) != 0, "question"])
    return next((q for q in asked if q in outside), asked[0])


TREND_CAPTION = (
    "Each sample is a point of a p-chart per question: the centre is the compliance of all "
    "the samples together, and the limits are 3 standard errors either side for each sample's "
    "number of answered cases. A sample outside them is a real change, not sampling noise."
)


def case_line(case: pd.Series, district_names: dict[str, str]) -> str:
    return (
        f"**Case {case['position']}**: incident `{case['reference']}`, "
        f"{w.month(case['month'])}, {district_names.get(case['district_code'])}, "
        f"{case['category']}. {case['answered']} question(s) answered so far."
    )


def drawn_line(drawn) -> str:
    if drawn.size == 0:
        return f"Sample {drawn.sample_id}: no incident matches these choices; nothing to review."
    shares = ", ".join(f"{name} {n}" for name, n in drawn.per_district.items())
    return (
        f"Drew sample {drawn.sample_id}: {drawn.size} of {drawn.population:,} incidents "
        f"(seed {drawn.seed}): {shares}. Choose it above to review it."
    )


def _percent(value: float) -> str:
    return NO_FIGURE if pd.isna(value) else f"{value:.0f}%"


def _interval(low: float, high: float) -> str:
    return NO_FIGURE if pd.isna(low) else f"{low:.0f}% to {high:.0f}%"


def sheet_problems(read) -> pd.DataFrame:
    return pd.DataFrame(
        [(p.row, p.column, p.message) for p in read.problems],
        columns=["Row", "Column", "Problem"],
    )


def sheet_summary(read, name: str) -> str:
    cases = read.answers["position"].nunique()
    return (
        f"{name} passed every check: {len(read.answers)} answer(s) for {cases} case(s) of "
        f"sample {read.sample_id}."
    )


def sheet_refused(name: str) -> str:
    return f"{name} cannot be recorded: nothing was recorded."


def sheet_recorded(name: str, changed: int) -> str:
    return f"{name}: {changed} answer(s) recorded."


def case_saved(position: int, changed: int) -> str:
    return f"Case {position} saved ({changed} answer(s) changed)."
