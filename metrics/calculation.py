"""Which code computes a stored score, as one digest: part of every score's input key.

The rules:

- The code is every first-party module the score computation imports, directly or through
  other modules, found by following the import statements from its entry module (`ENTRY`,
  whose `compute` scores a task) with the standard library's `modulefinder`: imports inside
  functions count, and so does every package's `__init__` (it runs before its modules). No
  module is listed by hand, so a module newly imported by the calculation is in the key, and
  a module it does not reach (the dashboard's pages, the store) is not.
- First-party means a file in the project folder; other libraries are not followed. The
  numerical libraries a score depends on count by their installed version instead
  (`LIBRARIES`), so an upgrade of any of them computes every score again.
- A module counts by its name and the SHA-256 of its source; the digest is of those lines in
  name order, then the library versions, so it is the same in every process and machine that
  has the same code and libraries.
- It is computed once per process (`calculation_key`, about 0.2 s: `modulefinder` compiles
  each module it reaches).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from modulefinder import ModuleFinder
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The module that computes a score (`metrics.scoreset.compute`): the walk starts here.
ENTRY = "metrics.scoreset"
# The libraries whose installed version is part of the key (the numbers come from them).
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels")


@dataclass(frozen=True)
class CodeKey:
    """The code a score is computed by: `modules` as (name, SHA-256 of its source) in name
    order, `libraries` as (distribution, installed version), and the digest of both."""

    modules: tuple[tuple[str, str], ...]
    libraries: tuple[tuple[str, str], ...]
    digest: str

    @property
    def module_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.modules)


def read_source(path: Path) -> bytes:
    """The source of a module as hashed (a seam for tests)."""
    return path.read_bytes()


def library_version(name: str) -> str:
    """The installed version of the distribution `name` (a seam for tests)."""
    return metadata.version(name)


def modules_reached(entry: str = ENTRY, root: Path = PROJECT_ROOT) -> dict[str, Path]:
    """Every module under `root` that `entry` imports, directly or not, with its file (the
    entry and the packages on the way included), in name order."""
    finder = ModuleFinder(path=[str(root)])  # only the project folder: libraries not followed
    finder.import_hook(entry)
    folder = root.resolve()
    files = {name: getattr(module, "__file__", None) for name, module in finder.modules.items()}
    found = {
        name: Path(file)
        for name, file in files.items()
        if file and Path(file).resolve().is_relative_to(folder)
    }
    return dict(sorted(found.items()))


def code_key(
    entry: str = ENTRY, root: Path = PROJECT_ROOT, libraries: tuple[str, ...] = LIBRARIES
) -> CodeKey:
    """The `CodeKey` of the modules `entry` reaches under `root` and of `libraries`."""
    modules = tuple(
        (name, hashlib.sha256(read_source(path)).hexdigest())
        for name, path in modules_reached(entry, root).items()
    )
    versions = tuple((name, library_version(name)) for name in libraries)
    lines = [f"{name} {source}" for name, source in modules]
    lines += [f"{name}=={version}" for name, version in versions]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return CodeKey(modules=modules, libraries=versions, digest=digest)


@lru_cache(maxsize=1)
def calculation_key() -> CodeKey:
    """The `CodeKey` of this process's score calculation (computed once)."""
    return code_key()
