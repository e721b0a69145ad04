"""The Zalo channel over real HTTP against a local fake of the Zalo Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.channels.base import Blocked, ChannelError, Failed, RetryAfter, Sent
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.channels.zalo.updates import addressed, parse
from bot.core.messages import Reply
from tests.conftest import completion_rows
from tests.fakes.zalo_api import TOKEN, FakeZalo, ZaloUser


async def fast_sleep(seconds: float) -> None:
    """Backoff in tests: yield, but do not make the suite wait for real seconds."""
    await asyncio.sleep(0.01)


@pytest.fixture
async def api() -> AsyncIterator[FakeZalo]:
    fake = FakeZalo(poll_cap=0.3)
    await fake.start()
    yield fake
    await fake.stop()


def make_channel(app: App, api: FakeZalo, token: str = TOKEN, **kwargs) -> ZaloChannel:  # type: ignore[no-untyped-def]
    client = ZaloClient(token, base_url=api.base_url, poll_grace=kwargs.pop("poll_grace", 5.0))
    return ZaloChannel(app.engine, client, poll_timeout=1, sleep=fast_sleep, **kwargs)


@pytest.fixture
async def zalo(app: App, api: FakeZalo) -> AsyncIterator[ZaloChannel]:
    channel = make_channel(app, api)
    await channel.start()
    yield channel
    await channel.stop()


async def completions(app: App) -> list[tuple[object, ...]]:
    return [row[:3] for row in await completion_rows(app)]


async def test_a_user_types_numbers_from_hello_to_a_passed_quiz(
    app: App, api: FakeZalo, zalo: ZaloChannel
) -> None:
    user = ZaloUser(api, "6ede9afa66b88fe6d6a9")
    steps = [
        ("Xin chào", 1, "Trả lời"),  # any first message starts onboarding
        ("1", 1, "đồng ý"),  # Tiếng Việt
        ("1", 2, "thôn"),  # I agree → thanks + village
        ("thon 2", 1, "nhóm"),  # the village typed in words, without accents
        ("1", 1, "Xong rồi"),  # Resident → menu
        ("1", 1, "Bài học"),  # Lessons
        ("1", 1, "1/2"),  # Bài thử một
        ("1", 1, "2/2"),  # Tiếp
        ("1", 1, "Câu 1/2"),  # Làm bài kiểm tra
        ("hai", 2, "Câu 2/2"),  # the option's words work as well as its number
        ("2", 2, "đã qua bài"),  # Không bao giờ
    ]
    for typed, count, expected in steps:
        user.say(typed)
        texts = await user.replies(count)
        assert expected in texts[-1] or expected in texts[0], (typed, texts)
    first = api.texts_to(user.id)[0]
    assert "1. 🇻🇳 Tiếng Việt\n2. 🇬🇧 English" in first
    assert first.endswith("Trả lời 1 hoặc 2.")
    assert await completions(app) == [("zalo", user.id, "demo-one")]


async def test_the_same_message_delivered_twice_is_handled_once(
    api: FakeZalo, zalo: ZaloChannel
) -> None:
    user = ZaloUser(api, "aa00000000000000000a")
    update = user.say("hello")
    api.push(update)
    user.say("/trogiup")
    texts = await user.replies(2)
    assert "ngôn ngữ" in texts[0] and "ngôn ngữ" in texts[1]  # hello once, then the command
    await asyncio.sleep(0.3)
    assert len(api.texts_to(user.id)) == 2


async def test_long_replies_are_split_under_2000_characters(
    api: FakeZalo, zalo: ZaloChannel
) -> None:
    result = await zalo.send("c1", Reply("Một câu khá dài để thử. " * 200))
    assert result == Sent()
    sent = api.texts_to("c1")
    assert len(sent) == 3 and all(len(text) <= 2000 for text in sent)


async def test_pictures_go_by_url_when_a_public_base_is_set(app: App, api: FakeZalo) -> None:
    channel = make_channel(app, api, image_base_url="https://hocvuso.example.vn/img/")
    await channel.start()
    try:
        card = app.catalog.lessons[0].cards[0]
        reply = Reply("Thẻ", image=app.catalog.image_path(card.image))
        assert await channel.send("c2", reply) == Sent()
    finally:
        await channel.stop()
    photo = next(call for call in api.calls if call.method == "sendPhoto")
    assert photo.params["photo"] == "https://hocvuso.example.vn/img/demo.png"


async def test_send_maps_zalo_errors(api: FakeZalo, zalo: ZaloChannel) -> None:
    reply = Reply("xin chào")
    api.fail("sendMessage", body={"ok": False, "error_code": 429, "description": "Quota exceeded"})
    assert isinstance(await zalo.send("c3", reply), RetryAfter)
    api.fail("sendMessage", body={"ok": False, "error_code": 404, "description": "Not found"})
    assert await zalo.send("c3", reply) == Blocked()
    api.fail("sendMessage", status=502, body=b"<html>Bad gateway</html>")
    result = await zalo.send("c3", reply)
    assert isinstance(result, Failed) and result.retryable
    api.fail("sendMessage", body={"ok": False, "error_code": 400, "description": "Bad request"})
    result = await zalo.send("c3", reply)
    assert isinstance(result, Failed) and not result.retryable
    assert await zalo.send("c3", reply) == Sent()


@pytest.mark.parametrize(
    "failure",
    [
        {"body": {"ok": False, "error_code": 429, "description": "Quota exceeded"}},
        {"status": 500, "body": {"ok": False, "error_code": 500, "description": "Server error"}},
        {"status": 503, "body": b"Service Unavailable"},
        {"body": b"{not json"},
        {"body": {"unexpected": "shape"}},
        {"delay": 2.0, "body": {"ok": True, "result": {}}},  # longer than the client waits
    ],
    ids=["429", "500", "503-html", "malformed-json", "no-envelope", "timeout"],
)
async def test_polling_survives_errors_and_loses_no_update(
    app: App, api: FakeZalo, failure: dict
) -> None:  # type: ignore[type-arg]
    channel = make_channel(app, api, poll_grace=0.5)
    await channel.start()
    try:
        api.fail("getUpdates", **failure)
        api.fail("getUpdates", **failure)
        user = ZaloUser(api, "bb00000000000000000b")
        user.say("Xin chào")
        (welcome,) = await user.replies(timeout=15)
        assert "ngôn ngữ" in welcome
    finally:
        await channel.stop()


async def test_odd_events_get_an_answer_and_break_nothing(api: FakeZalo, zalo: ZaloChannel) -> None:
    user = ZaloUser(api, "cc00000000000000000c")
    user.send("message.sticker.received", sticker="0e078a2fb66a5f34067b", url="https://x/y.png")
    user.send("message.image.received", photo_url="https://x/p.jpg", message_type="CHAT_PHOTO")
    user.send("message.unsupported.received")
    user.send("message.reaction.received", reaction="❤")  # an event kind nobody documented
    api.push({"event_name": "message.text.received", "message": {"text": "no sender"}})
    api.push({"unexpected": True})
    user.say("x" * 5000)
    texts = await user.replies(6)
    assert all("chỉ đọc được chữ" in text for text in texts[:4])
    assert "ngôn ngữ" in texts[5]  # after a short note, the language question again


async def test_in_a_group_the_bot_answers_only_when_addressed(
    app: App, api: FakeZalo, zalo: ZaloChannel
) -> None:
    user = ZaloUser(api, "dd00000000000000000d")
    group = "group" + user.id
    api.push(user.update("message.text.received", chat_type="GROUP", text="chào cả nhà"))
    api.push(user.update("message.text.received", chat_type="GROUP", text="@bot.HocVuSo học"))
    await api.wait_for(lambda: len(api.texts_to(group)) >= 1)
    await asyncio.sleep(0.3)
    assert len(api.texts_to(group)) == 1
    assert "nhắn riêng" in api.texts_to(group)[0]
    assert await app.storage.get_learner("zalo", user.id) is None


async def test_a_wrong_token_stops_start_up_clearly(app: App, api: FakeZalo) -> None:
    wrong = "1459232241454765289:wrong-secret"
    channel = make_channel(app, api, token=wrong)
    with pytest.raises(ChannelError) as caught:
        await channel.start()
    assert "ZALO_BOT_TOKEN" in str(caught.value)
    assert "wrong-secret" not in str(caught.value)


async def test_a_webhook_set_elsewhere_is_a_clear_start_up_error(app: App, api: FakeZalo) -> None:
    api.webhook_url = "https://somewhere.example/hook"
    with pytest.raises(ChannelError, match="webhook is set"):
        await make_channel(app, api).start()


async def test_client_errors_never_show_the_token(api: FakeZalo) -> None:
    client = ZaloClient(TOKEN, base_url="http://127.0.0.1:9")  # nothing listens on port 9
    with pytest.raises(Exception) as caught:
        await client.get_me()
    await client.close()
    assert "test-zalo-secret" not in str(caught.value)


def test_update_parsing_is_tolerant() -> None:
    wrapped = {"ok": True, "result": {"event_name": "message.text.received", "message": {
        "from": {"id": "u1"}, "chat": {"id": "u1", "chat_type": "PRIVATE"}, "text": "hi",
        "message_id": "m1", "extra": {"nested": True}}}}  # fmt: skip
    message = parse(wrapped)
    assert message is not None and (message.user_id, message.text) == ("u1", "hi")
    assert parse({"event_name": "x", "message": {"from": {"id": "b", "is_bot": True}}}) is None
    assert parse(["not", "a", "dict"]) is None
    assert addressed("/hoc", [])
    assert addressed("@Bot HocVuSo ơi", ["bot hocvuso"])
    assert not addressed("chào cả nhà", ["bot.HocVuSo"])
