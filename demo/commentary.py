"""Demonstration commentary: what measure owners might write, so the pages and the board pack
show commentary, its history and the exceptions still awaiting it. Invented for
demonstration; owners are roles, never names. Stored with `is_demo` and removed with the
demonstration data. The entries marked public are approved for publication by a second,
invented account (`DEMO_APPROVER`, each finding of the check confirmed), as the rule asks,
so that the demonstration's public summary shows them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from config import Catalogue, get_settings
from db import commentary
from db.commentary import Text
from governance import approval
from metrics.periods import shift_month
from metrics.publictext import known_names

DEMO_AUTHOR = "demonstration analyst"
DEMO_APPROVER = "demonstration scrutiny officer"

# (measure, months before the latest, text); a measure listed twice gets two versions
ENTRIES = (
    (
        "asb_incidents",
        0,
        Text(
            what="ASB calls fell in the town-centre hotspots after the summer peak.",
            why="Extra foot patrols in the evening economy and two closure orders.",
            actions="Keep the hotspot patrol plan through the Christmas period.",
            owner="Operation Centurion lead (Chief Inspector)",
            due=None,
            public=True,
        ),
    ),
    (
        "asb_vehicle_incidents",
        0,
        Text(
            what="Motorcycle and e-bike ASB reports stayed high in two districts.",
            why="Warm autumn evenings; repeat nuisance riders on known routes.",
            actions="Off-road bike team deployments; Section 59 warnings issued and recorded.",
            owner="Centurion On Wheels lead (Inspector)",
            public=True,
        ),
    ),
    (
        "shoplifting_positive_outcomes",
        1,
        Text(
            what="Positive outcomes for shoplifting rose against the baseline.",
            why="Retail partners share CCTV sooner through the Operation Vulture portal.",
            actions="Extend the portal to market towns.",
            owner="Operation Vulture lead (Detective Inspector)",
        ),
    ),
    (
        "shoplifting_positive_outcomes",
        1,
        Text(
            what="Positive outcomes for shoplifting rose against the baseline.",
            why="Retail partners share CCTV sooner through the Operation Vulture portal.",
            actions="Extend the portal to market towns; review file quality each month.",
            owner="Operation Vulture lead (Detective Inspector)",
        ),
    ),
)


def write_demo_commentary(*, session: Session, catalogue: Catalogue, latest: date) -> int:
    """Write the demonstration commentary at force level for the latest month of data and the
    month before, the public entries approved. Returns the versions written."""
    written = 0
    for measure, back, text in ENTRIES:
        key = {
            "measure_code": catalogue.measure(measure).code,
            "area": catalogue.geography.force,
            "month": shift_month(latest, -back),
        }
        version = commentary.write(
            session=session, actor=DEMO_AUTHOR, text=text, is_demo=True, **key
        )
        written += version is not None
        if version is not None and text.public:
            _approve(session=session, catalogue=catalogue, version=version, text=text, **key)
    return written


def _approve(*, session: Session, catalogue: Catalogue, version: int, text: Text, **key) -> None:
    threshold = get_settings().SMALL_NUMBER_THRESHOLD
    known = known_names(catalogue)
    found = approval.findings(
        vars(commentary.cleaned(text)), threshold=threshold, known=known
    )
    approval.decide(
        session=session,
        actor=DEMO_APPROVER,
        version=version,
        approve=True,
        threshold=threshold,
        known=known,
        checked=[f.label for f in found],
        **key,
    )
