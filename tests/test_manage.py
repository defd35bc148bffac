"""The command line: export adds up across levels, errors are clear, every command has --help."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pandas as pd
import pytest
from alembic import command

import manage
from config import PROJECT_ROOT, get_catalogue, get_settings
from db.migrate import alembic_config, current_revision, head_revision
from tests.conftest import Store


def _export(capsys, *args: str) -> pd.DataFrame:
    assert manage.main(["export", *args]) == 0
    text = capsys.readouterr().out
    header = next(csv.reader(io.StringIO(text)))
    assert header == [
        "measure", "level", "area", "month", "value", "numerator", "denominator",
        "limits_from", "limits_to", "months_present",
    ]  # fmt: skip
    return pd.read_csv(
        io.StringIO(text), keep_default_na=False, na_values={"numerator": [""], "denominator": [""]}
    )


@pytest.fixture
def exported(demo_store, use_store, capsys) -> pd.DataFrame:
    use_store(demo_store)
    return _export(capsys, "--from", "2024-04", "--to", "2025-09")


def test_districts_add_to_divisions_and_divisions_to_force(exported):
    catalogue = get_catalogue()
    division_of = {d.name: d.division for d in catalogue.geography.district}
    district = exported[exported["level"] == "district"].assign(
        parent=lambda f: f["area"].map(division_of)
    )
    division = exported[exported["level"] == "division"]
    force = exported[exported["level"] == "force"]
    keys = ["measure", "month"]
    for measure in catalogue.measures.measure:
        column = "value" if measure.aggregation == "sum" else "numerator"
        columns = [column] if measure.aggregation == "sum" else ["numerator", "denominator"]

        def mine(frame: pd.DataFrame, code: str = measure.code) -> pd.DataFrame:
            return frame[frame["measure"] == code]

        up = mine(district).groupby(["parent", *keys])[columns].sum()
        mid = mine(division).set_index(["area", *keys])[columns]
        mid.index.names = up.index.names
        pd.testing.assert_frame_equal(up.sort_index(), mid.sort_index(), check_dtype=False)
        top = mine(force).set_index(keys)[columns]
        pd.testing.assert_frame_equal(
            mine(division).groupby(keys)[columns].sum().sort_index(),
            top.sort_index(),
            check_dtype=False,
        )
        if measure.aggregation != "sum":
            rows = mine(force)
            recomputed = 100 * rows["numerator"] / rows["denominator"]
            assert (recomputed.round(4) - rows["value"]).abs().max() < 1e-4, column


def test_export_says_the_months_loaded_and_the_months_the_limits_were_fitted_on(exported):
    """months_present counts the 12 months to each row's month, also those before --from;
    limits_from and limits_to are the fitting months of the limits drawn at that month."""
    asb = exported[(exported["measure"] == "asb_incidents") & (exported["level"] == "force")]
    assert (asb["months_present"] == 12).all()  # demo data from April 2022: every window whole
    assert asb["limits_from"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert (asb["limits_from"] <= asb["limits_to"]).all()


def test_export_lists_every_measure_level_and_area(exported):
    catalogue = get_catalogue()
    assert list(dict.fromkeys(exported["measure"])) == list(catalogue.measure_by_code)
    areas = exported.groupby("level")["area"].unique().map(list).to_dict()
    geo = catalogue.geography
    assert areas == {
        "force": ["Lancashire"],
        "division": [d.name for d in geo.division],
        "district": [d.name for d in geo.district],
    }
    assert exported["month"].min() == "2024-04" and exported["month"].max() == "2025-09"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--level", "force", "--from", "2024-10", "--to", "2025-09"], {"Lancashire": 54064}),
        (
            ["--level", "division", "--from", "2024-10", "--to", "2025-09"],
            {"East": 19561, "South": 15954, "West": 18549},
        ),
        (["--level", "district", "--from", "2025-01", "--to", "2025-01"], None),
    ],
)
def test_export_filters(demo_store, use_store, capsys, args, expected):
    use_store(demo_store)
    frame = _export(capsys, "--measure", "asb_incidents", *args)
    assert set(frame["measure"]) == {"asb_incidents"}
    if expected is None:
        assert len(frame) == 14 and set(frame["month"]) == {"2025-01"}
    else:
        assert frame.groupby("area")["value"].sum().to_dict() == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--measure", "asb_incident"], "unknown measure code 'asb_incident'"),
        (["export", "--from", "2024-13"], "'2024-13' is not a month in the form YYYY-MM"),
        (["export", "--to", "Oct 2025"], "'Oct 2025' is not a month in the form YYYY-MM"),
        (["export", "--from", "2025-10", "--to", "2025-01"], "--from is after --to"),
        (["export", "--level", "ward"], "invalid choice: 'ward'"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(capsys, args, message):
    with pytest.raises(SystemExit) as caught:
        manage.main(args)
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("command", [[], ["init"], ["demo"], ["export"]])
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as caught:
        manage.main([*command, "--help"])
    assert caught.value.code == 0
    assert "usage: manage.py" in capsys.readouterr().out


def test_init_and_demo_from_the_shell(tmp_path):
    """The real command line, as a user runs it, twice each, on the store a user starts with
    (SQLite). Not repeated on PostgreSQL: `demo` scores every measure and area (half a minute),
    and the same steps run there in-process (test_demo.py loads the demo twice, test_status.py
    and test_scores.py score it)."""
    store = Store("sqlite", tmp_path)
    env = {"DATABASE_URL": store.url, "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )

    assert "15 target(s) recorded" in run("init").stdout
    assert "0 target(s) recorded" in run("init").stdout
    out = run("demo", "--seed", "4").stdout
    assert "Loaded DEMONSTRATION data (seed 4)" in out and "replacing" not in out
    assert "replacing 1 earlier demo load(s)" in run("demo", "--seed", "4").stdout
    export = run(
        "export",
        "--measure",
        "asb_incidents",
        "--level",
        "force",
        "--from",
        "2024-10",
        "--to",
        "2025-09",
    ).stdout
    assert sum(int(line.split(",")[4]) for line in export.splitlines()[1:]) == 54064
    store.close()


@pytest.mark.parametrize(
    "command", [["status"], ["export"], ["loads"], ["unload", "1"]], ids=lambda c: c[0]
)
def test_a_store_with_no_schema_is_one_line_and_status_1(store, use_store, capsys, command):
    use_store(store)
    shown = store.engine.url.render_as_string(hide_password=True)
    assert manage.main(command) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"The data store at {shown} has no schema yet: run `python manage.py init` first.\n"
    )
    assert captured.out == ""
    assert current_revision(store.engine) is None  # looking did not create the schema
    if store.backend == "postgresql":
        assert ":***@" in captured.err and ":dashboard@" not in captured.err


def test_a_store_with_an_older_schema_is_told_to_run_init(store, use_store, capsys):
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    use_store(store)
    shown = store.engine.url.render_as_string(hide_password=True)
    assert manage.main(["loads"]) == 1
    assert capsys.readouterr().err == (
        f"The data store at {shown} has schema revision 0001, but this version of the "
        f"dashboard needs {head_revision()}: run `python manage.py init` first.\n"
    )


def test_no_schema_from_the_shell_prints_no_traceback(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "status"],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"The data store at {url} has no schema yet: run `python manage.py init` first.\n"
    )
    assert result.stdout == ""


def test_usage_errors_come_before_the_schema_check(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as caught:
            manage.main(["export", "--measure", "asb_incident"])
    finally:
        get_settings.cache_clear()
    assert caught.value.code == 2
    assert not (tmp_path / "empty.db").exists()
    assert "unknown measure code 'asb_incident'" in capsys.readouterr().err
