"""Configuration: the catalogue validates, matches the published geography, and explains errors."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from config import PROJECT_ROOT, ConfigError, Settings, get_catalogue, load_catalogue
from tests.conftest import require_shared

FIXED_CODES = [
    "asb_incidents",
    "hotspot_patrol_hours",
    "civil_orders",
    "public_confidence",
    "asb_vehicle_incidents",
    "ebike_fatal_collisions",
    "vehicles_seized",
    "shoplifting_recorded",
    "shoplifting_positive_outcomes",
    "prolific_offender_cbos",
    "enforcement_actions",
]


def test_fixed_measure_codes_are_all_defined():
    codes = list(get_catalogue().measure_by_code)
    assert [c for c in FIXED_CODES if c not in codes] == []


def test_geography_matches_published_reference():
    path = require_shared("reference", "geography.csv")
    published = [
        (r["division"], r["district"], r["ons_code"], r["centurion_hotspot"])
        for r in csv.DictReader(path.open())
    ]
    geo = get_catalogue().geography
    assert [(d.division, d.name, d.ons_code, d.hotspot) for d in geo.district] == published
    assert [d.name for d in geo.division] == ["East", "South", "West"]


def test_populations_match_ons_files():
    path = require_shared("data", "population", "lancashire_districts_population.csv")
    rows = {r["lad_code"]: r for r in csv.DictReader(path.open())}
    for d in get_catalogue().geography.district:
        assert d.population_mid2020 == int(rows[d.ons_code]["mid2020_mye_persons"])
        assert d.population_census2021 == int(rows[d.ons_code]["census2021_persons_rounded"])


def test_operations_quote_the_plan():
    plan = require_shared("seeds", "000_e46f3412fd6c67dd.txt").read_text(encoding="utf-8")
    for op in get_catalogue().operations.operation:
        for text in (op.specific, op.achievable, op.relevant, *op.measurable):
            assert text in plan, f"{op.code}: {text!r} is not the plan's wording"


@pytest.mark.parametrize(
    ("outcome", "positive"),
    [
        ("Suspect charged", True),
        ("Suspect charged as part of another case", True),
        ("Offender given a caution", True),
        ("Offender given community resolution", True),  # by the "Offender " prefix
        ("Offender sent to prison", True),
        ("Local resolution", True),
        ("Awaiting court outcome", True),
        ("Court result unavailable", True),
        ("Defendant sent to Crown Court", True),
        ("Court case unable to proceed", True),
        ("Defendant found not guilty", True),
        ("Investigation complete; no suspect identified", False),
        ("Unable to prosecute suspect", False),
        ("Under investigation", False),
        ("Status update unavailable", False),
        ("", False),
        (None, False),
    ],
)
def test_positive_outcome_definition(outcome, positive):
    assert get_catalogue().outcomes["shoplifting_positive"].is_positive(outcome) is positive


def _broken_config(tmp_path: Path, file: str, old: str, new: str) -> Path:
    target = tmp_path / "config"
    shutil.copytree(
        PROJECT_ROOT / "config", target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    path = target / file
    content = path.read_text(encoding="utf-8")
    assert old in content, f"fixture text {old!r} not in {file}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "measures.toml",
            'good_direction = "decrease"',
            'good_direciton = "decrease"',
            "measures.toml: measure 'asb_incidents' (entry 1): "
            "good_direciton: unknown key (misspelt?)",
        ),
        (
            "measures.toml",
            'operations = ["centurion"]',
            'operations = ["centurian"]',
            "measures.toml: measure 'asb_incidents' (entry 1): operations: unknown operation "
            "'centurian'",
        ),
        (
            "geography.toml",
            'division = "West"',
            'division = "East"',
            "geography.toml: district 'Blackpool' is in the wrong division: it says "
            "'East' but division 'West' lists it",
        ),
        (
            "targets.toml",
            'measure = "civil_orders"',
            'measure = "civil_order"',
            "targets.toml: target 'civil_order' (entry 3): measure: no measure has the code "
            "'civil_order'",
        ),
        (
            "measures.toml",
            'unit = "hours"',
            'unit = "minutes"',
            "measures.toml: measure 'hotspot_patrol_hours' (entry 2): unit: Input should be "
            "'count', 'hours' or 'percent'",
        ),
        (
            "targets.toml",
            'kind = "directional"\nrationale = "ASB Action Plan, Operation Centurion: \'Reduction',
            'kind = "percent_change"\nrationale = "ASB Action Plan, '
            "Operation Centurion: 'Reduction",
            "targets.toml: target 'asb_incidents' (entry 1): a percent_change target needs a value",
        ),
        (
            "measures.toml",
            'short_title = "Civil orders"',
            'short_title = "Civil orders"\nbaseline = { start = "2024-13", end = "2025-09" }',
            "measures.toml: measure 'civil_orders' (entry 3): baseline.start: '2024-13' is not a "
            "month in the form YYYY-MM",
        ),
    ],
    ids=[
        "misspelt-key",
        "unknown-operation",
        "wrong-division",
        "target-unknown-measure",
        "bad-unit",
        "target-without-value",
        "bad-month",
    ],
)
def test_config_errors_name_file_entry_and_problem(tmp_path, file, old, new, expected):
    directory = _broken_config(tmp_path, file, old, new)
    with pytest.raises(ConfigError) as caught:
        load_catalogue(directory)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    directory = _broken_config(tmp_path, "measures.toml", 'unit = "hours"', 'unit = "minutes"')
    path = directory / "targets.toml"
    path.write_text(path.read_text().replace('measure = "civil_orders"', 'measure = "x"'))
    with pytest.raises(ConfigError) as caught:
        load_catalogue(directory)
    assert len(caught.value.problems) == 1  # file-level errors first, cross-file checks after
    fixed = directory / "measures.toml"
    fixed.write_text(fixed.read_text().replace('unit = "minutes"', 'unit = "hours"'))
    with pytest.raises(ConfigError) as caught:
        load_catalogue(directory)
    assert [p for p in caught.value.problems if "'x'" in p]
    assert [p for p in caught.value.problems if "'civil_orders' has no Lancashire target" in p]


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in readme]
    assert missing == []


def test_default_store_is_sqlite_in_data_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.DATABASE_URL == "sqlite:///data/dashboard.db"
    assert settings.is_default_store


def test_relative_sqlite_path_is_made_absolute_and_its_folder_created(tmp_path, monkeypatch):
    import config.settings as settings_module
    from db.engine import resolve_url

    monkeypatch.setattr("db.engine.PROJECT_ROOT", tmp_path)
    url = resolve_url("sqlite:///nested/folder/x.db")
    assert url == f"sqlite:///{tmp_path}/nested/folder/x.db"
    assert (tmp_path / "nested" / "folder").is_dir()
    assert settings_module.DEFAULT_DATABASE_URL.startswith("sqlite:///")
    assert re.match(r"postgresql\+psycopg://u:p@h/d", resolve_url("postgresql+psycopg://u:p@h/d"))
