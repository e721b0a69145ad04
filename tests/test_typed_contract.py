"""Issue 11, must-show 1: what people type is read against the choices they were just
shown, the same on Telegram, Zalo and the console. Typed numbers, "1.", "số 2", the words
of a choice without accents, "ko"/"không" at consent, a number not on the menu and a stale
menu after "Không đồng ý", before consent, mid-lesson and mid-quiz: each lands on the
intended choice or gets the step again; none reaches the answer search or gives consent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

import pytest

from bot.app import App
from bot.channels.console import ConsoleChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel, ZaloClient
from tests.conftest import table_counts
from tests.fakes import telegram_api, zalo_api


class Driver(Protocol):
    async def say(self, text: str) -> str:
        """Send what a person types; return every message the bot sent back, joined."""


class ConsoleDriver:
    def __init__(self, app: App):
        self.out: list[str] = []
        self.console = ConsoleChannel(app.engine, write=self.out.append, user_id="c-typed")

    async def say(self, text: str) -> str:
        before = len(self.out)
        await self.console.turn(text)
        return "\n".join(self.out[before:])


async def _settle(size: Callable[[], int]) -> None:
    """Wait until no new message has arrived for a moment (a reply may be two messages)."""
    last = -1
    while last != size():
        last = size()
        await asyncio.sleep(0.25)


class TelegramDriver:
    def __init__(self, api: telegram_api.FakeTelegram):
        self.user = telegram_api.TelegramUser(api, 4242)

    def _texts(self) -> list[str]:
        return [str(c.params.get("text") or c.params.get("caption")) for c in self.user.messages()]

    async def say(self, text: str) -> str:
        before = len(self._texts())
        self.user.send(text)
        await self.user.api.wait_for(lambda: len(self._texts()) > before)
        await _settle(lambda: len(self._texts()))
        return "\n".join(self._texts()[before:])


class ZaloDriver:
    def __init__(self, api: zalo_api.FakeZalo):
        self.user = zalo_api.ZaloUser(api, "7ed00000000000000e7d")

    def _texts(self) -> list[str]:
        return self.user.api.texts_to(self.user.id)

    async def say(self, text: str) -> str:
        before = len(self._texts())
        self.user.say(text)
        await self.user.api.wait_for(lambda: len(self._texts()) > before)
        await _settle(lambda: len(self._texts()))
        return "\n".join(self._texts()[before:])


@asynccontextmanager
async def person_on(
    channel: str, app: App, fakes: tuple[telegram_api.FakeTelegram, zalo_api.FakeZalo]
) -> AsyncIterator[Driver]:
    """A person typing to the app on ``channel`` ("console", "telegram" or "zalo"), the
    channel started against its fake platform for as long as they type."""
    telegram_fake, zalo_fake = fakes
    if channel == "console":
        yield ConsoleDriver(app)
        return
    started: TelegramChannel | ZaloChannel
    driver: Driver
    if channel == "telegram":
        started = TelegramChannel(
            app.engine, token=telegram_api.TOKEN, base_url=telegram_fake.base_url, poll_timeout=1
        )
        driver = TelegramDriver(telegram_fake)
    else:
        client = ZaloClient(zalo_api.TOKEN, base_url=zalo_fake.base_url)
        started = ZaloChannel(app.engine, client, poll_timeout=1)
        driver = ZaloDriver(zalo_fake)
    await started.start()
    try:
        yield driver
    finally:
        await started.stop()


# (typed, a phrase the answer must contain, learners stored afterwards)
SCRIPT = [
    ("/start", "chọn ngôn ngữ", 0),
    ("1.", "Bác có đồng ý không?", 0),  # "1." is Tiếng Việt
    ("ko", "không lưu gì", 0),  # a no-word declines
    ("1", "chọn ngôn ngữ", 0),  # a stale menu: greeted again, never consent
    ("số 1", "Bác có đồng ý không?", 0),
    ("không", "không lưu gì", 0),
    ("2", "chọn ngôn ngữ", 0),  # stale again, whatever the number
    ("tieng viet", "Bác có đồng ý không?", 0),  # the words of a choice, no accents
    ("4", "không có số 4", 0),  # not on the menu: the step again
    ("dong y", "Bác ở thôn", 1),  # consent in words
    ("thon 2", "Bác thuộc nhóm nào", 1),  # never "Thôn 1" or "Thôn 10"
    ("nguoi dan", "Xong rồi", 1),
    ("bai hoc", "Bác chọn một bài", 1),
    ("bai thu mot", "1/2", 1),  # opens "Bài thử một" at card 1 of 2
    ("tiep", "2/2", 1),  # the next card, never a search hit
    ("7", "không có số 7", 1),  # mid-lesson, out of range
    ("so 2", "1/2", 1),  # "⬅️ Quay lại" is the second choice on card 2
    ("tiếp", "2/2", 1),
    ("lam bai kiem tra", "Câu 1/2", 1),
    ("9", "không có số 9", 1),  # mid-quiz, out of range
    ("hai", "Đúng rồi", 1),  # the words of an answer
    ("số 2", "đã qua bài", 1),  # "Không bao giờ"
]


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[telegram_api.FakeTelegram, zalo_api.FakeZalo]]:
    telegram, zalo = telegram_api.FakeTelegram(), zalo_api.FakeZalo(poll_cap=0.3)
    await telegram.start()
    await zalo.start()
    yield telegram, zalo
    await telegram.stop()
    await zalo.stop()


async def _learners(app: App) -> int:
    return (await table_counts(app))["learners"]


async def _asked(app: App) -> int:
    def count(conn):  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        from bot.storage.schema import usage_counts

        query = sa.select(sa.func.coalesce(sa.func.sum(usage_counts.c.count), 0)).where(
            usage_counts.c.kind == "ask"
        )
        return int(conn.scalar(query))

    return await app.storage.runner.read(count)


@pytest.mark.parametrize("channel", ["console", "telegram", "zalo"])
async def test_typed_answers_land_on_the_choice_just_shown(
    app: App,
    fakes: tuple[telegram_api.FakeTelegram, zalo_api.FakeZalo],
    channel: str,
) -> None:
    async with person_on(channel, app, fakes) as driver:
        for typed, expected, learners in SCRIPT:
            answer = await driver.say(typed)
            assert expected in answer, f"{channel}: {typed!r} got {answer!r}"
            assert await _learners(app) == learners, f"{channel}: {typed!r} changed consent"
            assert "chưa biết trả lời" not in answer
    assert await _asked(app) == 0, "no typed choice may reach the answer search"
