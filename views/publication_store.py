"""The reads and writes of the Public summary page: gathering the summary from the store
(`publicsummary.gather`), publishing it from the page (`publicsummary.issue.publish`), and the
summaries published before (`db.publications`). The page draws; the store is reached only from
here."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

import publicsummary
from config import Catalogue
from db import publications
from db.engine import read_scope, session_scope
from db.publications import Issue
from publicsummary import Summary, issue

REISSUED = publications.REISSUED  # the audit action of a past summary downloaded again


def gather(engine: Engine, catalogue: Catalogue, *, through: date | None) -> Summary:
    """The public summary of the latest period ending by `through` (`publicsummary.gather`)."""
    with read_scope(engine) as session:
        return publicsummary.gather(session=session, catalogue=catalogue, through=through)


def publish(engine: Engine, summary: Summary, catalogue: Catalogue, *, actor: str) -> Issue:
    """Keep `summary` as issued from the page, audited (`publicsummary.issue.publish`)."""
    with session_scope(engine) as session:
        return issue.publish(
            session=session, summary=summary, catalogue=catalogue, actor=actor, channel=issue.PAGE
        )


def issued(engine: Engine) -> pd.DataFrame:
    """Every summary published, newest first."""
    with read_scope(engine) as session:
        return publications.issued(session=session)


def past(engine: Engine, number: int) -> Issue | None:
    """Summary `number` as it was published."""
    with read_scope(engine) as session:
        return publications.get(session=session, issue=number)
