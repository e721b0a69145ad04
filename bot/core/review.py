"""Review: the questions due again, a few at a time ("Ôn tập" in the menu, or the weekly
invitation). Each answer moves its question along the intervals of bot.core.spacing.

The round lives in the ``flow`` part of the state (``review``: the items and where the
learner is), so a detour through the menu or a restart finds it again, and an old answer
button is recognised as old.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.content.schema import Lesson
from bot.core import quiz, spacing
from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, lessons_button, menu_button, review_button
from bot.i18n import _, current_language, format_day

FLOW = "review"


def _items(turn: Turn) -> list[tuple[str, int, int]]:
    """The round's (lesson, question, box) items, when a round is under way."""
    flow = turn.flow
    rows = flow.get("items") if flow.get("name") == FLOW else None
    if not isinstance(rows, list):
        return []
    items = []
    for row in rows:
        if (
            isinstance(row, list)
            and len(row) == 3
            and isinstance(row[0], str)
            and all(isinstance(value, int) for value in row[1:])
        ):
            items.append((row[0], row[1], row[2]))
    return items


def _question(turn: Turn, lesson_id: str, index: int) -> tuple[Lesson, int] | None:
    lesson = turn.catalog.lesson(lesson_id)
    if lesson is None or not 0 <= index < len(lesson.quiz):
        return None
    return lesson, index


def _day(turn: Turn, moment: datetime) -> str:
    return format_day(moment.astimezone(turn.options.tz).date())


async def start(turn: Turn) -> list[Reply]:
    """Stores the round (up to three due questions) and asks the first; says when the next
    review comes when nothing is due."""
    assert turn.learner is not None
    learner_id = turn.learner.id
    items: list[list[Any]] = []
    for item in await turn.store.due_reviews(learner_id, turn.now, limit=spacing.ROUND * 2):
        if _question(turn, item.lesson_id, item.question) is None:
            await turn.store.drop_review(learner_id, item.lesson_id, item.question)
        elif len(items) < spacing.ROUND:
            items.append([item.lesson_id, item.question, item.box])
    if not items:
        await turn.end_flow()
        return [await _nothing_due(turn)]
    turn.start_flow(FLOW, items=items, i=0, right=0)
    return [_ask(turn, 0)]


async def _nothing_due(turn: Turn) -> Reply:
    assert turn.learner is not None
    total, _due, upcoming = await turn.store.review_summary(turn.learner.id, turn.now)
    if not total:
        text = _(
            "🔁 Nothing to review yet. When you get a quiz question wrong, or finish the core "
            "lessons, I bring those questions back at growing intervals so they stay with you."
        )
    else:
        text = _("🔁 Nothing to review right now. Next review: {date}.").format(
            date=_day(turn, upcoming) if upcoming else "–"
        )
    return Reply(text, (lessons_button(), menu_button()))


def _ask(turn: Turn, index: int) -> Reply:
    items = _items(turn)
    lesson_id, number, _box = items[index]
    found = _question(turn, lesson_id, number)
    assert found is not None
    lesson, number = found
    lang = current_language()
    question = lesson.quiz[number]
    header = _("🔁 Review {number} of {total} · {title}").format(
        number=index + 1, total=len(items), title=lesson.title.get(lang)
    )
    choices = tuple(
        Choice(option.text.get(lang), f"rev:{index}:{number}")
        for number, option in enumerate(question.options)
    )
    return Reply(f"{header}\n\n{question.question.get(lang)}", choices)


async def answer(turn: Turn, index: int, option: int) -> list[Reply] | None:
    """Stores the answer (the question's next review, or back to the start when wrong);
    gives the feedback, then the next question or the end of the round."""
    assert turn.learner is not None
    items = _items(turn)
    flow = turn.flow
    if not items or flow.get("i") != index or not 0 <= index < len(items):
        return _stale(turn, items)
    lesson_id, number, _box = items[index]
    found = _question(turn, lesson_id, number)
    if found is None:
        return None
    lesson, number = found
    question = lesson.quiz[number]
    if option >= len(question.options):
        return None
    lang = current_language()
    verdict = quiz.grade(question, option, lang)
    due = await turn.store.record_review(
        turn.learner.id, lesson_id, number, correct=verdict.correct, now=turn.now
    )
    if verdict.correct:
        feedback = _("✅ Correct!")
    else:
        feedback = _("❌ Not quite. The right answer: {answer}").format(answer=verdict.right_option)
    lines = [feedback, question.reason.get(lang)]
    if due is not None:
        lines.append(_("I will ask this again on {date}.").format(date=_day(turn, due)))
    replies = [Reply("\n".join(lines))]
    before = flow.get("right", 0)
    right = (before if isinstance(before, int) else 0) + int(verdict.correct)
    if index + 1 < len(items):
        turn.start_flow(FLOW, items=[list(item) for item in items], i=index + 1, right=right)
        return [*replies, _ask(turn, index + 1)]
    await turn.end_flow()
    return [*replies, await _finish(turn, right, len(items))]


async def _finish(turn: Turn, right: int, total: int) -> Reply:
    assert turn.learner is not None
    _queued, due, upcoming = await turn.store.review_summary(turn.learner.id, turn.now)
    text = _("🔁 Review done: {right} of {total} right.").format(right=right, total=total)
    choices: list[Choice] = []
    if due:
        text += " " + _("{count} more questions are due.").format(count=due)
        choices.append(Choice(_("🔁 Review more"), "review", means="next"))
    elif upcoming is not None:
        text += " " + _("Next review: {date}.").format(date=_day(turn, upcoming))
    return Reply(text, (*choices, lessons_button(), menu_button()))


def _stale(turn: Turn, items: list[tuple[str, int, int]]) -> list[Reply]:
    """An answer button from an earlier question or round: say so, ask where they are."""
    note = _("That button is from an earlier message; it is already answered.")
    index = turn.flow.get("i")
    if items and isinstance(index, int) and 0 <= index < len(items):
        return [Reply(note), _ask(turn, index)]
    return [Reply(note, (review_button(), menu_button()))]
