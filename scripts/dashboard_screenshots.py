"""Screenshots of the web dashboard for the README and for a look before a release.

    .venv/bin/python scripts/dashboard_screenshots.py [--out docs/screenshots] [--lang en]

A demo commune (8 villages, 12 weeks of learners finishing the shipped core lessons, weekly
snapshots taken by the real scheduler job, quiz answers, an announcement and a weekly
message) in a temporary SQLite file; the real web app on a free port; Debian's headless
Chromium logs in through a one-time link and photographs the overview 390 px wide (a phone)
and 1366 px wide (a desk), then the lessons, pushes and help pages. Look at every picture.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import App, build_app  # noqa: E402
from bot.config import Commune, Village, load_settings  # noqa: E402
from bot.core.messages import Grant  # noqa: E402
from bot.reports import core_lessons  # noqa: E402
from bot.storage.outbox import Audience  # noqa: E402
from bot.storage.schema import help_requests  # noqa: E402
from scheduler.jobs import Jobs  # noqa: E402
from tests import browser  # noqa: E402
from tests.dashboard_helpers import running  # noqa: E402
from tests.progress_seed import VN, at, learner  # noqa: E402

COMMUNE = "Xã Tân Phú"
# name: adults, learners joining each week, share of them finishing the core path
VILLAGES = {
    "Thôn 1": (820, 9, 0.8),
    "Thôn 2": (650, 6, 0.7),
    "Thôn 3": (540, 3, 0.6),
    "Thôn 4": (910, 12, 0.85),
    "Thôn 5": (430, 2, 0.5),
    "Thôn 7": (700, 7, 0.75),
    "Thôn 9": (380, 6, 0.9),
    "Thôn 12": (600, 4, 0.6),
}
WEEKS = 12


async def seed(app: App, today: datetime) -> None:
    areas = [Village(name=name, adults=adults) for name, (adults, _n, _s) in VILLAGES.items()]
    await app.storage.sync_areas([Commune(name=COMMUNE, villages=areas)])
    ids = {v.name: v.id for v in await app.storage.villages() if v.commune == COMMUNE}
    core = core_lessons(app.catalog)
    lessons = {lesson.id: lesson for lesson in app.catalog.lessons}
    rng = random.Random(18)
    start = at(today.date()) - timedelta(weeks=WEEKS)
    for week in range(WEEKS + 1):
        moment = start + timedelta(weeks=week)
        if week:
            when = moment - timedelta(days=1)
            for name, (_adults, per_week, finishing) in VILLAGES.items():
                for n in range(per_week + week // 3):
                    who = await learner(app, f"demo/{name}/{week}/{n}", ids[name], when)
                    finishes = rng.random() < finishing
                    for lesson_id in core if finishes else core[:1]:
                        lesson = lessons[lesson_id]
                        right = 0
                        for index, question in enumerate(lesson.quiz):
                            correct = next(
                                i for i, option in enumerate(question.options) if option.correct
                            )
                            wrong = [i for i in range(len(question.options)) if i != correct]
                            hard = 0.15 + 0.1 * (index % 3)
                            option = rng.choice(wrong) if rng.random() < hard else correct
                            right += option == correct
                            await app.storage.record_answer(
                                learner_id=who, lesson_id=lesson_id, version=lesson.version,
                                question=index, option=option, correct=option == correct,
                                now=when,
                            )  # fmt: skip
                        passed = finishes or lesson.passed(right)
                        await app.storage.record_attempt(
                            learner_id=who, lesson_id=lesson_id, version=lesson.version,
                            score=len(lesson.quiz) if passed else right, total=len(lesson.quiz),
                            pass_mark=lesson.pass_mark, passed=passed, now=when,
                        )  # fmt: skip
        if week < WEEKS:
            jobs = Jobs(
                app.storage, app.catalog, tz=VN, weekly_slot=app.settings.slot,
                clock=lambda moment=moment: moment,
            )  # fmt: skip
            await jobs.snapshot()
    head = await learner(app, "demo/head", ids["Thôn 4"], start)
    now = datetime.now(UTC)
    await app.storage.create_announcement(
        key="demo-announcement", text="Tối thứ Sáu 19h, tổ công nghệ số hướng dẫn cài VNeID "
        "tại nhà văn hoá thôn. Bà con mang theo điện thoại và căn cước.",
        creator_id=head, village_id=ids["Thôn 4"], now=now - timedelta(hours=3),
    )  # fmt: skip
    jobs = Jobs(app.storage, app.catalog, tz=VN, weekly_slot=app.settings.slot)
    content = jobs.weekly_content(now.astimezone(VN))
    assert content is not None
    await app.storage.create_push(
        key="weekly:demo", kind="weekly", content=content, audience=Audience(wants_weekly=True),
        now=now - timedelta(days=2),
    )  # fmt: skip
    await app.storage.runner.write(_help_requests, ids, now, rng)


def _help_requests(
    conn: sa.Connection, ids: dict[str, int], now: datetime, rng: random.Random
) -> None:
    """A few weeks of help requests: most taken within the hour, most rated 👍."""
    for name, count in (("Thôn 1", 9), ("Thôn 2", 5), ("Thôn 4", 14), ("Thôn 9", 3)):
        for _n in range(count):
            asked = now - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
            taken = rng.random() < 0.85
            row: dict[str, object] = dict(
                village_id=ids[name], status="waiting", created_at=asked, waiting_since=asked
            )
            if taken:
                row.update(
                    status="closed", taken_at=asked + timedelta(minutes=rng.randint(3, 90)),
                    closed_at=asked + timedelta(hours=2), closed_by="learner",
                    rating=rng.choice(["up", "up", "up", "down", None]),
                )  # fmt: skip
            conn.execute(help_requests.insert().values(**row))


def photograph(link: str, out: Path, downloads: Path) -> list[Path]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser.chromium(downloads)
    try:
        driver.get(link)
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "villages"))
        WebDriverWait(driver, 15).until(
            lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete)")
        )
        base = driver.current_url
        shots = [
            browser.full_page(driver, 390, out / "dashboard-overview-390.png"),
            browser.full_page(driver, 1366, out / "dashboard-overview-1366.png"),
        ]
        driver.get(base + "lessons")
        shots.append(browser.full_page(driver, 1366, out / "dashboard-lessons-1366.png"))
        driver.get(base + "pushes")
        shots.append(browser.full_page(driver, 1366, out / "dashboard-pushes-1366.png"))
        driver.get(base + "help")
        shots.append(browser.full_page(driver, 1366, out / "dashboard-help-1366.png"))
        shots.append(browser.full_page(driver, 390, out / "dashboard-help-390.png"))
        return shots
    finally:
        driver.quit()


async def main(out: Path, lang: str) -> None:
    reason = browser.missing()
    if reason:
        raise SystemExit(reason)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text("", encoding="utf-8")
        settings = load_settings(database_url=f"sqlite:///{tmp}/demo.db", config_file=config)
        app = await build_app(settings)
        try:
            await seed(app, datetime.now(VN))
            commune_id = await app.storage.commune_id(COMMUNE)
            assert app.links is not None and commune_id is not None
            async with running(app):
                link = await app.links.login_link(
                    learner_id=None, grant=Grant("staff", commune_id=commune_id),
                    language=lang, now=datetime.now(UTC),
                )  # fmt: skip
                downloads = Path(tmp) / "downloads"
                downloads.mkdir()
                shots = await asyncio.to_thread(photograph, link, out, downloads)
        finally:
            await app.close()
    for shot in shots:
        print(shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi")
    args = parser.parse_args()
    asyncio.run(main(args.out.resolve(), args.lang))
