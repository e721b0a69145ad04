"""Anything unexpected gets a short helpful answer and changes nothing."""

from __future__ import annotations

import json

import pytest

from bot.app import App
from bot.core.messages import Kind
from tests.conftest import Chat, table_counts

ODD_INPUTS = [
    (Kind.COMMAND, "khongco"),
    (Kind.MEDIA, ""),
    (Kind.TEXT, "x" * 5000),
    (Kind.TEXT, "😀🎉🙏"),
    (Kind.TEXT, "'; DROP TABLE learners; --"),
    (Kind.CHOICE, "ans:demo-one:9:9"),
    (Kind.CHOICE, "ans:demo-one:0:7"),
    (Kind.CHOICE, "ans:nope:0:0"),
    (Kind.CHOICE, "ans:demo-one:-1:0"),
    (Kind.CHOICE, "card:demo-one:abc"),
    (Kind.CHOICE, "card:demo-one:99"),
    (Kind.CHOICE, "open:../../etc/passwd"),
    (Kind.CHOICE, "quiz:"),
    (Kind.CHOICE, "setlang:fr"),
    (Kind.CHOICE, "delete:now"),
    (Kind.CHOICE, "consent:yes:xx"),
    (Kind.CHOICE, "::::"),
    (Kind.CHOICE, "💥" * 30),
    (Kind.CHOICE, ""),
]


@pytest.mark.parametrize(("kind", "text"), ODD_INPUTS)
async def test_odd_input_from_a_learner(app: App, chat: Chat, kind: Kind, text: str) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    before = await table_counts(app)
    learner = await app.storage.get_learner("test", "u1")
    replies = await chat.send(kind, text)
    assert replies, "every input gets an answer"
    assert all(len(reply.text) < 400 for reply in replies)
    assert all(reply.choices for reply in replies[-1:]), "never a dead end"
    after = await table_counts(app)
    # Free text is a question: only today's count of questions may grow, never the text.
    assert after.pop("usage_counts") - before.pop("usage_counts") in (0, 1)
    assert after == before
    assert await app.storage.get_learner("test", "u1") == learner


@pytest.mark.parametrize(("kind", "text"), ODD_INPUTS)
async def test_odd_input_from_a_stranger_stores_nothing(
    app: App, chat: Chat, kind: Kind, text: str
) -> None:
    """Before consent only the step the chat is at is kept (the choices shown), never what
    the person wrote."""
    before = await table_counts(app)
    replies = await chat.send(kind, text)
    assert replies
    after = await table_counts(app)
    assert after.pop("pending_chats") <= 1
    assert after.pop("usage_counts") - before.pop("usage_counts") in (0, 1)
    before.pop("pending_chats")
    assert after == before
    pending = json.dumps(await app.storage.get_pending("test", "u1"), ensure_ascii=False)
    assert set(json.loads(pending)) <= {"shown"}
    if text and kind is not Kind.CHOICE:
        assert text not in pending


async def test_an_answer_button_from_another_lesson_is_stale(chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-two:0:0")
    assert "tin nhắn cũ" in chat.text()
    assert "Câu 1/2" in chat.text()  # and the current question is shown again
