"""Lessons: the list with ✓ for completed ones, cards with next / back, resume."""

from __future__ import annotations

from bot.content.schema import Lesson
from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, menu_button
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
    """Resumes at the card where the learner left this lesson, else at the first card."""
    state = turn.state
    card = 0
    if state.get("lesson") == lesson.id and "card" in state:
        card = int(state["card"])  # type: ignore[call-overload]
        card = card if 0 <= card < len(lesson.cards) else 0
    return await show_card(turn, lesson, card)


async def show_card(turn: Turn, lesson: Lesson, index: int) -> list[Reply]:
    """Stores the position (lesson, card); shows one card with next / back."""
    assert turn.learner is not None
    turn.learner.state = {"lesson": lesson.id, "card": index}
    await turn.save()
    return [card_reply(turn, lesson, index)]


def card_reply(turn: Turn, lesson: Lesson, index: int) -> Reply:
    lang = current_language()
    card = lesson.cards[index]
    last = index == len(lesson.cards) - 1
    header = f"📘 {lesson.title.get(lang)} · {index + 1}/{len(lesson.cards)}"
    choices = []
    if last:
        choices.append(Choice(_("📝 Take the quiz"), f"quiz:{lesson.id}"))
    else:
        choices.append(Choice(_("Next ➡️"), f"card:{lesson.id}:{index + 1}"))
    if index > 0:
        choices.append(Choice(_("⬅️ Back"), f"card:{lesson.id}:{index - 1}"))
    choices.append(menu_button())
    return Reply(
        f"{header}\n\n{card.text.get(lang)}",
        tuple(choices),
        image=turn.catalog.image_path(card.image),
    )
