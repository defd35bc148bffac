"""Stored scores and maintained aggregates: computed once per data version, kept exactly in step
by every load, unload, revision, demo and target change, on SQLite and PostgreSQL, and equal
to a fresh computation (`manage.py check`)."""

from __future__ import annotations

import shutil
import sys
import types
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select, text

import manage
import scoring
from config import PROJECT_ROOT, get_catalogue, load_catalogue
from db import aggregates
from db import scores as stored
from db.engine import session_scope
from db.models import IncidentHours
from db.queries import monthly_values, store_summary
from db.store import init_store
from metrics import codec, scorecard
from scoring.check import check
from tests.conftest import require_shared
from tests.test_loading import incident_file


def street(month: str) -> Path:
    return require_shared("data", "policeuk", f"{month}-lancashire-street.csv")


def run(capsys, *args) -> tuple[int, str, str]:
    code = manage.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty(store, use_store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    return store


def _state(store) -> tuple[str | None, list[date]]:
    with session_scope(store.engine) as session:
        return stored.score_state(session=session), stored.stored_months(session=session)


def _checked(store, catalogue=None) -> None:
    catalogue = catalogue or get_catalogue()
    result = check(engine=store.engine, catalogue=catalogue)
    assert result.problems == (), result.problems
    per_month = len(catalogue.area_names()) * len(catalogue.measures.measure)
    assert result.scores == len(result.months) * per_month > 0


# --- the codec -----------------------------------------------------------------------------


def test_a_stored_score_decodes_to_an_equal_score(demo_sqlite):
    """Every measure at the force's latest month: same floats, frame, dtypes, segments."""
    catalogue = get_catalogue()
    with session_scope(demo_sqlite.engine) as session:
        force = monthly_values(session=session, level="force")
    as_of = max(force["month"])
    for measure in catalogue.measures.measure:
        frame = force[force["measure"] == measure.code]
        score = scorecard.score_in(catalogue, frame, force, measure, "Lancashire", as_of)
        back = codec.decode(codec.encode(score))
        pd.testing.assert_frame_equal(back.spc.frame, score.spc.frame, check_freq=True)
        assert back.forecast == score.forecast
        assert back.status == score.status and back.judged_to == score.judged_to
        assert back.provisional_months == score.provisional_months
        assert back.respondents == score.respondents or measure.aggregation != "survey"
        assert back.interval == score.interval or measure.aggregation != "survey"
        assert codec.encode(back) == codec.encode(score)


def test_text_of_another_format_is_refused():
    with pytest.raises(ValueError, match="format 0"):
        codec.decode('{"format": 0, "score": {}}')


def test_only_known_classes_decode():
    with pytest.raises(KeyError):
        codec.decode(f'{{"format": {codec.FORMAT}, "score": {{"@": "Popen", "args": "ls"}}}}')


# --- kept in step ----------------------------------------------------------------------------


def test_loads_unloads_and_a_revision_keep_scores_and_aggregates_in_step(empty, capsys, tmp_path):
    """Each command that changes data brings the scores up to date; only what changed is
    computed again; `manage.py check` agrees after every step."""
    catalogue = get_catalogue()
    per_month = len(catalogue.area_names()) * len(catalogue.measures.measure)
    code, out, _ = run(capsys, "load", street("2024-01"), street("2024-02"))
    assert code == 0 and "Scores up to date for 2024-01, 2024-02:" in out
    version, months = _state(empty)
    assert months == [date(2024, 1, 1), date(2024, 2, 1)]
    assert run(capsys, "check")[0] == 0

    code, out, _ = run(capsys, "load", street("2024-03"))
    assert code == 0
    assert f"{per_month} computed, {per_month} unchanged" in out  # only March is new
    assert _state(empty)[1] == [date(2024, 2, 1), date(2024, 3, 1)]

    # a republished month: its figures and every later month's scores change
    revised = tmp_path / "2024-03-lancashire-street.csv"
    lines = street("2024-03").read_text(encoding="utf-8").splitlines(keepends=True)
    revised.write_text("".join(lines[:-50]), encoding="utf-8")
    assert run(capsys, "load", revised)[0] == 0
    _checked(empty)

    extract = incident_file(
        tmp_path / "incidents.csv",
        [("ASB/1", "2024-03-04 18:30", "Burnley"), ("ASB/2", "2024-03-05 19:10", "Preston")],
    )
    assert run(capsys, "load", extract)[0] == 0
    with session_scope(empty.engine) as session:
        summary = store_summary(session=session)
        loads = session.execute(text("SELECT MAX(id) FROM loads")).scalar()
    assert summary.incidents == 2
    _checked(empty)

    assert run(capsys, "unload", loads)[0] == 0
    with session_scope(empty.engine) as session:
        assert store_summary(session=session).incidents == 0
        assert session.execute(text("SELECT COUNT(*) FROM incident_hours")).scalar() == 0
    _checked(empty)
    assert _state(empty)[0] != version


def test_a_target_change_recomputes_that_measure_only(empty, capsys, tmp_path):
    assert run(capsys, "load", street("2024-01"), street("2024-02"))[0] == 0
    folder = Path(shutil.copytree(PROJECT_ROOT / "config", tmp_path / "config"))
    targets = folder / "targets.toml"
    source = targets.read_text(encoding="utf-8")
    targets.write_text(
        source.replace('rationale = "', 'rationale = "Changed by the board. ', 1), encoding="utf-8"
    )
    changed = load_catalogue(folder)
    first = changed.targets.target[0]
    assert first.rationale.startswith("Changed by the board.")
    assert scoring.is_current(engine=empty.engine, catalogue=get_catalogue())
    assert not scoring.is_current(engine=empty.engine, catalogue=changed)
    result = scoring.refresh(engine=empty.engine, catalogue=changed)
    using = [
        area
        for area in changed.area_names()
        if scorecard.target_for(changed, first.measure, area)[0] == first
    ]
    assert result.computed == 2 * len(using) > 0  # two months stored
    _checked(empty, changed)
    assert check(engine=empty.engine, catalogue=get_catalogue()).problems  # stale for the old


def test_check_names_a_tampered_score_and_aggregate(empty, capsys, tmp_path):
    extract = incident_file(
        tmp_path / "incidents.csv",
        [("ASB/1", "2024-01-04 18:30", "Burnley"), ("ASB/2", "2024-01-05 19:10", "Preston")],
    )
    assert run(capsys, "load", street("2024-01"), extract)[0] == 0
    assert run(capsys, "check")[0] == 0
    with session_scope(empty.engine) as session:
        session.execute(
            text(
                'UPDATE scores SET payload = REPLACE(payload, \'"kind":"run"\', '
                "'\"kind\":\"xmr\"') WHERE measure_code = 'asb_incidents' AND area = 'Burnley'"
                " AND as_of = '2024-01-01'"
            )
        )
        _add_to_hours(session, 1)
    code, _, err = run(capsys, "check")
    assert code == 1
    assert "incident_hours: 2 count(s) differ from the incidents" in err
    assert "1 stored score(s) differ from a fresh computation: asb_incidents Burnley 2024-01" in err
    scoring.refresh(engine=empty.engine, catalogue=get_catalogue())  # inputs unchanged: kept,
    assert run(capsys, "check")[0] == 1  # so a refresh trusts the keys and check does not
    with session_scope(empty.engine) as session:
        _add_to_hours(session, -1)
        session.execute(text("DELETE FROM scores WHERE measure_code = 'asb_incidents'"))
    code, _, err = run(capsys, "check")
    assert code == 1 and "score(s) missing (not stored)" in err
    scoring.refresh(engine=empty.engine, catalogue=get_catalogue())
    assert run(capsys, "check")[0] == 0
    with session_scope(empty.engine) as session:  # the table has no foreign keys to keep these out
        session.execute(text("UPDATE asb_incidents SET load_id = 99 WHERE reference = 'ASB/1'"))
        session.execute(
            text("UPDATE asb_incidents SET district_code = 'E99' WHERE reference = 'ASB/2'")
        )
    code, _, err = run(capsys, "check")
    assert code == 1
    assert "asb_incidents: rows of an unknown load: 99 (1 rows)" in err
    assert "asb_incidents: rows of an unknown district: E99 (1 rows)" in err


def _add_to_hours(session, n: int) -> None:
    """Change every stored hour x weekday grid by `n` at 18:00 on Thursday."""
    for row in session.scalars(select(IncidentHours)):
        grid = aggregates.decode(row.counts)
        grid[18, 3] += n
        row.counts = aggregates.encode(grid)


def test_demo_aggregates_equal_the_incident_rows(demo_store):
    with session_scope(demo_store.engine) as session:
        assert aggregates.recount(session=session) == []
        shown = session.execute(text("SELECT COUNT(*) FROM asb_incidents WHERE shown")).scalar()
        assert store_summary(session=session).incidents == shown


def test_parallel_processes_store_what_one_process_stores(store, monkeypatch):
    """Two worker processes and the calling process alone give the same text for every score."""
    monkeypatch.setattr(scoring, "PARALLEL_FROM", 0)  # short series: processes only if forced
    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    from ingest import inspect
    from ingest.load import load_plan

    for month in ("2024-01", "2024-02"):
        load_plan(
            engine=store.engine,
            catalogue=catalogue,
            plan=inspect(street(month), catalogue=catalogue),
            actor="tests",
        )
    serial = scoring.refresh(engine=store.engine, catalogue=catalogue, workers=1)
    with session_scope(store.engine) as session:
        first = stored.stored_texts(session=session)
        session.execute(text("DELETE FROM scores"))
    parallel = scoring.refresh(engine=store.engine, catalogue=catalogue, workers=2)
    with session_scope(store.engine) as session:
        assert stored.stored_texts(session=session) == first
    assert serial.computed == parallel.computed == len(first)


def test_worker_processes_never_run_the_callers_main_script(store, monkeypatch, tmp_path):
    """Under Streamlit the main module is app.py: a worker that ran it again would open and
    migrate the store from every process at once."""
    monkeypatch.setattr(scoring, "PARALLEL_FROM", 0)
    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    from ingest import inspect
    from ingest.load import load_plan

    load_plan(
        engine=store.engine,
        catalogue=catalogue,
        plan=inspect(street("2024-01"), catalogue=catalogue),
        actor="tests",
    )
    mark = tmp_path / "ran"
    script = tmp_path / "app_like.py"
    script.write_text(f"open({str(mark)!r}, 'a').write('ran')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    result = scoring.refresh(engine=store.engine, catalogue=catalogue, workers=2)
    assert result.computed > 0
    assert not mark.exists()
    assert sys.modules["__main__"] is main
