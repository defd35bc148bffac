"""The declarative base every model of the store is registered on (`Base.metadata` is what
alembic and the backup read). It imports no model: each model module imports it, and
`db.models` imports every model module, so the package has no import circle."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
