"""What every learner can do: the menu, lessons and quizzes, progress, settings, asking and
checking. One short step per button; each returns None when its arguments are not valid
(a forged or stale button), which the engine answers by showing the step again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core import (
    ask,
    check,
    family,
    helpdesk,
    home,
    lessons,
    onboarding,
    preferences,
    quiz,
    relay,
)
from bot.core.messages import Kind, Reply
from bot.core.payloads import parse_index
from bot.core.turn import Turn, main_menu
from bot.i18n import _

Step = Callable[[Turn, list[str]], Awaitable[list[Reply] | None]]


async def menu(turn: Turn, args: list[str]) -> list[Reply] | None:
    code = onboarding.carried_code(turn.inbound.args) if turn.inbound.kind is Kind.COMMAND else None
    if code is not None and onboarding.PERSONAL.match(code):
        return await family.credit(turn, code[4:])  # a relative's link, already joined
    if code is not None:
        return await onboarding.redeem(turn, code)  # /start CODE from a deep link
    return [main_menu()] if not args else None


async def code(turn: Turn, args: list[str]) -> list[Reply] | None:
    typed = onboarding.invite_code(turn.inbound.args)
    if typed is None:
        personal = family.referral_code(turn.inbound.args)
        if personal is not None:
            return await family.credit(turn, personal)  # a relative's personal invite
        return [main_menu(_("Send the code after the command, like this: /ma ABCD2345"))]
    return await onboarding.redeem(turn, typed)


async def help_(turn: Turn, args: list[str]) -> list[Reply] | None:
    return [home.help_reply()] if not args else None


async def progress(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await home.progress(turn) if not args else None


async def lesson_list(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await lessons.show_list(turn) if not args else None


async def open_(turn: Turn, args: list[str]) -> list[Reply] | None:
    lesson = turn.catalog.lesson(args[0]) if len(args) == 1 else None
    return await lessons.open_lesson(turn, lesson) if lesson else None


async def resume(turn: Turn, args: list[str]) -> list[Reply] | None:
    if args:
        return None
    if await onboarding.needs_onboarding(turn):
        return await onboarding.next_step(turn)
    return await lessons.resume(turn) or [main_menu()]


async def card(turn: Turn, args: list[str]) -> list[Reply] | None:
    lesson = turn.catalog.lesson(args[0]) if len(args) == 2 else None
    index = parse_index(args[1]) if lesson else None
    if lesson is None or index is None or index >= len(lesson.cards):
        return None
    return await lessons.show_card(turn, lesson, index)


async def quiz_(turn: Turn, args: list[str]) -> list[Reply] | None:
    lesson = turn.catalog.lesson(args[0]) if len(args) == 1 else None
    return await quiz.start(turn, lesson) if lesson else None


async def answer(turn: Turn, args: list[str]) -> list[Reply] | None:
    if len(args) != 3:
        return None
    lesson = turn.catalog.lesson(args[0])
    question, option = parse_index(args[1]), parse_index(args[2])
    if lesson is None or question is None or option is None:
        return None
    if question >= len(lesson.quiz) or option >= len(lesson.quiz[question].options):
        return None
    position = turn.position
    if position.get("lesson") != lesson.id or position.get("q") != question:
        return stale(turn)
    return await quiz.answer(turn, lesson, question, option)


def stale(turn: Turn) -> list[Reply]:
    """A button from an older message: say so and show where the learner is now."""
    note = _("That button is from an earlier message; it is already answered.")
    position = turn.position
    lesson = turn.catalog.lesson(str(position.get("lesson", "")))
    index = position.get("q")
    if lesson is not None and isinstance(index, int) and 0 <= index < len(lesson.quiz):
        return [Reply(note), quiz.question_reply(lesson, index)]
    return [main_menu(note)]


async def settings(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await preferences.show(turn) if not args else None


async def language(turn: Turn, args: list[str]) -> list[Reply] | None:
    if not args:
        return await preferences.ask_language(turn)
    return await preferences.set_language(turn, args[0]) if len(args) == 1 else None


async def village(turn: Turn, args: list[str]) -> list[Reply] | None:
    """Onboarding's village question; afterwards the same payload moves the learner."""
    if len(args) != 1:
        return None
    if await onboarding.needs_onboarding(turn):
        return await onboarding.choose_village(turn, args[0])
    return await preferences.move_village(turn, args[0])


async def change_village(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await preferences.ask_village(turn) if not args else None


async def group(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await onboarding.choose_group(turn, args[0]) if len(args) == 1 else None


async def weekly(turn: Turn, args: list[str]) -> list[Reply] | None:
    if args not in (["on"], ["off"]):
        return None
    return await preferences.set_weekly(turn, on=args == ["on"])


async def delete(turn: Turn, args: list[str]) -> list[Reply] | None:
    if not args:
        return await preferences.ask_delete(turn)
    return await preferences.delete(turn) if args == ["yes"] else None


async def check_(turn: Turn, args: list[str]) -> list[Reply] | None:
    if args or turn.services is None or turn.services.checker is None:
        return None
    if turn.inbound.kind is Kind.COMMAND and turn.inbound.args:
        return await check.verdict(turn, turn.inbound.args)  # /kiemtra <message>
    return await check.begin(turn)


async def ask_(turn: Turn, args: list[str]) -> list[Reply] | None:
    """ "This is my question": the next text is answered, not checked."""
    if args or turn.services is None or turn.services.search is None:
        return None
    return await ask.begin(turn)


async def faq(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await ask.show_faq(turn, args[0]) if len(args) == 1 else None


async def help_me(turn: Turn, args: list[str]) -> list[Reply] | None:
    """ "Ask a person for help", with where the learner is; "send" sends it as it is."""
    if args == ["send"]:
        return await helpdesk.send_as_is(turn)
    return await helpdesk.begin(turn, args)


async def asker(turn: Turn, args: list[str]) -> list[Reply] | None:
    """The learner's side of a help request; each step checks the request is theirs."""
    match args:
        case ["end", number]:
            return await relay.end(turn, number, as_helper=False)
        case ["cancel", number]:
            return await helpdesk.cancel(turn, number)
        case ["phone", number]:
            return await relay.ask_phone(turn, number)
        case ["rate", number, rating]:
            return await helpdesk.rate(turn, number, rating)
    return None


async def contact(turn: Turn, args: list[str]) -> list[Reply] | None:
    """A phone number shared with the platform's button (only the sender's own arrives)."""
    if args or turn.inbound.kind is not Kind.CHOICE:
        return None
    return await relay.contact(turn, turn.inbound.args)


async def family_(turn: Turn, args: list[str]) -> list[Reply] | None:
    match args:
        case []:
            return await family.menu(turn)
        case ["invite"]:
            return await family.invite(turn)
        case ["add"]:
            return await family.ask_name(turn)
    return None


async def profile(turn: Turn, args: list[str]) -> list[Reply] | None:
    """ "Switch learner" on a phone several people learn on."""
    if not args:
        return await family.choose(turn)
    return await family.switch(turn, args[0]) if len(args) == 1 else None


async def cancel(turn: Turn, args: list[str]) -> list[Reply] | None:
    if args != ["cancel"]:
        return None
    await turn.end_flow()
    return [main_menu(_("Cancelled; nothing was saved."))]


ROUTES: dict[str, Step] = {
    "menu": menu,
    "start": menu,
    "code": code,
    "help": help_,
    "progress": progress,
    "lessons": lesson_list,
    "open": open_,
    "resume": resume,
    "card": card,
    "quiz": quiz_,
    "ans": answer,
    "settings": settings,
    "setlang": language,
    "village": village,
    "movevillage": change_village,
    "group": group,
    "weekly": weekly,
    "delete": delete,
    "check": check_,
    "ask": ask_,
    "faq": faq,
    "flow": cancel,
    "helpme": help_me,
    "asker": asker,
    "contact": contact,
    "family": family_,
    "profile": profile,
}
# What a learner who has not finished onboarding may still do.
DURING_ONBOARDING = frozenset(
    {"village", "group", "delete", "help", "resume", "check", "ask", "faq", "setlang"}
)
