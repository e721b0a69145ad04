"""Issue 11, must-show 5: forged or garbled button data (oversized numbers, digits that are
not ASCII, unknown prefixes) gets a reply (the step again) and logs no error, both through
the Telegram channel and straight into the core."""

from __future__ import annotations

import logging

import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from tests.conftest import Chat, table_counts
from tests.fakes.telegram_api import TOKEN, FakeTelegram, TelegramUser

GARBAGE = [
    "ann:status:" + "9" * 55,
    "ann:stop:" + "9" * 12,
    "ann:status:²",
    "ann:send:",
    "ans:demo-one:²:0",
    "ans:demo-one:0:٣",
    "ans:demo-one:" + "9" * 40 + ":0",
    "card:demo-one:" + "1" * 30,
    "card:demo-one:-1",
    "village:" + "9" * 30,
    "village:²",
    "group:admin",
    "setlang:xx:yy",
    "zzz:1:2:3",
    "nothing",
    ":::::::::::::",
    "open:" + "a" * 60,
    "faq:../../etc",
    "x" * 64,
]


@pytest.mark.parametrize("data", GARBAGE)
async def test_garbage_buttons_in_the_core_get_the_step_again(
    app: App, chat: Chat, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    before = await table_counts(app)
    with caplog.at_level(logging.WARNING):
        replies = await chat.tap(data)
    assert replies and replies[-1].choices, "a reply with the way on"
    assert "Câu 1/2" in replies[-1].text  # the step again
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    after = await table_counts(app)
    assert after == before


async def test_garbage_buttons_through_telegram_are_answered_without_errors(
    app: App, api: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    channel = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url, poll_timeout=1)
    await channel.start()
    user = TelegramUser(api, 9191)
    try:
        user.send("/start")
        await user.replies()
        user.tap("lang:vi")
        await user.replies()
        user.tap("consent:yes:vi")
        await user.replies(2)
        for data in ("village:1", "group:citizen", "quiz:demo-one"):
            user.tap(data)
            await user.replies()
        with caplog.at_level(logging.WARNING):
            for data in GARBAGE:
                user.tap(data)
                await user.replies()  # the note
                (step,) = await user.replies()  # and the step again, with its buttons
                assert user.buttons(step), data
    finally:
        await channel.stop()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
