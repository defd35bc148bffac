"""The force this dashboard serves, as `config/geography.toml` names it: `force` (the area
every figure adds up to, "Lancashire") and `police_force` (the force's own name, "Lancashire
Constabulary", as police.uk writes it). Read once, on import, so that defaults (a target's
area) and fixed wording (the sign-in line, the demonstration label) can name it; the whole
file is validated with the rest of the catalogue (`config.loader`), which also checks that
it still names this force."""

from __future__ import annotations

import tomllib
from pathlib import Path

GEOGRAPHY_FILE = Path(__file__).resolve().parent / "geography.toml"


def _geography_names() -> tuple[str, str]:
    raw = tomllib.loads(GEOGRAPHY_FILE.read_text(encoding="utf-8"))
    return str(raw["force"]), str(raw["police_force"])


FORCE_AREA, POLICE_FORCE = _geography_names()
