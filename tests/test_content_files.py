"""The shipped curriculum: complete, within budget, and every quiz passable in both languages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import Settings, load_settings
from bot.content import Catalog, load_catalog
from bot.content.quality import framework_coverage, quality_problems
from bot.resources import data_dir
from tests.conftest import Chat, table_counts

CATALOG: Catalog = load_catalog(data_dir("lessons"))
FORBIDDEN_ASKS = ("gõ mật khẩu", "nhập mã otp vào đây", "gửi số căn cước", "type your password")
# The curriculum for 2026 (issue 13), in its recommended order.
CURRICULUM = [
    "dien-thoai-co-ban",
    "vneid-co-ban",
    "thanh-toan-online",
    "nhan-dien-lua-dao",
    "khi-bi-lua",
    "hoc-tap-so",
    "ngan-hang-so",
    "mang-xa-hoi-an-toan",
    "dich-vu-cong",
    "phan-anh-kien-nghi",
    "vssid",
    "y-te-so",
    "cho-so",
    "ban-hang-online",
]


def test_the_curriculum_in_its_recommended_order() -> None:
    assert [lesson.id for lesson in CATALOG.lessons] == CURRICULUM
    assert [lesson.order for lesson in CATALOG.lessons] == list(range(1, len(CURRICULUM) + 1))


def test_shipped_content_meets_the_authoring_rules() -> None:
    """What `hocvuso lessons check` enforces: at least 13 lessons and not one problem."""
    assert len(CATALOG.lessons) >= 13
    assert [str(problem) for problem in quality_problems(CATALOG)] == []


def test_every_lesson_names_framework_areas_that_exist() -> None:
    coverage = framework_coverage(CATALOG)
    assert coverage is not None, "lessons/framework.yaml is missing"
    assert coverage.covered, "no lesson names a framework area"
    known = {area.id for area in coverage.areas}
    for lesson in CATALOG.lessons:
        assert set(lesson.skills) <= known, lesson.id


@pytest.mark.parametrize("lesson", CATALOG.lessons, ids=lambda lesson: lesson.id)
def test_lesson_shape(lesson) -> None:  # type: ignore[no-untyped-def]
    assert 4 <= len(lesson.cards) <= 7
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


def test_faq_covers_the_lessons_it_was_written_for() -> None:
    # Not every 2026 lesson has FAQ entries yet (lessons/README.md lists the gap); the ask
    # feature still answers from their cards.
    new = {"dien-thoai-co-ban", "hoc-tap-so", "ngan-hang-so", "mang-xa-hoi-an-toan"}
    new |= {"phan-anh-kien-nghi", "ban-hang-online", "khi-bi-lua"}
    assert len(CATALOG.faq) >= 40
    covered = {item.lesson for item in CATALOG.faq}
    assert {lesson.id for lesson in CATALOG.lessons} - new <= covered


def test_weekly_messages_and_the_10_10_countdown() -> None:
    weekly = CATALOG.weekly
    assert len(weekly.messages) >= 26
    assert all(len(m.text.vi) < 600 and len(m.text.en) < 600 for m in weekly.messages)
    assert len({m.topic for m in weekly.messages}) >= 7
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
