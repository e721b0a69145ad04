"""Lessons: the list with ✓ for completed ones, cards with next / back, resume."""

from __future__ import annotations

from bot.content.schema import Lesson
from bot.core import quiz
from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, help_button, menu_button
from bot.i18n import _, current_language


async def show_list(turn: Turn) -> list[Reply]:
    """Stores nothing; lists every lesson in the recommended order."""
    assert turn.learner is not None
    lang = current_language()
    done = await turn.store.completed_lessons(turn.learner.id)
    choices = []
    for lesson in turn.catalog.lessons:
        mark = "✓ " if lesson.id in done else ""
        label = _("{mark}{title} ({minutes} min)").format(
            mark=mark, title=lesson.title.get(lang), minutes=lesson.minutes
        )
        choices.append(Choice(label, f"open:{lesson.id}"))
    text = _("📚 Lessons ({done} of {total} done). Choose one:").format(
        done=len(done & {lesson.id for lesson in turn.catalog.lessons}),
        total=len(turn.catalog.lessons),
    )
    return [Reply(text, (*choices, menu_button()))]


async def open_lesson(turn: Turn, lesson: Lesson) -> list[Reply]:
    """Resumes where the learner left this lesson: the quiz question they were on, else the
    card, else the first card."""
    position = turn.position
    if position.get("lesson") == lesson.id:
        question = position.get("q")
        if isinstance(question, int) and 0 <= question < len(lesson.quiz):
            return [quiz.question_reply(lesson, question)]
        card = position.get("card")
        if isinstance(card, int) and 0 <= card < len(lesson.cards):
            return await show_card(turn, lesson, card)
    return await show_card(turn, lesson, 0)


async def show_card(turn: Turn, lesson: Lesson, index: int) -> list[Reply]:
    """Stores the position (lesson, card); shows one card with next / back."""
    turn.set_position(lesson=lesson.id, card=index)
    return [card_reply(turn, lesson, index)]


def resume_choice(turn: Turn) -> Choice | None:
    """ "Continue: question 3/4" (or the card) when a lesson was left unfinished."""
    position = turn.position
    lesson = turn.catalog.lesson(str(position.get("lesson", "")))
    if lesson is None:
        return None
    title = lesson.title.get(current_language())
    question, card = position.get("q"), position.get("card")
    if isinstance(question, int) and 0 <= question < len(lesson.quiz):
        where = _("question {number}/{total}").format(number=question + 1, total=len(lesson.quiz))
    elif isinstance(card, int) and 0 <= card < len(lesson.cards):
        where = _("card {number}/{total}").format(number=card + 1, total=len(lesson.cards))
    else:
        return None
    label = _("▶️ Continue: {where} · {title}").format(where=where, title=title)
    return Choice(label, "resume")


async def resume(turn: Turn) -> list[Reply] | None:
    """Back to the unfinished lesson or quiz; None when there is none."""
    lesson = turn.catalog.lesson(str(turn.position.get("lesson", "")))
    return await open_lesson(turn, lesson) if lesson is not None else None


def card_reply(turn: Turn, lesson: Lesson, index: int) -> Reply:
    lang = current_language()
    card = lesson.cards[index]
    last = index == len(lesson.cards) - 1
    header = f"📘 {lesson.title.get(lang)} · {index + 1}/{len(lesson.cards)}"
    choices = []
    if last:
        choices.append(Choice(_("📝 Take the quiz"), f"quiz:{lesson.id}", means="next"))
    else:
        choices.append(Choice(_("Next ➡️"), f"card:{lesson.id}:{index + 1}", means="next"))
    if index > 0:
        choices.append(Choice(_("⬅️ Back"), f"card:{lesson.id}:{index - 1}", means="back"))
    choices += [help_button("here"), menu_button()]
    return Reply(
        f"{header}\n\n{card.text.get(lang)}",
        tuple(choices),
        image=turn.catalog.image_path(card.image),
    )
