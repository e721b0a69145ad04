"""The real Telegram channel (python-telegram-bot) against a local fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from bot.app import App, telegram_channel
from bot.channels.base import Blocked, ChannelError, Failed, RetryAfter, Sent
from bot.channels.telegram import TelegramChannel
from bot.config import load_settings
from bot.core.messages import Reply
from tests.conftest import completion_rows, table_counts
from tests.fakes.telegram_api import TOKEN, FakeTelegram, TelegramUser


@pytest.fixture
async def bot(app: App, api: FakeTelegram) -> AsyncIterator[TelegramChannel]:
    overrides = {"telegram_bot_token": TOKEN, "telegram_api_base_url": api.base_url}
    app.settings = load_settings(**{**app.settings.model_dump(), **overrides})
    channel = telegram_channel(app)
    assert isinstance(channel, TelegramChannel)
    channel.poll_timeout = 1
    await channel.start()
    yield channel
    await channel.stop()


def _payload(user: TelegramUser, call, prefix: str) -> str:  # type: ignore[no-untyped-def]
    found = [data for _label, data in user.buttons(call) if data.startswith(prefix)]
    assert found, f"no {prefix!r} button in {user.buttons(call)}"
    return found[0]


async def test_commands_are_registered_in_both_languages(
    api: FakeTelegram, bot: TelegramChannel
) -> None:
    registered = [call.params for call in api.calls if call.method == "setMyCommands"]
    by_language = {params.get("language_code"): params["commands"] for params in registered}
    assert [c["command"] for c in by_language[None]][:2] == ["hoc", "tiendo"]
    assert [c["command"] for c in by_language["en"]][:2] == ["lessons", "progress"]
    assert by_language[None][0]["description"] == "Bài học"


async def test_a_user_goes_from_start_to_a_passed_quiz(
    app: App, api: FakeTelegram, bot: TelegramChannel, tmp_path
) -> None:
    user = TelegramUser(api, 5001)
    user.send("/start")
    (welcome,) = await user.replies()
    assert "chọn ngôn ngữ" in welcome.params["text"]
    user.tap(_payload(user, welcome, "lang:vi"))
    (consent,) = await user.replies()
    user.tap(_payload(user, consent, "consent:yes"))
    _thanks, village = await user.replies(2)
    user.tap(_payload(user, village, "village:"))
    (group,) = await user.replies()
    user.tap(_payload(user, group, "group:citizen"))
    (menu,) = await user.replies()
    user.tap(_payload(user, menu, "lessons"))
    (lessons,) = await user.replies()
    user.tap(_payload(user, lessons, "open:demo-one"))
    (card,) = await user.replies()
    assert card.method == "sendPhoto" and "Thẻ thứ nhất" in card.params["caption"]
    user.tap(_payload(user, card, "card:demo-one:1"))
    (card,) = await user.replies()
    user.tap(_payload(user, card, "quiz:"))
    (question,) = await user.replies()
    user.tap(_payload(user, question, "ans:demo-one:0:0"))
    feedback, question = await user.replies(2)
    assert feedback.params["text"].startswith("✅")
    last_tap = user.tap_update(_payload(user, question, "ans:demo-one:1:1"))
    api.push(last_tap)
    feedback, result = await user.replies(2)
    assert "đã qua bài" in result.params["text"]
    # the same update delivered again, and the same button tapped again
    api.push_raw({"update_id": api.push(last_tap) - 1, **last_tap})
    user.tap("ans:demo-one:1:1")
    (stale,) = await user.replies()
    assert "tin nhắn cũ" in stale.params["text"]
    answered = [c for c in api.calls if c.method == "answerCallbackQuery"]
    assert len(answered) >= 10  # every tap is acknowledged, so no spinner is left

    assert [row[:3] for row in await completion_rows(app)] == [("telegram", "5001", "demo-one")]

    env = {
        "HOCVUSO_DATABASE_URL": app.settings.database_url,
        "HOCVUSO_LESSONS_DIR": str(app.settings.lessons_dir),
        "HOCVUSO_CONFIG": str(app.settings.config_file),
        "PATH": "/usr/bin:/bin",
    }
    report = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {row["village"]: row for row in csv.DictReader(io.StringIO(report.stdout))}
    village = rows["Thôn 1"]
    assert (village["learners"], village["completed_core"], village["demo-one"]) == ("1", "1", "1")
    assert village["share_percent"] == "0.1"


async def test_declining_on_telegram_stores_no_learner(
    app: App, api: FakeTelegram, bot: TelegramChannel
) -> None:
    user = TelegramUser(api, 5002, language_code="en")
    user.send("/start")
    (welcome,) = await user.replies()
    assert "choose your language" in welcome.params["text"]
    user.tap("lang:en")
    await user.replies()
    user.tap("consent:no:en")
    (answer,) = await user.replies()
    assert "nothing was stored" in answer.params["text"]
    counts = await table_counts(app)
    assert counts["learners"] == 0 and counts["audit_log"] == 0


async def test_users_are_served_concurrently_each_in_order(
    api: FakeTelegram, bot: TelegramChannel
) -> None:
    users = [TelegramUser(api, 6000 + n) for n in range(20)]
    for user in users:
        user.send("/start")
        user.tap("lang:vi")
        user.tap("consent:yes:vi")
    for user in users:
        welcome, consent, _thanks, village = await user.replies(4)
        assert "ngôn ngữ" in welcome.params["text"]
        assert "đồng ý" in consent.params["text"]
        assert "thôn" in village.params["text"]


async def test_a_sticker_and_an_unknown_command_get_answers(
    api: FakeTelegram, bot: TelegramChannel
) -> None:
    user = TelegramUser(api, 5003)
    user.send_sticker()
    (answer,) = await user.replies()
    assert "chỉ đọc được chữ" in answer.params["text"]
    user.send("/khongco@hocvuso_test_bot")
    (answer,) = await user.replies()
    assert "ngôn ngữ" in answer.params["text"]  # a stranger is welcomed, never a dead end


async def test_send_maps_platform_errors(api: FakeTelegram, bot: TelegramChannel) -> None:
    reply = Reply("xin chào")
    assert await bot.send("7001", reply) == Sent()
    api.fail("sendMessage", 429, description="Too Many Requests", parameters={"retry_after": 7})
    assert await bot.send("7001", reply) == RetryAfter(7.0)
    api.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    assert await bot.send("7001", reply) == Blocked()
    api.fail("sendMessage", 400, description="Bad Request: chat not found")
    assert await bot.send("7001", reply) == Blocked()
    api.fail("sendMessage", 500, description="Internal Server Error")
    assert isinstance(await bot.send("7001", reply), Failed)


async def test_a_short_flood_wait_on_a_reply_is_waited_out(
    api: FakeTelegram, bot: TelegramChannel
) -> None:
    user = TelegramUser(api, 5004)
    api.fail("sendMessage", 429, description="Too Many Requests", parameters={"retry_after": 1})
    user.send("/start")
    (_welcome,) = await user.replies(timeout=15)
    sends = [c for c in api.calls if c.method == "sendMessage"]
    assert [call.ok for call in sends] == [False, True]
    assert sends[1].at - sends[0].at >= 1.0  # nothing was sent inside the retry_after window


async def test_a_wrong_token_stops_start_up_with_one_sentence(app: App, api: FakeTelegram) -> None:
    wrong = "999999999:WRONG-token-that-the-fake-server-rejects"
    channel = TelegramChannel(app.engine, token=wrong, base_url=api.base_url)
    with pytest.raises(ChannelError) as caught:
        await channel.start()
    message = str(caught.value)
    assert "rejected TELEGRAM_BOT_TOKEN" in message
    assert wrong not in message
    await asyncio.sleep(0)


def test_a_malformed_token_is_a_clear_setting_error() -> None:
    from bot.config import ConfigError

    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        load_settings(telegram_bot_token="not-a-token")
