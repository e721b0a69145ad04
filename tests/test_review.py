"""Issue 17, must-show 1 and 3: spaced review with a frozen clock, and reminders that stop
after three ignored pushes until the learner writes again; the learner's own push time."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.app import App
from bot.channels.base import SendResult, Sent
from bot.core import spacing
from bot.core.messages import Reply
from bot.delivery import Dispatcher, Pace
from bot.quiet import QuietHours
from scheduler.calendar import WeeklySlot
from scheduler.jobs import Jobs
from tests.clock import VN, Clock, local
from tests.conftest import Chat


def jobs(app: App, clock: Clock, slot: str = "mon 08:00") -> Jobs:
    return Jobs(
        app.storage, app.catalog, tz=VN, weekly_slot=WeeklySlot.parse(slot), clock=clock,
        quiet=QuietHours(),
    )  # fmt: skip


async def queue(app: App, user_id: str) -> list[tuple[str, int, int, datetime]]:
    """(lesson, question, box, due in Vietnam time) of one learner's review items."""

    def query(conn: sa.Connection) -> list[tuple[str, int, int, datetime]]:
        from bot.storage.schema import learners, review_items

        rows = conn.execute(
            sa.select(
                review_items.c.lesson_id, review_items.c.question, review_items.c.box,
                review_items.c.due_at,
            )
            .join(learners, learners.c.id == review_items.c.learner_id)
            .where(learners.c.user_id == user_id)
            .order_by(review_items.c.lesson_id, review_items.c.question)
        )  # fmt: skip
        return [
            (r[0], r[1], r[2], (r[3] if r[3].tzinfo else r[3].replace(tzinfo=UTC)).astimezone(VN))
            for r in rows
        ]

    return await app.storage.runner.read(query)


async def pushes_to(app: App, user_id: str) -> list[tuple[str, str, datetime]]:
    """(kind, key, when created in Vietnam time) of every push that has a row for them."""

    def query(conn: sa.Connection) -> list[tuple[str, str, datetime]]:
        from bot.storage.schema import learners, outbox, pushes

        rows = conn.execute(
            sa.select(pushes.c.kind, pushes.c.key, pushes.c.created_at)
            .join(outbox, outbox.c.push_id == pushes.c.id)
            .join(learners, learners.c.id == outbox.c.learner_id)
            .where(learners.c.user_id == user_id)
            .order_by(pushes.c.id)
        )
        return [
            (r[0], r[1], (r[2] if r[2].tzinfo else r[2].replace(tzinfo=UTC)).astimezone(VN))
            for r in rows
        ]

    return await app.storage.runner.read(query)


async def run_hourly(job: Jobs, clock: Clock, start: datetime, end: datetime) -> None:
    """The scheduler's hourly firings (and the commune's slot) from start to end."""
    moment = start
    while moment <= end:
        clock.set(moment)
        await job.run_due()
        moment += timedelta(hours=1)


async def answer_both_wrong(chat: Chat) -> None:
    """demo-two ("Chọn A", "Chọn B"): both wrong, so the quiz is failed."""
    await chat.tap("quiz:demo-two")
    await chat.tap("ans:demo-two:0:1")
    await chat.tap("ans:demo-two:1:0")


async def test_two_wrong_questions_come_back_at_the_intervals(app: App) -> None:
    """Must-show 1: a learner who got two questions wrong gets them back at the scheduled
    intervals, in a review invitation at most once a week, in the weekly slot (never in
    quiet hours); a wrong review answer sends a question back to the start; "Ôn tập" from
    the menu runs what is due at any time."""
    clock = Clock(local(2026, 11, 4, 10, 0))  # a Wednesday
    app.engine.clock = clock
    chat = Chat(app.engine, "hoa")
    await chat.onboard()
    await answer_both_wrong(chat)
    thursday = local(2026, 11, 5, 10, 0)
    assert await queue(app, "hoa") == [("demo-two", 0, 0, thursday), ("demo-two", 1, 0, thursday)]

    await chat.tap("menu")
    await chat.say("on tap")  # typed, without accents: the menu's "🔁 Ôn tập"
    assert "chưa có câu nào cần ôn" in chat.text() and "5 tháng 11, 2026" in chat.text()

    job = jobs(app, clock)
    await run_hourly(job, clock, local(2026, 11, 4, 11, 0), local(2026, 11, 9, 7, 0))
    assert [p for p in await pushes_to(app, "hoa") if p[0] == "review"] == []  # due, not slot
    await run_hourly(job, clock, local(2026, 11, 9, 8, 0), local(2026, 11, 9, 8, 0))
    assert await pushes_to(app, "hoa") == [("review", "review:2026-11-09", local(2026, 11, 9, 8))]

    clock.set(local(2026, 11, 9, 8, 30))  # the learner taps "▶️ Ôn tập ngay" in the push
    await chat.tap("review")
    assert "Ôn tập câu 1/2" in chat.text()
    await chat.tap("rev:0:0")  # "Chọn A": A, right
    assert "Đúng rồi" in chat.text() and "Ôn tập câu 2/2" in chat.text()
    await chat.tap("rev:1:0")  # "Chọn B": A, wrong
    assert "Chưa đúng" in chat.text() and "Ôn xong: bác đúng 1/2 câu" in chat.text()
    assert await queue(app, "hoa") == [
        ("demo-two", 0, 1, local(2026, 11, 12, 8, 30)),  # right: the next box, 3 days
        ("demo-two", 1, 0, local(2026, 11, 10, 8, 30)),  # wrong: back to the start, 1 day
    ]
    await chat.tap("rev:1:1")  # a replayed answer button changes nothing
    assert "đã trả lời rồi" in chat.text()
    assert (await queue(app, "hoa"))[1][2:] == (0, local(2026, 11, 10, 8, 30))

    # Both are due again within the week, but the next invitation waits for the next slot.
    await run_hourly(job, clock, local(2026, 11, 9, 9, 0), local(2026, 11, 16, 8, 0))
    reviews = [p for p in await pushes_to(app, "hoa") if p[0] == "review"]
    assert [p[2] for p in reviews] == [local(2026, 11, 9, 8), local(2026, 11, 16, 8)]

    clock.set(local(2026, 11, 16, 9, 0))
    await chat.tap("review")
    assert "Chọn B" in chat.text()  # the longest waiting first: due on the 10th
    await chat.tap("rev:0:1")
    await chat.tap("rev:1:0")
    assert "Ôn xong: bác đúng 2/2 câu" in chat.text()
    assert await queue(app, "hoa") == [
        ("demo-two", 0, 2, local(2026, 11, 23, 9, 0)),  # 7 days
        ("demo-two", 1, 1, local(2026, 11, 19, 9, 0)),  # 3 days
    ]

    # "Ôn tập" from the menu, any day: the question due on Thursday, asked on Friday.
    clock.set(local(2026, 11, 20, 15, 0))
    await chat.tap("menu")
    await chat.tap("review")
    assert "Ôn tập câu 1/1" in chat.text() and "Chọn B" in chat.text()
    await chat.tap("rev:0:1")
    assert await queue(app, "hoa") == [
        ("demo-two", 0, 2, local(2026, 11, 23, 9, 0)),
        ("demo-two", 1, 2, local(2026, 11, 27, 15, 0)),  # 7 days
    ]
    # Nothing is due at Monday's slot any more: no invitation that week.
    await run_hourly(job, clock, local(2026, 11, 20, 16, 0), local(2026, 11, 23, 20, 0))
    reviews = [p for p in await pushes_to(app, "hoa") if p[0] == "review"]
    assert len(reviews) == 2
    for _kind, _key, created in reviews:
        assert not QuietHours().covers(created.time())
    gaps = [b[2] - a[2] for a, b in itertools.pairwise(reviews)]
    assert all(gap >= timedelta(days=7) for gap in gaps)


async def test_wrong_answers_enter_even_when_the_lesson_is_passed_later(app: App) -> None:
    clock = Clock(local(2026, 11, 4, 10, 0))
    app.engine.clock = clock
    chat = Chat(app.engine, "lan")
    await chat.onboard()
    await chat.tap("quiz:demo-two")
    await chat.tap("ans:demo-two:0:0")  # right
    await chat.tap("ans:demo-two:1:0")  # wrong, yet 1 of 2 passes (pass mark 50%)
    assert "đã qua bài" in chat.text()
    assert [(r[0], r[1]) for r in await queue(app, "lan")] == [("demo-two", 1)]
    # The core path: every question enters when its lesson is passed.
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:0")
    await chat.tap("ans:demo-one:1:1")
    assert [(r[0], r[1]) for r in await queue(app, "lan")] == [
        ("demo-one", 0), ("demo-one", 1), ("demo-two", 1),
    ]  # fmt: skip


async def test_a_review_round_asks_at_most_three(app: App) -> None:
    clock = Clock(local(2026, 11, 4, 10, 0))
    app.engine.clock = clock
    chat = Chat(app.engine, "tam")
    await chat.onboard()
    await answer_both_wrong(chat)
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:1")
    await chat.tap("ans:demo-one:1:0")  # four questions wrong
    clock.set(local(2026, 11, 9, 9, 0))
    await chat.tap("review")
    assert "Ôn tập câu 1/3" in chat.text()
    for index in range(3):
        await chat.tap(f"rev:{index}:0")
    assert "Còn 1 câu nữa đã đến lúc ôn" in chat.text()
    await chat.say("on tiep")  # "🔁 Ôn tiếp", typed
    assert "Ôn tập câu 1/1" in chat.text()


async def test_a_review_invitation_in_quiet_hours_waits_for_the_morning(app: App) -> None:
    """Never in quiet hours: a commune slot set at 06:00 queues the invitation for 07:00,
    and the dispatcher holds it until then; once delivered, typing "1" starts the review."""
    clock = Clock(local(2026, 11, 4, 10, 0))
    app.engine.clock = clock
    chat = Chat(app.engine, "som")
    await chat.onboard()
    await answer_both_wrong(chat)
    job = jobs(app, clock, slot="mon 06:00")
    clock.set(local(2026, 11, 9, 6, 0))
    assert "review:2026-11-09" in await job.run_due()

    class Recorder:
        name = "test"

        def __init__(self) -> None:
            self.sent: list[tuple[str, Reply]] = []

        async def start(self) -> None: ...

        async def stop(self) -> None: ...

        async def send(self, chat_id: str, reply: Reply) -> SendResult:
            self.sent.append((chat_id, reply))
            return Sent()

    channel = Recorder()
    delivery = Dispatcher(
        app.storage, {"test": channel}, {"test": Pace(rate=50.0, chat_interval=0.0)}, tz=VN,
        quiet=QuietHours(), clock=clock, idle_poll=0.05,
    )  # fmt: skip
    await delivery.start()
    try:
        clock.set(local(2026, 11, 9, 6, 45))
        delivery.wake()
        await asyncio.sleep(0.4)
        assert channel.sent == []
        clock.set(local(2026, 11, 9, 7, 0))
        delivery.wake()
        for _ in range(100):
            if channel.sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await delivery.stop()
    ((chat_id, reply),) = channel.sent
    assert chat_id == "som" and "ôn bài" in reply.text
    assert [c.payload for c in reply.choices] == ["review"]
    clock.set(local(2026, 11, 9, 7, 5))
    await chat.say("1")  # the push's own numbered choice, as on Zalo
    assert "Ôn tập câu 1/2" in chat.text()


async def test_three_ignored_pushes_stop_nudges_and_reviews_until_the_learner_writes(
    app: App,
) -> None:
    """Must-show 3: review invitations and nudges (an unfinished lesson) stop after three
    in a row go unanswered; a message from the learner starts them again."""
    clock = Clock(local(2026, 11, 4, 10, 0))
    app.engine.clock = clock
    chat = Chat(app.engine, "quen")
    await chat.onboard()
    await answer_both_wrong(chat)
    await chat.tap("open:demo-one")  # and a lesson left half-way
    job = jobs(app, clock)
    await run_hourly(job, clock, local(2026, 11, 4, 11, 0), local(2026, 11, 25, 9, 0))
    reminders = [(kind, at) for kind, _key, at in await pushes_to(app, "quen")]
    assert reminders == [
        ("review", local(2026, 11, 9, 8)),
        ("nudge", local(2026, 11, 12, 9)),  # a week idle
        ("review", local(2026, 11, 16, 8)),
    ]  # and nothing more: no nudge on 20/11, no review on 23/11

    clock.set(local(2026, 11, 25, 10, 0))
    await chat.say("xin chào")  # the learner writes again
    await run_hourly(job, clock, local(2026, 11, 25, 11, 0), local(2026, 12, 7, 9, 0))
    later = [(kind, at) for kind, _key, at in await pushes_to(app, "quen")][3:]
    assert later[0] == ("review", local(2026, 11, 30, 8))
    assert len(later) == 3  # review 30/11, nudge 3/12, review 7/12: three, then silence again
    assert [kind for kind, _at in later] == ["review", "nudge", "review"]


async def test_pushes_come_at_the_time_the_learner_chose(app: App) -> None:
    """Settings → "Giờ nhận tin": Saturday 18:00 typed as "7" and "6 gio toi"; the weekly
    message, the review invitation and the nudge then come on Saturday at 18:00."""
    await _weekly_file(app)
    clock = Clock(local(2026, 11, 4, 10, 0))
    app.engine.clock = clock
    idle = Chat(app.engine, "sat")  # a lesson left half-way
    await idle.onboard()
    await idle.tap("open:demo-one")
    await idle.tap("settings")
    assert "Giờ nhận tin: Thứ Hai, 08:00" in "\n".join(c.label for c in idle.choices())
    await idle.say("gio nhan tin")
    assert "Bác chọn ngày" in idle.text()
    await idle.say("7")  # Sunday first, so "7" is Thứ Bảy, as people say it
    assert "Thứ Bảy: mấy giờ?" in idle.text()
    assert not any(c.payload.endswith(":21") for c in idle.choices())  # quiet hours
    await idle.say("6 gio toi")
    assert "Đã lưu: mỗi tuần tôi nhắn bác một lần, vào Thứ Bảy, 18:00" in idle.text()
    wrong = Chat(app.engine, "rev")  # two questions wrong
    await wrong.onboard()
    await answer_both_wrong(wrong)
    await wrong.tap("slot:set:5:18")
    usual = Chat(app.engine, "mon")
    await usual.onboard()

    job = jobs(app, clock)
    await run_hourly(job, clock, local(2026, 11, 4, 11, 0), local(2026, 11, 22, 12, 0))
    saturdays = [local(2026, 11, day, 18) for day in (7, 14, 21)]
    assert {(kind, at) for kind, _key, at in await pushes_to(app, "sat")} == {
        *(("weekly", at) for at in saturdays),
        ("nudge", saturdays[1]),  # a week idle
        ("nudge", saturdays[2]),
    }
    assert {(kind, at) for kind, _key, at in await pushes_to(app, "rev")} == {
        *(("weekly", at) for at in saturdays),
        *(("review", at) for at in saturdays),
    }
    theirs = await pushes_to(app, "mon")
    assert [(kind, at) for kind, _key, at in theirs] == [
        ("weekly", local(2026, 11, 9, 8)), ("weekly", local(2026, 11, 16, 8)),
    ]  # fmt: skip

    await idle.tap("slot:set:3:25")  # forged: no such hour
    assert "không đọc được nút" in idle.text()
    await idle.tap("slot:default")
    assert "giờ chung của xã, Thứ Hai, 08:00" in idle.text()


def test_the_intervals_grow_and_a_wrong_answer_starts_over() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    box, due = 0, []
    for _ in range(6):
        step = spacing.after_review(box, True, now)
        box = step.box
        due.append((step.due_at - now).days)
    assert due == [3, 7, 21, 60, 60, 60]
    assert spacing.after_review(4, False, now) == spacing.entered(now)
    assert (spacing.entered(now).due_at - now).days == 1


async def _weekly_file(app: App) -> None:
    from bot.content.schema import WeeklyFile

    app.catalog.weekly = WeeklyFile.model_validate(
        {"messages": [{"id": "w1", "topic": "vneid", "text": {"vi": "Tin tuần.", "en": "Tip."}}]}
    )


async def test_a_learner_moving_their_time_still_gets_one_of_each_a_week(app: App) -> None:
    """Weekly message and review invitation on Monday at the commune's time; the learner
    then picks Wednesday noon: nothing again that same week, then Wednesdays."""
    await _weekly_file(app)
    clock = Clock(local(2026, 11, 6, 8, 0))
    app.engine.clock = clock
    chat = Chat(app.engine, "doi")
    await chat.onboard()
    await answer_both_wrong(chat)
    job = jobs(app, clock)
    clock.set(local(2026, 11, 9, 8, 0))
    await job.run_due()  # Monday 08:00: the commune's slot
    clock.set(local(2026, 11, 9, 9, 0))
    await chat.tap("slot:set:2:12")  # then chooses Wednesday noon
    await run_hourly(job, clock, local(2026, 11, 9, 10, 0), local(2026, 11, 18, 13, 0))
    mine = await pushes_to(app, "doi")
    wednesday = local(2026, 11, 18, 12)
    assert [at for kind, _key, at in mine if kind == "weekly"] == [local(2026, 11, 9, 8), wednesday]
    assert [at for kind, _key, at in mine if kind == "review"] == [local(2026, 11, 9, 8), wednesday]
