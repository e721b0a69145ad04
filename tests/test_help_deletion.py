"""Issue 16 and "deletion deletes": a learner or a helper who deletes their data leaves no
row naming them (help requests keep only their counts, the conversation's pushes go), and
a learner who brought relatives in is no longer named on their rows (the count stays)."""

from __future__ import annotations

from bot.app import App
from tests.conftest import Chat
from tests.helpdesk import village_row
from tests.test_deletion import every_row, traces
from tests.test_family import pass_core
from tests.test_help_flows import offers, village


async def conversation(app: App) -> tuple[Chat, Chat]:
    learner, (helper,) = await village(app, helpers=1)
    await learner.tap("helpme")
    await learner.say("Tôi quên mật khẩu VNeID")
    await helper.tap((await offers(app))[0]["choices"][0]["payload"])
    await learner.say("Anh giúp tôi với")
    await helper.say("Bác chờ chút")
    return learner, helper


async def test_a_learner_in_a_conversation_deletes_their_data(app: App) -> None:
    learner, helper = await conversation(app)
    me = await app.storage.get_learner("test", learner.user_id)
    assert me is not None and traces(await every_row(app), me.id, learner.user_id)
    await learner.tap("delete")
    await learner.tap("delete:yes")
    assert "Đã xoá hết dữ liệu" in learner.text()
    rows = await every_row(app)
    assert traces(rows, me.id, learner.user_id) == []
    (request,) = rows["help_requests"]
    assert (request["learner_id"], request["status"], request["question"]) == (
        None,
        "cancelled",
        "",
    )
    assert not [p for p in rows["pushes"] if p["key"].startswith("help:")]
    await helper.say("Bác còn đó không?")  # the conversation is gone: not relayed anywhere
    assert (await village_row(app, "Thôn 1")).requests == 1  # still counted


async def test_a_helper_in_a_conversation_deletes_their_data(app: App) -> None:
    _learner, helper = await conversation(app)
    me = await app.storage.get_learner("test", helper.user_id)
    assert me is not None
    await helper.tap("delete")
    assert "người giúp của Thôn 1 cũng kết thúc" in helper.text()
    await helper.tap("delete:yes")
    rows = await every_row(app)
    assert traces(rows, me.id, helper.user_id) == []
    (request,) = rows["help_requests"]
    assert (request["helper_id"], request["closed_by"]) == (None, "deleted")
    given_up = [e["detail"] for e in rows["audit_log"] if e["action"] == "role_given_up"]
    assert given_up == ["helper Thôn 1"]


async def test_who_brought_whom_forgets_a_deleted_inviter(app: App) -> None:
    inviter = Chat(app.engine, "del-inviter")
    await inviter.onboard()
    await pass_core(inviter.tap)
    await inviter.tap("family:invite")
    code = inviter.text().split("gõ mã ", 1)[1][:6]
    relative = Chat(app.engine, "del-relative")
    await relative.onboard()
    await relative.say(code)
    assert "Bác đã được tính là do người thân mời" in relative.text()
    me = await app.storage.get_learner("test", "del-inviter")
    assert me is not None
    await inviter.tap("delete")
    await inviter.tap("delete:yes")
    rows = await every_row(app)
    assert traces(rows, me.id, "del-inviter") == []
    (left,) = rows["learners"]
    assert (left["referred_by"], left["joined_via"]) == (None, "link")
    assert (await village_row(app, "Thôn 1")).by_link == 1
