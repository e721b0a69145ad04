"""The quiz: grade an answer (pure), give feedback with the reason, record completion once."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.schema import Lesson, Question
from bot.core import certificate
from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, help_button, lessons_button, menu_button
from bot.i18n import _, current_language


@dataclass(frozen=True)
class Verdict:
    correct: bool
    right_option: str


def grade(question: Question, option: int, lang: str) -> Verdict:
    """Pure: is ``option`` the right one, and what is the right one's text."""
    right = question.correct_index
    return Verdict(correct=option == right, right_option=question.options[right].text.get(lang))


def question_reply(lesson: Lesson, index: int) -> Reply:
    lang = current_language()
    question = lesson.quiz[index]
    text = _("❓ Question {number} of {total}").format(number=index + 1, total=len(lesson.quiz))
    choices = tuple(
        Choice(option.text.get(lang), f"ans:{lesson.id}:{index}:{i}")
        for i, option in enumerate(question.options)
    )
    return Reply(f"{text}\n\n{question.question.get(lang)}", choices)


async def start(turn: Turn, lesson: Lesson) -> list[Reply]:
    """Stores the quiz position (question 0, no right answers); asks the first question."""
    turn.set_position(lesson=lesson.id, version=lesson.version, q=0, right=0)
    return [question_reply(lesson, 0)]


async def answer(turn: Turn, lesson: Lesson, index: int, option: int) -> list[Reply]:
    """Stores the answer; gives feedback, then the next question or the result."""
    assert turn.learner is not None
    lang = current_language()
    question = lesson.quiz[index]
    verdict = grade(question, option, lang)
    await turn.store.record_answer(
        learner_id=turn.learner.id,
        lesson_id=lesson.id,
        version=lesson.version,
        question=index,
        option=option,
        correct=verdict.correct,
        now=turn.now,
    )
    if verdict.correct:
        feedback = _("✅ Correct!")
    else:
        feedback = _("❌ Not quite. The right answer: {answer}").format(answer=verdict.right_option)
        # A question got wrong comes back for review, even once the lesson is passed.
        await turn.store.add_reviews(turn.learner.id, [(lesson.id, index)], turn.now, reset=True)
    replies = [Reply(f"{feedback}\n{question.reason.get(lang)}")]
    before = turn.position.get("right", 0)
    right = (before if isinstance(before, int) else 0) + int(verdict.correct)
    if index + 1 < len(lesson.quiz):
        turn.set_position(**{**turn.position, "q": index + 1, "right": right})
        return [*replies, question_reply(lesson, index + 1)]
    return [*replies, await _finish(turn, lesson, right)]


async def _finish(turn: Turn, lesson: Lesson, right: int) -> Reply:
    """Stores the attempt and, when passed, the completion (once); offers what comes next."""
    assert turn.learner is not None
    total = len(lesson.quiz)
    passed = lesson.passed(right)
    turn.clear_position()
    await turn.store.record_attempt(
        learner_id=turn.learner.id,
        lesson_id=lesson.id,
        version=lesson.version,
        score=right,
        total=total,
        pass_mark=lesson.pass_mark,
        passed=passed,
        now=turn.now,
    )
    if not passed:
        need = -(-lesson.pass_mark * total // 100)
        text = _("You got {right} of {total} right; {need} are needed to pass. Try again!").format(
            right=right, total=total, need=need
        )
        return Reply(
            text,
            (
                Choice(_("🔁 Retry the quiz"), f"quiz:{lesson.id}"),
                Choice(_("📖 Read the lesson again"), f"card:{lesson.id}:0"),
                help_button(f"quiz:{lesson.id}"),
                menu_button(),
            ),
        )
    done = await turn.store.completed_lessons(turn.learner.id)
    text = _("🎉 You passed: {right} of {total} right. This lesson is marked as done.").format(
        right=right, total=total
    )
    choices: list[Choice] = []
    if lesson.id in certificate.core_path(turn):
        # The core path is what the targets count: its questions are reviewed for good.
        questions = [(lesson.id, number) for number in range(total)]
        await turn.store.add_reviews(turn.learner.id, questions, turn.now, reset=False)
        if certificate.finished_core(turn, done) and not await turn.store.certificate(
            turn.learner.id
        ):
            text += "\n\n" + _(
                "🎓 You have finished the core lessons! Your commune gives you a certificate."
            )
            choices.append(Choice(_("🎓 Get my certificate"), "cert"))
    following = turn.catalog.next_lesson(lesson.id, done)
    if following is not None:
        title = following.title.get(current_language())
        choices.append(Choice(_("▶️ Next: {title}").format(title=title), f"open:{following.id}"))
    else:
        text += "\n" + _("You have finished every lesson. Well done!")
    return Reply(text, (*choices, lessons_button(), menu_button()))
