"""Access by area (issue 26): which areas' figures an account may see, as one value every
read of area-level rows is given (`AreaScope`), so the limit is enforced in `db/` reads (in SQL),
not by hiding widgets. The only truth about area limits; the geography is `geography.toml`.

The rules:

- An account may be limited to one division or to one or more districts (`account_areas`).
  Limits apply to public, board, scrutiny and reviewer accounts; analyst and admin accounts
  are force-wide whatever is recorded (`FORCE_WIDE_ROLES`).
- Limited to a division: that division and its districts. Limited to districts: those
  districts only.
- A limited account never gets the force total, nor another division's or district's figure:
  a force total or a division total pools other areas, so it is withheld (a district-limited
  account gets no division total either). A force-wide pooled estimate (dip-sampling, the
  public summary's force-wide files) is withheld too.
- Pages default to the account's first allowed area; area pickers list allowed areas only;
  rankings, league tables, maps and matrices list allowed rows only; packs, downloads and the
  command line's `export`, `status`, `pack` and `sample report` hold allowed rows only.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.access import Role
from config.models import Geography
from config.vocabulary import Level

FORCE_WIDE_ROLES = frozenset({Role.ANALYST, Role.ADMIN})
LEVELS = (Level.DIVISION, Level.DISTRICT)  # the levels an account can be limited to


@dataclass(frozen=True)
class AreaScope:
    """The areas a reader may see: `names` (the division and district names, at their levels)
    and `codes` (the districts' ONS codes); both None for every area (force-wide)."""

    names: frozenset[str] | None = None
    codes: frozenset[str] | None = None

    @property
    def is_wide(self) -> bool:
        return self.names is None

    def allows(self, area: str) -> bool:
        """True when the figures of the area named `area` (any level) may be shown."""
        return self.names is None or area in self.names

    def allows_code(self, code: str | None) -> bool:
        """True when the district with ONS code `code` may be shown (None: unallocated)."""
        return self.codes is None or code in self.codes

    def keep(self, areas: list[str]) -> list[str]:
        """`areas` less those that may not be shown, in their order."""
        return [a for a in areas if self.allows(a)]


EVERY_AREA = AreaScope()


def allowed_names(geography: Geography, level: str, codes: list[str]) -> frozenset[str]:
    """The names an account limited at `level` to `codes` (division names, or district ONS
    codes or names) may see. Raises ValueError naming an unknown code."""
    if level == Level.DIVISION:
        known = {d.name: d for d in geography.division}
        unknown = [c for c in codes if c not in known]
        if unknown or len(codes) != 1:
            raise ValueError(
                _unknown(Level.DIVISION, unknown, sorted(known))
                if unknown
                else "an account is limited to one division"
            )
        return frozenset([codes[0], *known[codes[0]].districts])
    if level == Level.DISTRICT:
        by_key = {d.ons_code: d.name for d in geography.district}
        by_key |= {d.name: d.name for d in geography.district}
        unknown = [c for c in codes if c not in by_key]
        if unknown or not codes:
            raise ValueError(
                _unknown(Level.DISTRICT, unknown, sorted(by_key))
                if unknown
                else "name at least one district"
            )
        return frozenset(by_key[c] for c in codes)
    raise ValueError(f"unknown level {level!r}: choose one of {', '.join(LEVELS)}")


def _unknown(what: str, unknown: list[str], known: list[str]) -> str:
    return f"unknown {what} {', '.join(map(repr, unknown))}: choose from {', '.join(known)}"


def scope_of(areas: frozenset[str] | None, geography: Geography) -> AreaScope:
    """The scope of an identity's `areas` (None: every area)."""
    if areas is None:
        return EVERY_AREA
    codes = frozenset(d.ons_code for d in geography.district if d.name in areas)
    return AreaScope(names=frozenset(areas), codes=codes)


def first_area(scope: AreaScope, names: list[str]) -> str | None:
    """The area a page opens on for `scope`: the first of `names` it may see."""
    kept = scope.keep(names)
    return kept[0] if kept else None
