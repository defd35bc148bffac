"""The words and tables of dip-sampling as an estimate (issue 25): each sample's every filter and
size rule, the sizes per district a design gives before drawing, districts side by side with
their intervals, and which samples a trend leaves out and why. Used by the Dip-sampling page
(`views/dip_draw.py`, `views/dip_results.py`) and the board pack."""

from __future__ import annotations

from datetime import date

import pandas as pd

from config.dipsampling import Allocation, Design
from db.dipsamples import Sample
from dipsampling.trend import Excluded, months
from present import wording as w
from present.wording import NO_FIGURE

DESIGN_WORDS = {
    Design.ESTIMATE.value: "Estimate every district (a precision per district)",
    Design.DISCOVERY.value: "Find failures (discovery rule)",
    Design.NUMBER.value: "A number of cases",
}
SHARED_WORDS = {
    Allocation.PROPORTIONAL.value: "shared among districts in proportion to their incidents",
    Allocation.EQUAL.value: "shared equally among districts",
}
FLAG_NAMES = {
    "repeat_victim": "repeat victim",
    "vulnerable_victim": "vulnerable victim",
    "vehicle_involved": "motorcycle or e-bike involved",
}
DIFFERS_WORDS = {
    "months": "a different number of months",
    "districts": "different areas",
    "categories": "different ASB categories",
    "flags": "different flags",
}
TOTAL = "Total"


def period(first: date, last: date) -> str:
    """The months a sample covers: "October to December 2026", "November 2025 to January
    2026", "September 2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return w.month(last)
    if first.year == last.year:
        return f"{first:%B} to {w.month(last)}"
    return f"{w.month(first)} to {w.month(last)}"


def short_period(first: date, last: date) -> str:
    """The months sampled on a chart's axis: "Oct-Dec 2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{last:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}-{last:%b %Y}"
    return f"{first:%b %Y}-{last:%b %Y}"


def _points(value: float) -> str:
    return f"{100 * value:g}"


def size_rule(parameters: dict) -> str:
    """How the sample's size was set, with every setting of its design."""
    design = parameters.get("design") or (
        Design.NUMBER.value if parameters.get("size") else Design.DISCOVERY.value
    )
    confidence = f"{parameters.get('confidence', 0.95):.0%}"
    shared = SHARED_WORDS.get(parameters.get("allocation") or "", "")
    if design == Design.ESTIMATE.value:
        return (
            f"estimate design: enough cases in every district for its {confidence} interval to "
            f"be no wider than ±{_points(parameters['precision'])} points, fewer in a small "
            "district (finite population correction)"
        )
    if design == Design.DISCOVERY.value:
        return (
            f"discovery rule: enough cases to find at least one failure, with {confidence} "
            f"confidence, if {_points(parameters['margin'])}% of incidents failed; {shared}"
        )
    return f"a number of cases chosen ({parameters.get('size')}), {shared}"


def filters_line(sample: Sample, district_names: dict[str, str]) -> str:
    """Every filter of a sample: months, areas, categories and flags."""
    p = sample.parameters
    districts = p.get("districts", [])
    where = (
        "every district of the force"
        if set(districts) >= set(district_names)
        else ", ".join(district_names.get(d, d) for d in districts)
    )
    kinds = ", ".join(p.get("categories") or []) or "every ASB category"
    flags = p.get("flags") or []
    flagged = (
        "only incidents flagged " + " and ".join(FLAG_NAMES.get(f, f) for f in flags)
        if flags
        else "no flag required"
    )
    return f"{period(sample.first_month, sample.last_month)}; {where}; {kinds}; {flagged}"


def sample_caption(sample: Sample, district_names: dict[str, str]) -> str:
    """A sample's every filter, its size rule and seed, who drew it and when."""
    return (
        f"Sample {sample.id}: {filters_line(sample, district_names)}. Size: "
        f"{size_rule(sample.parameters)}. {sample.size:,} of {sample.population:,} incidents "
        f"drawn with seed {sample.seed} by {sample.drawn_by} on {sample.drawn_at:%d %B %Y %H:%M}. "
        "The same seed and filters would draw the same cases again, so such a draw is refused."
    )


def not_covered(sample: Sample, area: str, district_names: dict[str, str]) -> str:
    """Why a sample gives no figure for an area it does not cover whole."""
    drawn = ", ".join(district_names.get(d, d) for d in sample.parameters.get("districts", []))
    return f"Sample {sample.id} covers {drawn} only, not {area} as a whole."


def repeat_refused(earlier: Sample) -> str:
    """Why a draw with the seed and filters of an earlier sample is refused."""
    return (
        f"Not drawn: sample {earlier.id} was drawn with seed {earlier.seed} from the same "
        "months, areas, categories and flags, so this draw would give the same cases again. "
        f"Choose another seed (0 chooses one), or review sample {earlier.id}."
    )


def plan_line(total: int, population: int, cases: pd.Series) -> str:
    """What a design would draw, before drawing."""
    drawn = cases[cases > 0]
    if total == 0:
        return "No incident matches these choices: nothing would be drawn."
    spread = (
        f"{int(drawn.min())} to {int(drawn.max())} per district"
        if drawn.min() != drawn.max()
        else f"{int(drawn.min())} per district"
    )
    return (
        f"This design would draw **{total:,} cases** of {population:,} incidents: {spread} "
        f"({w.counted(len(drawn), 'district')}). Nothing is drawn until you press the button."
    )


def plan_table(strata: pd.DataFrame, district_names: dict[str, str]) -> pd.DataFrame:
    """Each district's incidents, cases to review and the widest 95% interval they give if
    every case is answered; then the total."""
    rows = [
        (
            district_names.get(r.district_code, r.district_code),
            int(r.population),
            int(r.cases),
            _share(r.cases, r.population),
            _widest(r.widest, r.cases, r.population),
        )
        for r in strata.itertuples(index=False)
    ]
    rows.append(
        (
            TOTAL,
            int(strata["population"].sum()),
            int(strata["cases"].sum()),
            _share(strata["cases"].sum(), strata["population"].sum()),
            "",
        )
    )
    return pd.DataFrame(
        rows,
        columns=["District", "Incidents", "Cases to review", "Share reviewed", "Precision"],
    )


def _share(cases: int, population: int) -> str:
    return NO_FIGURE if not population else f"{100 * cases / population:.0f}%"


def _widest(widest: float, cases: int, population: int) -> str:
    if not cases:
        return "no case" if population else "no incident"
    if cases == population:
        return "every case: exact"
    return f"±{widest:.0f} points at most"


def excluded_lines(excluded: tuple[Excluded, ...], district_names: dict[str, str]) -> list[str]:
    """Why each sample left out of a trend is left out."""
    lines = []
    for left in sorted(excluded, key=lambda e: e.sample.id):
        s = left.sample
        named = f"Sample {s.id} ({filters_line(s, district_names)})"
        if left.differs:
            reasons = ", ".join(DIFFERS_WORDS[d] for d in left.differs)
            lines.append(f"{named}: left out, a different population ({reasons}).")
        elif left.repeats is not None:
            lines.append(
                f"{named}: left out, it repeats sample {left.repeats} (the same seed and "
                "filters drew the same cases)."
            )
        else:
            lines.append(
                f"{named}: {w.counted(len(left.questions), 'question')} worded differently, "
                "left out of those questions."
            )
    return lines


def trend_intro(sample: Sample, points: int) -> str:
    return (
        f"Only samples of the same population as sample {sample.id} are joined: "
        f"{months(sample)} month(s), the same areas, categories and flags, the same question; "
        f"{w.counted(points, 'sample')} in all, placed by the months sampled."
    )


def reading(answered: int, comparable: bool, min_compare: int) -> str:
    if answered == 0:
        return "no answer yet"
    if not comparable:
        return f"too few answered ({answered}; {min_compare} needed): not compared"
    return "can be compared"


def district_table(
    table: pd.DataFrame, reviewed: dict[str, int], *, min_compare: int
) -> pd.DataFrame:
    """Areas side by side on one question (`dipsampling.report` rows, in the order shown):
    cases reviewed, answered, compliance, its interval and whether it can be compared."""
    return pd.DataFrame(
        {
            "Area": table["area"],
            "Cases reviewed": [reviewed.get(a, 0) for a in table["area"]],
            "Answered yes or no": table["answered"],
            "Compliance": [NO_FIGURE if pd.isna(r) else f"{r:.0f}%" for r in table["rate"]],
            "95% interval": [
                NO_FIGURE if pd.isna(lo) else f"{lo:.0f}% to {hi:.0f}%"
                for lo, hi in zip(table["low"], table["high"], strict=True)
            ],
            "Reading": [
                reading(int(n), bool(c), min_compare)
                for n, c in zip(table["answered"], table["comparable"], strict=True)
            ],
        }
    )


WEIGHTED = (
    "A force or division figure weights each district by its incidents (a sample may take "
    "about as many cases from a small district as from a large one), so it can differ from "
    "the pooled yes / (yes + no)."
)
DISTRICT_CAPTION = (
    "Compliance = yes / (yes + no); N/A answers are left out, so a question that often does "
    "not apply has fewer answers and a wider interval. A district's interval is Wilson's with "
    "the finite population correction (its cases are a large share of a small district's "
    "incidents); an area with fewer than {min_compare} answered cases is named in words, not "
    "compared."
)


def district_caption(min_compare: int, *, weighted: bool) -> str:
    """How to read districts side by side (`weighted`: the sample stored its districts'
    incidents, so its force and division figures are weighted)."""
    text = DISTRICT_CAPTION.format(min_compare=min_compare)
    return f"{text} {WEIGHTED}" if weighted else text


TOO_FEW_CELL = "too few ({n} answered)"
GRID_CAPTION = (
    "Each cell: compliance and its 95% interval, or too few answered to compare. The workbook's "
    "sheet 'Dip sample districts' gives every figure of this table in its own column."
)


def district_grid(long: pd.DataFrame) -> pd.DataFrame:
    """`district_table` for every question (a `Question` column added) as one table for the
    printed pack: a row per area with its cases reviewed, a column per question, each cell
    the compliance and its interval, or "too few" with the number answered."""
    if long.empty:
        return long
    areas = list(dict.fromkeys(long["Area"]))
    questions = list(dict.fromkeys(long["Question"]))
    cell = [
        f"{c} ({i})" if r.startswith("can be compared") else TOO_FEW_CELL.format(n=n)
        for c, i, r, n in zip(
            long["Compliance"], long["95% interval"], long["Reading"],
            long["Answered yes or no"], strict=True,
        )
    ]  # fmt: skip
    grid = long.assign(cell=cell).pivot(index="Area", columns="Question", values="cell")
    reviewed = long.drop_duplicates("Area").set_index("Area")["Cases reviewed"]
    grid = grid.reindex(index=areas, columns=questions)
    grid.insert(0, "Cases reviewed", reviewed.reindex(areas))
    grid.columns.name = None
    return grid.reset_index()
