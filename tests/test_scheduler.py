"""The scheduler with a fake clock: the right local time, the right learners, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.app import App
from bot.quiet import QuietHours
from scheduler.calendar import WeeklySlot, due_reminders, rotation_index, week_key
from scheduler.jobs import Jobs
from scheduler.runner import next_runs
from tests.clock import VN, Clock, local
from tests.conftest import Chat

# -- pure calendar --------------------------------------------------------------------


def test_weekly_slot_last_and_next() -> None:
    slot = WeeklySlot.parse("mon 08:00")
    assert slot.last(local(2026, 11, 23, 8, 0)) == local(2026, 11, 23, 8, 0)
    assert slot.last(local(2026, 11, 23, 7, 59)) == local(2026, 11, 16, 8, 0)
    assert slot.last(local(2026, 11, 25, 12, 0)) == local(2026, 11, 23, 8, 0)
    assert slot.next(local(2026, 11, 25, 12, 0)) == local(2026, 11, 30, 8, 0)
    assert str(WeeklySlot.parse(" FRI 7:05 ")) == "fri 07:05"
    for bad in ("monday 8:00", "mon 25:00", "xyz 08:00", ""):
        with pytest.raises(ValueError):
            WeeklySlot.parse(bad)


def test_quiet_hours() -> None:
    quiet = QuietHours()
    assert quiet.until(local(2026, 11, 23, 20, 59), VN) is None
    assert quiet.until(local(2026, 11, 23, 21, 0), VN) == local(2026, 11, 24, 7, 0)
    assert quiet.until(local(2026, 11, 24, 6, 59), VN) == local(2026, 11, 24, 7, 0)
    assert quiet.until(local(2026, 11, 24, 7, 0), VN) is None
    assert QuietHours.parse("off").until(local(2026, 11, 23, 23, 0), VN) is None
    assert QuietHours.parse("12:00-13:00").until(local(2026, 1, 1, 12, 30), VN) == local(
        2026, 1, 1, 13, 0
    )


def test_reminder_windows() -> None:
    assert due_reminders(local(2026, 10, 3, 7, 59)) == []
    assert due_reminders(local(2026, 10, 3, 8, 0)) == [("week_before", local(2026, 10, 3, 8))]
    assert due_reminders(local(2026, 10, 8, 23, 0)) == [("week_before", local(2026, 10, 3, 8))]
    assert due_reminders(local(2026, 10, 9, 9, 0)) == [("day_before", local(2026, 10, 9, 8))]
    assert due_reminders(local(2026, 10, 10, 7, 0)) == [("day_of", local(2026, 10, 10, 7))]
    assert due_reminders(local(2026, 10, 11, 0, 0)) == []


def test_rotation_walks_through_every_message() -> None:
    mondays = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(10)]
    assert [rotation_index(day, 4) for day in mondays[:5]] == [0, 1, 2, 3, 0]
    assert week_key(date(2026, 11, 23)) == "2026-W48"


def test_apscheduler_triggers_fire_at_local_times() -> None:
    runs = dict(next_runs(WeeklySlot.parse("mon 08:00"), VN, local(2026, 9, 30, 12, 0)))
    assert runs["weekly"] == local(2026, 10, 5, 8, 0)
    assert runs["nudge"] == local(2026, 9, 30, 12, 0).replace(hour=9) + timedelta(days=1)
    assert runs["10/10 week_before"] == local(2026, 10, 3, 8, 0)
    assert runs["10/10 day_before"] == local(2026, 10, 9, 8, 0)
    assert runs["10/10 day_of"] == local(2026, 10, 10, 7, 0)


# -- jobs against the real database ---------------------------------------------------


async def _learners(app: App) -> dict[str, Chat]:
    """Four learners: two normal, one who turned weekly messages off, one blocked."""
    chats = {}
    for name in ("an", "binh", "optout", "blocked"):
        chat = Chat(app.engine, user_id=name)
        await chat.onboard(village=0)
        chats[name] = chat
    await chats["optout"].command("dung")
    learner = await app.storage.get_learner("test", "blocked")
    assert learner is not None

    def block(conn) -> None:  # type: ignore[no-untyped-def]
        from bot.storage.schema import learners

        conn.execute(learners.update().where(learners.c.id == learner.id).values(blocked=True))

    await app.storage.runner.write(block)
    return chats


async def _recipients(app: App, key: str) -> list[str]:
    def query(conn) -> list[str]:  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        from bot.storage.schema import learners, outbox, pushes

        rows = conn.execute(
            sa.select(learners.c.user_id)
            .join(outbox, outbox.c.learner_id == learners.c.id)
            .join(pushes, pushes.c.id == outbox.c.push_id)
            .where(pushes.c.key == key)
            .order_by(learners.c.user_id)
        )
        return [row[0] for row in rows]

    return await app.storage.runner.read(query)


def _jobs(app: App, clock: Clock) -> Jobs:
    return Jobs(
        app.storage, app.catalog, tz=VN, weekly_slot=WeeklySlot.parse("mon 08:00"), clock=clock
    )


@pytest.fixture
def weekly_catalog(app: App) -> None:
    from bot.content.schema import WeeklyFile

    app.catalog.weekly = WeeklyFile.model_validate(
        {
            "messages": [
                {"id": "w1", "topic": "vneid", "lesson": "demo-one",
                 "text": {"vi": "Tin tuần một.", "en": "Week one message."}},
                {"id": "w2", "topic": "scams", "text": {"vi": "Tin tuần hai.", "en": "Week two."}},
            ],
            "event": [
                {"when": "week_before", "text": {"vi": "Còn một tuần: {date}, {time}, {place}.",
                                                 "en": "One week to go: {date}, {time}, {place}."}},
                {"when": "day_before", "text": {"vi": "Ngày mai {time} tại {place}.",
                                                "en": "Tomorrow {time} at {place}."}},
                {"when": "day_of", "text": {"vi": "Hôm nay {time} tại {place}.",
                                            "en": "Today {time} at {place}."}},
            ],
        }
    )  # fmt: skip


@pytest.mark.usefixtures("weekly_catalog")
async def test_weekly_message_goes_out_at_the_slot_once(app: App) -> None:
    await _learners(app)
    clock = Clock(local(2026, 11, 23, 7, 59))
    jobs = _jobs(app, clock)
    assert await jobs.weekly() == []  # last week's slot is too old to catch up
    clock.set(local(2026, 11, 23, 8, 0))
    assert await jobs.weekly() == ["weekly:2026-11-23"]
    assert await _recipients(app, "weekly:2026-11-23") == ["an", "binh"]
    clock.set(local(2026, 11, 23, 8, 5))
    assert await jobs.weekly() == []  # never twice
    (summary,) = await app.storage.push_summaries()
    content = (await app.storage.push_contents([summary.id]))[summary.id]
    assert content["choices"][0]["payload"] == "open:demo-one"


@pytest.mark.usefixtures("weekly_catalog")
async def test_a_missed_weekly_run_is_done_once_late(app: App) -> None:
    await _learners(app)
    clock = Clock(local(2026, 11, 24, 10, 30))  # the bot was down on Monday morning
    jobs = _jobs(app, clock)
    assert "weekly:2026-11-23" in await jobs.run_due()
    assert await jobs.run_due() == []
    clock.set(local(2026, 11, 26, 10, 30))  # two days later nothing is caught up again
    assert await jobs.weekly() == []


@pytest.mark.usefixtures("weekly_catalog")
async def test_staff_queued_message_goes_with_the_week(app: App) -> None:
    await _learners(app)
    clock = Clock(local(2026, 11, 20, 10, 0))
    await app.storage.queue_weekly(
        week="2026-W48", text="Thứ bảy này có tổ công nghệ số.", created_by="staff", now=clock()
    )
    clock.set(local(2026, 11, 23, 8, 0))
    created = await _jobs(app, clock).weekly()
    assert created[0] == "weekly:2026-11-23" and created[1].startswith("weekly-extra:")


@pytest.mark.usefixtures("weekly_catalog")
async def test_10_10_reminders_carry_the_event_in_each_language(app: App) -> None:
    chats = await _learners(app)
    await chats["binh"].tap("setlang:en")
    commune = await app.storage.commune_id("Xã Tân Phú")
    assert commune is not None
    await app.storage.set_event(
        commune_id=commune,
        place="Nhà văn hoá xã",
        starts_at=local(2026, 10, 10, 7, 30),
        now=datetime.now(UTC),
    )
    clock = Clock(local(2026, 10, 3, 8, 0))
    jobs = _jobs(app, clock)
    assert await jobs.reminders() == [f"event:2026:week_before:{commune}"]
    assert await _recipients(app, f"event:2026:week_before:{commune}") == ["an", "binh"]
    (summary,) = [p for p in await app.storage.push_summaries() if p.kind == "reminder"]
    text = (await app.storage.push_contents([summary.id]))[summary.id]["text"]
    assert text["vi"] == "Còn một tuần: 10 tháng 10, 2026, 07:30, Nhà văn hoá xã."
    assert text["en"] == "One week to go: October 10, 2026, 7:30\u202fAM, Nhà văn hoá xã."
    clock.set(local(2026, 10, 9, 8, 0))
    assert await jobs.reminders() == [f"event:2026:day_before:{commune}"]
    clock.set(local(2026, 10, 10, 7, 0))
    assert await jobs.reminders() == [f"event:2026:day_of:{commune}"]
    assert await jobs.reminders() == []


@pytest.mark.usefixtures("weekly_catalog")
async def test_no_event_details_means_no_reminder_yet(app: App) -> None:
    await _learners(app)
    assert await _jobs(app, Clock(local(2026, 10, 3, 8, 0))).reminders() == []


async def test_nudge_once_a_week_to_idle_learners_mid_lesson(app: App) -> None:
    start = local(2026, 11, 1, 10, 0)
    chat_clock = Clock(start)
    app.engine.clock = chat_clock
    idle = Chat(app.engine, user_id="idle")
    await idle.onboard()
    await idle.tap("open:demo-one")  # stops in the middle of a lesson
    busy = Chat(app.engine, user_id="busy")
    await busy.onboard()  # nothing unfinished
    chat_clock.set(local(2026, 11, 9, 9, 0))
    jobs = _jobs(app, chat_clock)
    assert await jobs.nudge() == ["nudge:2026-11-09"]
    assert await _recipients(app, "nudge:2026-11-09") == ["idle"]
    chat_clock.set(local(2026, 11, 10, 9, 0))
    assert await jobs.nudge() == ["nudge:2026-11-10"]
    assert await _recipients(app, "nudge:2026-11-10") == []  # at most once a week
    chat_clock.set(local(2026, 11, 17, 9, 0))
    await jobs.nudge()
    assert await _recipients(app, "nudge:2026-11-17") == ["idle"]
