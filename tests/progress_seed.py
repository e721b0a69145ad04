"""Weeks of progress through the real storage and the real scheduler job: learners join and
finish the core lesson week after week, and the weekly snapshot is taken by
``Jobs.snapshot`` at each week's time. Used by the report tests and to draw sample charts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.app import App
from bot.config import Commune, Village
from scheduler.jobs import Jobs

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CORE = "demo-one"  # the demo lessons' core lesson


def at(day: date, hour: int = 9) -> datetime:
    """A local morning as UTC, as the database keeps it."""
    return datetime.combine(day, time(hour), VN).astimezone(UTC)


def _fixed(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


async def learner(
    app: App, user: str, village_id: int, when: datetime, channel: str = "test"
) -> int:
    found = await app.storage.create_learner(
        channel=channel, user_id=user, chat_id=user, language="vi", now=when
    )
    found.village_id, found.group = village_id, "citizen"
    await app.storage.update_learner(found, when)
    return found.id


async def finish_core(app: App, learner_id: int, when: datetime) -> None:
    await app.storage.record_attempt(
        learner_id=learner_id, lesson_id=CORE, version=1, score=2, total=2, pass_mark=50,
        passed=True, now=when,
    )  # fmt: skip


async def seed_weeks(
    app: App,
    commune: str,
    villages: dict[str, tuple[int, int]],
    *,
    today: date,
    weeks: int = 12,
) -> None:
    """``villages``: name → (adults, learners finishing the core path each week).

    Snapshot w (w = 0 … weeks-1) is taken ``weeks - w`` weeks before ``today``; batch b
    (b = 1 … weeks) finishes the day before snapshot b, so snapshot w holds w batches and
    today's figures hold all of them."""
    areas = [Village(name=name, adults=adults) for name, (adults, _n) in villages.items()]
    await app.storage.sync_areas([Commune(name=commune, villages=areas)])
    ids = {v.name: v.id for v in await app.storage.villages() if v.commune == commune}
    start = at(today) - timedelta(weeks=weeks)
    for week in range(weeks + 1):
        moment = start + timedelta(weeks=week)
        if week:
            finished = moment - timedelta(days=1)
            for name, (_adults, per_week) in villages.items():
                for n in range(per_week):
                    user = f"{commune}/{name}/{week}/{n}"
                    await finish_core(app, await learner(app, user, ids[name], finished), finished)
        if week < weeks:
            jobs = Jobs(
                app.storage, app.catalog, tz=VN, weekly_slot=app.settings.slot,
                clock=_fixed(moment),
            )  # fmt: skip
            await jobs.snapshot()
