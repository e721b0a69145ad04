"""Onboarding through the core: language, consent before anything is stored, village, group."""

from __future__ import annotations

from bot.app import App
from tests.conftest import Chat, table_counts


async def test_first_message_asks_language_in_the_apps_language(chat: Chat) -> None:
    chat.language_code = "en-US"
    await chat.say("hello")
    assert "choose your language" in chat.text().lower()
    assert [c.payload for c in chat.choices()] == ["lang:vi", "lang:en"]


async def test_vietnamese_by_default(chat: Chat) -> None:
    chat.language_code = None
    await chat.command("start")
    assert "chọn ngôn ngữ" in chat.text()


async def test_declining_consent_stores_nothing(app: App, chat: Chat) -> None:
    before = await table_counts(app)
    await chat.command("start")
    await chat.tap("lang:vi")
    assert "mã OTP" in chat.text()  # the consent text says what is never asked
    await chat.tap("consent:no:vi")
    assert "không lưu gì" in chat.text()
    assert (await table_counts(app)) == before  # not even the step the chat was at
    assert before["learners"] == 0
    await chat.say("xin chào")  # greeted again: only that step is kept, to read a typed "1"
    after = await table_counts(app)
    assert after.pop("pending_chats") == 1
    before.pop("pending_chats")
    assert after == before


async def test_full_onboarding_reaches_the_menu(app: App, chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("lang:en")
    await chat.tap("consent:yes:en")
    assert "Which village" in chat.text()
    assert [c.label for c in chat.choices()] == ["Thôn 1", "Thôn 2"]
    await chat.tap(chat.payload("village:"))
    assert "Which group" in chat.text()
    await chat.tap("group:student")
    assert "All set" in chat.text()
    learner = await app.storage.get_learner("test", "u1")
    assert learner is not None
    assert (learner.language, learner.group) == ("en", "student")
    assert learner.village_id is not None


async def test_onboarding_resumes_where_it_stopped(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("lang:vi")
    await chat.tap("consent:yes:vi")
    await chat.command("hoc")  # skipping ahead asks the missing village again
    assert "thôn" in chat.text().lower()
    assert chat.payload("village:")


async def test_forged_village_and_group_are_refused(app: App, chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("lang:vi")
    await chat.tap("consent:yes:vi")
    await chat.tap("village:99999")
    await chat.tap("group:president")
    learner = await app.storage.get_learner("test", "u1")
    assert learner is not None
    assert (learner.village_id, learner.group) == (None, None)


async def test_one_village_is_chosen_without_asking(app: App, chat: Chat) -> None:
    from bot.config import Commune, Village

    await app.storage.sync_areas(
        [Commune(name="Xã A", villages=[Village(name="Thôn X", adults=5)])]
    )
    await chat.command("start")
    await chat.tap("lang:vi")
    await chat.tap("consent:yes:vi")
    assert "nhóm nào" in chat.text()


async def test_delete_my_data_removes_every_row(app: App, chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("open:demo-two")
    await chat.tap("quiz:demo-two")
    await chat.tap("ans:demo-two:0:0")
    await chat.tap("ans:demo-two:1:1")
    assert (await table_counts(app))["completions"] == 1
    await chat.tap("delete")
    assert chat.payload("delete:yes")
    await chat.tap("delete:yes")
    counts = await table_counts(app)
    for table in ("learners", "completions", "quiz_answers", "quiz_attempts"):
        assert counts[table] == 0, table
    await chat.say("hi")  # a deleted learner is a stranger again
    assert chat.payload("lang:")


async def test_language_can_be_changed(app: App, chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("settings")
    await chat.tap("setlang")
    await chat.tap("setlang:en")
    assert "Language changed to English" in chat.text()
    await chat.tap("menu")
    assert "What would you like to do?" in chat.text()


async def test_weekly_messages_can_be_turned_off_and_on(app: App, chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("settings")
    assert chat.payload("weekly:off")
    await chat.command("stop")
    assert "/batdau" in chat.text()
    learner = await app.storage.get_learner("test", "u1")
    assert learner is not None and learner.weekly is False
    await chat.tap("settings")
    assert chat.payload("weekly:on")
    await chat.command("batdau")
    learner = await app.storage.get_learner("test", "u1")
    assert learner is not None and learner.weekly is True
    await chat.tap("weekly:maybe")
    assert "không đọc được nút" in chat.text()
