"""Village heads and commune staff through the core: invites, scoped announcements, refusals."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.core.messages import Inbound, Kind
from bot.storage.outbox import Audience
from tests.conftest import Chat, table_counts

NOW = datetime.now(UTC)
CODES = itertools.count(100000)


async def invite(app: App, role: str, *, village: str | None = None, days: int = 7) -> str:
    code = f"CODE{next(CODES):06d}"
    villages = {v.name: v.id for v in await app.storage.villages()}
    commune = await app.storage.commune_id("Xã Tân Phú")
    await app.storage.create_invite(
        code=code,
        role=role,
        village_id=villages[village] if village else None,
        commune_id=None if village else commune,
        now=NOW - timedelta(days=10),
        expires_at=NOW + timedelta(days=days),
    )
    return code


async def learner_in(app: App, user: str, village: int) -> Chat:
    chat = Chat(app.engine, user_id=user)
    await chat.onboard(village=village)
    return chat


@pytest.fixture
async def head(app: App) -> Chat:
    """The village head of Thôn 1, registered through an invite code."""
    code = await invite(app, "village_head", village="Thôn 1")
    chat = await learner_in(app, "head", 0)
    await chat.command("start", code)
    assert "trưởng thôn Thôn 1" in chat.text()
    return chat


async def outbox_recipients(app: App) -> list[str]:
    def query(conn):  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        from bot.storage.schema import learners, outbox

        rows = conn.execute(
            sa.select(learners.c.user_id).join(outbox, outbox.c.learner_id == learners.c.id)
        )
        return sorted(row[0] for row in rows)

    return await app.storage.runner.read(query)


async def test_a_village_head_announces_to_their_village_only(app: App, head: Chat) -> None:
    for user, village in (("a1", 0), ("a2", 0), ("b1", 1)):
        await learner_in(app, user, village)
    await head.command("thongbao")
    assert "Thông báo cho Thôn 1" in head.text()
    await head.say("Tối nay 19h họp thôn tại nhà văn hoá.")
    assert "Sẽ gửi tới 3 người học ở Thôn 1" in head.text()  # a1, a2 and the head
    await head.tap(head.payload("ann:send:"))
    assert "Đang gửi tới 3 người học" in head.text()
    assert await outbox_recipients(app) == ["a1", "a2", "head"]  # nobody from Thôn 2
    status = head.payload("ann:status:")
    await head.tap(status)
    assert "Đã gửi 0/3" in head.text()
    audit = await app.storage.audit_entries()
    assert any(e.action == "announcement" and "3 learners" in e.detail for e in audit)


async def test_cancel_before_sending_and_stop_while_sending(app: App, head: Chat) -> None:
    await learner_in(app, "a1", 0)
    await head.command("thongbao")
    await head.tap("ann:cancel")
    assert "chưa gửi gì" in head.text()
    assert await outbox_recipients(app) == []
    await head.command("thongbao")
    await head.say("Thông báo thứ hai.")
    await head.tap(head.payload("ann:send:"))
    await head.tap(head.payload("ann:stop:"))
    assert "Đã dừng" in head.text() and "Không gửi nữa: 2" in head.text()
    (summary,) = await app.storage.push_summaries()
    assert summary.counts == {"cancelled": 2}


async def test_a_citizen_cannot_announce_or_report(app: App) -> None:
    citizen = await learner_in(app, "c1", 0)
    before = await table_counts(app)
    await citizen.command("thongbao")
    assert "Chỉ trưởng thôn" in citizen.text()
    await citizen.command("baocao")
    assert "chỉ dành cho cán bộ xã" in citizen.text()
    await citizen.command("sukien")
    await citizen.command("tinmoi")
    await citizen.tap("ann:send:deadbeef")
    assert "không còn chờ gửi" in citizen.text()
    await citizen.tap("ann:stop:1")
    assert (await table_counts(app)) == before


async def test_replayed_and_forged_buttons_send_nothing(app: App, head: Chat) -> None:
    other_code = await invite(app, "village_head", village="Thôn 2")
    other = await learner_in(app, "head2", 1)
    await other.command("ma", other_code)
    await head.command("thongbao")
    await head.say("Họp thôn.")
    confirm = head.payload("ann:send:")
    await other.tap(confirm)  # another head replays the first head's button
    assert "không còn chờ gửi" in other.text()
    await other.tap("ann:send:")  # forged: empty nonce
    await other.tap("ann:send:00000000")
    await other.tap("ann:status:999")
    assert "không phải thông báo của anh/chị" in other.text()
    assert await outbox_recipients(app) == []
    await head.tap(confirm)
    await head.tap(confirm)  # the head's own double tap queues it once
    assert "không còn chờ gửi" in head.text()
    assert len(await app.storage.push_summaries()) == 1
    push_id = (await app.storage.push_summaries())[0].id
    await other.tap(f"ann:stop:{push_id}")  # and cannot stop it either
    assert "không phải thông báo của anh/chị" in other.text()


async def test_expired_reused_and_unknown_codes_are_refused(app: App, head: Chat) -> None:
    used = await invite(app, "village_head", village="Thôn 2")
    first = await learner_in(app, "first", 1)
    await first.command("ma", used)
    late = await invite(app, "staff", days=-1)
    chat = await learner_in(app, "x", 1)
    await chat.command("ma", used)
    assert "đã được dùng" in chat.text()
    await chat.command("ma", late)
    assert "hết hạn" in chat.text()
    await chat.command("ma", "NOSUCHCODE1")
    assert "không đúng" in chat.text()
    await chat.command("ma", "bad!")
    assert "/ma ABCD2345" in chat.text()
    assert await app.storage.grants_of((await app.storage.get_learner("test", "x")).id) == []  # type: ignore[union-attr]


async def test_an_invite_link_works_for_a_newcomer_after_consent(app: App) -> None:
    code = await invite(app, "staff")
    newcomer = Chat(app.engine, user_id="new")
    await newcomer.command("start", code)
    lang = newcomer.payload("lang:vi")
    assert lang == f"lang:vi:{code}"
    await newcomer.tap(lang)
    await newcomer.tap(newcomer.payload("consent:yes"))
    assert "cán bộ xã" in newcomer.text()
    learner = await app.storage.get_learner("test", "new")
    assert learner is not None
    (grant,) = await app.storage.grants_of(learner.id)
    assert grant.role == "staff"


async def test_daily_limit(app: App, head: Chat) -> None:
    for n in range(3):
        await head.command("thongbao")
        await head.say(f"Tin số {n}.")
        await head.tap(head.payload("ann:send:"))
    await head.command("thongbao")
    assert "đủ mức mỗi ngày" in head.text()


async def test_revoked_role_stops_working_mid_flow(app: App, head: Chat) -> None:
    await head.command("thongbao")
    await head.say("Họp thôn.")
    (row,) = await app.storage.role_rows()
    assert await app.storage.revoke_role(row.id, NOW, by="operator")
    await head.tap(head.payload("ann:send:"))
    assert "Chỉ trưởng thôn" in head.text()
    assert await outbox_recipients(app) == []


async def test_staff_report_event_and_weekly_message(app: App) -> None:
    code = await invite(app, "staff")
    staff = await learner_in(app, "s1", 0)
    await staff.command("ma", code)
    await staff.command("baocao")
    assert "Thôn 1:" in staff.last[0].text
    names = sorted(reply.document.suffix for reply in staff.last[1:] if reply.document)
    assert names == [".csv", ".png", ".png", ".xlsx"]  # the villages and the weeks charts
    await staff.command("sukien")
    await staff.say("Nhà văn hoá xã")
    await staff.say("7h30")
    assert "07:30" in staff.text() and "Nhà văn hoá xã" in staff.text()
    (event,) = await app.storage.events_for(event_year())
    assert event.place == "Nhà văn hoá xã"
    await staff.command("tinmoi")
    await staff.say("Thứ bảy có tổ công nghệ số đến nhà văn hoá.")
    assert "Đã xếp vào bản tin" in staff.text()
    actions = [entry.action for entry in await app.storage.audit_entries()]
    assert {"report_exported", "event_set", "role_granted"} <= set(actions)


def event_year() -> int:
    local = datetime.now(UTC)
    return local.year if (local.month, local.day) <= (10, 10) else local.year + 1


async def test_village_head_sees_their_village(app: App, head: Chat) -> None:
    await head.command("thongke")
    assert "Thôn 1: 1 người học" in head.text()


async def test_create_push_audience_by_village(app: App) -> None:
    await learner_in(app, "a", 0)
    await learner_in(app, "b", 1)
    villages = {v.name: v.id for v in await app.storage.villages()}
    push = await app.storage.create_push(
        key="k", kind="announcement", content={"text": {"vi": "x"}},
        audience=Audience(village_ids=(villages["Thôn 2"],)), now=NOW,
    )  # fmt: skip
    assert push is not None
    assert await outbox_recipients(app) == ["b"]


async def test_an_announcement_can_carry_a_picture(app: App, head: Chat) -> None:
    await head.command("thongbao")
    inbound = Inbound(
        channel="test", user_id="head", chat_id="head", kind=Kind.MEDIA,
        text="Lịch tiêm chủng tháng 12.", photo="file-123",
    )  # fmt: skip
    head.last = await app.engine.handle(inbound)
    assert "Lịch tiêm chủng" in head.text() and "kèm ảnh" in head.text()
    await head.tap(head.payload("ann:send:"))
    (summary,) = await app.storage.push_summaries()
    content = (await app.storage.push_contents([summary.id]))[summary.id]
    assert content["photo"] == {"test": "file-123"}


async def test_a_photo_outside_an_announcement_is_not_read(app: App, head: Chat) -> None:
    inbound = Inbound(
        channel="test", user_id="head", chat_id="head", kind=Kind.MEDIA, photo="file-1"
    )
    replies = await app.engine.handle(inbound)
    assert "chưa đọc được ảnh" in replies[0].text
