"""Issue 16 through the core: every way in to "Nhờ người giúp" (the menu, a lesson card, a
failed quiz, an ask without an answer) sends the right context; villages without helpers;
handing back; what the learner types at each step; routing split by role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.core import relay
from bot.core.family import referral_code
from tests.conftest import Chat
from tests.test_help_zalo import pending
from tests.test_roles import invite

ROOT = Path(__file__).resolve().parent.parent


async def village(app: App, helpers: int = 2) -> tuple[Chat, list[Chat]]:
    """A learner of Thôn 1 and ``helpers`` helpers there (core chats, channel "test")."""
    learner = Chat(app.engine, "hf-learner")
    await learner.onboard(village=0)
    people = []
    for n in range(helpers):
        helper = Chat(app.engine, f"hf-helper-{n}")
        await helper.onboard(village=0)
        await helper.command("ma", await invite(app, "helper", village="Thôn 1"))
        people.append(helper)
    return learner, people


async def offers(app: App) -> list[dict[str, Any]]:
    """The texts of the offers waiting in the outbox, in Vietnamese."""
    return [content for _learner, content in await pending(app) if "choices" in content]


def offer_text(content: dict[str, Any]) -> str:
    return str(content["text"]["vi"])


async def test_from_a_lesson_card_the_card_goes_along(app: App) -> None:
    learner, _helpers = await village(app)
    await learner.tap("open:demo-one")
    await learner.tap("card:demo-one:1")
    labels = [c.label for c in learner.choices()]
    assert "🙋 Nhờ người giúp" in labels  # on every card
    await learner.tap(learner.payload("helpme:here"))
    assert "Bài thử một, thẻ 2/2" in learner.text()
    await learner.say("gui luon")  # the "Gửi luôn" choice, typed
    (offer, _second) = await offers(app)
    assert "📘 Bài thử một, thẻ 2/2" in offer_text(offer)
    assert "❓" not in offer_text(offer)  # nothing typed: the context alone


async def test_after_a_failed_quiz_and_after_an_unanswered_ask(app: App) -> None:
    learner, _helpers = await village(app, helpers=1)
    await learner.tap("quiz:demo-one")
    await learner.tap("ans:demo-one:0:1")
    await learner.tap("ans:demo-one:1:0")
    await learner.tap(learner.payload("helpme:quiz:demo-one"))
    await learner.say("Tôi không hiểu câu 2")
    (offer,) = await offers(app)
    assert "📘 Bài thử một: chưa qua bài kiểm tra" in offer_text(offer)
    assert "❓ Tôi không hiểu câu 2" in offer_text(offer)
    await learner.tap(learner.payload("asker:cancel:"))
    assert "Đã huỷ lời nhờ" in learner.text()

    await learner.say("gia lua hom nay bao nhieu")
    assert "chưa biết trả lời" in learner.text()
    await learner.tap(learner.payload("helpme:ask"))
    assert "gửi kèm: câu hỏi «gia lua hom nay bao nhieu»" in learner.text()
    await learner.tap("helpme:send")
    latest = (await offers(app))[-1]
    state = (await app.storage.get_learner("test", "hf-learner")).state  # type: ignore[union-attr]
    assert "gia lua" not in str(state)  # the question went with the request, not kept
    assert "câu hỏi «gia lua hom nay bao nhieu» mà tôi chưa trả lời được" in offer_text(latest)


async def test_typed_words_and_numbers_reach_the_help_steps(app: App) -> None:
    learner, _helpers = await village(app, helpers=1)
    await learner.command("menu")
    await learner.say("nho nguoi giup")  # the menu's choice, typed without accents
    assert "Bác gõ điều bác cần hỏi" in learner.text()
    await learner.say("cai zalo the nao")  # words, not a choice: the question itself
    assert "Tôi đã chuyển lời nhờ" in learner.text()
    (offer,) = await offers(app)
    assert "❓ cai zalo the nao" in offer_text(offer)
    await learner.command("menu")
    await learner.say("4")  # "Nhờ người giúp" again: the waiting request is shown instead
    assert "đang chờ người giúp của Thôn 1" in learner.text()
    await learner.say("huy loi nho")
    assert "Đã huỷ lời nhờ" in learner.text()


async def test_a_village_without_helpers_goes_to_staff_and_without_staff_to_the_office(
    app: App,
) -> None:
    alone = Chat(app.engine, "hf-alone")
    await alone.onboard(village=1)  # Thôn 2: no helpers, no staff
    await alone.tap("helpme")
    await alone.say("Giúp tôi với")
    assert "chưa có người giúp hay cán bộ xã" in alone.text() and "UBND Xã Tân Phú" in alone.text()
    staff = Chat(app.engine, "hf-staff")
    await staff.onboard(village=0)
    await staff.command("ma", await invite(app, "staff"))
    await alone.tap("helpme")
    await alone.say("Giúp tôi với")
    assert "tới cán bộ xã" in alone.text()
    (offer,) = await offers(app)
    assert "thôn của người đó chưa có người giúp" in offer_text(offer)
    await staff.tap(offer["choices"][0]["payload"])
    assert "Anh/chị đã nhận giúp" in staff.text()


async def test_a_helper_hands_back_and_another_takes_it(app: App) -> None:
    learner, (first, second) = await village(app)
    await learner.tap("helpme")
    await learner.say("Cài Zalo thế nào?")
    take = (await offers(app))[0]["choices"][0]["payload"]
    await first.tap(take)
    await second.tap(take)
    assert "Đã có người khác nhận giúp rồi" in second.text()
    await first.say("Để tôi xem")
    await first.tap(take.replace(":take:", ":back:"))
    assert "Đã trả lại" in first.text()
    await first.say("Bác ơi")  # no longer in the conversation: not relayed
    rows = [o for o in await offers(app) if o["choices"][0]["payload"] == take]
    assert len(rows) == 3  # the first offer to both helpers, then again to the other only
    await second.tap(take)
    assert "Anh/chị đã nhận giúp" in second.text()
    await first.tap(take)
    assert "Đã có người khác nhận giúp rồi" in first.text()


async def test_a_helper_in_a_conversation_cannot_take_another(app: App) -> None:
    learner, (helper,) = await village(app, helpers=1)
    other = Chat(app.engine, "hf-other")
    await other.onboard(village=0)
    for person, words in ((learner, "Cài VNeID"), (other, "Nộp thuế online")):
        await person.tap("helpme")
        await person.say(words)
    first, second = [o["choices"][0]["payload"] for o in await offers(app)]
    await helper.tap(first)
    await helper.tap(second)
    assert "hãy kết thúc cuộc đó trước" in helper.text()


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("024 3825 1234", "02438251234"),
        ("12345", None),
        ("số tôi là 0912", None),
    ],
)
def test_phone_numbers_as_typed(typed: str, phone: str | None) -> None:
    assert relay.normalise_phone(typed) == phone


def test_personal_codes_always_read_as_codes() -> None:
    from bot.core.family import new_code

    for _ in range(200):
        code = new_code()
        assert referral_code(code) == code and referral_code(code.lower()) == code


def test_personal_codes_as_typed() -> None:
    assert referral_code("ab2cde") == "AB2CDE"
    assert referral_code("mã AB2CDE") == "AB2CDE"
    assert referral_code("ref-AB2CDE") == "AB2CDE"
    assert referral_code("vneidx") is None  # six letters, no digit: a word, not a code
    assert referral_code("AB0CDE") is None  # 0 is not in the alphabet (read aloud as O)


def test_the_engine_stays_small_and_routes_by_role() -> None:
    engine = (ROOT / "bot" / "core" / "engine.py").read_text(encoding="utf-8")
    assert len(engine.splitlines()) < 200
    from bot.core import citizen, helper, staff, village_head

    tables = [citizen.ROUTES, helper.ROUTES, village_head.ROUTES, staff.ROUTES]
    names = [name for table in tables for name in table]
    assert len(names) == len(set(names))  # each action belongs to one role's module
    assert set(helper.ROUTES) == {"helper"}


async def test_an_unanswered_question_is_kept_for_one_step_only(app: App) -> None:
    learner = Chat(app.engine, "hf-once")
    await learner.onboard()
    await learner.say("gia vang hom nay bao nhieu")
    assert "chưa biết trả lời" in learner.text()
    kept = (await app.storage.get_learner("test", "hf-once")).state  # type: ignore[union-attr]
    assert "gia vang" in str(kept)  # for "Nhờ người giúp" under the answer
    await learner.tap("lessons")  # something else: the question is not kept
    state = (await app.storage.get_learner("test", "hf-once")).state  # type: ignore[union-attr]
    assert "gia vang" not in str(state)
