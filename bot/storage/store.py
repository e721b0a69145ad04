"""The storage facade: one object with every domain operation, composed by topic."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.storage.areas import AreaQueries
from bot.storage.base import reads, writes
from bot.storage.budget import BudgetQueries
from bot.storage.community import CommunityQueries
from bot.storage.dashboard import DashboardQueries
from bot.storage.dashboard_figures import DashboardFigures
from bot.storage.family import FamilyQueries
from bot.storage.helpdesk import HelpQueries
from bot.storage.inbox import InboxQueries
from bot.storage.learners import LearnerQueries
from bot.storage.outbox import Audience, OutboxQueries
from bot.storage.reports import ReportQueries
from bot.storage.reviews import ReviewQueries
from bot.storage.roles import RoleQueries
from bot.storage.runner import open_runner
from bot.storage.schedule import ScheduleQueries
from bot.storage.snapshots import SnapshotQueries


class Storage(
    AreaQueries,
    BudgetQueries,
    CommunityQueries,
    FamilyQueries,
    HelpQueries,
    InboxQueries,
    DashboardFigures,
    DashboardQueries,
    LearnerQueries,
    OutboxQueries,
    ReportQueries,
    ReviewQueries,
    RoleQueries,
    ScheduleQueries,
    SnapshotQueries,
):
    """Implements bot.core.ports.LearnerStore, plus areas, delivery and reports."""

    @classmethod
    def open(cls, url: str) -> Storage:
        """Nothing is connected until the first query."""
        return cls(open_runner(url))

    async def close(self) -> None:
        await self.runner.dispose()

    @writes
    def upgrade(self, conn: sa.Connection) -> None:
        """Apply the Alembic migrations up to head."""
        from bot.migrate import upgrade_connection

        upgrade_connection(conn)

    async def create_announcement(
        self,
        *,
        key: str,
        text: str,
        creator_id: int,
        village_id: int,
        now: datetime,
        photo: dict[str, str] | None = None,
    ) -> int | None:
        """A village head's text (and picture) to every reachable learner of their village,
        audited. ``photo`` maps a channel to that platform's reference of the picture."""
        content: dict[str, object] = {"text": {"vi": text, "en": text}}
        if photo:
            content["photo"] = photo
        push_id = await self.create_push(
            key=key,
            kind="announcement",
            content=content,
            audience=Audience(village_ids=(village_id,)),
            now=now,
            created_by=f"learner {creator_id}",
            creator_id=creator_id,
            village_id=village_id,
        )
        if push_id is not None:
            total = (await self.push_summaries([push_id]))[0].total
            await self.audit(
                actor=f"learner {creator_id}",
                action="announcement",
                detail=f"push {push_id} to village {village_id}: {total} learners",
                now=now,
            )
        return push_id

    @reads
    def current_revision(self, conn: sa.Connection) -> str | None:
        from bot.migrate import revision_of

        return revision_of(conn)
