"""What the help-from-a-person tests share: an app without quiet hours (a test must not
depend on the hour it runs at), a Telegram bot and dispatcher on the fake Bot API, and
people onboarded through it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.app import App, build_app, telegram_channel
from bot.channels.telegram import TelegramChannel
from bot.config import Settings, load_settings
from bot.delivery import Dispatcher, Pace
from bot.quiet import QuietHours
from bot.storage.community import CommunityCounts
from tests.fakes.telegram_api import TOKEN, Call, FakeTelegram, TelegramUser
from tests.test_roles import invite


@asynccontextmanager
async def telegram_app(settings: Settings, api: FakeTelegram) -> AsyncIterator[App]:
    """The whole bot on the fake Bot API: polling channel, dispatcher, no quiet hours."""
    overrides = {
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": api.base_url,
        "quiet_hours": "off",
    }
    app = await build_app(load_settings(**{**settings.model_dump(), **overrides}))
    channel = telegram_channel(app)
    assert isinstance(channel, TelegramChannel)
    channel.poll_timeout = 1
    await channel.start()
    app.engine.options.links["telegram"] = str(channel.username)
    try:
        async with dispatching(app, "telegram", channel):
            yield app
    finally:
        await channel.stop()
        await app.close()


@asynccontextmanager
async def dispatching(app: App, name: str, channel: Any) -> AsyncIterator[None]:
    """The outbox's dispatcher for one started channel, without quiet hours, one send at a
    time (the tests assert the order)."""
    pace = Pace(rate=50, chat_interval=0.0, concurrency=1)
    dispatcher = Dispatcher(
        app.storage, {name: channel}, {name: pace},
        tz=app.settings.tz, quiet=QuietHours(enabled=False), idle_poll=0.05,
    )  # fmt: skip
    app.doorbell.listen(dispatcher.wake)
    await dispatcher.start()
    try:
        yield
    finally:
        await dispatcher.stop()


def payload(user: TelegramUser, call: Call, prefix: str) -> str:
    found = [data for _label, data in user.buttons(call) if data.startswith(prefix)]
    assert found, f"no {prefix!r} button in {user.buttons(call)}"
    return found[0]


async def onboard(user: TelegramUser, village: str) -> None:
    user.send("/start")
    (welcome,) = await user.replies()
    user.tap(payload(user, welcome, "lang:vi"))
    (consent,) = await user.replies()
    user.tap(payload(user, consent, "consent:yes"))
    _thanks, question = await user.replies(2)
    (chosen,) = [data for label, data in user.buttons(question) if label == village]
    user.tap(chosen)
    (group,) = await user.replies()
    user.tap(payload(user, group, "group:citizen"))
    await user.replies()  # the main menu


async def make_helper(app: App, user: TelegramUser, village: str) -> None:
    user.send(f"/start {await invite(app, 'helper', village=village)}")
    (granted,) = await user.replies()
    assert f"người giúp của {village}" in granted.params["text"]


async def quiet_for(user: TelegramUser, seconds: float = 0.5) -> list[str]:
    """What reaches ``user`` in the next moment (nothing, usually)."""
    before = len(user.messages())
    await asyncio.sleep(seconds)
    return user.texts()[before:]


async def village_row(app: App, village: str) -> CommunityCounts:
    from bot.community import build_community

    report = await build_community(app.storage, app.catalog)
    (row,) = [row for row in report.rows if row.village == village]
    return row


def texts(calls: list[Any]) -> list[str]:
    return [str(call.params.get("text") or call.params.get("caption") or "") for call in calls]
