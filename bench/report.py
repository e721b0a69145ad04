"""Report timings on a province-sized SQLite file: 1,000,000 learners, 5,000,000 completions.

10 communes × 10 villages; one commune holds 100,000 learners. Prints the time of /baocao
for one commune through the engine (text, Excel, CSV and chart, as staff get it in the
chat) and of the Excel export of the whole province (`hocvuso report --format xlsx`).
Goals: under 1 s and under 10 s on SQLite. Run: `make bench` or
`.venv/bin/python bench/report.py [--learners N]`.
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

import sqlalchemy as sa

from bot.app import build_app
from bot.config import load_settings
from bot.core.messages import Inbound, Kind
from bot.exports import write_xlsx
from bot.i18n import use_locale
from bot.reports import build_report, core_lessons
from bot.storage.schema import completions, learners, roles
from scheduler.calendar import week_key

COMMUNES, VILLAGES = 10, 10


def areas() -> str:
    lines = []
    for c in range(COMMUNES):
        lines.append(f'[[communes]]\nname = "Xã {c + 1}"\n')
        for v in range(VILLAGES):
            lines.append(f'[[communes.villages]]\nname = "Thôn {v + 1}"\nadults = 1500\n')
    return "\n".join(lines)


async def seed(app, count: int) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    village_ids = [v.id for v in await app.storage.villages()]
    lesson_ids = [lesson.id for lesson in app.catalog.lessons]

    def insert(conn: sa.Connection) -> None:
        for start in range(0, count, 50_000):
            rows = [
                {
                    "channel": "telegram", "user_id": str(n), "chat_id": str(n), "language": "vi",
                    "village_id": village_ids[n % len(village_ids)], "group": "citizen",
                    "state": {}, "consent_at": now, "last_active_at": now,
                }
                for n in range(start, min(start + 50_000, count))
            ]  # fmt: skip
            conn.execute(learners.insert(), rows)
        # Each learner passed 5 of the 7 lessons: 5,000,000 completions for a million.
        for index, lesson_id in enumerate(lesson_ids):
            chosen = sa.select(
                learners.c.id, sa.literal(lesson_id), sa.literal(1), sa.literal(4),
                sa.literal(4), sa.literal(75), sa.literal(now - timedelta(days=index)),
            ).where((learners.c.id + index) % len(lesson_ids) < 5)  # fmt: skip
            columns = [
                "learner_id", "lesson_id", "lesson_version", "score", "total", "pass_mark",
                "completed_at",
            ]  # fmt: skip
            conn.execute(completions.insert().from_select(columns, chosen))

    await app.storage.runner.write(insert)


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text(areas(), encoding="utf-8")
        settings = load_settings(database_url=f"sqlite:///{tmp}/r.db", config_file=config)
        app = await build_app(settings)
        started = time.perf_counter()
        await seed(app, count)
        total = await app.storage.runner.read(
            lambda conn: conn.scalar(sa.select(sa.func.count()).select_from(completions))
        )
        seconds = time.perf_counter() - started
        print(f"seeded {count:,} learners, {total:,} completions in {seconds:.0f} s")

        # Twelve weeks of the scheduler's weekly snapshot, for "on track?" (issue 14).
        core = core_lessons(app.catalog)
        started = time.perf_counter()
        for week in range(12, 0, -1):
            moment = datetime.now(UTC) - timedelta(weeks=week)
            await app.storage.take_snapshot(
                week=week_key(moment.date()), at=moment, core_lessons=core
            )
        each = (time.perf_counter() - started) / 12
        print(f"weekly snapshot of the province ({count:,} learners): {each:.2f} s each")

        commune = await app.storage.commune_id("Xã 1")

        def staff(conn: sa.Connection) -> None:
            conn.execute(roles.insert().values(
                learner_id=1, role="staff", commune_id=commune, granted_at=datetime.now(UTC),
                granted_by="bench",
            ))  # fmt: skip

        await app.storage.runner.write(staff)
        inbound = Inbound(
            channel="telegram", user_id="0", chat_id="0", kind=Kind.COMMAND, text="baocao"
        )
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            replies = await app.engine.handle(inbound)
            timings.append(time.perf_counter() - started)
        assert any(reply.document for reply in replies)
        print(
            f"/baocao for one commune (100,000 learners; text, Excel, CSV, two charts): "
            f"best {min(timings):.2f} s, first {timings[0]:.2f} s (goal < 1 s)"
        )

        started = time.perf_counter()
        with use_locale("vi"):
            report = await build_report(app.storage, app.catalog, year=2026, title="Tỉnh")
            write_xlsx(report, Path(tmp) / "province.xlsx")
        elapsed = time.perf_counter() - started
        print(f"Excel export, whole province ({count:,} learners): {elapsed:.2f} s (goal < 10 s)")
        await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=1_000_000)
    args = parser.parse_args()
    asyncio.run(main(args.learners))
