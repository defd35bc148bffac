"""Configuration is the only truth (issue 27): the operations' pages come from
config/operations.toml (a new operation is a configuration change, not a new page file), page
access is written once (`config.access`), the public summary's words for its measures, the
incident-category measure, the target year and the force are read from config/, and the
small-number threshold's default is written once."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from config import PROJECT_ROOT, ConfigError, get_catalogue, get_settings, load_catalogue
from config.access import PAGE_NEEDS, Can, page_needs
from config.force import FORCE_AREA, POLICE_FORCE
from config.settings import DEFAULT_SMALL_NUMBER_THRESHOLD, Settings
from metrics import suppression
from views.navigation import NAVIGATION, OPERATION_PAGE, OPERATIONS, sections

CAT = get_catalogue()
NEW_OPERATION = """
[[operation]]
code = "nightfall"
short_name = "Nightfall"
name = "Operation Nightfall"
url_path = "nightfall"
icon = ":material/nightlight:"
specific = "Reduce ASB in the night-time economy."
measurable = ["Reduction in ASB calls at night"]
achievable = "Existing patrols."
relevant = "Residents' concerns."
time_bound = "Targets achieved by March 2027"
"""


def _config_copy(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", target, ignore=shutil.ignore_patterns("*.py", "__*"))
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- operations' pages ---------------------------------------------------------------------


def test_the_operation_pages_keep_todays_urls_titles_icons_and_order():
    assert NAVIGATION[OPERATIONS] == [
        (OPERATION_PAGE, "Operation Centurion", ":material/groups:", "centurion"),
        (OPERATION_PAGE, "Centurion On Wheels", ":material/two_wheeler:", "on-wheels"),
        (OPERATION_PAGE, "Operation Vulture", ":material/storefront:", "vulture"),
    ]
    assert list(NAVIGATION)[1] == OPERATIONS  # after "For the board", as before


def test_a_new_operation_in_configuration_gets_its_page_and_link(tmp_path):
    directory = _config_copy(tmp_path)
    with (directory / "operations.toml").open("a", encoding="utf-8") as out:
        out.write(NEW_OPERATION)
    _replace(  # one measure of the new operation (public confidence is shared by all)
        directory / "measures.toml",
        'operations = ["centurion", "centurion_on_wheels", "vulture"]',
        'operations = ["centurion", "centurion_on_wheels", "vulture", "nightfall"]',
    )
    catalogue = load_catalogue(directory)
    entries = sections(catalogue)[OPERATIONS]
    assert entries[-1] == (
        OPERATION_PAGE,
        "Operation Nightfall",
        ":material/nightlight:",
        "nightfall",
    )
    assert entries[:-1] == NAVIGATION[OPERATIONS]  # the others unchanged, in order
    assert catalogue.operations.by_url_path("nightfall").code == "nightfall"
    assert page_needs("nightfall") is Can.SEE_AGGREGATES  # like every operation's page


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'url_path = "vulture"',
            'url_path = "centurion"',
            "operation url_paths repeated: ['centurion']",
        ),
        ('icon = ":material/storefront:"', 'icon = "storefront"', "String should match pattern"),
        ('url_path = "on-wheels"', 'url_path = "On Wheels"', "String should match pattern"),
    ],
)
def test_an_operation_page_must_have_its_own_url_path_and_a_material_icon(
    tmp_path, old, new, problem
):
    directory = _config_copy(tmp_path)
    _replace(directory / "operations.toml", old, new)
    with pytest.raises(ConfigError) as raised:
        load_catalogue(directory)
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def test_an_operation_without_measures_is_refused(tmp_path):
    directory = _config_copy(tmp_path)
    with (directory / "operations.toml").open("a", encoding="utf-8") as out:
        out.write(NEW_OPERATION)
    with pytest.raises(ConfigError) as raised:
        load_catalogue(directory)
    assert raised.value.problems == [
        f"{directory / 'operations.toml'}: operation 'nightfall' (entry 4): no measure names it "
        "(its page shows its measures)"
    ]


def test_no_page_file_per_operation_and_every_page_file_is_in_the_navigation():
    files = {f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py")}
    listed = {path for entries in NAVIGATION.values() for path, *_ in entries}
    assert files == listed
    assert not {"pages/centurion.py", "pages/on-wheels.py", "pages/vulture.py"} & files
    urls = [url for entries in NAVIGATION.values() for *_, url in entries]
    assert len(set(urls)) == len(urls), "two pages at one URL"


# --- page access, written once -------------------------------------------------------------


def test_page_access_names_pages_of_the_navigation_by_url_path():
    urls = {url for entries in NAVIGATION.values() for *_, url in entries}
    assert set(PAGE_NEEDS) <= urls
    assert page_needs("audit") is Can.SEE_AUDIT
    assert page_needs("") is Can.SEE_AGGREGATES  # the Overview


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "pages").glob("*.py")), ids=str)
def test_no_page_restates_what_it_needs(path):
    """A page's access is `config.access.PAGE_NEEDS` only: page_header takes no `needs`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "page_header"
    ]
    assert all(k.arg != "needs" for call in calls for k in call.keywords)


# --- the public summary's words ------------------------------------------------------------


@pytest.mark.parametrize("code", CAT.public.measures)
def test_every_measure_of_the_public_summary_has_its_words(code):
    words = CAT.public_words(code)
    assert words.heading and words.counted.endswith(".")
    assert words.one != words.many  # the noun for one and for several


def test_a_public_measure_without_words_is_refused(tmp_path):
    directory = _config_copy(tmp_path)
    _replace(directory / "measures.toml", 'heading = "Orders and powers used"\n', "")
    with pytest.raises(ConfigError) as raised:
        load_catalogue(directory)
    assert any("public.heading: required key is missing" in p for p in raised.value.problems)
    measures = directory / "measures.toml"
    text = measures.read_text(encoding="utf-8")
    start = text.index("[measure.public]", text.index('code = "civil_orders"'))
    end = text.index("[[measure]]", start)
    measures.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_catalogue(directory)
    assert raised.value.problems == [
        f"{measures}: measure 'civil_orders': public: the public summary shows it, so it needs "
        "its words for residents ([measure.public]: heading, one, many, counted)"
    ]


# --- the incident-category measure ---------------------------------------------------------


def test_the_incident_categories_come_from_the_configured_measure():
    assert CAT.measures.incidents_measure == "asb_incidents"
    assert CAT.measures.incident_categories == ["personal", "nuisance", "environmental"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("asb_incident", "incidents_measure: no measure has the code 'asb_incident'"),
        ("civil_orders", "incidents_measure: 'civil_orders' must count every incident record"),
    ],
)
def test_the_incident_measure_must_count_every_incident_with_categories(tmp_path, name, problem):
    directory = _config_copy(tmp_path)
    _replace(
        directory / "measures.toml",
        'incidents_measure = "asb_incidents"',
        f'incidents_measure = "{name}"',
    )
    with pytest.raises(ConfigError) as raised:
        load_catalogue(directory)
    assert any(problem in p for p in raised.value.problems), raised.value.problems


# --- dates, the force and the threshold ----------------------------------------------------


def test_the_target_year_is_configured_once_and_named_by_one_helper():
    assert (CAT.targets.period.start, CAT.targets.period.end) == ("2026-04", "2027-03")
    assert {t.period for t in CAT.targets.target} == {CAT.targets.period}
    assert CAT.target_month == "March 2027"
    assert CAT.public.end_month_names == "March or September"


def test_a_target_may_keep_its_own_period(tmp_path):
    directory = _config_copy(tmp_path)
    _replace(
        directory / "targets.toml",
        'measure = "civil_orders"\n',
        'measure = "civil_orders"\nperiod = { start = "2025-04", end = "2026-03" }\n',
    )
    catalogue = load_catalogue(directory)
    assert catalogue.force_target("civil_orders").period.end == "2026-03"
    assert catalogue.force_target("asb_incidents").period.end == "2027-03"


def test_the_force_is_read_from_the_geography():
    assert (CAT.geography.force, CAT.geography.police_force) == (FORCE_AREA, POLICE_FORCE)
    assert (FORCE_AREA, POLICE_FORCE) == ("Lancashire", "Lancashire Constabulary")


def test_the_small_number_threshold_default_is_written_once():
    assert suppression.DEFAULT_THRESHOLD == DEFAULT_SMALL_NUMBER_THRESHOLD
    assert Settings.model_fields["SMALL_NUMBER_THRESHOLD"].default == DEFAULT_SMALL_NUMBER_THRESHOLD
    assert get_settings().SMALL_NUMBER_THRESHOLD >= 1


@pytest.mark.parametrize("folder", ["views", "pages", "boardpack", "publicsummary", "scoring"])
def test_no_code_types_the_target_month_or_the_force_name(folder):
    """Dates and the force's names in text come from config/ (a test's sample text aside)."""
    for path in (PROJECT_ROOT / folder).glob("*.py"):
        strings = [
            node.value
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        code = [s for s in strings if not s.lstrip().startswith(("'", '"')) and "\n" not in s]
        for text in code:
            assert "March 2027" not in text, f"{path.name}: {text!r}"
            assert "Lancashire Constabulary" not in text, f"{path.name}: {text!r}"
