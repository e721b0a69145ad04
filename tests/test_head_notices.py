"""Issue 14, must-show 4: the village head's progress lines and summary go through the paced
outbox like every push. A 429 on a progress line pauses every send of that channel for the
whole ``retry_after``; a summary that fails is sent on a retry, once."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Any

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.delivery import Dispatcher, Pace
from bot.quiet import QuietHours
from bot.services import AnnouncementWatcher
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.test_delivery import DAYTIME, ticking

HEAD_CHAT = "5000"


async def village_with_head(app: App, learners: int) -> tuple[int, int]:
    """``learners`` citizens and their head in the first village; the head's learner id."""
    (village, *_rest) = await app.storage.villages()
    head_id = 0
    for n in range(learners + 1):
        chat = HEAD_CHAT if n == 0 else str(6000 + n)
        learner = await app.storage.create_learner(
            channel="telegram", user_id=chat, chat_id=chat, language="vi", now=DAYTIME
        )
        await app.storage.update_learner(
            dataclasses.replace(learner, village_id=village.id, group="citizen"), DAYTIME
        )
        if n == 0:
            head_id = learner.id
    return village.id, head_id


async def run_announcement(
    app: App, api: FakeTelegram, learners: int, rate: float, retry_base: float = 5.0
) -> list[Any]:
    """Sends one announcement through the real channel, dispatcher and watcher until the
    head has the summary; the head's calls."""
    channel = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url)
    await channel.application.bot.initialize()
    clock = ticking()
    dispatcher = Dispatcher(
        app.storage, {"telegram": channel}, {"telegram": Pace(rate=rate, chat_interval=0.0)},
        tz=app.settings.tz, quiet=QuietHours(enabled=False), idle_poll=0.05, clock=clock,
        retry_base=retry_base, batch=10,
    )  # fmt: skip
    watcher = AnnouncementWatcher(app.storage, interval=0.05, on_queue=dispatcher.wake, clock=clock)
    village_id, head_id = await village_with_head(app, learners)
    await app.storage.create_announcement(
        key="ann:test:1", text="Họp thôn tối nay.", creator_id=head_id, village_id=village_id,
        now=clock(),
    )  # fmt: skip
    await dispatcher.start()
    await watcher.start()
    try:
        deadline = time.monotonic() + 30
        while not any("Đã gửi xong" in c.params["text"] for c in head_calls(api, ok=True)):
            assert time.monotonic() < deadline, "the summary never reached the head"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # nothing more may come
    finally:
        await watcher.stop()
        await dispatcher.stop()
        await channel.application.bot.shutdown()
    return head_calls(api)


def head_calls(api: FakeTelegram, ok: bool | None = None) -> list[Any]:
    return [
        c
        for c in api.calls
        if c.method == "sendMessage"
        and str(c.params["chat_id"]) == HEAD_CHAT
        and (ok is None or c.ok == ok)
        and "Họp thôn" not in c.params["text"]
    ]


async def test_a_429_on_the_progress_line_pauses_the_whole_channel(
    app: App, api: FakeTelegram
) -> None:
    flood: list[float] = []

    def responder(method: str, params: dict[str, Any]) -> Any:
        text = params.get("text", "")
        if str(params.get("chat_id")) == HEAD_CHAT and text.startswith("📤") and not flood:
            flood.append(time.monotonic())
            return 429, {"description": "Too Many Requests", "parameters": {"retry_after": 2}}
        return None

    api.responder = responder
    calls = await run_announcement(app, api, learners=80, rate=40.0)

    assert len(flood) == 1, "the head never got a progress line"
    sends = [c for c in api.calls if c.method == "sendMessage"]
    inside = [c for c in sends if flood[0] + 0.2 < c.at < flood[0] + 2.0]
    assert inside == [], f"{len(inside)} sends left inside the retry_after window"
    held = [c for c in sends if c.at >= flood[0] + 2.0 and "Họp thôn" in c.params["text"]]
    assert held, "the announcement was over before the flood wait: nothing was held back"
    delivered = [c.params["text"] for c in calls if c.ok]
    assert any(t.startswith("📤 Đã gửi") for t in delivered)  # the progress line, on retry
    summaries = [t for t in delivered if "Đã gửi xong" in t]
    assert summaries == ["✅ Đã gửi xong thông báo: gửi được 81, không liên lạc được 0, lỗi 0."]
    village = {str(c.params["chat_id"]) for c in sends if c.ok and "Họp thôn" in c.params["text"]}
    assert len(village) == 81  # every learner once, the head included


async def test_a_failed_summary_is_sent_on_retry(app: App, api: FakeTelegram) -> None:
    failures: list[str] = []

    def responder(method: str, params: dict[str, Any]) -> Any:
        text = params.get("text", "")
        if "Đã gửi xong" in text and len(failures) < 2:
            failures.append(text)
            return 500, {"description": "Internal Server Error"}
        return None

    api.responder = responder
    calls = await run_announcement(app, api, learners=3, rate=50.0, retry_base=0.1)

    assert len(failures) == 2
    sent = [c.params["text"] for c in calls if c.ok and "Đã gửi xong" in c.params["text"]]
    assert len(sent) == 1  # sent once, after two failures
    (summary,) = [s for s in await app.storage.push_summaries() if s.key == "ann:test:1"]
    assert summary.done
    assert [p.kind for p in await app.storage.push_summaries()] == ["announcement"]
