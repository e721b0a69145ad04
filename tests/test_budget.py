"""Issue 15: one send budget per channel (the rate, the priority of replies, every flood
wait), and one order per chat whatever retries happen. On SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import sqlalchemy as sa

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.pacing import PUSH_LOOKAHEAD, MemoryBudget, SharedBudget, Slots, reserve
from bot.storage.outbox import Audience
from bot.storage.schema import send_budgets
from tests.fakes.telegram_api import TOKEN, FakeTelegram, TelegramUser
from tests.test_delivery import DAYTIME, dispatcher, outbox_done, seed, wait_until


def test_slots_are_spaced_and_a_pause_holds_them() -> None:
    slots = Slots()
    assert reserve(slots, 10.0, 0.1, reply=False) == (True, 0.0)
    granted, wait = reserve(slots, 10.0, 0.1, reply=False)
    assert granted and wait == pytest.approx(0.1)
    slots.paused_until = 15.0
    granted, wait = reserve(slots, 10.05, 0.1, reply=True)
    assert granted and wait == pytest.approx(4.95)  # the reply, too, waits out the flood wait


def test_a_reply_goes_before_pushes_that_would_queue_far_ahead() -> None:
    slots = Slots()
    for _ in range(3):  # pushes fill the slots up to the lookahead
        assert reserve(slots, 0.0, 0.1, reply=False)[0]
    granted, again_in = reserve(slots, 0.0, 0.1, reply=False)
    assert not granted and again_in == pytest.approx(0.3 - PUSH_LOOKAHEAD)
    granted, wait = reserve(slots, 0.0, 0.1, reply=True)
    assert granted and wait == pytest.approx(0.3)  # behind 3 pushes at most, never 100


@pytest.mark.parametrize(
    ("rate", "overshoot", "kept"),
    [
        (500, 0.010, True),  # 10 ms late at 500/s: within half the spare of a second
        (500, 0.020, False),  # 20 ms late: given up, a fresh slot is taken
        (20, 0.040, True),  # at 20/s a slot may be one interval (51 ms) late
        (20, 0.060, False),
    ],
)
async def test_a_late_slot_is_used_within_the_spare_and_given_up_beyond(
    rate: float, overshoot: float, kept: bool
) -> None:
    now = [100.0]

    async def late_sleep(seconds: float) -> None:  # a busy loop wakes up late
        now[0] += seconds + overshoot

    budget = MemoryBudget(rate, clock=lambda: now[0], sleep=late_sleep)
    await budget.take()  # the first slot is now: no wait
    await budget.take()  # the second waits one interval, and wakes up late
    interval = budget.interval
    if kept:
        assert budget.slots.next_at == pytest.approx(100.0 + 2 * interval)
    else:  # the late slot was given up and the next one taken at once
        assert budget.slots.next_at == pytest.approx(100.0 + interval + overshoot + interval)


async def test_two_processes_share_one_budget_through_the_database(app: App) -> None:
    """Two budgets on one database, as two processes would hold: their slots form one line
    spaced by the interval, and a flood wait one of them meets holds the other."""
    one = SharedBudget(app.storage, "telegram", rate=2.0)
    two = SharedBudget(app.storage, "telegram", rate=2.0)
    await one._reserve(reply=True)
    first = await _next_slot(app)
    for budget in (two, one, two):
        granted, _wait = await budget._reserve(reply=True)
        assert granted
    assert await _next_slot(app) - first == pytest.approx(3 * one.interval)
    await one.pause(3.0)
    assert await two._paused_for() > 2.5
    granted, wait = await two._reserve(reply=True)
    assert granted and wait > 2.5  # the reply waits out the other's flood wait


async def _next_slot(app: App) -> float:
    def read(conn: sa.Connection) -> float:
        query = sa.select(send_budgets.c.next_at).where(send_budgets.c.channel == "telegram")
        return float(conn.execute(query).scalar_one())

    return await app.storage.runner.read(read)


async def test_a_chats_second_push_never_arrives_before_its_first(
    app: App, api: FakeTelegram
) -> None:
    """Must-show 2: the first push gets a 429 in some chats; their second push waits for it
    (and only theirs: the other chats go on)."""
    await seed(app, 20)
    for number, text in enumerate(("Tin thứ nhất.", "Tin thứ hai.")):
        await app.storage.create_push(
            key=f"order:{number}", kind="announcement", content={"text": {"vi": text}},
            audience=Audience(), now=DAYTIME,
        )  # fmt: skip
    hit = {"3", "7", "11"}

    def responder(method: str, params: dict[str, Any]) -> Any:
        chat = str(params.get("chat_id"))
        if params.get("text") == "Tin thứ nhất." and chat in hit:
            hit.discard(chat)
            return 429, {"description": "Too Many Requests", "parameters": {"retry_after": 1}}
        return None

    api.responder = responder
    channel = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url)
    await channel.application.bot.initialize()
    delivery = dispatcher(app, channel, rate=100.0)
    await delivery.start()
    try:
        await wait_until(lambda: outbox_done(app))
    finally:
        await delivery.stop()
        await channel.application.bot.shutdown()
    assert hit == set()
    for chat in range(1, 21):
        texts = [c.params["text"] for c in api.sent_to(chat)]
        assert texts == ["Tin thứ nhất.", "Tin thứ hai."], f"chat {chat}: {texts}"


async def test_a_429_on_a_reply_pauses_the_pushes_too(app: App, api: FakeTelegram) -> None:
    """The channel's replies and the outbox share one budget: a flood wait met by a reply
    holds every push for the time asked."""
    await seed(app, 30)
    channel = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url, poll_timeout=1)
    delivery = dispatcher(app, channel, rate=20.0)
    channel.budget = delivery.budgets["telegram"]
    flood: list[float] = []

    def responder(method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage" and str(params.get("chat_id")) == "9100" and not flood:
            flood.append(time.monotonic())
            return 429, {"description": "Too Many Requests", "parameters": {"retry_after": 1}}
        return None

    api.responder = responder
    await channel.start()
    await delivery.start()
    try:
        await app.storage.create_push(
            key="many", kind="announcement", content={"text": {"vi": "Tin của thôn."}},
            audience=Audience(), now=DAYTIME,
        )  # fmt: skip
        delivery.wake()
        await asyncio.sleep(0.3)  # pushes are going out
        TelegramUser(api, 9100).send("/start")
        await wait_until(lambda: outbox_done(app))
        await wait_until(lambda: _answered(api, 9100))
    finally:
        await delivery.stop()
        await channel.stop()
    assert flood, "the reply never met the flood wait"
    inside = [
        c for c in api.calls if c.method == "sendMessage" and flood[0] + 0.1 < c.at < flood[0] + 1
    ]
    assert inside == []


async def _answered(api: FakeTelegram, chat: int) -> bool:
    return bool(api.sent_to(chat))
