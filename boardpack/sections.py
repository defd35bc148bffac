"""The parts of a board pack, each from the store as the pages read it: one section per
operation (its measures with status, reason, SPC reading, commentary and charts), the
exceptions, the district league table, the latest dip-sample results and the definitions.

A measure several operations share (public confidence) is shown in full once, under the first
operation that has it; the later operations carry its status and a reference to that page.
Measures are named by the catalogue's `title` everywhere in the pack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.orm import Session

import dipsampling
import scoring
from boardpack import figures
from config import Catalogue
from config.areascope import EVERY_AREA, AreaScope
from config.models import Measure
from config.vocabulary import ChartKind, Level
from db import commentary, dipsamples
from db.queries import monthly_values
from dipsampling.districts import reviewed_by_area, side_by_side
from dipsampling.followup import follow_up_log, overdue
from metrics.exceptions import NEEDS_COMMENTARY, Exceptions
from metrics.tables import measure_detail
from present import charts, measure_table
from present import commentary_wording as cw
from present import dip_estimate_wording as ew
from present import dip_followup_wording as fw
from present import dip_wording as dw
from present import pack_words as words
from present import spc_wording as sw
from present import wording as w

today = date.today  # the day a pack's follow-up is judged overdue against (tests may set it)
LEAGUE_LEGEND = " ".join(f"{icon} {status.value}" for status, icon in w.STATUS_ICONS.items())


@dataclass(frozen=True)
class MeasureSection:
    code: str
    title: str
    status: str  # icon and word
    reason: str  # why the status is what it is (the words after "status: ")
    spc: str  # the SPC reading in words
    figures: str  # the latest 12 months, the baseline year and the months with no data
    commentary: dict | None  # the latest commentary (db.commentary columns), if any
    awaiting: bool  # needs commentary and has none
    figures_drawn: tuple[go.Figure, ...]  # SPC chart, then 12 months against the target
    baseline_change: str = ""  # the latest 12 months against the baseline year, in words
    shown_under: str | None = None  # the operation it is shown in full under, when not here


@dataclass(frozen=True)
class Operation:
    code: str
    name: str
    objective: str
    measures: tuple[MeasureSection, ...]


@dataclass(frozen=True)
class DipResults:
    sample: str  # the sample's label
    caption: str
    compliance: pd.DataFrame  # as shown on the Dip-sampling page
    is_demo: bool
    districts: pd.DataFrame  # every question, the force and each district side by side
    districts_caption: str
    districts_grid: pd.DataFrame  # the same, a row per area and a column per question
    follow_up: DipFollowUp | None = None  # the sample's follow-up log in the area (issue 25)


@dataclass(frozen=True)
class DipFollowUp:
    """The follow-up log of a sample in an area, as the board may read it (no reference, no
    note): how it stands, each overdue entry in words, and the log."""

    summary: str
    overdue: tuple[str, ...]
    log: pd.DataFrame  # every entry: the workbook's sheet
    by_district: pd.DataFrame  # entries counted by district and status: the printed pack
    note: str = fw.FOLLOW_UP_IN_WORKBOOK


def operations(
    *,
    session: Session,
    catalogue: Catalogue,
    area: str,
    rows: pd.DataFrame,
    progress,
    scope: AreaScope = EVERY_AREA,
):
    """Each operation with its own measures (in catalogue order), read as the pages read them
    (the months each measure has: the force's, or for a limited `scope` the area's own)."""
    notes = commentary.current(session=session, up_to=None, area=area)
    level = catalogue.area_level(area)
    values = monthly_values(session=session, level=level, areas=[area], scope=scope)
    force = values if not scope.is_wide else monthly_values(session=session, level=Level.FORCE)
    by_code = rows.set_index("code")
    found = []
    first: dict[str, str] = {}  # measure code -> the operation it is shown in full under
    ops = catalogue.operations.operation
    for i, operation in enumerate(ops):
        progress(0.15 + 0.6 * i / len(ops), f"Drawing the charts of {operation.name}")
        codes = [m.code for m in catalogue.measures.measure if operation.code in m.operations]
        shown = []
        for c in (c for c in codes if c in by_code.index):
            if c in first:
                shown.append(_reference(catalogue.measure(c), by_code.loc[c], first[c]))
                continue
            first[c] = operation.name
            row = by_code.loc[c]
            shown.append(_measure(catalogue, catalogue.measure(c), area, row, values, notes, force))
        found.append(
            Operation(
                code=operation.code,
                name=operation.name,
                objective=operation.specific,
                measures=tuple(shown),
            )
        )
    return tuple(found)


def _reference(measure: Measure, row, under: str) -> MeasureSection:
    """A measure already shown in full under another operation: its status and reason, and
    where to find the rest."""
    score = row["score"]
    return MeasureSection(
        code=measure.code,
        title=measure.title,
        status=w.status_label(row["status"]),
        reason=w.reason(score, measure).partition(": ")[2],
        spc="",
        figures="",
        commentary=None,
        awaiting=False,
        figures_drawn=(),
        baseline_change=words.baseline_change(score, measure),
        shown_under=under,
    )


def _measure(catalogue, measure: Measure, area: str, row, values, notes, force) -> MeasureSection:
    score = row["score"]
    mine = notes[(notes["measure_code"] == measure.code) & (notes["month"] <= score.as_of)]
    latest = mine.sort_values("month").iloc[-1].to_dict() if not mine.empty else None
    loaded = force.loc[force["measure"] == measure.code, "month"]
    detail = measure_detail(values, score, catalogue, measure, area, loaded)
    drawn = ()
    if detail.has_data:
        drawn = (_spc_figure(measure, score), _rolling_figure(measure, detail))
        drawn = tuple(f for f in drawn if f is not None)
    return MeasureSection(
        code=measure.code,
        title=measure.title,
        status=w.status_label(row["status"]),
        reason=w.reason(score, measure).partition(": ")[2],
        spc=sw.spc_caption(score.spc, measure, catalogue.signals.spc),
        figures=words.figures_line(score, measure, detail.gaps),
        commentary=latest,
        awaiting=latest is None and row["status"] in {s.value for s in NEEDS_COMMENTARY},
        figures_drawn=drawn,
        baseline_change=words.baseline_change(score, measure),
    )


def _spc_figure(measure: Measure, score) -> go.Figure:
    reading = score.spc
    return charts.spc_chart(
        reading.frame,
        f"Each month: {sw.spc_title(reading)}",  # under the measure's title; alt text names it
        charts.Y_TITLES[measure.unit],
        centre_name="Median" if reading.kind == ChartKind.RUN else "Centre line (mean)",
        baseline=(pd.Timestamp(measure.baseline.first), pd.Timestamp(measure.baseline.last)),
        periods=reading.exceptional,
    )


def _rolling_figure(measure: Measure, detail) -> go.Figure | None:
    if detail.rolling.empty:
        return None
    return charts.rolling_chart(
        detail.rolling,
        detail.trajectory,
        detail.score.baseline,
        detail.score.forecast,
        detail.target_end,
        "12 months to date against the target",
        charts.Y_TITLES[measure.unit],
        periods=detail.score.spc.exceptional,
    )


def exceptions_table(found: Exceptions, catalogue: Catalogue) -> pd.DataFrame:
    titles = {m.code: m.title for m in catalogue.measures.measure}
    return cw.exceptions_table(found, titles, catalogue.area_names())


def league(
    *, session: Session, catalogue: Catalogue, area: str, as_of, scope: AreaScope = EVERY_AREA
) -> pd.DataFrame:
    """Each measure's status in each district of the pack's area (a district's pack: the
    districts of its division), as icons with the figure beside each (the latest 12 months)
    and the chance of meeting the target: rows are measures (by title), columns districts."""
    districts = scope.keep(figures.pack_districts(catalogue, area))
    found = scoring.read(session=session, as_of=as_of, level=Level.DISTRICT, scope=scope)
    found = found[found["area"].isin(districts)]
    shown = set(found["measure"])  # a measure with no district score at all is left out
    scored = found[found["has_data"].astype(bool)]
    icons = measure_table.status_matrix(
        zip(scored["measure"], scored["area"], scored["score"], strict=True),
        measures=[m.code for m in catalogue.measures.measure if m.code in shown],
        areas=districts,
        cell=lambda score, code: words.league_cell(score, catalogue.measure(code)),
        missing="–",
    )
    icons.index = [catalogue.measure(c).title for c in icons.index]
    return icons.rename_axis(index="Measure", columns=None).reset_index()


def dip_results(
    *, session: Session, catalogue: Catalogue, area: str, scope: AreaScope = EVERY_AREA
) -> DipResults | None:
    """Compliance in `area` in the latest sample with any answers there, as the page shows
    it, and every question by district beside the force (`dip_districts`)."""
    for sample in dipsamples.samples(session=session):  # newest first
        table = dipsampling.report(
            session=session, catalogue=catalogue, sample_id=sample.id, scope=scope
        )
        shown = table[table["area"] == area]
        if not shown.empty:
            names = {d.ons_code: d.name for d in catalogue.geography.district}
            done = dipsampling.progress(
                session=session, sample_id=sample.id, questions=list(sample.questions), scope=scope
            )
            min_compare = catalogue.dipsampling.sampling.min_compare
            weighted = dipsampling.weighted(sample)
            return DipResults(
                sample=dw.sample_label(sample),
                caption=dw.sample_caption(sample, names)
                + " "
                + dw.compliance_caption(catalogue.dipsampling.sampling, weighted=weighted),
                compliance=dw.compliance_table(shown),
                is_demo=sample.is_demo,
                districts=(districts := dip_districts(table, done, catalogue, sample, area)),
                districts_caption=ew.district_caption(min_compare, weighted=weighted)
                + " "
                + ew.GRID_CAPTION,
                districts_grid=ew.district_grid(districts),
                follow_up=dip_follow_up(
                    session=session, catalogue=catalogue, sample=sample, area=area, scope=scope
                ),
            )
    return None


def dip_districts(table, done, catalogue: Catalogue, sample, area: str) -> pd.DataFrame:
    """Every question of a sample with the force, `area` and each of its districts side by
    side (`dipsampling.districts`): cases reviewed, answered, compliance, interval
    and whether it can be compared, in words."""
    reviewed = reviewed_by_area(done, catalogue)
    min_compare = catalogue.dipsampling.sampling.min_compare
    parts = []
    for code, asked in sample.questions.items():
        rows = side_by_side(table[table["question"] == code], catalogue, area)
        if rows.empty:
            continue
        shown = ew.district_table(rows, reviewed, min_compare=min_compare)
        parts.append(shown.assign(Question=asked))
    if not parts:
        return pd.DataFrame()
    found = pd.concat(parts, ignore_index=True)
    return found[["Question", *[c for c in found.columns if c != "Question"]]]


def dip_follow_up(
    *,
    session: Session,
    catalogue: Catalogue,
    sample: dipsamples.Sample,
    area: str,
    scope: AreaScope = EVERY_AREA,
) -> DipFollowUp | None:
    """The follow-up log of `sample` in `area` as of today (None when no case there needs
    follow-up): `dipsampling.followup`, worded by `present.dip_followup_wording`."""
    log = follow_up_log(
        session=session, catalogue=catalogue, sample_id=sample.id, today=today(), scope=scope
    )
    log = log[log["district_code"].isin(dipsampling.districts_in(catalogue, area))]
    if log.empty:
        return None
    names = {d.ons_code: d.name for d in catalogue.geography.district}
    verdicts = catalogue.dipsampling.verdicts()
    return DipFollowUp(
        summary=fw.follow_up_summary(log),
        overdue=tuple(fw.overdue_lines(overdue(log), names)),
        log=fw.follow_up_log_table(log, sample.questions, verdicts, names, cases=False),
        by_district=fw.follow_up_by_district(log, names),
    )


def definitions(catalogue: Catalogue) -> pd.DataFrame:
    """Each measure's definition, source, owner and caveats, for the appendix."""
    return pd.DataFrame(
        {
            "Measure": [m.title for m in catalogue.measures.measure],
            "Definition": [m.definition for m in catalogue.measures.measure],
            "Source": [m.source for m in catalogue.measures.measure],
            "Owner": [m.owner for m in catalogue.measures.measure],
            "Caveats": [" ".join(m.caveats) for m in catalogue.measures.measure],
        }
    )


def track_record(
    *, session: Session, catalogue: Catalogue, scope: AreaScope = EVERY_AREA
) -> pd.DataFrame:
    """The forecast's stored track record per measure, as shown (`scoring.trackrecord`): of
    force-wide figures, so withheld (no rows) from a limited `scope`."""
    from db.trackrecord import track_record as stored_track_record
    from present.trackrecord_wording import record_table

    titles = {m.code: m.title for m in catalogue.measures.measure}
    return record_table(stored_track_record(session=session, scope=scope), titles)
