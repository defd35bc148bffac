"""The house's layers (README "Layout"), top imports down, never up.

- Packages: the import-linter contract in pyproject.toml (`lint-imports`, also run by .ci/run)
  is kept, and it does catch a break: a copy of the code with one upward import, one Streamlit
  import outside `views` and one import circle fails each of its three contracts.
- Pages and the top-level scripts are not packages, so the contract cannot see them: read with
  `ast`, a page imports only `views`, `present`, `config` and the outputs (`boardpack`,
  `publicsummary`), besides the standard library, Streamlit and pandas (a page lays out a
  small table); `manage.py` (the command line) never imports Streamlit or `views`.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = frozenset(CONFIG["root_packages"])
PAGE_MAY_IMPORT = frozenset({"views", "present", "config", "boardpack", "publicsummary"})
PAGE_LIBRARIES = frozenset({"streamlit", "pandas"})
SCRIPTS = ("app.py", "serve.py", "manage.py")
COMMAND_LINE_NEVER = frozenset({"streamlit", "views"})
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"
LINT_SECONDS = 120  # lint-imports takes about a second; generous for a busy machine


def imported(path: Path) -> set[str]:
    """The top-level names of every absolute import in `path`, wherever it is in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def project_imports(path: Path) -> set[str]:
    return {name for name in imported(path) if name not in sys.stdlib_module_names}


PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_imports_only_views_present_config_and_the_outputs(page):
    assert project_imports(page) - PAGE_MAY_IMPORT - PAGE_LIBRARIES == set()


def test_the_page_rule_would_catch_a_page_reaching_the_store(tmp_path):
    page = tmp_path / "bad.py"
    page.write_text("import streamlit as st\nfrom db.engine import read_scope\n")
    assert project_imports(page) - PAGE_MAY_IMPORT - PAGE_LIBRARIES == {"db"}


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_top_level_scripts_import_known_packages(script):
    """The scripts sit above every package: they may import any of them, and the libraries."""
    libraries = {"streamlit", "pandas", "sqlalchemy", "starlette", "uvicorn"}
    assert project_imports(ROOT / script) - PACKAGES - libraries == set()


def test_the_command_line_never_imports_streamlit_or_views():
    assert imported(ROOT / "manage.py") & COMMAND_LINE_NEVER == set()


def lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=LINT_SECONDS,
    )


def test_every_import_contract_is_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONFIG['contracts'])} kept, 0 broken." in result.stdout


# One break of each contract, added to a copy of the code: (file, line added, what is reported).
BREAKS = [
    ("db/engine.py", "import present.wording\n", "db is not allowed to import present"),
    ("present/wording.py", "import streamlit\n", "present is not allowed to import streamlit"),
    ("metrics/periods.py", "import metrics.quality\n", "No cycles are allowed in metrics"),
]


def test_the_contract_catches_an_upward_import_streamlit_and_a_circle(tmp_path):
    """The same contract, over a copy of the code with one break of each kind added."""
    for package in sorted(PACKAGES):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint(tmp_path).returncode == 0  # the copy as it is: kept
    for file, line, _ in BREAKS:
        with (tmp_path / file).open("a") as opened:
            opened.write(line)
    result = lint(tmp_path)
    assert result.returncode == 1
    assert "Contracts: 0 kept, 3 broken." in result.stdout
    for _, _, reported in BREAKS:
        assert reported in result.stdout


def circles(graph) -> set[frozenset[str]]:
    """Every import circle in `graph` (a grimp ImportGraph) as the pair of modules of each import
    that has a way back: including a circle through a package's `__init__` (which the
    `acyclic_siblings` contract, comparing siblings only, does not see)."""
    return {
        frozenset({module, imported})
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    }


def test_no_module_imports_itself_round_a_circle():
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph(*sorted(PACKAGES), exclude_type_checking_imports=True)
    assert circles(graph) == set()


def test_the_circle_check_finds_a_circle_through_a_package_init(tmp_path, monkeypatch):
    grimp = pytest.importorskip("grimp")
    package = tmp_path / "housepkg"
    package.mkdir()
    (package / "__init__.py").write_text("def later():\n    from housepkg import child\n")
    (package / "child.py").write_text("import housepkg\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert circles(grimp.build_graph("housepkg")) == {frozenset({"housepkg", "housepkg.child"})}
