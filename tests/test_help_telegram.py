"""Issue 16, must-show 1, through the Telegram fake: a learner asks for help; the two helpers
of the village get the request and the helper of another village does not; the first to
press "Tôi nhận giúp" takes it, the second is told it is taken; messages are relayed both
ways, in order, marked with who speaks; the learner ends it and rates it; the report
counts it."""

from __future__ import annotations

from bot.app import App
from bot.community import build_community, to_chat
from bot.config import Settings
from bot.i18n import use_locale
from tests.fakes.telegram_api import FakeTelegram, TelegramUser
from tests.helpdesk import make_helper, onboard, payload, quiet_for, telegram_app, village_row


async def test_a_request_is_taken_relayed_ended_rated_and_counted(
    settings: Settings, api: FakeTelegram
) -> None:
    async with telegram_app(settings, api) as app:
        await conversation(app, api)


async def conversation(app: App, api: FakeTelegram) -> None:
    learner = TelegramUser(api, 5101, first_name="Lan")
    first, second = (
        TelegramUser(api, 5201, first_name="Hùng"),
        TelegramUser(api, 5202, first_name="Mai"),
    )
    elsewhere = TelegramUser(api, 5301, first_name="Tâm")
    for person, village in (
        (learner, "Thôn 1"),
        (first, "Thôn 1"),
        (second, "Thôn 1"),
        (elsewhere, "Thôn 2"),
    ):
        await onboard(person, village)
    for person, village in ((first, "Thôn 1"), (second, "Thôn 1"), (elsewhere, "Thôn 2")):
        await make_helper(app, person, village)

    # From the main menu: "Nhờ người giúp", then the question in the learner's words.
    learner.send("/menu")
    (menu,) = await learner.replies()
    assert ("🙋 Nhờ người giúp", "helpme") in learner.buttons(menu)
    learner.tap("helpme")
    (prompt,) = await learner.replies()
    assert "Thôn 1" in prompt.params["text"]
    learner.send("Tôi cài VNeID mà không thấy nút đăng ký")
    (sent,) = await learner.replies()
    assert "Tôi đã chuyển lời nhờ của bác tới người giúp của Thôn 1" in sent.params["text"]

    # Both helpers of Thôn 1 get it, with the learner's name, village and question.
    (offer_1,) = await first.replies()
    (offer_2,) = await second.replies()
    for offer in (offer_1, offer_2):
        text = offer.params["text"]
        assert "Có người nhờ giúp" in text and "👤 Lan · Thôn 1" in text
        assert "không thấy nút đăng ký" in text
        assert [label for label, _data in first.buttons(offer)] == ["🙋 Tôi nhận giúp"]
    assert await quiet_for(elsewhere) == []  # another village's helper gets nothing

    # The first to press takes it; the other is told, then presses anyway.
    first.tap(payload(first, offer_1, "helper:take:"))
    (taken,) = await first.replies()
    assert "Anh/chị đã nhận giúp Lan (Thôn 1)" in taken.params["text"]
    (told,) = await learner.replies()
    assert "Hùng, người giúp của Thôn 1, đã nhận giúp bác" in told.params["text"]
    (gone,) = await second.replies()
    assert "đã có người nhận" in gone.params["text"]
    second.tap(payload(second, offer_2, "helper:take:"))
    (late,) = await second.replies()
    assert "Đã có người khác nhận giúp rồi" in late.params["text"]

    # Relayed both ways, in order, marked with who speaks.
    learner.send("Tôi đang ở màn hình đầu tiên")
    (relayed,) = await first.replies()
    assert relayed.params["text"] == "👤 Lan (người nhờ giúp): Tôi đang ở màn hình đầu tiên"
    for line in ("Bác mở CH Play", "Rồi gõ chữ VNeID", "Bấm Cài đặt"):
        first.send(line)
    answers = await learner.replies(3)
    assert [a.params["text"] for a in answers] == [
        "🙋 Hùng (người giúp): Bác mở CH Play",
        "🙋 Hùng (người giúp): Rồi gõ chữ VNeID",
        "🙋 Hùng (người giúp): Bấm Cài đặt",
    ]
    learner.send("Được rồi, cảm ơn anh")
    (thanks,) = await first.replies()
    assert thanks.params["text"].endswith("Được rồi, cảm ơn anh")
    assert await quiet_for(second, 0.2) == [] and await quiet_for(elsewhere, 0.1) == []

    # The learner ends it (the button of the "taken" message) and rates it 👍.
    learner.tap(payload(learner, told, "asker:end:"))
    (ended,) = await learner.replies()
    assert "Người giúp có giúp được bác không?" in ended.params["text"]
    (closed,) = await first.replies()
    assert "Lan đã kết thúc trò chuyện" in closed.params["text"]
    learner.tap(payload(learner, ended, "asker:rate:"))  # 👍, the first
    (rated,) = await learner.replies()
    assert "Cảm ơn bác" in rated.params["text"]
    first.send("Bác còn đó không?")  # after the end: an ordinary question, not relayed
    await first.replies()
    assert await quiet_for(learner, 0.3) == []

    row = await village_row(app, "Thôn 1")
    assert (row.requests, row.taken, row.resolved, row.thumbs_up, row.thumbs_down) == (
        1,
        1,
        1,
        1,
        0,
    )
    assert len(row.take_seconds) == 1
    with use_locale("vi"):
        summary = to_chat(await build_community(app.storage, app.catalog))
    assert "Thôn 1: 1 lời nhờ giúp, 1 được nhận" in summary
