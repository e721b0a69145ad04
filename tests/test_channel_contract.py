"""One scenario through the console, Telegram and Zalo: same bot, same database, one report."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from typing import Protocol

import pytest

from bot.app import App
from bot.channels.console import ConsoleChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.i18n import use_locale
from bot.reports import build_report, to_csv
from tests.fakes import telegram_api, zalo_api


class Driver(Protocol):
    async def say(self, text: str) -> str:
        """Send text, return the last message shown."""

    async def choose(self, label: str) -> str:
        """Pick the choice whose label contains ``label``, return the last message shown."""


class ConsoleDriver:
    def __init__(self, app: App):
        self.out: list[str] = []
        self.console = ConsoleChannel(app.engine, write=self.out.append, user_id="console-1")

    async def say(self, text: str) -> str:
        await self.console.turn(text)
        return [line for line in self.out if line][-1]

    async def choose(self, label: str) -> str:
        return await self.say(_number(self.out[-2], label))


class ZaloDriver:
    def __init__(self, api: zalo_api.FakeZalo):
        self.user = zalo_api.ZaloUser(api, "ee00000000000000000e")
        self.last = ""

    async def say(self, text: str) -> str:
        before = len(self.user.api.texts_to(self.user.id))
        self.user.say(text)
        await self.user.api.wait_for(lambda: len(self.user.api.texts_to(self.user.id)) > before)
        await _settle()
        self.last = self.user.api.texts_to(self.user.id)[-1]
        return self.last

    async def choose(self, label: str) -> str:
        return await self.say(_number(self.last, label))


class TelegramDriver:
    def __init__(self, api: telegram_api.FakeTelegram):
        self.user = telegram_api.TelegramUser(api, 7777)

    async def _wait(self, before: int) -> str:
        await self.user.api.wait_for(lambda: len(self.user.messages()) > before)
        await _settle()
        call = self.user.messages()[-1]
        return str(call.params.get("text") or call.params.get("caption"))

    async def say(self, text: str) -> str:
        before = len(self.user.messages())
        self.user.send(text)
        return await self._wait(before)

    async def choose(self, label: str) -> str:
        last = self.user.messages()[-1]
        (data,) = [d for text, d in self.user.buttons(last) if label in text]
        before = len(self.user.messages())
        self.user.tap(data)
        return await self._wait(before)


async def _settle() -> None:
    import asyncio

    await asyncio.sleep(0.15)  # let a multi-message reply finish arriving


def _number(shown: str, label: str) -> str:
    for line in shown.splitlines():
        match = re.match(r"(\d+)\. (.*)", line)
        if match and label in match.group(2):
            return match.group(1)
    raise AssertionError(f"{label!r} not offered in {shown!r}")


async def scenario(driver: Driver) -> None:
    """A citizen: hello → Vietnamese → consent → Thôn 2 → resident → lesson two → passed."""
    assert "ngôn ngữ" in await driver.say("/start")
    assert "đồng ý" in await driver.choose("Tiếng Việt")
    assert "thôn" in await driver.choose("Tôi đồng ý")
    assert "nhóm" in await driver.choose("Thôn 2")
    assert "Xong rồi" in await driver.choose("Người dân")
    assert "chọn một bài" in await driver.choose("Bài học")
    assert "Chỉ một thẻ" in await driver.choose("Bài thử hai")
    assert "Câu 1/2" in await driver.choose("Làm bài kiểm tra")
    await driver.choose("A")
    assert "đã qua bài" in await driver.choose("B")


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[telegram_api.FakeTelegram, zalo_api.FakeZalo]]:
    telegram, zalo = telegram_api.FakeTelegram(), zalo_api.FakeZalo(poll_cap=0.3)
    await telegram.start()
    await zalo.start()
    yield telegram, zalo
    await telegram.stop()
    await zalo.stop()


async def test_the_same_scenario_on_every_channel_lands_in_one_report(
    app: App, fakes: tuple[telegram_api.FakeTelegram, zalo_api.FakeZalo]
) -> None:
    telegram_fake, zalo_fake = fakes
    telegram = TelegramChannel(
        app.engine, token=telegram_api.TOKEN, base_url=telegram_fake.base_url, poll_timeout=1
    )
    zalo = ZaloChannel(
        app.engine, ZaloClient(zalo_api.TOKEN, base_url=zalo_fake.base_url), poll_timeout=1
    )
    await telegram.start()
    await zalo.start()
    try:
        for driver in (ConsoleDriver(app), TelegramDriver(telegram_fake), ZaloDriver(zalo_fake)):
            await scenario(driver)
    finally:
        await telegram.stop()
        await zalo.stop()
    with use_locale("vi"):
        report = to_csv(await build_report(app.storage, app.catalog))
    rows = {row["village"]: row for row in csv.DictReader(io.StringIO(report))}
    # The console is the operator trying the bot: stored, but not counted as a citizen.
    assert (rows["Thôn 2"]["learners"], rows["Thôn 2"]["demo-two"]) == ("2", "2")
    channels = {
        (await app.storage.get_learner(channel, user)) is not None
        for channel, user in (
            ("console", "console-1"),
            ("telegram", "7777"),
            ("zalo", "ee00000000000000000e"),
        )
    }
    assert channels == {True}
