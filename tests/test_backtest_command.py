"""`manage.py backtest`: the rolling-origin backtest over the loaded data as CSV, on the
demonstration store (SQLite)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import manage
from config.access import COMMAND_NEEDS, Can
from scoring.trackrecord import COLUMNS


@pytest.fixture
def force_trials(demo_sqlite, use_store, capsys) -> pd.DataFrame:
    use_store(demo_sqlite)
    args = ["backtest", "--measure", "asb_incidents", "--level", "force", "--step", "6"]
    assert manage.main(args) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_backtest_prints_one_row_per_trial(force_trials):
    assert list(force_trials.columns) == COLUMNS
    assert set(force_trials["measure"]) == {"asb_incidents"}
    assert set(force_trials["area"]) == {"Lancashire"}
    assert force_trials["horizon"].between(1, 18).all()
    assert force_trials["hit95"].isin([True, False]).all()


def test_the_chance_is_stated_only_where_the_year_before_was_known(force_trials):
    stated = force_trials["probability"].notna()
    assert stated.any()
    assert (force_trials.loc[stated, "horizon"] <= 12).all()
    assert force_trials.loc[~stated, "horizon"].gt(12).all()


def test_windows_end_every_step_months(force_trials):
    ends = pd.to_datetime(force_trials["window_end"]).drop_duplicates().sort_values()
    gaps = ends.diff().dropna().dt.days
    assert gaps.between(180, 186).all()


def test_backtest_writes_a_file(demo_sqlite, use_store, tmp_path, capsys):
    use_store(demo_sqlite)
    out = tmp_path / "trials.csv"
    args = ["backtest", "--measure", "civil_orders", "--level", "force", "--step", "12"]
    assert manage.main([*args, "--out", str(out)]) == 0
    assert "trials written to" in capsys.readouterr().err
    assert out.read_text().splitlines()[0] == ",".join(COLUMNS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backtest", "--step", "0"], "must be 1 or more"),
        (["backtest", "--level", "ward"], "invalid choice: 'ward'"),
    ],
)
def test_bad_backtest_arguments_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as caught:
        manage.main(args)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_backtest_needs_aggregate_access_and_has_help(capsys):
    assert COMMAND_NEEDS["backtest"] is Can.SEE_AGGREGATES
    with pytest.raises(SystemExit) as caught:
        manage.main(["backtest", "--help"])
    assert caught.value.code == 0
    assert "usage: manage.py backtest" in capsys.readouterr().out


def test_the_track_record_is_stored_once_per_data_version(demo_sqlite):
    import scoring
    from config import get_catalogue
    from db.engine import read_scope
    from db.trackrecord import track_record
    from scoring.trackrecord import refresh_track_record

    catalogue = get_catalogue()
    scoring.refresh(engine=demo_sqlite.engine, catalogue=catalogue)  # as every data change does
    with read_scope(demo_sqlite.engine) as session:
        version = scoring.store_version(session=session, catalogue=catalogue)
        record = track_record(session=session)
    assert list(record["measure"]) == sorted(catalogue.measure_by_code)
    assert set(record["version"]) == {version}
    assert (record["forecasts"] > 0).any()
    assert not refresh_track_record(engine=demo_sqlite.engine, catalogue=catalogue, version=version)


def test_the_definitions_page_shows_the_stored_track_record(demo_sqlite, use_store):
    import scoring
    from config import get_catalogue
    from present.trackrecord_wording import RECORD_TITLE
    from tests.conftest import open_page

    use_store(demo_sqlite)
    scoring.refresh(engine=demo_sqlite.engine, catalogue=get_catalogue())
    at = open_page("pages/definitions.py")
    assert any(RECORD_TITLE in m.value for m in at.markdown)
    tables = [t.value for t in at.dataframe if "Brier score" in t.value.columns]
    assert len(tables) == 1
    assert tables[0]["What we said and what happened"].str.startswith("When we said").any()
