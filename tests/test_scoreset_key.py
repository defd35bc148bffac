"""The code part of every score's input key (`metrics.calculation`): found from the imports of
the score computation, never listed by hand, with the numerical libraries' versions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT
from metrics import calculation, scoreset

# The modules the key was a hand-written list of before issue 27: all still in it.
LISTED_BEFORE = (
    "annualchange", "codec", "control", "fitting", "forecast", "maturity", "periods", "rare",
    "scorecard", "scoreset", "seasonal", "spc", "status", "targets",
)  # fmt: skip

# A tiny project: `calc.entry` imports `calc.helper` at the top and `calc.lazy` inside a
# function (both reached); `calc.unused` and `other` are imported by nothing it reaches.
TINY = {
    "calc/__init__.py": "",
    "calc/entry.py": "import numpy\nfrom calc import helper\n\n"
    "def run():\n    from calc.lazy import value\n    return helper.twice(value)\n",
    "calc/helper.py": "def twice(x):\n    return 2 * x\n",
    "calc/lazy.py": "value = 1\n",
    "calc/unused.py": "value = 2\n",
    "other/__init__.py": "from calc import entry\n",
}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    for name, text in TINY.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def tiny_key(root: Path) -> calculation.CodeKey:
    return calculation.code_key("calc.entry", root, ("numpy",))


def test_the_walk_finds_top_level_and_lazy_imports_and_packages_only_in_the_project(tiny):
    assert list(calculation.modules_reached("calc.entry", tiny)) == [
        "calc", "calc.entry", "calc.helper", "calc.lazy",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("module", "changes_key"),
    [
        ("calc/entry.py", True),
        ("calc/helper.py", True),
        ("calc/lazy.py", True),  # imported only inside a function
        ("calc/__init__.py", True),  # runs before its modules
        ("calc/unused.py", False),
        ("other/__init__.py", False),  # imports the entry, is not imported by it
    ],
)
def test_a_changed_module_changes_the_key_only_if_the_calculation_reaches_it(
    tiny, module, changes_key
):
    before = tiny_key(tiny)
    path = tiny / module
    path.write_text(path.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    assert (tiny_key(tiny).digest != before.digest) is changes_key


def test_a_new_import_brings_its_module_into_the_key(tiny):
    before = tiny_key(tiny)
    entry = tiny / "calc" / "entry.py"
    entry.write_text(entry.read_text(encoding="utf-8") + "from calc import unused\n")
    after = tiny_key(tiny)
    assert "calc.unused" in after.module_names and "calc.unused" not in before.module_names
    assert after.digest != before.digest


def test_the_project_key_holds_every_module_once_listed_and_not_the_dashboard():
    names = calculation.calculation_key().module_names
    assert {f"metrics.{name}" for name in LISTED_BEFORE} <= set(names)
    assert "metrics.calculation" in names  # the rule of the key is part of the key
    assert not [n for n in names if n.split(".")[0] in {"views", "db", "scoring", "ingest"}]
    assert list(names) == sorted(names)


@pytest.mark.parametrize(
    ("changed", "changes_key"),
    [
        ("metrics/spc.py", True),
        ("metrics/forecast.py", True),
        ("config/models.py", True),
        ("metrics/suppression.py", False),  # the public summary's, not a score's
        ("db/queries.py", False),
        ("views/reads.py", False),
    ],
)
def test_the_project_key_follows_the_source_of_reached_modules_only(
    monkeypatch, changed, changes_key
):
    before = calculation.calculation_key()  # the same walk, made once
    target = (PROJECT_ROOT / changed).resolve()
    real = calculation.read_source

    def edited(path: Path) -> bytes:
        return real(path) + (b"# edited\n" if path.resolve() == target else b"")

    monkeypatch.setattr(calculation, "read_source", edited)
    assert (calculation.code_key().digest != before.digest) is changes_key


@pytest.mark.parametrize("library", calculation.LIBRARIES)
def test_an_upgraded_numerical_library_changes_the_key(monkeypatch, library):
    before = calculation.calculation_key()  # the same walk, made once
    real = calculation.library_version
    monkeypatch.setattr(
        calculation, "library_version", lambda name: real(name) + (".1" if name == library else "")
    )
    after = calculation.code_key()
    assert dict(after.libraries)[library] == dict(before.libraries)[library] + ".1"
    assert after.digest != before.digest


def test_the_key_is_the_same_in_every_process():
    code = "from metrics.calculation import calculation_key; print(calculation_key().digest)"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_ROOT,
            env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert seen == {scoreset.calculation_digest()}


def test_the_key_is_computed_once_per_process():
    calculation.calculation_key()
    info = calculation.calculation_key.cache_info()
    calculation.calculation_key()
    assert calculation.calculation_key.cache_info().hits == info.hits + 1
    assert calculation.calculation_key.cache_info().misses == info.misses


def test_an_unknown_entry_is_an_error_not_an_empty_key(tmp_path):
    with pytest.raises(ImportError):
        calculation.modules_reached("nowhere.entry", tmp_path)
