"""Issue 11, must-show 4: "delete my data" deletes every row that names the person, for a
learner and for a village head (roles, outbox rows, announcements, invites, the audit), and
the reply comes; the audit keeps that a deletion happened and a role was given up, no id."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.app import App
from bot.storage.outbox import Audience
from tests.conftest import Chat
from tests.test_roles import NOW, invite


async def every_row(app: App) -> dict[str, list[dict[str, Any]]]:
    def dump(conn: sa.Connection) -> dict[str, list[dict[str, Any]]]:
        from bot.storage.schema import metadata

        return {
            name: [dict(row._mapping) for row in conn.execute(sa.select(table))]
            for name, table in metadata.tables.items()
        }

    return await app.storage.runner.read(dump)


ID_COLUMNS = {"learner_id", "creator_id", "used_by", "id"}


def traces(rows: dict[str, list[dict[str, Any]]], learner_id: int, user_id: str) -> list[str]:
    """Every place where the person's chat id or learner id still appears."""
    found = []
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                named = column in ID_COLUMNS and value == learner_id
                if column == "id" and table != "learners":
                    named = False
                text = str(value) if isinstance(value, str | dict | list) else ""
                if (
                    named
                    or user_id in text
                    or f"learner {learner_id}" in text
                    or f'"learner_id": {learner_id}' in text
                ):
                    found.append(f"{table}.{column}={value!r}")
    return found


async def test_a_learner_who_deletes_leaves_no_trace(app: App) -> None:
    chat = Chat(app.engine, user_id="del-learner-7731")
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:1")  # a wrong answer on record, and in the review queue
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:0")
    await chat.tap("ans:demo-one:1:1")  # the core path, so a certificate with a name
    await chat.tap("cert")
    await chat.say("Nguyễn Văn Xoá")
    await chat.tap("national:yes")
    await chat.tap("slot:set:5:18")
    learner = await app.storage.get_learner("test", chat.user_id)
    assert learner is not None
    await app.storage.create_push(  # a weekly message queued for them
        key="weekly:test", kind="weekly", content={"text": {"vi": "x", "en": "x"}},
        audience=Audience(), now=NOW,
    )  # fmt: skip
    assert traces(await every_row(app), learner.id, chat.user_id)

    before = await every_row(app)
    assert before["review_items"] and before["certificates"]
    assert any("Nguyễn Văn Xoá" in str(row) for row in before["certificates"])
    await chat.tap("delete")
    await chat.tap("delete:yes")
    assert "Đã xoá hết dữ liệu" in chat.text()
    rows = await every_row(app)
    assert traces(rows, learner.id, chat.user_id) == []
    assert rows["review_items"] == [] and rows["certificates"] == []
    assert "Nguyễn Văn Xoá" not in str(rows)
    actions = [entry["action"] for entry in rows["audit_log"]]
    assert "delete_own_data" in actions


async def test_a_village_head_who_deletes_gives_up_the_role_and_leaves_no_trace(
    app: App,
) -> None:
    head = Chat(app.engine, user_id="del-head-5512")
    await head.onboard(village=0)
    await head.command("start", await invite(app, "village_head", village="Thôn 1"))
    neighbour = Chat(app.engine, user_id="neighbour-1")
    await neighbour.onboard(village=0)
    await head.command("thongbao")
    await head.say("Họp thôn tối nay lúc 19 giờ.")
    await head.tap(head.payload("ann:send:"))  # an announcement and its outbox rows
    learner = await app.storage.get_learner("test", head.user_id)
    assert learner is not None
    assert traces(await every_row(app), learner.id, head.user_id)

    await head.tap("delete")
    assert "trưởng thôn Thôn 1 cũng kết thúc" in head.text()  # told before confirming
    await head.tap("delete:yes")
    assert "Đã xoá hết dữ liệu" in head.text()  # the reply comes (no foreign-key failure)
    assert "trưởng thôn Thôn 1 cũng kết thúc" in head.text()
    rows = await every_row(app)
    assert traces(rows, learner.id, head.user_id) == []
    assert rows["roles"] == []
    given_up = [e for e in rows["audit_log"] if e["action"] == "role_given_up"]
    assert [e["detail"] for e in given_up] == ["village_head Thôn 1"]
    # The neighbour still gets the announcement: only the sender's traces went.
    assert any(row["chat_id"] == "neighbour-1" for row in rows["outbox"])
