"""Issue 16, must-show 5: a helper never sees the learner's account id or phone number unless
the learner shares it (Telegram's contact button); forged "take", "end", "hand back", phone
and rating buttons from people who are not part of the conversation change nothing and get
a clear answer. And once it has ended, nothing of what was relayed is kept."""

from __future__ import annotations

import json
from typing import Any

from bot.app import App
from bot.config import Settings
from tests.fakes.telegram_api import FakeTelegram, TelegramUser
from tests.helpdesk import make_helper, onboard, payload, quiet_for, telegram_app
from tests.test_deletion import every_row

PHONE = "0912345678"


async def request_row(app: App) -> dict[str, Any]:
    (row,) = (await every_row(app))["help_requests"]
    return row


async def answer(person: TelegramUser, data: str) -> str:
    """Tap ``data``; the first message of the answer (a refusal shows the step again after
    it, which is let through)."""
    person.tap(data)
    (first,) = await person.replies()
    person.seen += len(await quiet_for(person, 0.15))
    return str(first.params["text"])


def seen_by(user: TelegramUser) -> str:
    """Everything the bot ever sent this person: texts, captions and keyboards."""
    return "\n".join(json.dumps(call.params, ensure_ascii=False) for call in user.messages())


async def test_the_helper_sees_no_id_or_phone_unless_shared_and_forged_buttons_do_nothing(
    settings: Settings, api: FakeTelegram
) -> None:
    async with telegram_app(settings, api) as app:
        await scenario(app, api)


async def scenario(app: App, api: FakeTelegram) -> None:
    learner = TelegramUser(api, 918273645, first_name="Lan")
    helper = TelegramUser(api, 5602, first_name="Hùng")
    other = TelegramUser(api, 5603, first_name="Mai")
    neighbour = TelegramUser(api, 5604, first_name="Bảy")  # Thôn 1, not a helper
    outsider = TelegramUser(api, 5605, first_name="Tâm")  # a helper of Thôn 2
    for person, village in (
        (learner, "Thôn 1"), (helper, "Thôn 1"), (other, "Thôn 1"), (neighbour, "Thôn 1"),
        (outsider, "Thôn 2"),
    ):  # fmt: skip
        await onboard(person, village)
    for person, village in ((helper, "Thôn 1"), (other, "Thôn 1"), (outsider, "Thôn 2")):
        await make_helper(app, person, village)

    learner.tap("helpme")
    await learner.replies()
    learner.send("Điện thoại tôi báo lỗi, có sao không")
    await learner.replies()
    (offer,) = await helper.replies()
    await other.replies()
    take = payload(helper, offer, "helper:take:")
    number = take.rsplit(":", 1)[1]

    # Forged takes: a citizen of the village, a helper of another village.
    for person in (neighbour, outsider):
        assert "Chỉ người giúp của thôn đó" in await answer(person, take)
    assert "không phải lời nhờ của bác" in await answer(neighbour, f"asker:cancel:{number}")
    row = await request_row(app)
    assert (row["status"], row["helper_id"]) == ("waiting", None)

    helper.tap(take)
    (taken,) = await helper.replies()
    assert "đã nhận giúp Lan" in taken.params["text"]
    await learner.replies()  # "Hùng ... đã nhận giúp bác"
    await other.replies()  # "... đã có người nhận"

    # Forged buttons of the conversation, from everyone who is not the right side of it.
    forged = [
        (other, f"helper:end:{number}"), (other, f"helper:back:{number}"),
        (neighbour, f"helper:end:{number}"), (neighbour, f"asker:end:{number}"),
        (neighbour, f"asker:phone:{number}"), (outsider, f"helper:back:{number}"),
        (helper, f"asker:end:{number}"), (learner, f"helper:back:{number}"),
    ]  # fmt: skip
    for person, data in forged:
        refused = await answer(person, data)
        assert "không phải" in refused, (data, refused)
    assert "không phải lời nhờ của bác" in await answer(neighbour, f"asker:rate:{number}:up")
    # A forged "contact" button carries no number.
    assert "không đọc được nút" in await answer(neighbour, "contact")
    row = await request_row(app)
    assert (row["status"], row["rating"]) == ("open", None)
    assert await quiet_for(helper, 0.2) == [] and await quiet_for(learner, 0.1) == []

    # The conversation: the helper sees the name, never the account id or a phone number.
    learner.send("Tôi không nhớ mật khẩu")
    (relayed,) = await helper.replies()
    assert relayed.params["text"] == "👤 Lan (người nhờ giúp): Tôi không nhớ mật khẩu"
    learner.send_contact(PHONE, owner=5604)  # someone else's contact card: not shared
    ignored, again = await learner.replies(2)  # a note, then the step again
    assert "chỉ đọc được chữ" in ignored.params["text"]
    assert "asker:end:" in payload(learner, again, "asker:end:")
    for person in (helper, other, outsider):
        assert str(learner.id) not in seen_by(person)
        assert "912345678" not in seen_by(person)

    # Shared on purpose: the contact button, then the number reaches the helper only.
    learner.tap(f"asker:phone:{number}")
    (ask,) = await learner.replies()
    keyboard = ask.params["reply_markup"]["keyboard"]
    assert keyboard[0][0] == {"text": "📞 Gửi số điện thoại của tôi", "request_contact": True}
    learner.send_contact("+84912345678")
    (done,) = await learner.replies()
    assert "Tôi đã gửi số điện thoại của bác cho Hùng" in done.params["text"]
    (shared,) = await helper.replies()
    assert shared.params["text"] == f"📞 Lan cho anh/chị số điện thoại: {PHONE}"
    assert PHONE not in seen_by(other) and PHONE not in seen_by(outsider)
    assert str(learner.id) not in seen_by(helper)

    # Ended: after the sweep, nothing relayed is kept; the counts stay.
    helper.tap(f"helper:end:{number}")
    await helper.replies()
    await learner.replies()
    from scheduler.jobs import Jobs

    jobs = Jobs(app.storage, app.catalog, tz=app.settings.tz, weekly_slot=app.settings.slot)
    await quiet_for(learner, 0.3)  # the dispatcher marks the last notice sent
    await jobs.help_due()
    rows = await every_row(app)
    stored = json.dumps(rows, ensure_ascii=False, default=str)
    for said in ("không nhớ mật khẩu", PHONE, "có sao không"):
        assert said not in stored, said
    assert not [p for p in rows["pushes"] if p["key"].startswith("help:")]
    (row,) = rows["help_requests"]
    assert (row["status"], row["closed_by"], row["question"], row["asker_name"]) == (
        "closed",
        "helper",
        "",
        "",
    )
