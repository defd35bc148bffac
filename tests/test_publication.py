"""Outcomes as published: a load records the police.uk publication each month came from, and a
month whose outcomes were younger than `outcome_maturity_months` at publication is provisional
(drawn, never judged) wherever it lies; a republished month takes the later publication and its
scores are computed again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

import manage
from config import get_catalogue
from config.vocabulary import QualityFact, publication_month
from db.engine import session_scope
from db.models import LoadFact
from db.queries import monthly_values
from db.store import init_store
from metrics import control, maturity, scorecard, scoreset
from tests.conftest import POLICEUK_MONTHS, require_shared
from tests.test_archives import months_folder, zipped

RATE = "shoplifting_positive_outcome_rate"


def street(month: str) -> Path:
    return require_shared("data", "policeuk", f"{month}-lancashire-street.csv")


def run(capsys, *args) -> tuple[int, str, str]:
    status = manage.main([str(a) for a in args])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def empty(store, use_store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    return store


def published(store) -> dict[str, str]:
    """The publication recorded per month (YYYY-MM -> YYYY-MM), from the newest load."""
    with session_scope(store.engine) as session:
        rows = session.execute(
            select(LoadFact.month, LoadFact.count, LoadFact.load_id)
            .where(LoadFact.fact == QualityFact.PUBLISHED.value)
            .order_by(LoadFact.load_id)
        ).all()
    return {str(m)[:7]: f"{publication_month(n):%Y-%m}" for m, n, _ in rows}


# --- what a load records -----------------------------------------------------------------------


def test_an_archive_is_published_with_its_newest_month(empty, capsys, tmp_path):
    archive = zipped(months_folder(tmp_path / "a", POLICEUK_MONTHS[:2]), tmp_path / "p.zip")
    status, out, err = run(capsys, "load", archive)
    assert (status, err) == (0, "")
    assert published(empty) == {"2024-01": "2024-02", "2024-02": "2024-02"}
    assert "outcomes as published in February 2024 (the archive's newest month)" in out


def test_files_loaded_together_take_the_newest_month_among_them(empty, capsys):
    status, out, _ = run(capsys, "load", street("2024-01"), street("2024-02"))
    assert status == 0
    assert published(empty) == {"2024-01": "2024-02", "2024-02": "2024-02"}
    assert out.count("Outcomes as published in February 2024 (the newest month among") == 2


def test_a_file_alone_is_published_in_its_own_month_unless_told(empty, capsys):
    assert run(capsys, "load", street("2024-01"))[0] == 0
    assert published(empty) == {"2024-01": "2024-01"}
    status, out, _ = run(capsys, "load", street("2024-02"), "--published", "2024-09")
    assert status == 0 and "Outcomes as published in September 2024 (as given)." in out
    assert published(empty) == {"2024-01": "2024-01", "2024-02": "2024-09"}


def test_a_publication_before_the_files_month_is_refused(empty, capsys):
    status, _, err = run(capsys, "load", street("2024-03"), "--published", "2024-02")
    assert status == 1
    assert "published 2024-02 is before 2024-03" in err and "nothing was written" in err
    assert published(empty) == {}
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "load", street("2024-03"), "--published", "2024-3")
    assert exit_.value.code == 2 and "'2024-3' is not a month" in capsys.readouterr().err


def test_the_real_files_load_with_a_publication(policeuk_sqlite):
    assert published(policeuk_sqlite) == dict.fromkeys(POLICEUK_MONTHS, "2024-04")
    with session_scope(policeuk_sqlite.engine) as session:
        force = monthly_values(session=session, level="force", measures=[RATE])
    assert (force["published"] == pd.Timestamp("2024-04-01")).all() and len(force) == 4


def test_a_republished_month_takes_the_later_publication_and_is_scored_again(
    empty, capsys, tmp_path
):
    catalogue = get_catalogue()
    january = date(2024, 1, 1)

    def state():
        with session_scope(empty.engine) as session:
            values = pd.concat(
                [monthly_values(session=session, level=level) for level in ("force", "district")]
            )
        keys = scoreset.input_keys(values, catalogue=catalogue, months=[january])
        key = keys[(keys["measure"] == RATE) & (keys["area"] == "Lancashire")]["key"].item()
        force = values[(values["level"] == "force") & (values["measure"] == RATE)]
        score = scorecard.score_in(
            catalogue, force, force, catalogue.measure(RATE), "Lancashire", january
        )
        return force["published"].item(), key, score

    assert run(capsys, "load", street("2024-01"))[0] == 0
    first, key, score = state()
    assert first == pd.Timestamp("2024-01-01")
    assert score.provisional_months == (january,) and score.spc.frame["provisional"].all()
    republished = tmp_path / "2024-01-lancashire-street.csv"  # other bytes, a later download
    lines = street("2024-01").read_text(encoding="utf-8").splitlines(keepends=True)
    republished.write_text("".join(lines[:-1]), encoding="utf-8")
    assert run(capsys, "load", republished, "--published", "2024-06")[0] == 0
    later, new_key, rescored = state()
    assert later == pd.Timestamp("2024-06-01") and new_key != key
    assert rescored.provisional_months == () and rescored.judged_to == january


# --- what is provisional -----------------------------------------------------------------------


def _frame(ages: dict[str, int | None]) -> pd.DataFrame:
    months = pd.to_datetime(list(ages))
    published = [
        pd.NaT if a is None else m + pd.DateOffset(months=a)
        for m, a in zip(months, ages.values(), strict=True)
    ]
    return pd.DataFrame({"month": months.date, "value": 1.0, "published": published})


@pytest.mark.parametrize(
    ("ages", "as_of", "provisional", "judged_to"),
    [
        # by publication: young months wherever they lie, older ones mature even if latest
        ({"2022-07": 1, "2022-08": 0, "2025-01": 5}, "2025-01", {"2022-07", "2022-08"}, "2025-01"),
        ({"2024-01": 3, "2024-02": 2}, "2024-02", {"2024-02"}, "2024-01"),
        # no publication known (returns, older loads): the latest maturity_months (3)
        ({"2024-01": None, "2024-02": None}, "2024-02", {"2024-01", "2024-02"}, "2023-11"),
        # a month republished old enough is mature at once
        ({"2024-04": 6}, "2024-04", set(), "2024-04"),
    ],
)
def test_a_month_is_provisional_until_its_outcomes_were_old_enough(
    ages, as_of, provisional, judged_to
):
    measure = get_catalogue().measure(RATE)
    assert (measure.outcome_maturity_months, measure.maturity_months) == (3, 3)
    frame, when = _frame(ages), pd.Timestamp(as_of).date()
    found = maturity.provisional_months(frame, measure, when)
    assert {f"{m:%Y-%m}" for m in found if f"{m:%Y-%m}" in ages} == provisional
    assert f"{maturity.judged_to(frame, measure, when):%Y-%m}" == judged_to


def test_without_outcome_maturity_the_latest_months_alone_are_provisional():
    measure = get_catalogue().measure("shoplifting_recorded")
    assert measure.outcome_maturity_months == 0
    frame = _frame({"2024-01": 0, "2024-02": 0})
    assert maturity.judged_to(frame, measure, date(2024, 2, 1)) == scorecard.mature_month(
        measure, date(2024, 2, 1)
    )


def _rates() -> pd.DataFrame:
    """36 months of a 25% rate published six months on, except July-October 2024 (published
    a month on, at 5%): the dip a young publication makes."""
    months = pd.date_range("2023-01-01", "2025-12-01", freq="MS")
    young = (months >= "2024-07-01") & (months <= "2024-10-01")
    rate = np.where(young, 5.0, 25.0 + np.tile([0.5, -0.5, 0.3], 12))
    published = [
        m + pd.DateOffset(months=1 if y else 6) for m, y in zip(months, young, strict=True)
    ]
    return pd.DataFrame(
        {
            "measure": RATE,
            "month": months.date,
            "numerator": rate * 10,
            "denominator": 1000.0,
            "value": rate,
            "published": published,
        }
    )


def test_a_month_published_young_is_drawn_but_not_judged_while_older_ones_are():
    catalogue = get_catalogue()
    measure, frame = catalogue.measure(RATE), _rates()
    score = scorecard.score_in(catalogue, frame, frame, measure, "Lancashire", date(2025, 12, 1))
    young = [date(2024, m, 1) for m in (7, 8, 9, 10)]
    assert list(score.provisional_months) == young and score.judged_to == date(2025, 12, 1)
    spc = score.spc.frame
    dip = spc.index.isin(pd.to_datetime(young))
    assert spc.loc[dip, "provisional"].all() and not spc.loc[~dip, "provisional"].any()
    assert not spc.loc[dip, "special_cause"].any()  # 5% months raise no concern
    assert spc.loc[~dip, "centre"].min() > 24  # the limits are fitted without them
    assert 24.5 < score.rolling_12m < 25.5  # the 12 months of 2025 hold no young month


def test_control_read_takes_provisional_months_anywhere():
    series = pd.Series(
        [10.0] * 20 + [1.0] + [10.0] * 5, index=pd.date_range("2022-01-01", periods=26, freq="MS")
    )
    settings = get_catalogue().signals.spc
    baseline = (series.index[0], series.index[11])
    plain = control.read(series, improvement="increase", unit="count", baseline=baseline,
                         settings=settings)  # fmt: skip
    held = control.read(series, improvement="increase", unit="count", baseline=baseline,
                        settings=settings, provisional=[series.index[20]])  # fmt: skip
    assert plain.frame["special_cause"].iat[20]
    assert held.frame["provisional"].tolist() == [i == 20 for i in range(26)]
    assert not held.frame["special_cause"].any() and held.frame.index.is_monotonic_increasing


def test_the_data_page_takes_the_publication_with_the_file(empty):
    from tests.test_data_page import open_data, rerun

    at = open_data()
    at.file_uploader[0].set_value(
        ("2024-02-lancashire-street.csv", street("2024-02").read_bytes(), "text/csv")
    )
    at = rerun(at)
    field = next(t for t in at.text_input if t.label == "Published (YYYY-MM)")
    assert any("taken as published in February 2024" in c.value for c in at.caption)
    field.set_value("2024-01")
    at = rerun(at)
    assert any("published 2024-01 is before 2024-02" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Load this file"]  # nothing to confirm
    next(t for t in at.text_input if t.label == "Published (YYYY-MM)").set_value("2024-07")
    at = rerun(at)
    next(b for b in at.button if b.label == "Load this file").click()
    at = rerun(at)
    assert "Outcomes as published in July 2024 (as given)." in at.success[0].value
    assert published(empty) == {"2024-02": "2024-07"}


def test_the_caveat_is_said_beside_the_figure():
    from present import wording as w

    catalogue = get_catalogue()
    measure, frame = catalogue.measure(RATE), _rates()
    score = scorecard.score_in(catalogue, frame, frame, measure, "Lancashire", date(2025, 3, 1))
    assert w.publication_note(score, measure).startswith(
        "Provisional: July 2024 to October 2024 were published by police.uk less than 3 months "
        "after the month ended"
    )
    # a window with provisional months is not judged (issue 24: complete windows), and says why
    assert w.latest_12_months(score, measure) == (
        "8 of 12 months mature (provisional, published young: July to October 2024)"
    )
    later = scorecard.score_in(catalogue, frame, frame, measure, "Lancashire", date(2025, 12, 1))
    assert "published young" not in w.latest_12_months(later, measure)  # outside its 12 months
    assert w.publication_note(later, measure)  # still said where the chart shows them


@pytest.mark.parametrize(("age", "judged"), [(0, False), (1, False), (3, True)])
def test_the_real_force_rate_is_judged_only_from_files_published_old_enough(age, judged):
    """The real force-wide shoplifting counts of December 2019 - October 2022, as if every
    month came from a file published `age` months after it."""
    real = pd.read_csv(require_shared("reference", "policeuk_lancashire_force_monthly.csv"))
    months = pd.to_datetime(real["month"])
    frame = pd.DataFrame(
        {
            "measure": RATE,
            "month": months.dt.date,
            "numerator": real["shoplifting_positive_outcomes"].astype(float),
            "denominator": real["shoplifting_recorded"].astype(float),
            "published": months + pd.DateOffset(months=age),
        }
    )
    frame["value"] = 100 * frame["numerator"] / frame["denominator"]
    catalogue = get_catalogue()
    score = scorecard.score_in(
        catalogue, frame, frame, catalogue.measure(RATE), "Lancashire", date(2022, 10, 1)
    )
    spc = score.spc.frame
    assert spc["provisional"].all() != judged  # all drawn hollow, or none
    assert (score.spc.variation == "none") != judged  # no concern read from young outcomes
    assert np.isnan(score.rolling_12m) != judged


@pytest.mark.usefixtures("empty")
def test_the_pages_say_which_months_are_provisional_by_publication(capsys):
    """January 2024 from a file published with it (its outcomes young); February to April
    from a download of September 2024: January alone is provisional, and said so."""
    from tests.conftest import open_page

    assert run(capsys, "load", street("2024-01"), "--published", "2024-01")[0] == 0
    later = [street(m) for m in POLICEUK_MONTHS[1:]]
    assert run(capsys, "load", *later, "--published", "2024-09")[0] == 0
    caveat = "Provisional: January 2024 was published by police.uk less than 3 months after"
    vulture = open_page("vulture", measure=RATE)
    assert any(caveat in m.value for m in vulture.markdown)
    overview = open_page()
    assert any(caveat in c.value for c in overview.caption)


def test_a_month_published_young_is_provisional_not_a_gap():
    """The gap note names months with no data only: a month loaded but published young is
    drawn hollow, not counted among the months missing."""
    from metrics import tables

    catalogue = get_catalogue()
    measure, frame = catalogue.measure(RATE), _rates().assign(area="Lancashire")
    score = scorecard.score_in(catalogue, frame, frame, measure, "Lancashire", date(2025, 12, 1))
    assert date(2024, 7, 1) in score.provisional_months
    detail = tables.measure_detail(frame, score, catalogue, measure, "Lancashire")
    assert detail.gaps == ()
    gapped = frame[pd.to_datetime(frame["month"]) != pd.Timestamp("2023-05-01")]
    detail = tables.measure_detail(gapped, score, catalogue, measure, "Lancashire")
    assert detail.gaps == (date(2023, 5, 1),)


def test_when_every_month_is_provisional_the_reason_says_so():
    """Files loaded one at a time, each taken as published in its own month: nothing is mature
    yet, and the status says why rather than naming a month before the data began."""
    from present import wording as w

    catalogue = get_catalogue()
    measure = catalogue.measure(RATE)
    frame = _rates().assign(published=lambda f: pd.to_datetime(f["month"]))
    score = scorecard.score_in(catalogue, frame, frame, measure, "Lancashire", date(2025, 12, 1))
    assert w.reason(score, measure).startswith(
        "insufficient data: every month loaded is provisional"
    )
