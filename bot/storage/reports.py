"""Read-only numbers for reports; on SQLite they run in a worker thread (many rows).

Every count is driven from the villages asked for, through the learners' village index and
the completions' (learner, lesson) key, so one commune's report reads only that commune.
Official figures count citizens: learners of the terminal chat (operators trying the bot)
are left out unless asked for.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from bot.content.natural import natural_key
from bot.core.spacing import KEPT_GRACE
from bot.storage.base import StoreBase
from bot.storage.schema import communes, completions, learners, review_items, villages

CONSOLE = "console"  # the terminal chat's channel name: operators, not citizens


@dataclass
class VillageCounts:
    village_id: int | None  # None: learners who chose no village
    commune: str
    village: str
    adults: int
    learners: int = 0
    core_done: int = 0  # learners who completed every lesson of the core path
    lessons: dict[str, int] = field(default_factory=dict)  # lesson id → learners who passed
    # Of core_done, those whose core reviews are not overdue by more than 60 days.
    kept: int = 0
    national: int = 0  # learners who said they registered on binhdanhocvuso.gov.vn
    # Households (chats: a learner and the profiles on their phone) with someone in core_done.
    households_done: int = 0


def village_order(row: VillageCounts) -> tuple[object, ...]:
    """Communes, then villages, in natural order ("Thôn 2" before "Thôn 10"); the row of
    learners without a village last."""
    return (row.village_id is None, natural_key(row.commune), natural_key(row.village))


class ReportQueries(StoreBase):
    async def village_counts(
        self,
        core_lessons: tuple[str, ...],
        commune_id: int | None = None,
        *,
        include_console: bool = False,
        now: datetime | None = None,
        per_lesson: bool = True,
    ) -> list[VillageCounts]:
        """One row per active village (of one commune, or all with a no-village row);
        ``now`` decides which reviews are overdue; ``per_lesson=False`` leaves each lesson's
        passes out (the dearest count, which the dashboard's overview and the charts do not
        show)."""
        counts = self.runner.read_in_thread(
            _village_counts, core_lessons, commune_id, include_console, now or datetime.now(UTC)
        )
        if not per_lesson:
            return await counts
        # Each lesson's passes are counted beside the rest, by a second reader: readers do
        # not wait for each other, and the two halves take about as long (/baocao for a
        # commune of 100,000 learners: 1.2 s one after the other).
        rows, passes = await asyncio.gather(
            counts, self.runner.read_in_thread(_lesson_passes, commune_id, include_console)
        )
        for row in rows:
            row.lessons = passes.get(row.village_id, {})
        return rows


def counted(include_console: bool = False, at: datetime | None = None) -> sa.ColumnElement[bool]:
    """The learners a figure counts: citizens (and the console's when asked), joined by
    ``at`` when the figure is as of a past moment."""
    condition: sa.ColumnElement[bool] = sa.true()
    if not include_console:
        condition = sa.and_(condition, learners.c.channel != CONSOLE)
    if at is not None:
        condition = sa.and_(condition, learners.c.consent_at <= at)
    return condition


def learners_by_village(
    conn: sa.Connection, in_scope: sa.ColumnElement[bool]
) -> dict[int | None, int]:
    query = sa.select(learners.c.village_id, sa.func.count()).where(in_scope)
    return {vid: count for vid, count in conn.execute(query.group_by(learners.c.village_id))}


def core_done_by_village(
    conn: sa.Connection,
    core_lessons: tuple[str, ...],
    in_scope: sa.ColumnElement[bool],
    at: datetime | None = None,
) -> dict[int | None, int]:
    """Learners who completed every core lesson (by ``at``, when given), per village."""
    if not core_lessons:
        return {}
    finished = [
        completions.c.learner_id == learners.c.id,
        completions.c.lesson_id.in_(core_lessons),
    ]
    if at is not None:
        finished.append(completions.c.completed_at <= at)
    done = (
        sa.select(sa.func.count(sa.distinct(completions.c.lesson_id)))
        .where(*finished)
        .scalar_subquery()
    )
    query = (
        sa.select(learners.c.village_id, sa.func.count())
        .where(in_scope, done == len(core_lessons))
        .group_by(learners.c.village_id)
    )
    return {vid: count for vid, count in conn.execute(query)}


def finished_and_kept(
    conn: sa.Connection,
    core_lessons: tuple[str, ...],
    in_scope: sa.ColumnElement[bool],
    now: datetime,
) -> dict[int | None, tuple[int, int]]:
    """Per village, in one pass: learners who completed every core lesson, and of them those
    who keep it up (no core review question overdue by more than 60 days)."""
    if not core_lessons:
        return {}
    done = (
        sa.select(sa.func.count(sa.distinct(completions.c.lesson_id)))
        .where(completions.c.learner_id == learners.c.id, completions.c.lesson_id.in_(core_lessons))
        .scalar_subquery()
    )
    lapsed = sa.exists().where(
        review_items.c.learner_id == learners.c.id,
        review_items.c.due_at < now - KEPT_GRACE,
        review_items.c.lesson_id.in_(core_lessons),
    )
    kept = sa.func.sum(sa.case((lapsed, 0), else_=1))
    query = (
        sa.select(learners.c.village_id, sa.func.count(), kept)
        .where(in_scope, done == len(core_lessons))
        .group_by(learners.c.village_id)
    )
    return {vid: (int(count), int(kept or 0)) for vid, count, kept in conn.execute(query)}


def finishers_sharing_a_phone(
    conn: sa.Connection, core_lessons: tuple[str, ...], in_scope: sa.ColumnElement[bool]
) -> dict[int | None, int]:
    """Per village, the learners who finished the core path beyond the first of their
    household: those who finished, less the households (chats) they make. Only phones with
    a household member's profile can have more than one, and they are few, so this reads
    them through the owner index rather than every learner who finished a second time."""
    if not core_lessons:
        return {}
    profiles = conn.execute(
        sa.select(learners.c.id, learners.c.owner_id).where(learners.c.owner_id.is_not(None))
    ).all()
    if not profiles:
        return {}
    household = {owner: owner for _id, owner in profiles} | dict(profiles)
    members = list(household)
    finished = set(
        conn.scalars(
            sa.select(completions.c.learner_id)
            .where(completions.c.learner_id.in_(members), completions.c.lesson_id.in_(core_lessons))
            .group_by(completions.c.learner_id)
            .having(sa.func.count(sa.distinct(completions.c.lesson_id)) == len(core_lessons))
        )
    )
    scoped = sa.select(learners.c.id, learners.c.village_id).where(
        learners.c.id.in_(finished), in_scope
    )
    homes: dict[int | None, set[int]] = {}
    counted: dict[int | None, int] = {}
    for learner_id, village_id in conn.execute(scoped):
        homes.setdefault(village_id, set()).add(household[learner_id])
        counted[village_id] = counted.get(village_id, 0) + 1
    return {village: counted[village] - len(homes[village]) for village in counted}


def _scope(
    conn: sa.Connection, commune_id: int | None
) -> tuple[dict[int | None, VillageCounts], sa.ColumnElement[bool]]:
    """The rows of the villages asked for, and the learners they count."""
    query = (
        sa.select(villages.c.id, communes.c.name, villages.c.name, villages.c.adults)
        .join(communes)
        .where(villages.c.active)
    )
    if commune_id is not None:
        query = query.where(villages.c.commune_id == commune_id)
    rows: dict[int | None, VillageCounts] = {
        row[0]: VillageCounts(row[0], row[1], row[2], row[3]) for row in conn.execute(query)
    }
    ids = [village_id for village_id in rows if village_id is not None]
    in_scope: sa.ColumnElement[bool] = learners.c.village_id.in_(ids)
    if commune_id is None:
        rows[None] = VillageCounts(None, "", "", 0)
        in_scope = sa.or_(in_scope, learners.c.village_id.is_(None))
    return rows, in_scope


def _operators(conn: sa.Connection, in_scope: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The terminal chat's learners in scope (found through the channel key), or none."""
    found = list(conn.scalars(sa.select(learners.c.id).where(learners.c.channel == CONSOLE)))
    return sa.and_(in_scope, learners.c.id.in_(found)) if found else sa.false()


def _village_counts(
    conn: sa.Connection,
    core_lessons: tuple[str, ...],
    commune_id: int | None,
    include_console: bool,
    now: datetime,
) -> list[VillageCounts]:
    """Everyone is counted through the village index alone, then the console's few learners
    (found through the channel key) are taken off: a channel condition on every row would
    make each count read the whole learners table instead (a quarter slower at 100,000)."""
    rows, in_scope = _scope(conn, commune_id)
    _tally(conn, rows, core_lessons, in_scope, now, sign=1)
    if not include_console:
        _tally(conn, rows, core_lessons, _operators(conn, in_scope), now, sign=-1)

    # The few who registered nationally, through their own index: no village condition,
    # which would make the database read every learner of the province.
    national = sa.select(learners.c.village_id, sa.func.count()).where(
        learners.c.national_at.is_not(None)
    )
    if not include_console:
        national = national.where(learners.c.channel != CONSOLE)
    for village_id, count in conn.execute(national.group_by(learners.c.village_id)):
        if village_id in rows:
            rows[village_id].national = count

    if None in rows and not rows[None].learners:
        del rows[None]
    return sorted(rows.values(), key=village_order)


def _tally(
    conn: sa.Connection,
    rows: dict[int | None, VillageCounts],
    core_lessons: tuple[str, ...],
    in_scope: sa.ColumnElement[bool],
    now: datetime,
    *,
    sign: int,
) -> None:
    """Add (``sign`` 1) or take off (-1) the learners and core paths in scope."""
    for village_id, count in learners_by_village(conn, in_scope).items():
        if village_id in rows:
            rows[village_id].learners += sign * count

    for village_id, (done, kept) in finished_and_kept(conn, core_lessons, in_scope, now).items():
        if village_id in rows:
            rows[village_id].core_done += sign * done
            rows[village_id].kept += sign * kept
            rows[village_id].households_done += sign * done
    for village_id, extra in finishers_sharing_a_phone(conn, core_lessons, in_scope).items():
        if village_id in rows:
            rows[village_id].households_done -= sign * extra


def _lesson_passes(
    conn: sa.Connection, commune_id: int | None, include_console: bool
) -> dict[int | None, dict[str, int]]:
    """Per village, the learners who passed each lesson (the console's taken off)."""
    _rows, in_scope = _scope(conn, commune_id)
    passes: dict[int | None, dict[str, int]] = {}
    scopes = [(in_scope, 1)]
    if not include_console:
        scopes.append((_operators(conn, in_scope), -1))
    for scope, sign in scopes:
        query = (
            sa.select(
                learners.c.village_id,
                completions.c.lesson_id,
                sa.func.count(sa.distinct(completions.c.learner_id)),
            )
            .select_from(learners.join(completions, completions.c.learner_id == learners.c.id))
            .where(scope)
            .group_by(learners.c.village_id, completions.c.lesson_id)
        )
        for village_id, lesson_id, count in conn.execute(query):
            lessons = passes.setdefault(village_id, {})
            lessons[lesson_id] = lessons.get(lesson_id, 0) + sign * count
    return passes
