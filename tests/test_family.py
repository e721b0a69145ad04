"""Issue 16, must-show 4: a relative joins through a learner's personal link and is credited
to them; a household member's profile on the same chat keeps its own progress; deleting one
profile's data leaves the other's."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.app import App
from bot.config import Settings
from tests.conftest import Chat, completion_rows
from tests.fakes.telegram_api import FakeTelegram, TelegramUser
from tests.helpdesk import onboard, payload, telegram_app, village_row


async def learner_rows(app: App) -> list[dict[str, Any]]:
    def query(conn: sa.Connection) -> list[dict[str, Any]]:
        from bot.storage.schema import learners

        rows = conn.execute(sa.select(learners).order_by(learners.c.id))
        return [dict(row._mapping) for row in rows]

    return await app.storage.runner.read(query)


async def pass_core(tap: Any) -> None:
    """demo-one is the test content's core path: its quiz, both answers right."""
    await tap("quiz:demo-one")
    await tap("ans:demo-one:0:0")
    await tap("ans:demo-one:1:1")


async def test_a_relative_joins_through_a_personal_link_and_is_credited(
    settings: Settings, api: FakeTelegram
) -> None:
    async with telegram_app(settings, api) as app:
        inviter = TelegramUser(api, 5501, first_name="Lan")
        await onboard(inviter, "Thôn 1")
        inviter.tap("family")
        (menu,) = await inviter.replies()
        assert "family:invite" not in [data for _label, data in inviter.buttons(menu)]
        inviter.tap("family:invite")  # forged before the core path: refused, no code made
        (refused,) = await inviter.replies()
        assert "học xong các bài chính trước" in refused.params["text"]

        for data in ("quiz:demo-one", "ans:demo-one:0:0", "ans:demo-one:1:1"):
            inviter.tap(data)
            await inviter.replies(1 if data.startswith("quiz") else 2)
        inviter.tap("family")
        (menu,) = await inviter.replies()
        inviter.tap(payload(inviter, menu, "family:invite"))
        (link,) = await inviter.replies()
        text = link.params["text"]
        assert "https://t.me/hocvuso_test_bot?start=ref-" in text
        code = text.split("start=ref-", 1)[1][:6]
        assert f"gõ mã {code}" in text

        relative = TelegramUser(api, 5502, first_name="Tư")
        relative.send(f"/start ref-{code}")  # the deep link opens the chat with this
        (welcome,) = await relative.replies()
        relative.tap(payload(relative, welcome, "lang:vi"))
        (consent,) = await relative.replies()
        assert payload(relative, consent, "consent:yes") == f"consent:yes:vi:REF-{code}"
        relative.tap(payload(relative, consent, "consent:yes"))
        _thanks, village = await relative.replies(2)
        relative.tap(payload(relative, village, "village:"))
        await relative.replies()  # the group question
        relative.tap("group:citizen")
        await relative.replies()

        rows = {row["user_id"]: row for row in await learner_rows(app)}
        assert rows["5502"]["referred_by"] == rows["5501"]["id"]
        assert rows["5502"]["joined_via"] == "link"
        assert (await village_row(app, "Thôn 1")).by_link == 1


async def test_a_code_typed_on_zalo_before_or_after_joining_is_credited_once(app: App) -> None:
    inviter = Chat(app.engine, "fam-inviter")
    await inviter.onboard()
    await pass_core(inviter.tap)
    await inviter.tap("family:invite")
    code = inviter.text().split("gõ mã ", 1)[1][:6]

    newcomer = Chat(app.engine, "fam-newcomer")
    await newcomer.say("Xin chào")
    await newcomer.say(code.lower())  # typed, in small letters, before consenting
    assert "người thân mời" in newcomer.text()
    await newcomer.say("1")  # Tiếng Việt
    await newcomer.say("dong y")
    later = Chat(app.engine, "fam-later")
    await later.onboard()
    await later.say(f"ma {code}")  # typed after joining
    assert "Bác đã được tính là do người thân mời" in later.text()
    await later.say(code)
    assert "đã được tính rồi" in later.text()
    await inviter.say(code)  # one's own code credits nobody
    rows = {row["user_id"]: row for row in await learner_rows(app)}
    inviter_id = rows["fam-inviter"]["id"]
    assert rows["fam-newcomer"]["referred_by"] == inviter_id
    assert rows["fam-later"]["referred_by"] == inviter_id
    assert rows["fam-inviter"]["referred_by"] is None


async def test_a_second_profile_keeps_its_own_progress_and_survives_deletion(app: App) -> None:
    phone = Chat(app.engine, "fam-phone")
    await phone.onboard(village=1)
    await phone.tap("card:demo-one:1")  # the owner is on card 2 of demo-one
    await phone.tap("family")
    await phone.tap("family:add")
    await phone.say("Bà Tư")
    assert "Bà Tư đã có phần học riêng" in phone.text()
    assert "👤 Đang học: Bà Tư" in phone.text()
    await phone.tap("lessons")
    assert not any(c.payload == "resume" for c in phone.choices())  # not the owner's place
    await pass_core(phone.tap)  # Bà Tư passes demo-one
    await phone.tap("progress")
    assert "đã học xong 1/2 bài" in phone.text()

    await phone.tap("profile")
    owners = [
        c for c in phone.choices() if c.payload.startswith("profile:") and "chủ máy" in c.label
    ]
    await phone.tap(owners[0].payload)
    assert "Bây giờ đang học: chủ máy" in phone.text()
    assert phone.choices()[0].payload == "resume"  # the owner's own place, card 2 of demo-one
    assert "thẻ 2/2" in phone.choices()[0].label
    await phone.tap("progress")
    assert "đã học xong 0/2 bài" in phone.text()  # the owner's own progress: nothing passed
    rows = await learner_rows(app)
    owner = next(r for r in rows if r["user_id"] == "fam-phone")
    completed = [(row[1], row[2]) for row in await completion_rows(app)]
    assert completed == [(f"profile:{owner['id']}:2", "demo-one")]  # Bà Tư's only

    tu = next(r for r in rows if r["owner_id"] == owner["id"])
    assert (tu["profile_name"], tu["village_id"], tu["joined_via"]) == (
        "Bà Tư",
        owner["village_id"],
        "family",
    )
    assert tu["referred_by"] == owner["id"]
    assert (await village_row(app, "Thôn 2")).on_phone == 1

    # Deleting Bà Tư (speaking as her) leaves the owner's data; then the reverse.
    await phone.tap(f"profile:{tu['id']}")
    await phone.tap("delete")
    await phone.tap("delete:yes")
    assert "đã xoá hết dữ liệu của Bà Tư" in phone.text()
    rows = await learner_rows(app)
    assert [r["user_id"] for r in rows] == ["fam-phone"]
    assert rows[0]["active_id"] is None
    assert await completion_rows(app) == []  # hers are gone; the owner had none
    await phone.tap("resume")
    assert "Bài thử một · 2/2" in phone.text()  # the owner's lesson place is intact


async def test_deleting_the_owner_leaves_the_household_members_progress(app: App) -> None:
    phone = Chat(app.engine, "fam-owner")
    await phone.onboard()
    await pass_core(phone.tap)  # the owner passes demo-one
    await phone.tap("family:add")
    await phone.say("Ông Năm")
    await phone.tap("quiz:demo-one")
    await phone.tap("ans:demo-one:0:0")  # Ông Năm is mid-quiz
    await phone.tap("profile")
    owner_choice = next(c for c in phone.choices() if "chủ máy" in c.label)
    await phone.tap(owner_choice.payload)
    await phone.tap("delete")
    await phone.tap("delete:yes")
    assert "dữ liệu của chủ máy" in phone.text()
    rows = await learner_rows(app)
    assert len(rows) == 1
    (nam,) = rows
    assert (nam["user_id"], nam["profile_name"], nam["owner_id"]) == ("fam-owner", "Ông Năm", None)
    assert await completion_rows(app) == []  # the owner's completion went with them
    assert phone.choices()[0].label == "▶️ Học tiếp: câu 2/2 · Bài thử một"  # Ông Năm's place
    await phone.say("1")  # the chat now speaks as Ông Năm: her quiz, question 2
    assert phone.text().startswith("❓ Câu 2/2")
