"""The web dashboard's figures: what a scope covers, each lesson's passes and hardest
questions, and the pushes that reached the scope. Read only.

They count citizens of the villages in scope, like the reports: learners of the terminal
chat are left out; no query here reads a chat id or a user id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.storage.base import StoreBase, reads
from bot.storage.outbox import NOTICE, as_utc
from bot.storage.reports import CONSOLE
from bot.storage.schema import (
    communes,
    completions,
    learners,
    outbox,
    pushes,
    quiz_answers,
    quiz_attempts,
    villages,
    weekly_queue,
)


@dataclass(frozen=True)
class LessonFigures:
    """Counts per lesson, and per question of each lesson version."""

    passed: dict[str, int] = field(default_factory=dict)  # lesson → learners who passed
    attempts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # tries, passed, who
    # (lesson, version, question) → {option: answers}, and how many of them were right
    options: dict[tuple[str, int, int], dict[int, int]] = field(default_factory=dict)
    right: dict[tuple[str, int, int], int] = field(default_factory=dict)


@dataclass
class PushFigures:
    """One push as the dashboard shows it: no person, only the role and the counts."""

    id: int
    key: str
    kind: str
    created_at: datetime
    village: str | None  # announcements: the village it went to
    content: dict[str, object]
    cancelled: bool
    counts: dict[str, int] = field(default_factory=dict)  # status → rows in scope

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class QueuedWeekly:
    week: str
    text: str


class DashboardFigures(StoreBase):
    # -- what a scope covers -----------------------------------------------------------------

    @reads
    def scope_villages(
        self, conn: sa.Connection, commune_id: int, village_id: int | None = None
    ) -> dict[int, str]:
        """The active villages in scope (id → name); empty when the village is not one of
        the commune's."""
        query = sa.select(villages.c.id, villages.c.name).where(
            villages.c.commune_id == commune_id, villages.c.active
        )
        if village_id is not None:
            query = query.where(villages.c.id == village_id)
        return {row.id: row.name for row in conn.execute(query)}

    @reads
    def commune_name(self, conn: sa.Connection, commune_id: int) -> str | None:
        return conn.scalar(sa.select(communes.c.name).where(communes.c.id == commune_id))

    # -- lessons ---------------------------------------------------------------------------

    async def lesson_figures(self, village_ids: list[int]) -> LessonFigures:
        """Passes, quiz attempts and every answer per question, for the villages' citizens.

        Each count is driven from the villages' learners (their index), then each learner's
        rows; the three run at once (threads on SQLite, whose readers do not wait for each
        other; connections of the pool on PostgreSQL)."""
        figures = LessonFigures()
        if not village_ids:
            return figures
        passed, attempts, answers = await asyncio.gather(
            self.runner.read_in_thread(_citizens, _passed, village_ids),
            self.runner.read_in_thread(_citizens, _attempts, village_ids),
            self.runner.read_in_thread(_citizens, _answers, village_ids),
        )
        figures.passed.update({lesson: count for (lesson,), (count,) in passed.items()})
        figures.attempts.update({lesson: (a, b, c) for (lesson,), (a, b, c) in attempts.items()})
        for (lesson, version, question, option, correct), (count,) in answers.items():
            where = (lesson, version, question)
            chosen = figures.options.setdefault(where, {})
            chosen[option] = chosen.get(option, 0) + count
            if correct:
                figures.right[where] = figures.right.get(where, 0) + count
        return figures

    # -- pushes ------------------------------------------------------------------------------

    async def push_figures(
        self, commune_id: int, village_ids: list[int], *, whole_commune: bool, limit: int = 20
    ) -> list[PushFigures]:
        """The newest pushes that reached the scope (announcements to its villages, the
        commune's 10/10 reminders, weekly messages and nudges), with their rows in scope by
        status. ``whole_commune``: the scope is every village of the commune."""
        return await self.runner.read_in_thread(
            _push_figures, commune_id, village_ids, whole_commune, limit
        )

    @reads
    def queued_weekly(self, conn: sa.Connection, from_week: str) -> list[QueuedWeekly]:
        """Messages staff queued for this week's slot or a later one."""
        query = (
            sa.select(weekly_queue.c.week, weekly_queue.c.text)
            .where(weekly_queue.c.week >= from_week)
            .order_by(weekly_queue.c.week, weekly_queue.c.id)
        )
        return [QueuedWeekly(row.week, row.text) for row in conn.execute(query)]


Counts = dict[tuple[Any, ...], tuple[int, ...]]  # group → its counts


def _passed(conn: sa.Connection, in_scope: sa.ColumnElement[bool]) -> Counts:
    """(lesson,) → (learners who passed it, any version)."""
    query = (
        sa.select(completions.c.lesson_id, sa.func.count(sa.distinct(completions.c.learner_id)))
        .select_from(learners.join(completions, completions.c.learner_id == learners.c.id))
        .where(in_scope)
        .group_by(completions.c.lesson_id)
    )
    return {(lesson,): (int(count),) for lesson, count in conn.execute(query)}


def _attempts(conn: sa.Connection, in_scope: sa.ColumnElement[bool]) -> Counts:
    """(lesson,) → (quizzes finished, quizzes passed, learners who finished one)."""
    query = (
        sa.select(
            quiz_attempts.c.lesson_id,
            sa.func.count(),
            sa.func.sum(sa.case((quiz_attempts.c.passed, 1), else_=0)),
            sa.func.count(sa.distinct(quiz_attempts.c.learner_id)),
        )
        .select_from(learners.join(quiz_attempts, quiz_attempts.c.learner_id == learners.c.id))
        .where(in_scope)
        .group_by(quiz_attempts.c.lesson_id)
    )
    return {
        (lesson,): (int(tries), int(passes or 0), int(who))
        for lesson, tries, passes, who in conn.execute(query)
    }


def _answers(conn: sa.Connection, in_scope: sa.ColumnElement[bool]) -> Counts:
    """(lesson, version, question, option, right) → (answers,)."""
    columns = (
        quiz_answers.c.lesson_id,
        quiz_answers.c.lesson_version,
        quiz_answers.c.question,
        quiz_answers.c.option,
        quiz_answers.c.correct,
    )
    query = (
        sa.select(*columns, sa.func.count())
        .select_from(learners.join(quiz_answers, quiz_answers.c.learner_id == learners.c.id))
        .where(in_scope)
        .group_by(*columns)
    )
    return {
        (lesson, int(version), int(question), int(option), bool(correct)): (int(count),)
        for lesson, version, question, option, correct, count in conn.execute(query)
    }


def _citizens(
    conn: sa.Connection,
    count: Callable[[sa.Connection, sa.ColumnElement[bool]], Counts],
    village_ids: list[int],
) -> Counts:
    """``count`` over everyone of the villages through their index alone, less the few
    learners of the terminal chat (as the reports do: a channel condition on every row
    would read each learner's row, a third of the time)."""
    in_villages = learners.c.village_id.in_(village_ids)
    found = count(conn, in_villages)
    operators = list(conn.scalars(sa.select(learners.c.id).where(learners.c.channel == CONSOLE)))
    if operators:
        for key, less in count(conn, sa.and_(in_villages, learners.c.id.in_(operators))).items():
            left = tuple(a - b for a, b in zip(found[key], less, strict=True))
            if any(left):
                found[key] = left
            else:
                del found[key]
    return found


def _push_figures(
    conn: sa.Connection, commune_id: int, village_ids: list[int], whole_commune: bool, limit: int
) -> list[PushFigures]:
    """Announcements go to one village and the 10/10 reminders to one commune, so their rows
    are counted by push (an index); weekly messages and nudges go to everyone, so their rows
    are counted from the scope's learners."""
    if not village_ids:
        return []
    reminder = sa.and_(pushes.c.kind == "reminder", pushes.c.key.like(f"event:%:{commune_id}"))
    announcement = sa.and_(pushes.c.kind == "announcement", pushes.c.village_id.in_(village_ids))
    everyone = pushes.c.kind.in_(("weekly", "nudge"))
    query = (
        sa.select(
            pushes.c.id, pushes.c.key, pushes.c.kind, pushes.c.created_at, pushes.c.content,
            pushes.c.cancelled, villages.c.name.label("village"),
        )
        .select_from(pushes.outerjoin(villages, villages.c.id == pushes.c.village_id))
        .where(pushes.c.kind != NOTICE, sa.or_(reminder, announcement, everyone))
        .order_by(pushes.c.created_at.desc(), pushes.c.id.desc())
        .limit(limit)
    )  # fmt: skip
    found = {
        row.id: PushFigures(
            row.id, row.key, row.kind, as_utc(row.created_at), row.village,
            row.content if isinstance(row.content, dict) else {}, row.cancelled,
        )
        for row in conn.execute(query)
    }  # fmt: skip
    by_push = [
        push.id
        for push in found.values()
        if push.kind == "announcement" or (push.kind == "reminder" and whole_commune)
    ]
    by_learner = [push_id for push_id in found if push_id not in by_push]
    counted = []
    if by_push:
        counted.append(
            sa.select(outbox.c.push_id, outbox.c.status, sa.func.count())
            .where(outbox.c.push_id.in_(by_push))
            .group_by(outbox.c.push_id, outbox.c.status)
        )
    if by_learner:
        counted.append(
            sa.select(outbox.c.push_id, outbox.c.status, sa.func.count())
            .select_from(learners.join(outbox, outbox.c.learner_id == learners.c.id))
            .where(learners.c.village_id.in_(village_ids), outbox.c.push_id.in_(by_learner))
            .group_by(outbox.c.push_id, outbox.c.status)
        )
    for counting in counted:
        for push_id, status, count in conn.execute(counting):
            found[push_id].counts[status] = int(count)
    return list(found.values())
