"""Looking at a database without changing it, for commands that must not create one: is
the URL sound, and does the database hold hocvuso's tables?"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError, SQLAlchemyError


def url_problem(url: str) -> str | None:
    """Why SQLAlchemy cannot read the URL (a port that is not a number…), or None."""
    try:
        sa.engine.make_url(url)
    except (ArgumentError, ValueError) as exc:
        return str(exc)
    return None


def shown_url(url: str) -> str:
    """The URL with its password hidden, fit for a message."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "named by HOCVUSO_DATABASE_URL"


@dataclass(frozen=True)
class Found:
    revision: str | None  # None: no hocvuso tables
    error: str | None = None  # why the database could not be read


async def look(url: str) -> Found:
    """The schema revision, read without migrating (a missing SQLite file is created empty
    by the driver: check the file first)."""
    from bot.storage.store import Storage

    storage = Storage.open(url)
    try:
        return Found(await storage.current_revision())
    except (SQLAlchemyError, OSError) as exc:
        return Found(None, " ".join(str(getattr(exc, "orig", None) or exc).split()))
    finally:
        await storage.close()
