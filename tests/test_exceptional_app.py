"""The operation and Definitions pages on a store of police.uk street files alone, with the
pandemic in it and the gaps real archives have (issue 24): Lancashire's real force-wide monthly
counts of December 2019 to October 2022 (../shared/reference; 2020-06, 2020-08 and 2020-09
missing), each month written as a street file of that many rows (locations drawn from the real
January 2024 file), then the four real 2024 street files (nothing from November 2022 to
December 2023).

With the COVID-19 restrictions configured, the page's limits are fitted after them, its caption
says on which months, the chart shades the period and the gaps, and an analyst sees the
candidate recalculation points there and on the Definitions page."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator

import pandas as pd
import pytest

from config import get_catalogue
from db.store import init_store
from tests.conftest import POLICEUK_MONTHS, Store, app_test, require_shared, switch_to

ASB, SHOPLIFTING = "Anti-social behaviour", "Shoplifting"
POSITIVE, OTHER = "Suspect charged", "Investigation complete; no suspect identified"


def _template_rows() -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the real January 2024 file located in a Lancashire
    district (so each written row counts force-wide)."""
    districts = tuple(d.name for d in get_catalogue().geography.district)
    path = require_shared("data", "policeuk", "2024-01-lancashire-street.csv")
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [r for r in reader if r[8].startswith(districts) and r[7]]
    return header, rows


def _write_month(folder, month: str, counts, header, rows) -> None:
    """A street file for `month` with the real counts of ASB, shoplifting and shoplifting
    with a positive outcome."""
    out = []
    for i in range(int(counts["asb_incidents"])):
        row = list(rows[i % len(rows)])
        out.append(["", month, *row[2:9], ASB, "", ""])
    positive = int(counts["shoplifting_positive_outcomes"])
    for i in range(int(counts["shoplifting_recorded"])):
        row = list(rows[(7 * i) % len(rows)])
        crime_id = hashlib.sha256(f"{month}-{i}".encode()).hexdigest()
        outcome = POSITIVE if i < positive else OTHER
        out.append([crime_id, month, *row[2:9], SHOPLIFTING, outcome, ""])
    with (folder / f"{month}-lancashire-street.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(out)


@pytest.fixture(scope="module")
def pandemic_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from ingest import inspect
    from ingest.load import load_plan

    catalogue = get_catalogue()
    folder = tmp_path_factory.mktemp("pandemic_files")
    header, rows = _template_rows()
    counts = pd.read_csv(require_shared("reference", "policeuk_lancashire_force_monthly.csv"))
    paths = []
    for record in counts.to_dict("records"):
        _write_month(folder, record["month"], record, header, rows)
        paths.append(folder / f"{record['month']}-lancashire-street.csv")
    paths += [
        require_shared("data", "policeuk", f"{m}-lancashire-street.csv") for m in POLICEUK_MONTHS
    ]
    created = Store("sqlite", tmp_path_factory.mktemp("pandemic_store"))
    init_store(engine=created.engine, catalogue=catalogue, actor="tests")
    for path in paths:
        plan = inspect(path, catalogue=catalogue)
        assert plan.ok, plan.messages()
        load_plan(engine=created.engine, catalogue=catalogue, plan=plan, actor="tests")
    yield created
    created.close()


def _page(page: str, **params: str):
    at = app_test()
    switch_to(at, page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("page", "measure", "fitted"),
    [
        (
            "centurion",
            "asb_incidents",
            "fitted on the latest 19 months with data, August 2021 to April 2024, after the "
            "COVID-19 restrictions",
        ),
        (
            "vulture",
            "shoplifting_recorded",
            "fitted on the latest 19 months with data, August 2021 to April 2024, after the "
            "COVID-19 restrictions",
        ),
    ],
)
def test_the_operation_page_fits_limits_after_the_pandemic_and_shows_gaps(
    pandemic_store, use_store, page, measure, fitted
):
    use_store(pandemic_store)
    at = _page(page, measure=measure)
    captions = " ".join(c.value for c in at.caption)
    assert "COVID-19 restrictions (March 2020 to July 2021, shaded): an exceptional period" in (
        captions
    )
    assert fitted in captions
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = [a.get("text") for a in chart["layout"].get("annotations", [])]
    assert "COVID-19 restrictions: not judged" in labels
    assert labels.count("No data") == 3  # 2020-06, 2020-08 to 2020-09, 2022-11 to 2023-12
    names = [trace.get("name") for trace in chart["data"]]
    assert "Exceptional period (not judged)" in names
    notes = " ".join(m.value for m in at.markdown)  # one note a run of missing months
    assert "No police.uk files for November 2022 to December 2023: the months are a gap" in notes
    assert "No police.uk file for 2022-12" not in notes
    table = at.dataframe[-1].value if at.dataframe else None
    assert table is None or "nan" not in " ".join(map(str, table.to_numpy().ravel()))


def test_analysts_see_every_candidate_on_the_definitions_page(pandemic_store, use_store):
    use_store(pandemic_store)
    at = _page("pages/definitions.py")
    headings = " ".join(m.value for m in at.markdown)
    assert "### Exceptional periods: drawn, never judged" in headings
    assert "### Candidate recalculation points (for analysts), April 2024" in headings
    assert any("COVID-19 restrictions" in str(t.value) for t in at.table)


def test_the_board_sees_the_periods_but_not_the_candidates(pandemic_store, use_store):
    use_store(pandemic_store)
    at = app_test(account="test board", role="board")
    at.switch_page("pages/definitions.py")
    at.run()
    assert not at.exception, at.exception
    headings = " ".join(m.value for m in at.markdown)
    assert "### Exceptional periods: drawn, never judged" in headings
    assert "### Candidate recalculation points" not in headings


@pytest.mark.parametrize(("role", "shown"), [("analyst", True), ("board", False)])
def test_analysts_see_the_candidates_under_the_chart(pandemic_store, use_store, role, shown):
    """Burnley's ASB (its months split like January 2024's) holds a sustained shift."""
    use_store(pandemic_store)
    at = app_test(account=f"test {role}", role=role)
    switch_to(at, "centurion")
    at.query_params["measure"] = "asb_incidents"
    at.query_params["area"] = "Burnley"
    at.run()
    assert not at.exception, at.exception
    notes = [m.value for m in at.markdown if "Candidate recalculation points" in m.value]
    assert bool(notes) == shown
    if shown:
        assert (
            "- March 2022: 8 months in a row above the centre line (a sustained shift)"
            in (notes[0])
        )
