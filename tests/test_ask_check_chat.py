"""Ask and check through the chat: the core, the Telegram channel, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from bot.app import App, build_app
from bot.channels.telegram import TelegramChannel
from bot.config import Settings, load_settings
from bot.resources import data_dir
from tests.conftest import Chat, table_counts
from tests.fakes.telegram_api import TOKEN, FakeTelegram, TelegramUser

SCAM = "Tai khoan cua quy khach bi khoa. Xac thuc ngay tai http://vietcombank-xacthuc.com"


@pytest.fixture
async def shipped(settings: Settings) -> AsyncIterator[App]:
    real = load_settings(**{**settings.model_dump(), "lessons_dir": data_dir("lessons")})
    app = await build_app(real)
    yield app
    await app.close()


async def test_a_question_without_accents_gets_the_answer_and_the_lesson(shipped: App) -> None:
    chat = Chat(shipped.engine)
    await chat.onboard()
    before = await table_counts(shipped)
    await chat.say("quen mat khau vneid thi lam sao")
    assert chat.text().startswith("❓ Quên mật khẩu VNeID")
    assert chat.payload("open:vneid-co-ban")
    others = [c.payload for c in chat.choices() if c.payload.startswith(("faq:", "card:"))]
    assert 1 <= len(others) <= 2
    await chat.tap(others[0])
    assert chat.payload("open:")
    after = await table_counts(shipped)
    assert after["usage_counts"] == before["usage_counts"] + 1  # a count, never the text


async def test_an_unanswerable_question_is_said_so(shipped: App) -> None:
    chat = Chat(shipped.engine)
    await chat.onboard()
    await chat.say("gia lua hom nay bao nhieu")
    assert "chưa biết trả lời" in chat.text()
    assert chat.payload("lessons")


async def test_check_flow_and_forwarded_messages(shipped: App) -> None:
    chat = Chat(shipped.engine)
    await chat.onboard()
    await chat.command("kiemtra")
    assert "dán hoặc chuyển tiếp" in chat.text()
    await chat.say(SCAM)
    assert chat.text().startswith("🔴 Rất có thể là lừa đảo")
    assert "vietcombank" not in chat.text().split("Vì sao:")[0]
    assert "công an xã, phường" in chat.text()
    assert chat.payload("open:nhan-dien-lua-dao")
    await chat.command("kiemtra", "Ma OTP cua ban la 123456. Khong chia se ma nay cho bat ky ai.")
    assert chat.text().startswith("🟢 Chưa thấy dấu hiệu rõ")


async def test_on_telegram_a_pasted_scam_and_a_question(shipped: App, api: FakeTelegram) -> None:
    channel = TelegramChannel(shipped.engine, token=TOKEN, base_url=api.base_url, poll_timeout=1)
    await channel.start()
    try:
        user = TelegramUser(api, 3131)
        for step in ("/start", "lang:vi", "consent:yes:vi"):
            (user.send if step.startswith("/") else user.tap)(step)
            await user.replies(2 if step.startswith("consent") else 1)
        user.tap("village:1")
        await user.replies()
        user.tap("group:citizen")
        await user.replies()
        user.send("/kiemtra")
        await user.replies()
        user.send(SCAM)
        (verdict,) = await user.replies()
        assert verdict.params["text"].startswith("🔴 Rất có thể là lừa đảo")
        forwarded = user.message_update(SCAM)
        forwarded["message"]["forward_origin"] = {
            "type": "hidden_user", "date": 1700000000, "sender_user_name": "Người lạ",
        }  # fmt: skip
        api.push(forwarded)
        (verdict,) = await user.replies()
        assert "🔴 Rất có thể là lừa đảo" in verdict.params["text"]
        assert "Tôi đã kiểm tra tin nhắn này" in verdict.params["text"]
        user.send("cai vneid o dau")
        (answer,) = await user.replies()
        buttons = [data for _label, data in user.buttons(answer)]
        assert "open:vneid-co-ban" in buttons
    finally:
        await channel.stop()


def test_cli_ask_and_check_print_json() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "tra cuu bhyt", "--json"],
        capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    answer = json.loads(run.stdout)
    assert answer["confident"] and answer["matches"][0]["score"] > 0
    run = subprocess.run(
        [sys.executable, "-m", "bot", "check", SCAM, "--json"],
        capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    verdict = json.loads(run.stdout)
    assert verdict["level"] == "high" and verdict["reasons"]
