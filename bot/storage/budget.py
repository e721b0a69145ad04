"""What several processes share to behave as one bot: each channel's send budget, and the
order of each user's updates. Both are kept short: a row per channel, a row per update
while it is handled."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.pacing import Slots, reserve
from bot.storage.base import StoreBase, reads, writes
from bot.storage.leader import WORKER_NAMESPACE
from bot.storage.schema import send_budgets, user_turns


class BudgetQueries(StoreBase):
    def _now(self) -> sa.ColumnElement[Any]:
        """Seconds since the epoch on the database's clock, the one every process shares."""
        if self.postgres:
            return sa.func.extract("epoch", sa.func.clock_timestamp())
        return (sa.func.julianday("now") - 2440587.5) * 86400.0

    def _budget_row(self, conn: sa.Connection, channel: str) -> tuple[float, float, float]:
        query = (
            sa.select(send_budgets.c.next_at, send_budgets.c.paused_until, self._now())
            .where(send_budgets.c.channel == channel)
            .with_for_update()
        )
        row = conn.execute(query).first()
        if row is None:
            conn.execute(
                self._insert_ignore(send_budgets, channel=channel, next_at=0.0, paused_until=0.0)
            )
            row = conn.execute(query).one()
        return float(row[0]), float(row[1]), float(row[2])

    @writes
    def reserve_slot(
        self, conn: sa.Connection, channel: str, interval: float, reply: bool
    ) -> tuple[bool, float]:
        """:func:`bot.pacing.reserve` on the channel's row, locked for the moment it takes."""
        next_at, paused_until, now = self._budget_row(conn, channel)
        slots = Slots(next_at, paused_until)
        granted, wait = reserve(slots, now, interval, reply=reply)
        if granted:
            conn.execute(
                send_budgets.update()
                .where(send_budgets.c.channel == channel)
                .values(next_at=slots.next_at)
            )
        return granted, wait

    @writes
    def pause_channel(self, conn: sa.Connection, channel: str, seconds: float) -> None:
        self._budget_row(conn, channel)
        conn.execute(
            send_budgets.update()
            .where(send_budgets.c.channel == channel)
            .values(
                paused_until=sa.func.greatest(send_budgets.c.paused_until, self._now() + seconds)
                if self.postgres
                else sa.func.max(send_budgets.c.paused_until, self._now() + seconds)
            )
        )

    @reads
    def paused_for(self, conn: sa.Connection, channel: str) -> float:
        """Seconds left of the channel's flood wait (0 or less: none)."""
        query = sa.select(send_budgets.c.paused_until - self._now()).where(
            send_budgets.c.channel == channel
        )
        return float(conn.scalar(query) or 0.0)

    # -- the order of each user's updates -----------------------------------------------

    @reads
    def live_processes(self, conn: sa.Connection) -> int:
        """Bot processes serving this database: each running dispatcher holds an advisory
        lock that says it is alive (bot/storage/leader.py). SQLite has one process."""
        if not self.postgres:
            return 1
        query = sa.text(
            "SELECT count(*) FROM pg_locks "
            "WHERE locktype = 'advisory' AND classid = :namespace AND granted"
        )
        return int(conn.scalar(query, {"namespace": WORKER_NAMESPACE}) or 0)

    @writes
    def start_turn(
        self, conn: sa.Connection, channel: str, user_id: str, seq: int, now: datetime
    ) -> int:
        """An update of this user arrived; ``seq`` is its place in the platform's order."""
        result = conn.execute(
            user_turns.insert()
            .values(channel=channel, user_id=user_id, seq=seq, started_at=now)
            .returning(user_turns.c.id)
        )
        return int(result.scalar_one())

    @reads
    def turns_before(
        self, conn: sa.Connection, channel: str, user_id: str, seq: int, since: datetime
    ) -> int:
        """Updates of this user that came earlier in the platform's order and are still
        being handled (rows older than ``since`` belong to a process that died)."""
        query = sa.select(sa.func.count()).where(
            user_turns.c.channel == channel,
            user_turns.c.user_id == user_id,
            user_turns.c.seq < seq,
            user_turns.c.started_at > since,
        )
        return int(conn.scalar(query) or 0)

    @writes
    def end_turn(self, conn: sa.Connection, turn: int, now: datetime) -> None:
        conn.execute(user_turns.delete().where(user_turns.c.id == turn))
        # Rows a dead process left behind: nobody waits for them, nobody needs them.
        conn.execute(user_turns.delete().where(user_turns.c.started_at < now - timedelta(hours=1)))
