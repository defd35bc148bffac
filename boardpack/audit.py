"""Which pack was issued to whom: every pack made (`manage.py pack`, the Board pack page) and
every download from the page is a row of the audit log with who, the meeting, the area and
the format (`db.loads.audit`)."""

from __future__ import annotations

from datetime import date

from db.engine import session_scope
from db.loads import audit

ACTIONS = {"made": "board pack made", "downloaded": "board pack downloaded"}


def detail(*, meeting: date, area: str, fmt: str, demo: bool, as_of: date | None = None) -> str:
    """The audit row's detail: "meeting 2026-11-20; area Lancashire; format pdf; data to
    2026-10; demonstration data"."""
    parts = [f"meeting {meeting:%Y-%m-%d}", f"area {area}", f"format {fmt}"]
    if as_of is not None:
        parts.append(f"data to {as_of:%Y-%m}")
    if demo:
        parts.append("demonstration data")
    return "; ".join(parts)


def record_pack(
    *,
    engine,
    actor: str,
    how: str,
    fmt: str,
    pack=None,
    meeting: date | None = None,
    area: str | None = None,
    demo: bool = False,
) -> None:
    """Audit a pack `how` (made or downloaded) by `actor`, from the `pack` or its particulars."""
    if pack is not None:
        meeting, area, demo = pack.meeting, pack.area, pack.is_demo
    text = detail(
        meeting=meeting, area=area, fmt=fmt, demo=demo, as_of=pack.as_of if pack else None
    )
    with session_scope(engine) as session:
        audit(
            session=session, actor=actor, action=ACTIONS[how], entity=f"board pack / {area}",
            detail=text,
        )  # fmt: skip
