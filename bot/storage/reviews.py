"""The review queue, the certificate of the core path, and the national-platform answer.

Review items are keyed by learner, lesson and question number (no foreign key into
content: lessons are files). The intervals themselves are decided in bot.core.spacing.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.core import spacing
from bot.core.messages import CertificateRecord as Certificate
from bot.core.messages import Learner, ReviewItem
from bot.storage.base import StoreBase, reads, writes
from bot.storage.learners import learner_from_row
from bot.storage.outbox import as_utc
from bot.storage.schema import certificates, completions, learners, review_items

_DUE = (
    sa.select(
        review_items.c.lesson_id, review_items.c.question, review_items.c.box, review_items.c.due_at
    )
    .where(
        review_items.c.learner_id == sa.bindparam("learner_id"),
        review_items.c.due_at <= sa.bindparam("now"),
    )
    .order_by(review_items.c.due_at, review_items.c.id)  # the longest waiting first
)


class ReviewQueries(StoreBase):
    # -- the queue --------------------------------------------------------------------------

    @writes
    def add_reviews(
        self,
        conn: sa.Connection,
        learner_id: int,
        items: list[tuple[str, int]],
        now: datetime,
        *,
        reset: bool,
    ) -> None:
        """Queue (lesson, question) items; ``reset`` (a wrong answer) also sends an item
        already queued back to the first box, else its schedule is kept."""
        start = spacing.entered(now)
        for lesson_id, question in items:
            key = (
                (review_items.c.learner_id == learner_id)
                & (review_items.c.lesson_id == lesson_id)
                & (review_items.c.question == question)
            )
            found = conn.scalar(sa.select(review_items.c.id).where(key))
            if found is None:
                conn.execute(
                    review_items.insert().values(
                        learner_id=learner_id, lesson_id=lesson_id, question=question,
                        box=start.box, due_at=start.due_at, added_at=now,
                    )
                )  # fmt: skip
            elif reset:
                conn.execute(
                    review_items.update()
                    .where(review_items.c.id == found)
                    .values(box=start.box, due_at=start.due_at, lapses=review_items.c.lapses + 1)
                )

    @reads
    def due_reviews(
        self, conn: sa.Connection, learner_id: int, now: datetime, limit: int
    ) -> list[ReviewItem]:
        rows = conn.execute(_DUE.limit(limit), {"learner_id": learner_id, "now": now})
        return [ReviewItem(r.lesson_id, r.question, r.box, as_utc(r.due_at)) for r in rows]

    @reads
    def review_summary(
        self, conn: sa.Connection, learner_id: int, now: datetime
    ) -> tuple[int, int, datetime | None]:
        """(items queued, items due now, when the next one not yet due comes)."""
        mine = review_items.c.learner_id == learner_id
        total = conn.scalar(sa.select(sa.func.count()).where(mine)) or 0
        due = conn.scalar(sa.select(sa.func.count()).where(mine, review_items.c.due_at <= now))
        upcoming = conn.scalar(
            sa.select(sa.func.min(review_items.c.due_at)).where(mine, review_items.c.due_at > now)
        )
        return int(total), int(due or 0), as_utc(upcoming) if upcoming else None

    @writes
    def record_review(
        self,
        conn: sa.Connection,
        learner_id: int,
        lesson_id: str,
        question: int,
        *,
        correct: bool,
        now: datetime,
    ) -> datetime | None:
        """Move the item along the intervals (or back to the start); its new due time, or
        None when the item is no longer queued."""
        key = (
            (review_items.c.learner_id == learner_id)
            & (review_items.c.lesson_id == lesson_id)
            & (review_items.c.question == question)
        )
        box = conn.scalar(sa.select(review_items.c.box).where(key))
        if box is None:
            return None
        step = spacing.after_review(int(box), correct, now)
        values: dict[str, Any] = {"box": step.box, "due_at": step.due_at, "reviewed_at": now}
        if not correct:
            values["lapses"] = review_items.c.lapses + 1
        conn.execute(review_items.update().where(key).values(**values))
        return step.due_at

    @writes
    def drop_review(
        self, conn: sa.Connection, learner_id: int, lesson_id: str, question: int
    ) -> None:
        """A question the lessons no longer have."""
        conn.execute(
            review_items.delete().where(
                review_items.c.learner_id == learner_id,
                review_items.c.lesson_id == lesson_id,
                review_items.c.question == question,
            )
        )

    @writes
    def seed_core_reviews(
        self, conn: sa.Connection, questions: dict[str, int], now: datetime
    ) -> int:
        """Queue every core question for learners who passed a core lesson before reviews
        existed (or before the lesson was core); learners with any item of the lesson are
        left as they are. ``questions``: lesson id → number of questions. Returns the items
        added."""
        start = spacing.entered(now)
        added = 0
        for lesson_id, count in questions.items():
            has_items = sa.exists().where(
                review_items.c.learner_id == completions.c.learner_id,
                review_items.c.lesson_id == lesson_id,
            )
            learners_missing = list(
                conn.scalars(
                    sa.select(completions.c.learner_id)
                    .where(completions.c.lesson_id == lesson_id, ~has_items)
                    .distinct()
                )
            )
            rows = [
                {"learner_id": learner_id, "lesson_id": lesson_id, "question": question,
                 "box": start.box, "due_at": start.due_at, "added_at": now}
                for learner_id in learners_missing
                for question in range(count)
            ]  # fmt: skip
            for first in range(0, len(rows), 5000):
                conn.execute(review_items.insert(), rows[first : first + 5000])
            added += len(rows)
        return added

    @reads
    def chosen_slots(self, conn: sa.Connection) -> set[tuple[int, int]]:
        """The (weekday, hour) pairs learners chose for their pushes."""
        query = (
            sa.select(learners.c.push_day, learners.c.push_hour)
            .where(learners.c.push_hour.is_not(None), learners.c.push_day.is_not(None))
            .distinct()
        )
        return {(int(row[0]), int(row[1])) for row in conn.execute(query)}

    # -- the certificate ----------------------------------------------------------------------

    @reads
    def certificate(self, conn: sa.Connection, learner_id: int) -> Certificate | None:
        row = conn.execute(
            sa.select(certificates).where(certificates.c.learner_id == learner_id)
        ).first()
        return Certificate(row.token, row.name, as_utc(row.finished_at)) if row else None

    @reads
    def certificate_holder(self, conn: sa.Connection, token: str) -> Learner | None:
        """The learner whose certificate picture this token names."""
        row = conn.execute(
            sa.select(learners)
            .join(certificates, certificates.c.learner_id == learners.c.id)
            .where(certificates.c.token == token)
        ).first()
        return learner_from_row(row) if row else None

    @writes
    def save_certificate(
        self,
        conn: sa.Connection,
        learner_id: int,
        *,
        name: str | None,
        finished_at: datetime,
        now: datetime,
    ) -> Certificate:
        """Issue the certificate, or change the name on it (the token stays)."""
        row = conn.execute(
            sa.select(certificates.c.token).where(certificates.c.learner_id == learner_id)
        ).first()
        if row is None:
            token = secrets.token_urlsafe(16)
            conn.execute(
                certificates.insert().values(
                    learner_id=learner_id, token=token, name=name, finished_at=finished_at,
                    created_at=now, updated_at=now,
                )
            )  # fmt: skip
        else:
            token = row.token
            conn.execute(
                certificates.update()
                .where(certificates.c.learner_id == learner_id)
                .values(name=name, finished_at=finished_at, updated_at=now)
            )
        return Certificate(token, name, finished_at)

    @reads
    def completion_times(self, conn: sa.Connection, learner_id: int) -> dict[str, datetime]:
        """Lesson id → when it was first passed."""
        query = (
            sa.select(completions.c.lesson_id, sa.func.min(completions.c.completed_at))
            .where(completions.c.learner_id == learner_id)
            .group_by(completions.c.lesson_id)
        )
        return {row[0]: as_utc(row[1]) for row in conn.execute(query)}

    # -- the national platform ----------------------------------------------------------------

    @writes
    def set_national(self, conn: sa.Connection, learner_id: int, now: datetime) -> None:
        """The learner says they registered on binhdanhocvuso.gov.vn (first time kept)."""
        conn.execute(
            learners.update()
            .where(learners.c.id == learner_id, learners.c.national_at.is_(None))
            .values(national_at=now)
        )

    @reads
    def national_since(self, conn: sa.Connection, learner_id: int) -> datetime | None:
        moment = conn.scalar(sa.select(learners.c.national_at).where(learners.c.id == learner_id))
        return as_utc(moment) if moment else None
