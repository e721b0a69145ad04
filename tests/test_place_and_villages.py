"""Issue 11: nobody loses their place (a detour to the menu offers "Học tiếp: câu 2/2",
reopening a lesson mid-quiz goes to that question); villages in natural order, asked of a
learner who joined before there were villages, and changed in settings; a long
announcement refused with its length, the draft kept; a command in a Telegram group gets an
invitation to a private chat."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.config import Commune, Village
from bot.core.messages import Kind
from tests.conftest import Chat
from tests.fakes.telegram_api import BOT_USER, TOKEN, FakeTelegram, TelegramUser
from tests.test_roles import invite


async def test_a_detour_to_the_menu_offers_the_way_back_to_the_question(chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    await chat.tap(chat.payload("ans:"))  # now on question 2 of 2
    await chat.tap("menu")
    resume = chat.choices()[0]
    assert resume.payload == "resume" and "câu 2/2" in resume.label
    await chat.say("1")  # typed: the first choice, "Học tiếp"
    assert "Câu 2/2" in chat.text()
    await chat.tap("lessons")
    await chat.tap("open:demo-one")  # reopening the lesson goes to the question, not card 1
    assert "Câu 2/2" in chat.text()


async def test_a_sticker_mid_lesson_shows_the_card_again(chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("open:demo-one")
    await chat.tap(chat.payload("card:demo-one:1"))
    await chat.send(Kind.MEDIA, "")
    assert "chỉ đọc được chữ" in chat.last[0].text
    assert "2/2" in chat.last[-1].text
    await chat.say("so 2")  # "⬅️ Quay lại" on the card shown again
    assert "1/2" in chat.text()


async def test_villages_come_in_natural_order(app: App, chat: Chat) -> None:
    villages = [Village(name=f"Thôn {n}", adults=100) for n in (10, 2, 1, 11, 3)]
    await app.storage.sync_areas([Commune(name="Xã Tân Phú", villages=villages)])
    await chat.command("start")
    await chat.tap("lang:vi")
    await chat.tap("consent:yes:vi")
    names = [choice.label for choice in chat.choices()]
    assert names == ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 10", "Thôn 11"]
    await chat.say("2")
    learner = await app.storage.get_learner("test", "u1")
    assert learner is not None
    assert await app.storage.village_name(learner.village_id) == "Thôn 2"  # type: ignore[arg-type]


async def test_a_learner_without_a_village_is_asked_once_villages_exist(app: App) -> None:
    chat = Chat(app.engine, user_id="early-bird")
    await app.storage.sync_areas([])  # no villages configured yet
    await chat.command("start")
    await chat.tap("lang:vi")
    await chat.tap("consent:yes:vi")
    await chat.tap("group:citizen")
    assert "Xong rồi" in chat.text()
    await app.storage.sync_areas(  # the commune configures its villages
        [
            Commune(
                name="Xã Tân Phú",
                villages=[Village(name="Thôn 1", adults=10), Village(name="Thôn 2", adults=10)],
            )
        ]
    )
    await chat.tap("lessons")
    assert "Bác ở thôn" in chat.text()
    await chat.say("thon 1")
    learner = await app.storage.get_learner("test", "early-bird")
    assert learner is not None and learner.village_id is not None


async def test_settings_move_a_learner_to_another_village_and_the_audit_notes_it(
    app: App, chat: Chat
) -> None:
    await chat.onboard(village=0)
    await chat.tap("settings")
    assert "Thôn: Thôn 1" in chat.text() or any("Thôn 1" in c.label for c in chat.choices())
    await chat.tap("movevillage")
    await chat.say("thon 2")
    assert "Thôn 2" in chat.text()
    learner = await app.storage.get_learner("test", "u1")
    assert learner is not None
    assert await app.storage.village_name(learner.village_id) == "Thôn 2"  # type: ignore[arg-type]
    entries = [
        e for e in await app.storage.audit_entries(limit=10) if e.action == "village_changed"
    ]
    assert entries and "Thôn 1 -> Thôn 2" in entries[0].detail


async def test_a_long_announcement_is_refused_with_its_length_and_the_draft_stays(
    app: App,
) -> None:
    head = Chat(app.engine, user_id="head-long")
    await head.onboard(village=0)
    await head.command("start", await invite(app, "village_head", village="Thôn 1"))
    await head.command("thongbao")
    await head.say("Họp thôn! " * 500)  # 5,000 characters (4,999 once trimmed)
    assert "4.999 ký tự" in head.text() and "1.500" in head.text()
    await head.say("Họp thôn tối nay lúc 19 giờ.")  # the draft is still open
    assert "Xem trước" in head.text()


@pytest.mark.parametrize("command", ["/start@hocvuso_test_bot", "/hoc"])
async def test_a_command_in_a_telegram_group_gets_an_invitation(
    app: App, api: FakeTelegram, command: str
) -> None:
    channel = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url, poll_timeout=1)
    await channel.start()
    try:
        user = TelegramUser(api, 6060)
        update = user.message_update(command)
        update["message"]["chat"] = {"id": -100123, "type": "group", "title": "Thôn 1"}
        api.push(update)
        await api.wait_for(lambda: len(api.sent_to(-100123)) == 1)
        (invitation,) = api.sent_to(-100123)
        assert "nhắn riêng" in invitation.params["text"]
        (button,) = [b for row in invitation.params["reply_markup"]["inline_keyboard"] for b in row]
        assert button["url"] == f"https://t.me/{BOT_USER['username']}"
        other = user.message_update("/start@some_other_bot")
        other["message"]["chat"] = {"id": -100123, "type": "group", "title": "Thôn 1"}
        api.push(other)
        user.send("/start")  # a private message afterwards is answered as usual
        await user.replies()
        assert len(api.sent_to(-100123)) == 1  # nothing for another bot's command
    finally:
        await channel.stop()
    assert await app.storage.get_learner("telegram", "6060") is None  # nothing stored
