"""Pushes and the outbox: one row per push and recipient, drained by bot.delivery.

A row moves pending → claimed → sending → sent, or back to pending with a later
``next_attempt_at``, or ends failed / unreachable / cancelled. Only rows in ``sending`` can
have reached the platform without being marked: they are the "in flight" ones after a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.core.spacing import IGNORED_LIMIT
from bot.storage.base import StoreBase, reads, writes
from bot.storage.schema import learners, outbox, pushes, review_items, villages

PENDING, CLAIMED, SENDING, SENT = "pending", "claimed", "sending", "sent"
FAILED, UNREACHABLE, CANCELLED = "failed", "unreachable", "cancelled"
STATUSES = (PENDING, CLAIMED, SENDING, SENT, FAILED, UNREACHABLE, CANCELLED)


NOTICE = "notice"  # a push to one person about another push (a village head's progress)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Audience:
    """Who a push goes to. Blocked learners never; the rest narrow it down."""

    village_ids: tuple[int, ...] | None = None
    learner_ids: tuple[int, ...] | None = None  # a notice to one person (a village head)
    commune_id: int | None = None
    wants_weekly: bool = False  # weekly messages and reminders honour the learner's choice
    inactive_since: datetime | None = None  # nudges: an unfinished lesson, idle since then
    # The learner's own push time: (weekday, hour) chosen, or "default" for those who chose
    # none (the commune's weekly slot); None: anyone.
    slot: tuple[int, int] | str | None = None
    attentive: bool = False  # nudges and reviews: fewer than 3 of them unanswered in a row
    reviews_due: datetime | None = None  # a review question due by then
    review_before: datetime | None = None  # no review invitation after then (once a week)
    no_review_since: datetime | None = None  # nudges: no review invitation since then
    not_week: str | None = None  # weekly messages: not already given this ISO week's
    same_as: int | None = None  # the recipients of that push (a staff message beside it)

    def where(self) -> list[Any]:
        conditions: list[Any] = [learners.c.blocked.is_(False)]
        if self.learner_ids is not None:
            conditions.append(learners.c.id.in_(self.learner_ids))
        else:
            # Broadcasts: the console is a local try-out with nobody to push to (messages to
            # one person there are shown in the terminal), and a phone shared by several
            # learners gets one copy, at the chat's own learner.
            conditions += [learners.c.channel != "console", learners.c.owner_id.is_(None)]
        if self.village_ids is not None:
            conditions.append(learners.c.village_id.in_(self.village_ids))
        if self.commune_id is not None:
            in_commune = sa.select(villages.c.id).where(villages.c.commune_id == self.commune_id)
            conditions.append(learners.c.village_id.in_(in_commune))
        if self.wants_weekly:
            conditions.append(learners.c.weekly.is_(True))
        if self.inactive_since is not None:
            conditions += [
                sa.or_(  # an unfinished lesson (rows older than 0.2 kept it at the top level)
                    learners.c.state[("pos", "lesson")].as_string().is_not(None),
                    learners.c.state["lesson"].as_string().is_not(None),
                ),
                learners.c.last_active_at < self.inactive_since,
                sa.or_(
                    learners.c.last_nudged_at.is_(None),
                    learners.c.last_nudged_at < self.inactive_since,
                ),
            ]
        return conditions + self._personal()

    def _personal(self) -> list[Any]:
        """The conditions of a learner's own choices and history (issue 17)."""
        conditions: list[Any] = []
        if self.slot == "default":
            conditions.append(learners.c.push_hour.is_(None))
        elif isinstance(self.slot, tuple):
            day, hour = self.slot
            conditions += [learners.c.push_day == day, learners.c.push_hour == hour]
        if self.attentive:
            conditions.append(learners.c.ignored_pushes < IGNORED_LIMIT)
        if self.reviews_due is not None:
            conditions.append(
                sa.exists().where(
                    review_items.c.learner_id == learners.c.id,
                    review_items.c.due_at <= self.reviews_due,
                )
            )
        if self.review_before is not None:
            last = learners.c.last_review_push
            conditions.append(sa.or_(last.is_(None), last <= self.review_before))
        if self.no_review_since is not None:
            last = learners.c.last_review_push
            conditions.append(sa.or_(last.is_(None), last < self.no_review_since))
        if self.not_week is not None:
            week = learners.c.weekly_week
            conditions.append(sa.or_(week.is_(None), week != self.not_week))
        if self.same_as is not None:
            got = sa.select(outbox.c.learner_id).where(outbox.c.push_id == self.same_as)
            conditions.append(learners.c.id.in_(got))
        return conditions


@dataclass(frozen=True)
class Marks:
    """What a push notes on each of its recipients, in the same transaction."""

    reminder: bool = False  # a nudge or a review invitation: one more that waits for an answer
    review_slot: datetime | None = None  # a review invitation for this slot
    weekly_week: str | None = None  # this ISO week's weekly message

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.reminder:
            values["ignored_pushes"] = learners.c.ignored_pushes + 1
        if self.review_slot is not None:
            values["last_review_push"] = self.review_slot
        if self.weekly_week is not None:
            values["weekly_week"] = self.weekly_week
        return values


@dataclass(frozen=True)
class Delivery:
    """One claimed outbox row: everything needed to send it without another query."""

    id: int
    push_id: int
    learner_id: int
    chat_id: str
    language: str
    attempts: int


@dataclass
class PushSummary:
    id: int
    key: str
    kind: str
    created_at: datetime
    total: int
    cancelled: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return not any(self.counts.get(s) for s in (PENDING, CLAIMED, SENDING))


# The per-message statements are built once (building costs more than running on SQLite).
_ROW = outbox.c.id == sa.bindparam("row_id")
_MARK_SENDING = (
    outbox.update()
    .where(_ROW, outbox.c.status == CLAIMED)
    .values(status=SENDING, updated_at=sa.bindparam("now"))
)
_MARK_SENT = (
    outbox.update()
    .where(_ROW)
    .values(status=SENT, updated_at=sa.bindparam("now"), attempts=outbox.c.attempts + 1, error=None)
)


class OutboxQueries(StoreBase):
    @writes
    def create_push(
        self,
        conn: sa.Connection,
        *,
        key: str,
        kind: str,
        content: dict[str, Any],
        audience: Audience,
        now: datetime,
        created_by: str = "scheduler",
        creator_id: int | None = None,
        village_id: int | None = None,
        due: datetime | None = None,
        direct: bool = False,
        marks: Marks | None = None,
    ) -> int | None:
        """The push and its rows in one transaction; None if a push with this key exists.
        ``due`` puts the rows earlier in the queue than ``now`` (a notice overtaking the
        rest of the announcement it reports on), or later (the end of quiet hours).
        ``marks`` are noted on every recipient. A push to named people is direct: it keeps
        its own order in each chat beside the broadcasts, so a help request or a relayed
        line never waits behind a weekly message held for the morning."""
        direct = direct or audience.learner_ids is not None
        inserted = conn.execute(
            self._insert_ignore(
                pushes,
                key=key,
                kind=kind,
                content=content,
                created_at=now,
                created_by=created_by,
                creator_id=creator_id,
                village_id=village_id,
            )
        )
        if inserted.rowcount != 1:
            return None
        push_id = conn.scalar(sa.select(pushes.c.id).where(pushes.c.key == key))
        recipients = sa.select(
            sa.literal(push_id),
            learners.c.id,
            learners.c.channel,
            learners.c.chat_id,
            learners.c.language,
            sa.literal(PENDING),
            sa.literal(due or now, type_=outbox.c.next_attempt_at.type),
            sa.literal(now, type_=outbox.c.updated_at.type),
            sa.literal(direct),
        ).where(*audience.where())
        columns = [
            "push_id", "learner_id", "channel", "chat_id", "language", "status",
            "next_attempt_at", "updated_at", "direct",
        ]  # fmt: skip
        conn.execute(outbox.insert().from_select(columns, recipients))
        total = conn.scalar(
            sa.select(sa.func.count()).select_from(outbox).where(outbox.c.push_id == push_id)
        )
        conn.execute(pushes.update().where(pushes.c.id == push_id).values(total=total))
        recipients = sa.select(outbox.c.learner_id).where(outbox.c.push_id == push_id)
        if audience.inactive_since is not None:
            conn.execute(
                learners.update().where(learners.c.id.in_(recipients)).values(last_nudged_at=now)
            )
        if marks is not None and marks.values():
            conn.execute(
                learners.update().where(learners.c.id.in_(recipients)).values(**marks.values())
            )
        return int(push_id)  # type: ignore[arg-type]  # inserted just above

    @writes
    def claim(
        self,
        conn: sa.Connection,
        *,
        channel: str,
        now: datetime,
        limit: int,
        worker: str,
        chat_gap: float = 0.0,
        kinds: tuple[str, ...] | None = None,
    ) -> list[Delivery]:
        """Take up to ``limit`` due rows for one channel, oldest first (only pushes of
        ``kinds`` when given: what may go out in quiet hours).

        A chat's rows go out one at a time and in the order they were queued: a row is
        taken only when no earlier row of its chat is unfinished (pending, even if it waits
        for a retry, claimed or sending, by this process or another), and not within
        ``chat_gap`` seconds of the chat's last send. Direct messages to one person keep an
        order of their own beside the broadcasts. On PostgreSQL several processes claim at
        once: rows are locked with SKIP LOCKED so no two take the same row."""
        earlier = sa.alias(outbox, "earlier")
        conditions = [
            outbox.c.channel == channel,
            outbox.c.status == PENDING,
            outbox.c.next_attempt_at <= now,
            ~sa.exists().where(
                earlier.c.channel == outbox.c.channel,
                earlier.c.chat_id == outbox.c.chat_id,
                earlier.c.status.in_((PENDING, CLAIMED, SENDING)),
                earlier.c.id < outbox.c.id,
                earlier.c.direct == outbox.c.direct,
            ),
        ]
        if kinds is not None:
            of_kind = sa.select(pushes.c.id).where(pushes.c.kind.in_(kinds))
            conditions.append(outbox.c.push_id.in_(of_kind))
        if chat_gap > 0:
            conditions.append(
                ~sa.exists().where(
                    earlier.c.channel == outbox.c.channel,
                    earlier.c.chat_id == outbox.c.chat_id,
                    earlier.c.status == SENT,
                    earlier.c.updated_at > now - timedelta(seconds=chat_gap),
                )
            )
        due = (
            sa.select(outbox.c.id)
            .where(*conditions)
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(limit)
        )
        if self.postgres:
            due = due.with_for_update(skip_locked=True)
        claimed = conn.execute(
            outbox.update()
            .where(outbox.c.id.in_(due.scalar_subquery()))
            .values(status=CLAIMED, claimed_by=worker, updated_at=now)
            .returning(
                outbox.c.id,
                outbox.c.push_id,
                outbox.c.learner_id,
                outbox.c.chat_id,
                outbox.c.language,
                outbox.c.attempts,
            )
        )
        rows = [Delivery(*row) for row in claimed]
        return sorted(rows, key=lambda row: row.id)

    @writes
    def mark_sending(self, conn: sa.Connection, row_id: int, now: datetime) -> bool:
        """False when the row is no longer ours to send (its push was cancelled)."""
        return conn.execute(_MARK_SENDING, {"row_id": row_id, "now": now}).rowcount == 1

    @writes
    def mark_sent(self, conn: sa.Connection, row_id: int, now: datetime) -> None:
        conn.execute(_MARK_SENT, {"row_id": row_id, "now": now})

    @writes
    def retry_later(
        self,
        conn: sa.Connection,
        row_id: int,
        *,
        at: datetime,
        now: datetime,
        error: str,
        count_attempt: bool,
    ) -> None:
        attempts = outbox.c.attempts + (1 if count_attempt else 0)
        conn.execute(
            outbox.update()
            .where(outbox.c.id == row_id)
            .values(
                status=PENDING,
                next_attempt_at=at,
                attempts=attempts,
                error=error[:200],
                claimed_by=None,
                updated_at=now,
            )
        )

    @writes
    def mark_failed(self, conn: sa.Connection, row_id: int, now: datetime, error: str) -> None:
        conn.execute(
            outbox.update()
            .where(outbox.c.id == row_id)
            .values(
                status=FAILED, attempts=outbox.c.attempts + 1, error=error[:200], updated_at=now
            )
        )

    @writes
    def mark_unreachable(
        self, conn: sa.Connection, row_id: int, learner_id: int, now: datetime
    ) -> None:
        """The platform says the chat is gone: this row and every waiting row for them."""
        conn.execute(learners.update().where(learners.c.id == learner_id).values(blocked=True))
        conn.execute(
            outbox.update()
            .where(
                sa.or_(
                    outbox.c.id == row_id,
                    sa.and_(
                        outbox.c.learner_id == learner_id,
                        outbox.c.status.in_((PENDING, CLAIMED)),
                    ),
                )
            )
            .values(status=UNREACHABLE, updated_at=now)
        )

    @writes
    def release_claims(self, conn: sa.Connection, worker: str, now: datetime) -> int:
        """Rows this worker claimed but never tried go back to the queue (clean stop)."""
        result = conn.execute(
            outbox.update()
            .where(outbox.c.status == CLAIMED, outbox.c.claimed_by == worker)
            .values(status=PENDING, claimed_by=None, updated_at=now)
        )
        return int(result.rowcount)

    @writes
    def recover(self, conn: sa.Connection, now: datetime) -> tuple[int, int]:
        """After a crash of the only process: claimed rows were never tried (safe to queue
        again); sending rows may or may not have reached the platform and are queued again
        too, so those few learners can get a second copy rather than none."""
        counts = []
        for status in (CLAIMED, SENDING):
            condition = outbox.c.status == status
            result = conn.execute(
                outbox.update()
                .where(condition)
                .values(status=PENDING, claimed_by=None, updated_at=now)
            )
            counts.append(int(result.rowcount))
        return counts[0], counts[1]

    @reads
    def claiming_workers(self, conn: sa.Connection) -> list[str]:
        """Dispatchers holding rows they have not finished (claimed or being sent)."""
        query = (
            sa.select(outbox.c.claimed_by)
            .where(outbox.c.status.in_((CLAIMED, SENDING)), outbox.c.claimed_by.is_not(None))
            .distinct()
        )
        return [str(worker) for worker in conn.scalars(query)]

    @writes
    def recover_worker(self, conn: sa.Connection, worker: str, now: datetime) -> tuple[int, int]:
        """A dispatcher died: its claimed rows go back to the queue, and so do the rows it
        was sending (they may arrive twice rather than never). Returns (claimed, sending)."""
        counts = []
        for status in (CLAIMED, SENDING):
            result = conn.execute(
                outbox.update()
                .where(outbox.c.status == status, outbox.c.claimed_by == worker)
                .values(status=PENDING, claimed_by=None, updated_at=now)
            )
            counts.append(int(result.rowcount))
        return counts[0], counts[1]

    @reads
    def push_contents(self, conn: sa.Connection, push_ids: list[int]) -> dict[int, dict[str, Any]]:
        query = sa.select(pushes.c.id, pushes.c.content).where(pushes.c.id.in_(push_ids))
        return {row.id: row.content for row in conn.execute(query)}

    @writes
    def cancel_push(self, conn: sa.Connection, push_id: int, now: datetime) -> int:
        """Stop a push: rows not yet tried are cancelled; returns how many."""
        conn.execute(pushes.update().where(pushes.c.id == push_id).values(cancelled=True))
        result = conn.execute(
            outbox.update()
            .where(outbox.c.push_id == push_id, outbox.c.status.in_((PENDING, CLAIMED)))
            .values(status=CANCELLED, updated_at=now)
        )
        return int(result.rowcount)

    @reads
    def push_summaries(
        self, conn: sa.Connection, push_ids: list[int] | None = None, limit: int = 50
    ) -> list[PushSummary]:
        """The newest pushes with their row counts per status (notices to one village head
        only when asked for by id: they are messages, not broadcasts)."""
        query = sa.select(pushes).order_by(pushes.c.id.desc()).limit(limit)
        if push_ids is not None:
            query = query.where(pushes.c.id.in_(push_ids))
        else:  # and help conversations: one person's messages, not broadcasts either
            query = query.where(pushes.c.kind.not_in((NOTICE, "help", "live")))
        summaries = {
            row.id: PushSummary(
                row.id, row.key, row.kind, as_utc(row.created_at), row.total, row.cancelled
            )
            for row in conn.execute(query)
        }
        if not summaries:
            return []
        counts = (
            sa.select(outbox.c.push_id, outbox.c.status, sa.func.count())
            .where(outbox.c.push_id.in_(list(summaries)))
            .group_by(outbox.c.push_id, outbox.c.status)
        )
        for push_id, status, count in conn.execute(counts):
            summaries[push_id].counts[status] = count
        return list(summaries.values())

    @reads
    def has_due(self, conn: sa.Connection, channel: str, now: datetime) -> bool:
        query = (
            sa.select(outbox.c.id)
            .where(
                outbox.c.channel == channel,
                outbox.c.status == PENDING,
                outbox.c.next_attempt_at <= now,
            )
            .limit(1)
        )
        return conn.execute(query).first() is not None
