"""Weekly review scheduling for 100,000 learners (issue 17): time and peak memory.

A SQLite file with N learners (100,000 by default) in 10 villages: most keep the commune's
weekly slot, a third chose their own weekday and hour (spread over 7 days × 6 hours); each
has the 15 core questions in their review queue, due at spread times, some already
reviewed; a few stopped pushes, left three reminders unanswered, or blocked the bot.
The file is seeded in a process of its own. The timed part is the review job as the
scheduler runs it: once an hour for a whole week (168 runs, each looking at the commune's
slot and at every learner-chosen hour of the last two days: the first runs also catch up
the weekend's slots of the week before), creating each invitation and its outbox rows.
Goals: under 10 s and under 200 MB peak RSS of that process. Then the whole scheduler over
the next week, for reference (weekly messages, reviews, nudges, the snapshot).

Run: `make bench`, or `.venv/bin/python bench/review.py [--learners N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bot.app import build_app
from bot.config import load_settings
from bot.quiet import QuietHours
from bot.reports import core_lessons
from bot.storage.schema import learners, outbox, pushes, review_items
from scheduler.calendar import WeeklySlot
from scheduler.jobs import Jobs

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 11, 9, 0, 0, tzinfo=VN)
HOURS = (7, 9, 12, 15, 18, 20)
AREAS = '[[communes]]\nname = "Xã A"\n' + "".join(
    f'[[communes.villages]]\nname = "Thôn {n}"\nadults = 12000\n' for n in range(1, 11)
)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def seed(app, count: int) -> int:  # type: ignore[no-untyped-def]
    start = MONDAY.astimezone(UTC) - timedelta(days=30)
    villages = [v.id for v in await app.storage.villages()]
    core = [lesson for lesson in app.catalog.lessons if lesson.id in core_lessons(app.catalog)]
    questions = [(lesson.id, q) for lesson in core for q in range(len(lesson.quiz))]

    def insert(conn: sa.Connection) -> int:
        items = 0
        for first in range(0, count, 20_000):
            rows = []
            for n in range(first, min(first + 20_000, count)):
                own = n % 3 == 0  # a third chose their own time
                rows.append({
                    "channel": "telegram", "user_id": str(n), "chat_id": str(n),
                    "language": "vi", "village_id": villages[n % len(villages)],
                    "group": "citizen", "state": {}, "consent_at": start,
                    "last_active_at": start + timedelta(hours=n % 500),
                    "weekly": n % 20 != 1, "blocked": n % 50 == 2,
                    "ignored_pushes": 3 if n % 20 == 3 else n % 3,
                    "push_day": (n // 3) % 7 if own else None,
                    "push_hour": HOURS[(n // 21) % len(HOURS)] if own else None,
                })  # fmt: skip
            conn.execute(learners.insert(), rows)
        ids = list(conn.scalars(sa.select(learners.c.id).order_by(learners.c.id)))
        for first in range(0, len(ids), 5_000):
            rows = []
            for learner_id in ids[first : first + 5_000]:
                for index, (lesson_id, question) in enumerate(questions):
                    box = (learner_id + index) % 5
                    due = start + timedelta(hours=(learner_id * 7 + index * 31) % (45 * 24))
                    rows.append({
                        "learner_id": learner_id, "lesson_id": lesson_id, "question": question,
                        "box": box, "due_at": due, "added_at": start,
                    })  # fmt: skip
            conn.execute(review_items.insert(), rows)
            items += len(rows)
        return items

    return int(await app.storage.runner.write(insert))


async def counts(app) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    def query(conn: sa.Connection) -> tuple[int, int, int]:
        invitations = conn.scalar(
            sa.select(sa.func.count()).select_from(pushes).where(pushes.c.kind == "review")
        )
        joined = outbox.join(pushes, pushes.c.id == outbox.c.push_id)
        rows = conn.scalar(
            sa.select(sa.func.count()).select_from(joined).where(pushes.c.kind == "review")
        )
        reached = conn.scalar(
            sa.select(sa.func.count(sa.distinct(outbox.c.learner_id)))
            .select_from(joined)
            .where(pushes.c.kind == "review")
        )
        return int(invitations or 0), int(rows or 0), int(reached or 0)

    return await app.storage.runner.read(query)


def seed_in_child(tmp: str, count: int) -> None:
    """Seeding in a process of its own, so the peak memory printed is the scheduler's."""

    async def work() -> None:
        app = await build_app(settings_in(tmp))
        started = time.perf_counter()
        items = await seed(app, count)
        await app.close()
        print(
            f"seeded {count:,} learners and {items:,} review questions "
            f"in {time.perf_counter() - started:.1f} s (another process)"
        )

    asyncio.run(work())


def settings_in(tmp: str):  # type: ignore[no-untyped-def]
    config = Path(tmp) / "hocvuso.toml"
    config.write_text(AREAS, encoding="utf-8")
    return load_settings(database_url=f"sqlite:///{tmp}/review.db", config_file=config)


async def main(tmp: str, count: int) -> None:
    if True:
        app = await build_app(settings_in(tmp))
        now = {"at": MONDAY.astimezone(UTC)}
        jobs = Jobs(
            app.storage, app.catalog, tz=VN, weekly_slot=WeeklySlot.parse("mon 08:00"),
            clock=lambda: now["at"], quiet=QuietHours(),
        )  # fmt: skip
        started = time.perf_counter()
        for hour in range(7 * 24):
            now["at"] = (MONDAY + timedelta(hours=hour)).astimezone(UTC)
            await jobs.reviews()
        seconds = time.perf_counter() - started
        invitations, rows, reached = await counts(app)
        print(
            f"weekly review scheduling, {count:,} learners, 168 hourly runs: {seconds:.2f} s "
            f"(goal < 10 s); {invitations} invitations, {rows:,} outbox rows to {reached:,} "
            f"learners; peak RSS {rss_mb():.0f} MB (goal < 200 MB)"
        )
        started = time.perf_counter()
        for hour in range(7 * 24):
            now["at"] = (MONDAY + timedelta(days=7, hours=hour)).astimezone(UTC)
            await jobs.run_due()
        seconds = time.perf_counter() - started
        print(
            f"the whole scheduler the next week (weekly messages, reviews, nudges, snapshot): "
            f"{seconds:.2f} s; peak RSS {rss_mb():.0f} MB"
        )
        await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        child = multiprocessing.Process(target=seed_in_child, args=(folder, args.learners))
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit("seeding failed")
        asyncio.run(main(folder, args.learners))
