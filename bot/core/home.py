"""Main menu, help, "my progress" and the short answers to anything unexpected."""

from __future__ import annotations

from bot.core import certificate, lessons
from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, lessons_button, menu_button
from bot.i18n import _, current_language


def decorate(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """A menu gets "Continue: question 3/4" first while a lesson waits unfinished and, on a
    phone several people learn on, says who is learning now."""
    learner = turn.learner
    if learner is None or not any(reply.offer_resume for reply in replies):
        return replies
    resume = lessons.resume_choice(turn)
    who = ""
    if learner.shared:
        name = learner.name or _("the phone's owner")
        who = _("👤 Learning now: {name}").format(name=name) + "\n\n"
    if resume is None and not who:
        return replies
    first: tuple[Choice, ...] = (resume,) if resume is not None else ()
    return [
        Reply(
            who + reply.text,
            (*first, *(c for c in reply.choices if c.payload != "resume")),
            image=reply.image,
            language=reply.language,
            document=reply.document,
            photo=reply.photo,
        )
        if reply.offer_resume
        else reply
        for reply in replies
    ]


def help_reply() -> Reply:
    text = _(
        "❓ How to use hocvuso\n\n"
        "Tap the buttons under my messages. On apps without buttons, type the number "
        "of your choice.\n\n"
        "/hoc or /lessons: the lessons\n"
        "/ontap or /review: review what you learned\n"
        "/tiendo or /progress: what you have finished, your certificate\n"
        "/caidat or /settings: language, weekly messages, delete your data\n"
        "/dung or /stop: no more weekly messages; /batdau or /resume: get them again\n"
        "/kiemtra or /check: is this message or link a scam?\n"
        "Or simply type your question, with or without accents.\n"
        "/menu: the main menu\n\n"
        "I never ask for your ID card number, passwords or OTP codes. "
        "Never give them to anyone."
    )
    return Reply(text, (lessons_button(), menu_button()))


async def progress(turn: Turn) -> list[Reply]:
    """Stores nothing; lists finished and unfinished lessons with attempts."""
    assert turn.learner is not None
    lang = current_language()
    done = await turn.store.completed_lessons(turn.learner.id)
    attempts = await turn.store.attempts_by_lesson(turn.learner.id)
    lessons = turn.catalog.lessons
    finished = [lesson for lesson in lessons if lesson.id in done]
    lines = [
        _("📊 Your progress: {done} of {total} lessons finished.").format(
            done=len(finished), total=len(lessons)
        ),
        "",
    ]
    for lesson in lessons:
        mark = "✓" if lesson.id in done else "○"
        line = f"{mark} {lesson.title.get(lang)}"
        tries = attempts.get(lesson.id, 0)
        if tries and lesson.id not in done:
            line += " · " + _("quiz tried {count} times").format(count=tries)
        lines.append(line)
    extra_lines, extra_choices = await certificate.progress_part(turn, done)
    lines += ["", *extra_lines] if extra_lines else []
    return [Reply("\n".join(lines), (*extra_choices, lessons_button(), menu_button()))]


def unknown_command_note() -> str:
    return _("I don't know that command. /menu shows the main menu.")


def unknown_button_note() -> str:
    return _("I could not read that button.")


def media_note() -> str:
    return _("I can only read text and buttons, not photos, stickers or voice messages.")


def too_long_note() -> str:
    return _("That message is too long for me.")


def chat_reply() -> str:
    """A greeting or a thank-you: answer kindly, then the menu."""
    return _("You are welcome! I am here whenever you want to learn. What would you like to do?")
