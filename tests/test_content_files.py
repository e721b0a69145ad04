"""The shipped curriculum: complete, within budget, and every quiz passable in both languages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import Settings, load_settings
from bot.content import Catalog, load_catalog
from bot.resources import data_dir
from tests.conftest import Chat, table_counts

CATALOG: Catalog = load_catalog(data_dir("lessons"))
FORBIDDEN_ASKS = ("gõ mật khẩu", "nhập mã otp vào đây", "gửi số căn cước", "type your password")


def test_seven_lessons_in_a_recommended_order() -> None:
    assert [lesson.order for lesson in CATALOG.lessons] == list(range(1, 8))
    assert CATALOG.lessons[0].id == "vneid-co-ban"


@pytest.mark.parametrize("lesson", CATALOG.lessons, ids=lambda lesson: lesson.id)
def test_lesson_shape(lesson) -> None:  # type: ignore[no-untyped-def]
    assert 4 <= len(lesson.cards) <= 8
    assert 4 <= len(lesson.quiz) <= 6
    assert any(card.image for card in lesson.cards), "at least one picture per lesson"
    assert lesson.sources
    for card in lesson.cards:
        if card.image:
            assert (CATALOG.root / card.image).stat().st_size < 100_000
    texts = [card.text for card in lesson.cards] + [q.question for q in lesson.quiz]
    for text in texts:
        for lang in ("vi", "en"):
            assert not any(ask in text.get(lang).lower() for ask in FORBIDDEN_ASKS)


def test_faq_covers_every_lesson() -> None:
    assert len(CATALOG.faq) >= 40
    covered = {item.lesson for item in CATALOG.faq}
    assert covered == {lesson.id for lesson in CATALOG.lessons}


def test_weekly_messages_and_the_10_10_countdown() -> None:
    weekly = CATALOG.weekly
    assert len(weekly.messages) >= 26
    assert all(len(m.text.vi) < 600 and len(m.text.en) < 600 for m in weekly.messages)
    assert len({m.topic for m in weekly.messages}) == 7
    assert sorted(e.when for e in weekly.event) == ["day_before", "day_of", "week_before"]


@pytest.fixture
async def shipped(tmp_path: Path, settings: Settings) -> AsyncIterator[App]:
    real = load_settings(**{**settings.model_dump(), "lessons_dir": data_dir("lessons")})
    app = await build_app(real)
    yield app
    await app.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_every_quiz_can_be_passed(shipped: App, lang: str) -> None:
    chat = Chat(shipped.engine, user_id=f"walker-{lang}")
    await chat.onboard(lang=lang)
    for lesson in shipped.catalog.lessons:
        await chat.tap(f"open:{lesson.id}")
        for index in range(1, len(lesson.cards)):
            await chat.tap(chat.payload(f"card:{lesson.id}:{index}"))
            assert lesson.cards[index].text.get(lang) in chat.text()
        await chat.tap(chat.payload(f"quiz:{lesson.id}"))
        for number, question in enumerate(lesson.quiz):
            assert question.question.get(lang) in chat.text()
            await chat.tap(f"ans:{lesson.id}:{number}:{question.correct_index}")
            assert question.reason.get(lang) in chat.last[0].text
        assert ("đã qua bài" if lang == "vi" else "You passed") in chat.text()
    assert (await table_counts(shipped))["completions"] == len(shipped.catalog.lessons)
    assert ("tất cả các bài" if lang == "vi" else "every lesson") in chat.text()
