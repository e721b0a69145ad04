"""Storage: migrations match the schema, SQLite runs in WAL mode, pruning works."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.app import App
from bot.migrate import head_revision
from bot.storage import metadata


async def test_migrations_produce_the_declared_schema(app: App) -> None:
    def diff(connection: sa.Connection) -> list[object]:
        context = MigrationContext.configure(connection)
        return list(compare_metadata(context, metadata))

    assert await app.storage.runner.read(diff) == []
    assert await app.storage.current_revision() == head_revision()


@pytest.mark.sqlite_only
async def test_sqlite_is_in_wal_mode_with_a_busy_timeout(app: App) -> None:
    def pragma(conn: sa.Connection, name: str) -> object:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

    assert await app.storage.runner.read(pragma, "journal_mode") == "wal"
    assert await app.storage.runner.read(pragma, "busy_timeout") == 5000


async def test_upgrade_twice_is_harmless(app: App) -> None:
    await app.storage.upgrade()
    assert await app.storage.current_revision() == head_revision()


async def test_claim_update_once(app: App) -> None:
    now = datetime.now(UTC)
    assert await app.storage.claim_update("telegram", "1", now) is True
    assert await app.storage.claim_update("telegram", "1", now) is False
    assert await app.storage.claim_update("zalo", "1", now) is True


async def test_areas_sync_marks_dropped_villages_inactive(app: App) -> None:
    from bot.config import Commune, Village

    await app.storage.sync_areas(
        [Commune(name="Xã Tân Phú", villages=[Village(name="Thôn 1", adults=900)])]
    )
    villages = await app.storage.villages()
    assert [(v.name, v.commune) for v in villages] == [("Thôn 1", "Xã Tân Phú")]
    rows = await app.storage.village_counts(())
    assert [(r.commune, r.village, r.adults, r.learners) for r in rows] == [
        ("Xã Tân Phú", "Thôn 1", 900, 0)
    ]


@pytest.mark.sqlite_only
async def test_times_are_stored_in_utc(app: App) -> None:
    moment = datetime(2026, 10, 10, 1, tzinfo=UTC)
    learner = await app.storage.create_learner(
        channel="t", user_id="1", chat_id="1", language="vi", now=moment
    )
    path = sa.engine.make_url(app.settings.database_url).database
    with sqlite3.connect(str(path)) as conn:
        query = "SELECT consent_at FROM learners WHERE id=?"
        (stored,) = conn.execute(query, (learner.id,)).fetchone()
    assert stored.startswith("2026-10-10 01:00:00")


async def test_old_processed_updates_are_pruned(app: App) -> None:
    import bot.storage.learners

    old = datetime(2026, 1, 1, tzinfo=UTC)
    await app.storage.claim_update("telegram", "old", old)
    app.storage._claims = bot.storage.learners._PRUNE_EVERY - 1
    await app.storage.claim_update("telegram", "new", old + timedelta(days=3))
    assert await app.storage.claim_update("telegram", "old", old) is True  # forgotten
