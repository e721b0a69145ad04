"""Issue 16 in the terminal: two console users on one database, a learner and a helper, go
through the whole conversation by typing numbers and words; what the other sends is shown
in their terminal from the outbox (the console has no push)."""

from __future__ import annotations

from bot.app import App, build_app, console_inbox
from bot.channels.console import ConsoleChannel
from bot.config import Settings, load_settings
from tests.test_roles import invite


class Terminal:
    def __init__(self, app: App, user: str):
        self.out: list[str] = []
        self.console = ConsoleChannel(
            app.engine, write=self.out.append, user_id=user, inbox=console_inbox(app)
        )

    async def type(self, line: str) -> str:
        before = len(self.out)
        await self.console.turn(line)
        return "\n".join(self.out[before:])

    async def look(self) -> str:
        """What arrived since (the terminal looks every few seconds)."""
        before = len(self.out)
        await self.console.show_inbox()
        return "\n".join(self.out[before:])


async def test_the_whole_conversation_in_two_terminals(settings: Settings) -> None:
    app = await build_app(load_settings(**{**settings.model_dump(), "quiet_hours": "off"}))
    try:
        await conversation(app)
    finally:
        await app.close()


async def conversation(app: App) -> None:
    learner, helper = Terminal(app, "c-lan"), Terminal(app, "c-hung")
    for person in (learner, helper):
        for line in ("/start", "1", "1", "thon 1"):
            await person.type(line)
        assert "4. 🙋 Nhờ người giúp" in await person.type("nguoi dan")
    assert "người giúp của Thôn 1" in await helper.type(
        f"/ma {await invite(app, 'helper', village='Thôn 1')}"
    )

    assert "Bác gõ điều bác cần hỏi" in await learner.type("4")
    assert "Tôi đã chuyển lời nhờ" in await learner.type("Cách nộp học phí qua VNeID?")
    offer = await helper.look()
    assert "Có người nhờ giúp" in offer and "1. 🙋 Tôi nhận giúp" in offer
    assert await helper.look() == ""  # shown once

    assert "Anh/chị đã nhận giúp" in await helper.type("1")
    told = await learner.look()
    assert "đã nhận giúp bác" in told and "2. 📞 Cho người giúp số điện thoại" in told
    assert await learner.type("Tôi mở VNeID rồi") == ""  # relayed, like a chat
    assert "(người nhờ giúp): Tôi mở VNeID rồi" in await helper.look()
    await helper.type("Bác bấm vào Ví giấy tờ")
    assert "(người giúp): Bác bấm vào Ví giấy tờ" in await learner.look()

    asked = await learner.type("2")  # give the helper my phone number: typed here
    assert "Bác gõ số điện thoại" in asked and "Gửi số điện thoại của tôi" not in asked
    assert "1. ❌ Huỷ" in asked
    assert "Tôi đã gửi số điện thoại của bác" in await learner.type("0912 345 678")
    assert "số điện thoại: 0912345678" in await helper.look()

    ended = await learner.type("1")
    assert "có giúp được bác không?" in ended and "1. 👍 Có, đã giúp được" in ended
    assert "Cảm ơn bác" in await learner.type("1")
    assert "đã kết thúc trò chuyện" in await helper.look()
