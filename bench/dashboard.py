"""Dashboard timings on a province-sized SQLite file: 1,000,000 learners, 5,000,000
completions, 12 weekly snapshots (the report benchmark's data), plus quiz answers for one
commune and a weekly message to everyone.

The commune measured holds 100,000 learners. Each page is fetched over real HTTP from the
real web app (uvicorn on a free port), logged in through a one-time link, as a browser
would: the overview (goal: under 1 s), the lessons and pushes pages, and the two chart
pictures the overview shows. Run: `make bench` or
`.venv/bin/python bench/dashboard.py [--learners N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import sqlalchemy as sa

from bench.report import areas, seed
from bot.app import build_app
from bot.config import load_settings
from bot.core.messages import Grant
from bot.reports import core_lessons
from bot.storage.outbox import Audience
from bot.storage.schema import learners, quiz_answers, quiz_attempts, villages
from scheduler.calendar import week_key
from tests.dashboard_helpers import log_in, running


async def answers(app, commune_id: int) -> int:  # type: ignore[no-untyped-def]
    """Every learner of the commune answered the first core lesson's quiz once (one in
    four got each question wrong) and finished it: quiz answers and attempts."""
    lesson = next(x for x in app.catalog.lessons if x.id == core_lessons(app.catalog)[0])
    now = datetime.now(UTC)

    def insert(conn: sa.Connection) -> int:
        ids = sa.select(villages.c.id).where(villages.c.commune_id == commune_id)
        mine = sa.select(learners.c.id).where(learners.c.village_id.in_(ids))
        for index, question in enumerate(lesson.quiz):
            right = next(i for i, option in enumerate(question.options) if option.correct)
            wrong = (right + 1) % len(question.options)
            wrongly = (learners.c.id + index) % 4 == 0
            rows = sa.select(
                learners.c.id, sa.literal(lesson.id), sa.literal(lesson.version),
                sa.literal(index), sa.case((wrongly, wrong), else_=right), ~wrongly,
                sa.literal(now),
            ).where(learners.c.id.in_(mine))  # fmt: skip
            columns = [
                "learner_id", "lesson_id", "lesson_version", "question", "option", "correct",
                "answered_at",
            ]  # fmt: skip
            conn.execute(quiz_answers.insert().from_select(columns, rows))
        attempts = sa.select(
            learners.c.id, sa.literal(lesson.id), sa.literal(lesson.version),
            sa.literal(len(lesson.quiz)), sa.literal(len(lesson.quiz)), sa.true(),
            sa.literal(now),
        ).where(learners.c.id.in_(mine))  # fmt: skip
        columns = [
            "learner_id", "lesson_id", "lesson_version", "score", "total", "passed",
            "finished_at",
        ]  # fmt: skip
        conn.execute(quiz_attempts.insert().from_select(columns, attempts))
        return int(conn.scalar(sa.select(sa.func.count()).select_from(quiz_answers)) or 0)

    return int(await app.storage.runner.write(insert))


async def timed(client: httpx.AsyncClient, path: str, runs: int = 3) -> tuple[float, float, int]:
    """(best, first) seconds of a GET, and the size of the answer."""
    timings = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = await client.get(path)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
    return min(timings), timings[0], size


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text(areas(), encoding="utf-8")
        settings = load_settings(database_url=f"sqlite:///{tmp}/d.db", config_file=config)
        app = await build_app(settings)
        started = time.perf_counter()
        await seed(app, count)
        core = core_lessons(app.catalog)
        for week in range(12, 0, -1):
            moment = datetime.now(UTC) - timedelta(weeks=week)
            await app.storage.take_snapshot(
                week=week_key(moment.date()), at=moment, core_lessons=core
            )
        commune = await app.storage.commune_id("Xã 1")
        assert commune is not None and app.links is not None
        total = await answers(app, commune)
        await app.storage.create_push(
            key="weekly:bench", kind="weekly", content={"text": {"vi": "Tin", "en": "News"}},
            audience=Audience(wants_weekly=True), now=datetime.now(UTC),
        )  # fmt: skip
        seconds = time.perf_counter() - started
        print(
            f"seeded {count:,} learners, 12 weekly snapshots, {total:,} quiz answers and a "
            f"weekly message to everyone in {seconds:.0f} s"
        )
        async with running(app) as base, httpx.AsyncClient(base_url=base, timeout=60) as client:
            link = await app.links.login_link(
                learner_id=None, grant=Grant("staff", commune_id=commune), language="vi",
                now=datetime.now(UTC),
            )  # fmt: skip
            home = (await log_in(client, link)).headers["location"]
            pages = [
                ("overview", "", "goal < 1 s"),
                ("lessons", "lessons", ""),
                ("pushes", "pushes", ""),
                ("chart by village (PNG)", "bieudo.png", ""),
                ("chart by week (PNG)", "tiendo.png", ""),
                ("Excel download", "baocao.xlsx", ""),
            ]
            for name, path, goal in pages:
                best, first, size = await timed(client, home + path)
                note = f" ({goal})" if goal else ""
                print(
                    f"dashboard {name}, one commune of {count // 10:,} learners: best "
                    f"{best:.2f} s, first {first:.2f} s, {size / 1024:.0f} KiB{note}"
                )
        await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=1_000_000)
    args = parser.parse_args()
    asyncio.run(main(args.learners))
