"""Issue 11, must-show 3: a message someone received and pasted (not forwarded, no
/kiemtra) gets the scam verdict directly, with a way to ask it as a question instead; an
ordinary question still gets its answer. Real SMS cannot be forwarded into Telegram and
Zalo does not mark forwards, so pasting is what people do."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App, build_app
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.config import Settings, load_settings
from bot.resources import data_dir
from tests.conftest import Chat
from tests.fakes.zalo_api import TOKEN, FakeZalo, ZaloUser

BANK_LOCK = (
    "[VCB] Tai khoan cua Quy khach tam khoa do chua cap nhat sinh trac hoc. "
    "Cap nhat ngay tai vcb-sinhtrachoc.com de tranh bi dong bang tai khoan."
)
CHILD_EMERGENCY = (
    "Mẹ ơi con đang cấp cứu ở bệnh viện, điện thoại con hết pin nên mượn máy cô y tá. "
    "Mẹ chuyển gấp 20 triệu vào số tài khoản 0123456789 của cô ấy để con mổ nhé, đừng gọi lại."
)


@pytest.fixture
async def shipped(settings: Settings) -> AsyncIterator[App]:
    real = load_settings(**{**settings.model_dump(), "lessons_dir": data_dir("lessons")})
    app = await build_app(real)
    yield app
    await app.close()


@pytest.mark.parametrize("pasted", [BANK_LOCK, CHILD_EMERGENCY])
async def test_a_pasted_scam_gets_the_verdict_without_a_command(shipped: App, pasted: str) -> None:
    chat = Chat(shipped.engine)
    await chat.onboard()
    await chat.say(pasted)
    text = chat.text()
    assert "Tôi đã kiểm tra tin nhắn này giúp bác" in text
    assert "🟢" not in text, "a scam must never be shown as harmless"
    assert chat.payload("ask")  # "No, it is my question"
    await chat.tap("ask")
    await chat.say("quen mat khau vneid thi lam sao")
    assert "Quên mật khẩu VNeID" in chat.text()


async def test_an_ordinary_question_still_gets_its_answer(shipped: App) -> None:
    chat = Chat(shipped.engine)
    await chat.onboard()
    await chat.say("quen mat khau vneid thi lam sao")
    assert "kiểm tra tin nhắn này" not in chat.text()
    assert chat.payload("open:vneid-co-ban")


async def test_a_message_pasted_into_zalo_is_checked(shipped: App) -> None:
    api = FakeZalo(poll_cap=0.3)
    await api.start()
    channel = ZaloChannel(shipped.engine, ZaloClient(TOKEN, base_url=api.base_url), poll_timeout=1)
    await channel.start()
    try:
        user = ZaloUser(api, "9a5ed000000000009a5e")
        user.say(CHILD_EMERGENCY)  # a stranger: checked at once, nothing stored about them
        (verdict, welcome) = await user.replies(2)
        assert "🟢" not in verdict and ("🔴" in verdict or "🟠" in verdict)
        assert "ngôn ngữ" in welcome
    finally:
        await channel.stop()
        await api.stop()
    assert await shipped.storage.get_learner("zalo", "9a5ed000000000009a5e") is None
