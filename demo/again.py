"""Back to the demonstration (issue 26): load the demonstration data again into a store that
holds no real data, for someone whose role may (`Can.RESTORE_DEMO`). Accounts stay, so
sign-in stays required; real data are never mixed with demonstration data."""

from __future__ import annotations

from sqlalchemy import Engine

from config import Catalogue
from db.engine import session_scope
from db.loads import audit
from demo import DemoResult, load_demo


def load_demo_again(
    *, engine: Engine, catalogue: Catalogue, seed: int, actor: str
) -> DemoResult | None:
    """The demonstration dataset for `seed`, loaded by `actor` and audited; None (nothing
    changed) when the store holds real data."""
    from db.store import summary

    if summary(engine=engine).has_real:
        return None
    result = load_demo(engine=engine, catalogue=catalogue, seed=seed, actor=actor)
    with session_scope(engine) as session:
        audit(
            session=session,
            actor=actor,
            action="back to the demonstration",
            entity="loads",
            detail=f"demonstration data loaded again as load {result.load_id} (seed {seed}); "
            "accounts kept, sign-in still required",
        )
    return result
