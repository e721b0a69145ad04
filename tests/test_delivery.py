"""The outbox dispatcher: exactly one copy each, at the platform's pace, through real HTTP."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.channels.base import Blocked, Failed, SendResult, Sent
from bot.channels.telegram import TelegramChannel
from bot.core.messages import Reply
from bot.delivery import Dispatcher, Pace, reply_for
from bot.pacing import HEADROOM, MemoryBudget
from bot.quiet import QuietHours
from bot.storage.outbox import Audience
from tests.fakes.telegram_api import TOKEN, FakeTelegram

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAYTIME = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
CONTENT = {
    "text": {"vi": "Thông báo của thôn.", "en": "Village notice."},
    "choices": [{"label": {"vi": "📚 Bài học", "en": "📚 Lessons"}, "payload": "lessons"}],
}


async def seed(app: App, count: int, channel: str = "telegram") -> None:
    for n in range(1, count + 1):
        await app.storage.create_learner(
            channel=channel, user_id=str(n), chat_id=str(n), language="vi", now=DAYTIME
        )


async def push(app: App, key: str = "announce:1", now: datetime = DAYTIME) -> int:
    push_id = await app.storage.create_push(
        key=key, kind="announcement", content=CONTENT, audience=Audience(), now=now
    )
    assert push_id is not None
    return push_id


class Recorder:
    """A channel that records sends and answers from a script (a fake of the port)."""

    name = "telegram"

    def __init__(self, answer: Any = None):
        self.sent: list[tuple[str, Reply]] = []
        self.answer = answer or (lambda chat_id: Sent())

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        self.sent.append((chat_id, reply))
        return self.answer(chat_id)


def ticking(start: datetime = DAYTIME) -> Any:
    """A wall clock that starts at ``start`` (10:00 in Vietnam) and runs at real speed."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


def dispatcher(app: App, channel: Any, clock: Any = None, **kwargs: Any) -> Dispatcher:
    return Dispatcher(
        app.storage,
        {"telegram": channel},
        {"telegram": Pace(rate=kwargs.pop("rate", 500.0), chat_interval=0.0)},
        tz=VN,
        clock=clock or ticking(),
        idle_poll=0.05,
        **kwargs,
    )


async def wait_until(predicate: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "not done in time"
        await asyncio.sleep(0.05)


async def outbox_done(app: App) -> bool:
    return all(p.done for p in await app.storage.push_summaries())


async def test_200_recipients_with_flood_waits_and_blocked_chats(
    app: App, api: FakeTelegram
) -> None:
    await seed(app, 200)
    blocked = {str(n) for n in range(7, 200, 13)}  # 15 chats that blocked the bot
    sends = {"count": 0}
    flood: list[float] = []

    def responder(method: str, params: dict[str, Any]) -> Any:
        if method != "sendMessage":
            return None
        if str(params["chat_id"]) in blocked:
            return 403, {"description": "Forbidden: bot was blocked by the user"}
        sends["count"] += 1
        if sends["count"] in (25, 90, 150):
            flood.append(time.monotonic())
            return 429, {"description": "Too Many Requests", "parameters": {"retry_after": 1}}
        return None

    api.responder = responder
    channel = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url)
    await channel.application.bot.initialize()
    push_id = await push(app)
    delivery = dispatcher(app, channel, rate=200.0)
    await delivery.start()
    try:
        await wait_until(lambda: outbox_done(app))
    finally:
        await delivery.stop()
        await channel.application.bot.shutdown()

    messages = [c for c in api.calls if c.method == "sendMessage"]
    delivered: dict[str, int] = {}
    for call in messages:
        if call.ok:
            delivered[str(call.params["chat_id"])] = (
                delivered.get(str(call.params["chat_id"]), 0) + 1
            )
    reachable = {str(n) for n in range(1, 201)} - blocked
    assert delivered == dict.fromkeys(reachable, 1)  # every reachable learner exactly once
    attempts_to_blocked = [c for c in messages if str(c.params["chat_id"]) in blocked]
    assert len(attempts_to_blocked) == len(blocked)  # tried once, marked, never again
    assert len(flood) == 3
    for started in flood:  # allow 0.2 s for requests already on the wire
        inside = [c for c in messages if started + 0.2 < c.at < started + 1.0]
        assert inside == [], "a send happened inside a retry_after window"
    (summary,) = await app.storage.push_summaries([push_id])
    assert summary.counts == {"sent": 185, "unreachable": 15}
    assert await blocked_chats(app) == blocked
    assert messages[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "lessons"


async def test_blocked_learners_are_left_out_of_the_next_push(app: App) -> None:
    await seed(app, 3)
    channel = Recorder(lambda chat_id: Blocked() if chat_id == "2" else Sent())
    delivery = dispatcher(app, channel)
    await push(app, "first")
    await delivery.start()
    await wait_until(lambda: outbox_done(app))
    second = await push(app, "second")
    delivery.wake()
    await wait_until(lambda: outbox_done(app))
    await delivery.stop()
    (summary,) = await app.storage.push_summaries([second])
    assert summary.total == 2
    assert [chat for chat, _reply in channel.sent].count("2") == 1


async def test_nothing_is_pushed_in_quiet_hours(app: App) -> None:
    await seed(app, 5)
    now = {"at": datetime(2026, 11, 23, 15, 30, tzinfo=UTC)}  # 22:30 in Vietnam
    channel = Recorder()
    delivery = dispatcher(app, channel, clock=lambda: now["at"], quiet=QuietHours())
    await push(app)
    await delivery.start()
    await asyncio.sleep(0.3)
    assert channel.sent == []
    now["at"] = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 07:00 in Vietnam
    delivery.wake()
    await wait_until(lambda: outbox_done(app))
    await delivery.stop()
    assert len(channel.sent) == 5


async def test_timeouts_are_retried_with_backoff_then_failed(app: App) -> None:
    await seed(app, 2)
    tries: dict[str, int] = {}

    def answer(chat_id: str) -> SendResult:
        tries[chat_id] = tries.get(chat_id, 0) + 1
        if chat_id == "1" and tries[chat_id] < 3:
            return Failed("timed out")
        if chat_id == "2":
            return Failed("500 Internal Server Error")
        return Sent()

    delivery = dispatcher(app, Recorder(answer), retry_base=0.0, max_attempts=4)
    push_id = await push(app)
    await delivery.start()
    await wait_until(lambda: outbox_done(app))
    await delivery.stop()
    assert tries == {"1": 3, "2": 4}
    (summary,) = await app.storage.push_summaries([push_id])
    assert summary.counts == {"sent": 1, "failed": 1}


async def test_a_bad_request_is_not_retried(app: App) -> None:
    await seed(app, 1)
    channel = Recorder(lambda chat_id: Failed("bad request", retryable=False))
    delivery = dispatcher(app, channel)
    await push(app)
    await delivery.start()
    await wait_until(lambda: outbox_done(app))
    await delivery.stop()
    assert len(channel.sent) == 1


async def test_cancel_stops_the_rest(app: App) -> None:
    await seed(app, 50)
    channel = Recorder()
    delivery = dispatcher(app, channel, rate=20.0)
    push_id = await push(app)
    await delivery.start()
    await wait_until(lambda: _sent_at_least(channel, 5))
    cancelled = await app.storage.cancel_push(push_id, DAYTIME)
    await wait_until(lambda: outbox_done(app))
    await delivery.stop()
    (summary,) = await app.storage.push_summaries([push_id])
    assert cancelled > 30 and summary.counts["cancelled"] == cancelled
    assert len(channel.sent) == summary.counts["sent"] == 50 - cancelled


async def blocked_chats(app: App) -> set[str]:
    def query(conn: Any) -> set[str]:
        import sqlalchemy as sa

        from bot.storage.schema import learners

        return set(conn.scalars(sa.select(learners.c.chat_id).where(learners.c.blocked)))

    return await app.storage.runner.read(query)


async def _sent_at_least(channel: Recorder, count: int) -> bool:
    return len(channel.sent) >= count


async def test_a_stopped_dispatcher_gives_back_what_it_did_not_try(app: App) -> None:
    await seed(app, 30)
    channel = Recorder()
    delivery = dispatcher(app, channel, rate=10.0)
    push_id = await push(app)
    await delivery.start()
    await wait_until(lambda: _sent_at_least(channel, 3))
    await delivery.stop()
    (summary,) = await app.storage.push_summaries([push_id])
    assert set(summary.counts) == {"sent", "pending"}
    assert summary.counts["sent"] == len(channel.sent)


async def test_budget_spaces_slots_and_holds_them_during_a_pause() -> None:
    now = {"t": 0.0}
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now["t"] += seconds

    budget = MemoryBudget(10.0, clock=lambda: now["t"], sleep=sleep)
    gap = 1 / (10.0 * HEADROOM)
    for _ in range(3):
        await budget.take()
    assert now["t"] == pytest.approx(2 * gap)
    await budget.pause(5.0)
    await budget.take()
    assert now["t"] == pytest.approx(2 * gap + 5.0)


def test_reply_for_falls_back_to_vietnamese() -> None:
    reply = reply_for({"text": {"vi": "Xin chào"}}, "en")
    assert (reply.text, reply.language) == ("Xin chào", "en")


@pytest.mark.postgres_only
async def test_two_dispatchers_keep_each_chats_messages_in_order(app: App) -> None:
    """Three pushes to the same three chats, two dispatchers claiming two rows at a time:
    without the per-chat guard the second dispatcher takes a chat's next message while the
    first is still sending that chat's previous one. (Within one dispatcher the per-chat
    gap keeps them apart.)"""
    await seed(app, 3)
    log: list[tuple[str, str, float, float]] = []

    class Slow(Recorder):
        async def send(self, chat_id: str, reply: Reply) -> SendResult:
            started = time.monotonic()
            await asyncio.sleep(0.05)
            log.append((chat_id, reply.text, started, time.monotonic()))
            return Sent()

    texts = ["Tin một.", "Tin hai.", "Tin ba."]
    for number, text in enumerate(texts):
        await app.storage.create_push(
            key=f"p{number}", kind="announcement", content={"text": {"vi": text}},
            audience=Audience(), now=DAYTIME,
        )  # fmt: skip
    dispatchers = [
        Dispatcher(
            app.storage,
            {"telegram": Slow()},
            {"telegram": Pace(rate=500, chat_interval=0.1, concurrency=2)},
            tz=VN,
            clock=ticking(),
            idle_poll=0.01,
            shared=True,
            batch=2,
        )
        for _ in range(2)
    ]
    for dispatcher in dispatchers:
        await dispatcher.start()
    await wait_until(lambda: outbox_done(app))
    for dispatcher in dispatchers:
        await dispatcher.stop()
    assert len(log) == 9
    for chat in ("1", "2", "3"):
        sends = sorted((e for e in log if e[0] == chat), key=lambda e: e[2])
        assert [text for _c, text, _s, _e in sends] == texts, f"chat {chat} out of order"
        for earlier, later in itertools.pairwise(sends):
            assert earlier[3] <= later[2], f"chat {chat}: two sends at once"
