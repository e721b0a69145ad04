"""Issue 16, must-show 2: the same conversation on the Zalo fake, where every choice is a
numbered line answered by typing: the request offered to the helpers reads "1. 🙋 Tôi
nhận giúp" and a typed "1" takes it, after a restart too (the offer's choices are the
helper's step, stored when it was delivered)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import App, build_app
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.config import Settings, load_settings
from tests.fakes.zalo_api import TOKEN, FakeZalo, ZaloUser
from tests.helpdesk import dispatching, village_row
from tests.test_roles import invite
from tests.test_zalo import fast_sleep


@asynccontextmanager
async def zalo_app(settings: Settings, api: FakeZalo) -> AsyncIterator[App]:
    overrides = {"zalo_bot_token": TOKEN, "zalo_api_base_url": api.base_url, "quiet_hours": "off"}
    app = await build_app(load_settings(**{**settings.model_dump(), **overrides}))
    client = ZaloClient(TOKEN, base_url=api.base_url)
    channel = ZaloChannel(app.engine, client, poll_timeout=1, sleep=fast_sleep)
    await channel.start()
    try:
        async with dispatching(app, "zalo", channel):
            yield app
    finally:
        await channel.stop()
        await app.close()


async def say(user: ZaloUser, text: str, count: int = 1) -> list[str]:
    user.say(text)
    return await user.replies(count)


async def onboard(user: ZaloUser, village: str) -> None:
    await say(user, "Xin chào")
    await say(user, "1")  # Tiếng Việt
    await say(user, "1", 2)  # đồng ý → thanks + the village question
    await say(user, village.lower().replace("ô", "o"))  # "thon 1", without accents
    (menu,) = await say(user, "nguoi dan")
    assert "4. 🙋 Nhờ người giúp" in menu


async def test_the_conversation_on_zalo_with_typed_numbers(settings: Settings) -> None:
    api = FakeZalo(poll_cap=0.3)
    await api.start()
    try:
        async with zalo_app(settings, api) as app:
            await conversation(app, api)
    finally:
        await api.stop()


async def conversation(app: App, api: FakeZalo) -> None:
    learner = ZaloUser(api, "1a0000000000000000a1", name="Lan")
    first = ZaloUser(api, "2b0000000000000000b2", name="Hùng")
    second = ZaloUser(api, "3c0000000000000000c3", name="Mai")
    elsewhere = ZaloUser(api, "4d0000000000000000d4", name="Tâm")
    for person, village in (
        (learner, "Thôn 1"),
        (first, "Thôn 1"),
        (second, "Thôn 1"),
        (elsewhere, "Thôn 2"),
    ):
        await onboard(person, village)
    for person, village in ((first, "Thôn 1"), (second, "Thôn 1"), (elsewhere, "Thôn 2")):
        (granted,) = await say(person, f"/ma {await invite(app, 'helper', village=village)}")
        assert "người giúp của" in granted

    (prompt,) = await say(learner, "4")  # 4. 🙋 Nhờ người giúp
    assert "Bác gõ điều bác cần hỏi" in prompt and "1. ❌ Huỷ" in prompt
    (sent,) = await say(learner, "cai vneid khong thay nut dang ky")
    assert "Tôi đã chuyển lời nhờ" in sent and "1. ❌ Huỷ lời nhờ" in sent

    (offer_1,) = await first.replies()
    (offer_2,) = await second.replies()
    for offer in (offer_1, offer_2):
        assert "👤 Lan · Thôn 1" in offer and "khong thay nut dang ky" in offer
        assert offer.endswith("1. 🙋 Tôi nhận giúp\n\nTrả lời 1.")

    (taken,) = await say(first, "1")
    assert "Anh/chị đã nhận giúp Lan (Thôn 1)" in taken
    assert "1. ✅ Kết thúc trò chuyện\n2. ↩️ Trả lại cho người khác giúp" in taken
    (told,) = await learner.replies()
    assert "Hùng, người giúp của Thôn 1, đã nhận giúp bác" in told
    assert "1. ✅ Kết thúc trò chuyện\n2. 📞 Cho người giúp số điện thoại" in told
    (gone,) = await second.replies()
    assert "đã có người nhận" in gone
    (late,) = await say(second, "1")  # the offer's "1", pressed after someone else
    assert "Đã có người khác nhận giúp rồi" in late

    learner.say("toi o man hinh dau tien")
    (relayed,) = await first.replies()
    assert relayed == "👤 Lan (người nhờ giúp): toi o man hinh dau tien"
    first.say("Bác mở CH Play")
    first.say("Rồi gõ chữ VNeID")
    assert await learner.replies(2) == [
        "🙋 Hùng (người giúp): Bác mở CH Play",
        "🙋 Hùng (người giúp): Rồi gõ chữ VNeID",
    ]

    (ended,) = await say(learner, "1")  # 1. ✅ Kết thúc trò chuyện
    assert "Người giúp có giúp được bác không?" in ended
    assert "1. 👍 Có, đã giúp được\n2. 👎 Chưa giúp được" in ended
    (closed,) = await first.replies()
    assert "Lan đã kết thúc trò chuyện" in closed
    (rated,) = await say(learner, "co")  # "có": the yes-choice, 👍
    assert "Cảm ơn bác" in rated

    row = await village_row(app, "Thôn 1")
    assert (row.requests, row.taken, row.resolved, row.thumbs_up) == (1, 1, 1, 1)
    assert api.texts_to(elsewhere.id)[-1].startswith("✅ Anh/chị đã là người giúp")  # nothing since


async def test_a_typed_1_takes_the_offer_after_a_restart(app: App, settings: Settings) -> None:
    """The offer reached the helper (its choices stored as their step); a new process on the
    same database reads the helper's "1" against it."""
    from tests.conftest import Chat

    learner, helper = Chat(app.engine, "zl-learner"), Chat(app.engine, "zl-helper")
    await learner.onboard(village=0)
    await helper.onboard(village=0)
    await helper.command("ma", await invite(app, "helper", village="Thôn 1"))
    await learner.tap("helpme")
    await learner.say("giup toi voi")
    helper_row = await app.storage.get_learner("test", "zl-helper")
    assert helper_row is not None
    (offer,) = [r for r in await pending(app) if r[0] == helper_row.id]
    from bot.core.conversation import shown_of
    from bot.delivery import reply_for

    await app.storage.show_step(helper_row.id, shown_of(reply_for(offer[1], "vi")))  # delivered

    again = await build_app(load_settings(**settings.model_dump()))
    try:
        restarted = Chat(again.engine, "zl-helper")
        await restarted.say("1")
        assert "Anh/chị đã nhận giúp" in restarted.text()
    finally:
        await again.close()


async def pending(app: App) -> list[tuple[int, dict[str, object]]]:
    def query(conn):  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        from bot.storage.schema import outbox, pushes

        rows = conn.execute(
            sa.select(outbox.c.learner_id, pushes.c.content)
            .join(pushes, pushes.c.id == outbox.c.push_id)
            .where(outbox.c.status == "pending")
        )
        return [(row[0], row[1]) for row in rows]

    return await app.storage.runner.read(query)
