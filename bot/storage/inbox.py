"""The terminal's inbox: it has no push, so what is queued for its user is taken here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.storage.base import StoreBase, writes
from bot.storage.outbox import PENDING, SENT
from bot.storage.schema import outbox, pushes


class InboxQueries(StoreBase):
    @writes
    def take_chat_messages(
        self, conn: sa.Connection, channel: str, chat_id: str, now: datetime, quiet: bool
    ) -> list[tuple[int, dict[str, Any], str]]:
        """The terminal has no push: messages queued for its user are taken here and shown
        after what they type (in quiet hours only a live conversation's). (learner id,
        content, language) each, marked sent."""
        query = (
            sa.select(outbox.c.id, outbox.c.learner_id, outbox.c.language, pushes.c.content)
            .join(pushes, pushes.c.id == outbox.c.push_id)
            .where(
                outbox.c.channel == channel, outbox.c.chat_id == chat_id,
                outbox.c.status == PENDING, outbox.c.next_attempt_at <= now,
            )
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
        )  # fmt: skip
        if quiet:
            query = query.where(pushes.c.kind == "live")
        rows = conn.execute(query).all()
        if rows:
            conn.execute(
                outbox.update()
                .where(outbox.c.id.in_([row.id for row in rows]))
                .values(status=SENT, attempts=1, updated_at=now)
            )
        return [(row.learner_id, row.content, row.language) for row in rows]
