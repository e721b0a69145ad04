"""Issue 14, "on track?": twelve weeks of completions and weekly snapshots taken by the
scheduler job, then the projected date and the late mark, in the text, the chat, the CSV,
the Excel file (read back) and the data each chart is drawn from."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.app import App
from bot.charts import progress_chart, village_chart
from bot.exports import write_png, write_progress_png, write_xlsx
from bot.i18n import use_locale
from bot.ontrack import Point, on_track
from bot.reports import Report, build_report, to_chat, to_csv, to_text
from scheduler.calendar import SNAPSHOT_AT
from scheduler.jobs import Jobs
from scheduler.runner import next_runs
from tests.progress_seed import VN, at, finish_core, learner, seed_weeks

TODAY = date(2026, 6, 1)  # a Monday; the snapshots are the 12 Mondays before
# adults, learners finishing the core path each week
VILLAGES = {"Thôn 10": (100, 3), "Thôn 2": (200, 1)}


@pytest.fixture
async def weeks(app: App) -> App:
    await seed_weeks(app, "Xã Tân Phú", VILLAGES, today=TODAY)
    return app


async def _report(app: App, lang: str = "vi") -> Report:
    commune = await app.storage.commune_id("Xã Tân Phú")
    with use_locale(lang):
        return await build_report(
            app.storage, app.catalog, commune_id=commune, targets={2025: 80, 2026: 100},
            today=TODAY, tz=VN, title="Xã Tân Phú", place="Xã Tân Phú",
        )  # fmt: skip


async def test_twelve_weeks_give_the_pace_the_date_and_the_late_mark(weeks: App) -> None:
    report = await _report(weeks)
    rows = {row.village: row for row in report.rows}
    assert list(rows) == ["Thôn 2", "Thôn 10"]  # natural order
    # Thôn 2: 12 of 200 now, 8 four weeks ago: 0.5 points a week, 94 points to go.
    two = report.track(rows["Thôn 2"])
    assert (two.share, round(two.pace or 0, 6), two.weeks) == (0.06, 0.005, 4.0)
    assert two.projected == TODAY + timedelta(days=1316) == date(2030, 1, 7)
    assert two.late and not two.reached
    # Thôn 10: 36 of 100, 3 points a week: 149.3 days, so the 150th.
    ten = report.track(rows["Thôn 10"])
    assert ten.projected == date(2026, 10, 29) and not ten.late
    # The commune: 48 of 300, 4 a week: exactly 441 days, late.
    total = report.track(report.totals)
    assert total.projected == date(2027, 8, 16) and total.late
    assert [p.done for p in report.weeks] == [4 * n for n in range(13)]

    with use_locale("vi"):
        chat = to_chat(report)
        text = to_text(report)
    assert "Thôn 2: 12 người học, 12 người xong lộ trình cơ bản = 6% người lớn" in chat
    assert "+0,5 điểm/tuần, đạt mục tiêu ngày 7/1/2030 (trễ hạn)" in chat
    assert "+3,0 điểm/tuần, đạt mục tiêu ngày 29/10/2026" in chat
    assert "29/10/2026 (trễ hạn)" not in chat
    assert "7/1/2030 (trễ hạn)" in text and "16/8/2027 (trễ hạn)" in text
    with use_locale("en"):
        chat = to_chat(await _report(weeks, "en"))
    assert "+0.5 points a week, target reached on 1/7/2030 (late)" in chat

    rows_csv = {r["village"]: r for r in csv.DictReader(io.StringIO(to_csv(report)))}
    assert (rows_csv["Thôn 2"]["projected"], rows_csv["Thôn 2"]["late"]) == ("2030-01-07", "yes")
    assert (rows_csv["Thôn 10"]["projected"], rows_csv["Thôn 10"]["late"]) == ("2026-10-29", "no")
    assert rows_csv["Thôn 2"]["pace_points_per_week"] == "0.5"


async def test_the_excel_file_carries_the_date_and_the_mark(weeks: App, tmp_path: Path) -> None:
    report = await _report(weeks)
    with use_locale("vi"):
        path = await asyncio.to_thread(write_xlsx, report, tmp_path / "r.xlsx")
    book = load_workbook(path)
    sheet = book["Theo thôn"]
    header = [cell.value for cell in sheet[3]]
    assert header[7:] == ["Tốc độ", "Đạt mục tiêu", "Đúng hạn?", "Duy trì", "ĐK quốc gia"]
    rows = {r[1] or r[0]: r for r in sheet.iter_rows(min_row=4, max_row=6, values_only=True)}
    assert rows["Thôn 2"][7:10] == (0.5, datetime(2030, 1, 7), "trễ hạn")
    assert rows["Thôn 10"][7:10] == (3.0, datetime(2026, 10, 29), "đúng hạn")
    assert rows["Tổng cộng"][5] == 0.16 and rows["Tổng cộng"][8:10] == (
        datetime(2027, 8, 16),
        "trễ hạn",
    )
    assert sheet["I4"].number_format == "dd/mm/yyyy"
    assert sheet["J4"].font.color.rgb.endswith("B03A2E")  # late in red
    weekly = book["Theo tuần"]
    days = [r[0] for r in weekly.iter_rows(min_row=4, max_row=16, values_only=True)]
    assert days[0] == datetime(2026, 3, 9) and days[-1] == datetime(2026, 6, 1)
    done = [r[2] for r in weekly.iter_rows(min_row=4, max_row=16, values_only=True)]
    assert done == [4 * n for n in range(13)]
    notes = [r[0] for r in weekly.iter_rows(min_row=18, values_only=True) if r[0]]
    assert "Hiện nay: 16% người lớn; đạt mục tiêu: 16/8/2027 (trễ hạn)." in notes


async def test_the_charts_carry_them(weeks: App, tmp_path: Path) -> None:
    """The data each picture is drawn from; the pictures themselves were looked at."""
    report = await _report(weeks)
    with use_locale("vi"):
        bars = village_chart(report)
        progress = progress_chart(report)
        await asyncio.to_thread(write_png, report, tmp_path / "v.png")
        await asyncio.to_thread(write_progress_png, report, tmp_path / "p.png")
    assert [(b.name, b.percent, b.label, b.late) for b in bars.bars] == [
        ("Thôn 2", 6.0, "6% → 1/2030", True),
        ("Thôn 10", 36.0, "36% → 10/2026", False),
    ]
    assert progress.days[0] == TODAY - timedelta(weeks=12) and progress.days[-1] == TODAY
    assert progress.percents[-1] == pytest.approx(16.0)
    assert "16/8/2027" in progress.projection_label and "trễ hạn" in progress.projection_label
    assert progress.projection is not None
    end_day, end_value = progress.projection  # the pace carried to the year's end, short of 100
    assert end_day == date(2026, 12, 31)
    assert end_value == pytest.approx(16 + 4 / 3 * 213 / 7)
    assert progress.target == 100 and "2026" in progress.target_label
    assert (tmp_path / "v.png").stat().st_size > 10_000 and (tmp_path / "p.png").exists()


async def test_snapshot_job_is_once_per_week_even_when_run_together(app: App) -> None:
    """The scheduler, a report and a second process may all take the week's snapshot."""
    villages = await app.storage.villages()
    monday = at(TODAY)
    jobs = [
        Jobs(app.storage, app.catalog, tz=VN, weekly_slot=app.settings.slot, clock=lambda: monday)
        for _ in range(3)
    ]
    added = await asyncio.gather(*(job.snapshot() for job in jobs))
    assert sorted(added) == [0, 0, len(villages)]
    assert await jobs[0].snapshot() == 0
    later = Jobs(
        app.storage, app.catalog, tz=VN, weekly_slot=app.settings.slot,
        clock=lambda: monday + timedelta(days=6),
    )  # fmt: skip
    assert await later.snapshot() == 0  # Sunday: the same week
    next_week = Jobs(
        app.storage, app.catalog, tz=VN, weekly_slot=app.settings.slot,
        clock=lambda: monday + timedelta(days=7),
    )  # fmt: skip
    assert await next_week.snapshot() == len(villages)
    assert len({s.week for s in await app.storage.snapshots()}) == 2


async def test_snapshot_counts_citizens_as_of_its_time(app: App) -> None:
    village = (await app.storage.villages())[0]
    monday = at(TODAY)
    early = await learner(app, "early", village.id, monday - timedelta(days=3))
    await finish_core(app, early, monday - timedelta(days=2))
    late = await learner(app, "late", village.id, monday - timedelta(days=3))
    await finish_core(app, late, monday + timedelta(hours=1))  # after the snapshot's time
    operator = await learner(app, "op", village.id, monday - timedelta(days=3), "console")
    await finish_core(app, operator, monday - timedelta(days=1))
    jobs = Jobs(
        app.storage, app.catalog, tz=VN, weekly_slot=app.settings.slot, clock=lambda: monday
    )
    await jobs.snapshot()
    snap = next(s for s in await app.storage.snapshots() if s.village_id == village.id)
    assert (snap.learners, snap.core_done, snap.week) == (2, 1, "2026-W23")


def test_the_scheduler_takes_it_on_monday_mornings() -> None:
    from scheduler.calendar import WeeklySlot

    runs = dict(next_runs(WeeklySlot.parse("mon 08:00"), VN, datetime(2026, 5, 28, 12, tzinfo=VN)))
    assert runs["snapshot"] == datetime.combine(date(2026, 6, 1), SNAPSHOT_AT, VN)


def _point(days_ago: int, done: int, adults: int = 100) -> Point:
    return Point(TODAY - timedelta(days=days_ago), adults, done)


def test_on_track_without_enough_history_reached_and_stalled() -> None:
    now = _point(0, 40)
    fresh = on_track(now, [_point(3, 30)], 1.0, 2026)  # a snapshot under a week old
    assert (fresh.pace, fresh.projected, fresh.late) == (None, None, False)
    short = on_track(now, [_point(14, 30)], 1.0, 2026)  # two weeks: used, and said so
    assert short.weeks == 2 and short.pace == pytest.approx(0.05)
    assert short.projected == TODAY + timedelta(days=84)
    nearest = on_track(now, [_point(35, 0), _point(28, 20), _point(21, 30)], 1.0, 2026)
    assert nearest.weeks == 4 and nearest.pace == pytest.approx(0.05)
    stalled = on_track(now, [_point(28, 40)], 1.0, 2026)
    assert stalled.never and stalled.late and stalled.projected is None
    crawling = on_track(_point(0, 40, 10**9), [_point(28, 39, 10**9)], 1.0, 2026)
    assert crawling.never and crawling.late
    done = on_track(_point(0, 85), [_point(28, 60)], 0.8, 2025)
    assert done.reached and not done.late and done.projected is None
    unknown = on_track(_point(0, 5, 0), [], 1.0, 2026)  # no adults on record
    assert unknown.share is None and not unknown.late
