"""Lessons and quizzes through the core: cards, feedback with the reason, completion once."""

from __future__ import annotations

from bot.app import App
from tests.conftest import Chat, completion_rows, table_counts


async def test_lesson_list_marks_completed_lessons(chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("lessons")
    labels = [c.label for c in chat.choices()]
    assert labels[0].startswith("Bài thử một")
    await chat.tap("quiz:demo-two")
    await chat.tap("ans:demo-two:0:0")
    await chat.tap("ans:demo-two:1:1")
    await chat.tap("lessons")
    labels = [c.label for c in chat.choices()]
    assert labels[1].startswith("✓ Bài thử hai")
    assert "xong 1/2" in chat.text()


async def test_cards_next_back_and_resume(chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("open:demo-one")
    assert "1/2" in chat.text()
    assert chat.last[0].image is not None and chat.last[0].image.name == "demo.png"
    await chat.tap(chat.payload("card:demo-one:1"))
    assert "Thẻ thứ hai" in chat.text()
    assert chat.payload("quiz:demo-one")  # the last card offers the quiz
    await chat.tap("menu")
    await chat.tap("open:demo-one")  # resumes at the card left
    assert "Thẻ thứ hai" in chat.text()
    await chat.tap(chat.payload("card:demo-one:0"))
    assert "Thẻ thứ nhất" in chat.text()


async def test_quiz_feedback_gives_the_reason(chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    assert "Câu 1/2" in chat.text()
    await chat.tap("ans:demo-one:0:1")  # wrong
    assert "Chưa đúng. Đáp án đúng: Hai" in chat.last[0].text
    assert "Một cộng một bằng hai." in chat.last[0].text
    assert "Câu 2/2" in chat.last[1].text


async def test_failing_then_retrying_and_passing(app: App, chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:1")
    await chat.tap("ans:demo-one:1:1")
    assert "cần đúng 2 câu" in chat.text()
    assert (await table_counts(app))["completions"] == 0
    await chat.tap(chat.payload("quiz:demo-one"))
    await chat.tap("ans:demo-one:0:0")
    await chat.tap("ans:demo-one:1:1")
    assert "đã qua bài" in chat.text()
    assert chat.payload("open:demo-two")  # the next lesson is offered
    counts = await table_counts(app)
    assert (counts["completions"], counts["quiz_attempts"], counts["quiz_answers"]) == (1, 2, 4)


async def test_tapping_the_last_answer_twice_records_one_completion(app: App, chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:0")
    await chat.tap("ans:demo-one:1:1")
    await chat.tap("ans:demo-one:1:1")
    assert "tin nhắn cũ" in chat.text()
    assert (await table_counts(app))["completions"] == 1


async def test_a_replayed_update_is_processed_once(app: App, chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-two")
    await chat.tap("ans:demo-two:0:0", update_id="u-41")
    replies = await chat.tap("ans:demo-two:1:1", update_id="u-42")
    assert replies
    assert await chat.tap("ans:demo-two:1:1", update_id="u-42") == []
    counts = await table_counts(app)
    assert (counts["completions"], counts["quiz_attempts"], counts["quiz_answers"]) == (1, 1, 2)


async def test_passing_again_keeps_one_completion(app: App, chat: Chat) -> None:
    await chat.onboard()
    for _round in range(2):
        await chat.tap("quiz:demo-two")
        await chat.tap("ans:demo-two:0:0")
        await chat.tap("ans:demo-two:1:1")
    assert (await table_counts(app))["completions"] == 1


async def test_completion_stores_lesson_version_and_pass_mark(app: App, chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-two")
    await chat.tap("ans:demo-two:0:0")
    await chat.tap("ans:demo-two:1:0")  # 1 of 2 right meets a 50% pass mark
    assert await completion_rows(app) == [("test", "u1", "demo-two", 3, 1, 2, 50)]


async def test_progress_lists_finished_lessons(chat: Chat) -> None:
    await chat.onboard()
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:1")
    await chat.tap("ans:demo-one:1:1")
    await chat.command("tiendo")
    text = chat.text()
    assert "0/2" in text
    assert "đã làm bài kiểm tra 1 lần" in text
