"""What help conversations say, and the notices they queue (pure).

A notice goes to someone other than the person writing, whose language may differ: its
text and buttons are written in every language and the outbox picks the recipient's. The
learner is "bác"; helpers and staff are "anh/chị"; the learner's phone number and account
id are never part of any text here (only a number the learner chose to share is).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.content import Catalog
from bot.core.messages import Choice
from bot.core.payloads import parse_index
from bot.core.ports import HelpRequest, Notice, Office
from bot.i18n import LANGUAGES, _, current_language, format_time, use_locale

MAX_QUESTION = 400


def both(make: Callable[[], str]) -> dict[str, str]:
    """The same text in every language (a notice's recipient may read another one)."""
    texts = {}
    for lang in LANGUAGES:
        with use_locale(lang):
            texts[lang] = make()
    return texts


def choice(make: Callable[[], str], payload: str) -> dict[str, Any]:
    return {"label": both(make), "payload": payload}


def notice(
    key: str,
    to: tuple[int, ...],
    text: Callable[[], str],
    choices: list[dict[str, Any]] | None = None,
    *,
    step: Callable[[], str] | None = None,
    kind: str = "help",
    once: bool = False,
) -> Notice:
    """A notice whose choices become the recipient's step once delivered (so a typed "1"
    on Zalo means its first choice), kept with ``step``: a short text with nobody's words
    or name in it. ``once``: relayed words, dropped from memory as soon as they are sent."""
    content: dict[str, Any] = {"text": both(text)}
    if choices:
        content["choices"] = choices
        content["step"] = both(step or text)
    if once:
        content["once"] = True
    return Notice(key, to, content, kind)


# -- names and context ----------------------------------------------------------------------


def asker(request: HelpRequest) -> str:
    return request.asker_name or _("a learner")


def helper(request: HelpRequest) -> str:
    return request.helper_name or _("a helper")


def context_key(catalog: Catalog, where: list[str], position: dict[str, Any]) -> str | None:
    """Where the learner asked from, as a short key kept with the request; None when the
    button's arguments make no sense (forged or stale)."""
    match where:
        case []:
            return ""
        case ["here"]:
            lesson = catalog.lesson(str(position.get("lesson", "")))
            if lesson is None:
                return ""
            question, card = position.get("q"), position.get("card")
            if isinstance(question, int) and 0 <= question < len(lesson.quiz):
                return f"quiz:{lesson.id}:{question}"
            if isinstance(card, int) and 0 <= card < len(lesson.cards):
                return f"card:{lesson.id}:{card}"
            return ""
        case ["quiz", lesson_id] if catalog.lesson(lesson_id) is not None:
            return f"failed:{lesson_id}"
    return None


def context_text(catalog: Catalog, key: str) -> str:
    """The context in the current language: the lesson and card, or the question asked."""
    kind, _sep, rest = key.partition(":")
    if kind == "ask":
        return _("the question “{question}”, which I could not answer").format(question=rest)
    lesson_id, _sep, number = rest.partition(":")
    lesson = catalog.lesson(lesson_id)
    if lesson is None:
        return ""
    title = lesson.title.get(current_language())
    index = parse_index(number)
    if kind == "card" and index is not None:
        return _("{lesson}, card {number}/{total}").format(
            lesson=title, number=index + 1, total=len(lesson.cards)
        )
    if kind == "quiz" and index is not None:
        return _("{lesson}, quiz question {number}/{total}").format(
            lesson=title, number=index + 1, total=len(lesson.quiz)
        )
    if kind == "failed":
        return _("{lesson}: did not pass the quiz").format(lesson=title)
    return ""


def details(catalog: Catalog, request: HelpRequest) -> str:
    lines = []
    where = context_text(catalog, request.context) if request.context else ""
    if where:
        lines.append(f"📘 {where}")
    if request.question:
        lines.append(f"❓ {request.question}")
    return "\n".join(lines)


def office_text(office: Office | None) -> str:
    """Where to ask in person: the commune office, with its hours and address if known."""
    if office is None:
        return _("the commune People's Committee")
    lines = [_("the People's Committee of {commune}").format(commune=office.commune)]
    if office.hours:
        lines.append(_("🕘 Opening hours: {hours}").format(hours=office.hours))
    if office.address:
        lines.append(_("📍 Address: {address}").format(address=office.address))
    return "\n".join(lines)


def expected(quiet_until: datetime | None) -> str:
    """When helpers will see a request: soon, or when the quiet hours end."""
    if quiet_until is None:
        return _("I will tell you as soon as one of them takes it, usually within 2 hours.")
    return _(
        "It is night now, so they will get it at {time}; I will tell you when one of them takes it."
    ).format(time=format_time(quiet_until))


# -- the notices ----------------------------------------------------------------------------


def offer(
    catalog: Catalog, request: HelpRequest, to: tuple[int, ...], *, late: bool, why: str = ""
) -> Notice:
    """To the village's helpers; ``late``: to the commune staff, because nobody took it in
    time, or (``why`` "none") because the village has no helpers."""

    def text() -> str:
        head = _("🙋 Someone asks for help")
        if late and why == "none":
            head = _(
                "🙋 Someone asks for help, and their village has no helpers yet. Can you help?"
            )
        elif late:
            head = _("⏰ Nobody has taken this request for 2 hours. Can you help?")
        lines = [head, f"👤 {asker(request)} · {request.village}", details(catalog, request)]
        lines.append(
            _(
                "Tap “I will help” to talk with them through me. Their phone number and "
                "account stay hidden unless they share them."
            )
        )
        return "\n".join(line for line in lines if line)

    take = choice(lambda: _("🙋 I will help"), f"helper:take:{request.id}")
    key = f"help:{request.id}:" + ("staff" if late else f"offer:{request.offers}")
    return notice(key, to, text, [take], step=lambda: _("🙋 Someone asks for help"))


def taken(request: HelpRequest, name: str) -> Notice:
    """To the learner: who took the request, and how the conversation goes."""

    def text() -> str:
        return _(
            "🙋 {helper}, a helper of {village}, has taken your request. Type your messages "
            "here: I pass them on, and their answers come to you. Your phone number and "
            "account stay hidden unless you share them."
        ).format(helper=name or _("a helper"), village=request.village)

    assert request.learner_id is not None
    choices = [
        choice(lambda: _("✅ End the conversation"), f"asker:end:{request.id}"),
        choice(lambda: _("📞 Give the helper my phone number"), f"asker:phone:{request.id}"),
    ]
    key = f"help:{request.id}:taken:{request.offers}"
    step = lambda: _("💬 A helper is talking with you.")  # noqa: E731
    return notice(key, (request.learner_id,), text, choices, step=step)


def taken_by_other(request: HelpRequest, to: tuple[int, ...]) -> Notice:
    def text() -> str:
        return _("✔️ The request from {asker} ({village}) has been taken. Thank you!").format(
            asker=asker(request), village=request.village
        )

    return notice(f"help:{request.id}:gone:{request.offers}", to, text)


def relayed(request: HelpRequest, sender_id: int, words: str, kind: str, nonce: str) -> Notice:
    """What one side wrote, to the other, marked with who speaks."""
    if sender_id == request.learner_id:
        to = request.helper_id

        def text() -> str:
            return _("👤 {asker} (asking for help): {text}").format(
                asker=asker(request), text=words
            )
    else:
        to = request.learner_id

        def text() -> str:
            return _("🙋 {helper} (helper): {text}").format(helper=helper(request), text=words)

    assert to is not None
    return notice(f"help:{request.id}:msg:{nonce}", (to,), text, kind=kind, once=True)


def phone_shared(request: HelpRequest, phone: str, kind: str, nonce: str) -> Notice:
    assert request.helper_id is not None

    def text() -> str:
        return _("📞 {asker} shares a phone number with you: {phone}").format(
            asker=asker(request), phone=phone
        )

    return notice(
        f"help:{request.id}:msg:{nonce}", (request.helper_id,), text, kind=kind, once=True
    )


def rate_choices(request_id: int) -> list[dict[str, Any]]:
    return [
        choice(lambda: _("👍 Yes, it helped"), f"asker:rate:{request_id}:up"),
        choice(lambda: _("👎 Not really"), f"asker:rate:{request_id}:down"),
    ]


def rate_buttons(request_id: int) -> tuple[Choice, ...]:
    return (
        Choice(_("👍 Yes, it helped"), f"asker:rate:{request_id}:up", means="yes"),
        Choice(_("👎 Not really"), f"asker:rate:{request_id}:down", means="no"),
    )


def ended_by_learner(request: HelpRequest) -> Notice:
    assert request.helper_id is not None

    def text() -> str:
        return _("✅ {asker} has ended the conversation. Thank you for helping!").format(
            asker=asker(request)
        )

    return notice(f"help:{request.id}:end", (request.helper_id,), text)


def ended_by_helper(request: HelpRequest) -> Notice:
    assert request.learner_id is not None

    def text() -> str:
        return _("✅ {helper} has ended the conversation. Did they help you?").format(
            helper=helper(request)
        )

    key = f"help:{request.id}:end"
    step = lambda: _("Did the helper help you?")  # noqa: E731
    return notice(key, (request.learner_id,), text, rate_choices(request.id), step=step)


def handed_back(request: HelpRequest) -> Notice:
    assert request.learner_id is not None

    def text() -> str:
        return _(
            "↩️ {helper} cannot go on helping and has handed your request back. I am asking "
            "the other helpers of {village}."
        ).format(helper=helper(request), village=request.village)

    return notice(f"help:{request.id}:back:{request.offers}", (request.learner_id,), text)


def expired(request: HelpRequest, office: Office | None) -> Notice:
    """To the learner after 24 hours without a helper: where to ask in person."""
    assert request.learner_id is not None

    def text() -> str:
        return _(
            "😔 Sorry: nobody has been able to take your request in 24 hours. You can ask in "
            "person at {office}"
        ).format(office=office_text(office))

    return notice(f"help:{request.id}:expired", (request.learner_id,), text)
