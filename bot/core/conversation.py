"""The step a learner is on: the choices last shown, read first against whatever they type.

Every reply with choices becomes the learner's step (stored with their state, so it holds
after a restart and on every channel); a turn whose replies have no choices ends it, so a
"1" typed after "Không đồng ý" is never read against an older menu. Typed text that fits
no choice goes to the flow waiting for text, else to the scam check when it looks like a
received message, else to the answer search when it is a question; anything else gets the
step again with a short hint.
"""

from __future__ import annotations

from typing import Any

from bot.core import ask, check, home, intent
from bot.core.messages import Choice, Reply
from bot.core.scamcheck import ScamChecker
from bot.core.turn import Turn, main_menu
from bot.i18n import _, format_alternatives

MAX_SHOWN_TEXT = 1500


def shown_choices(state: dict[str, Any]) -> tuple[Choice, ...]:
    shown = state.get("shown") or {}
    rows = shown.get("choices") if isinstance(shown, dict) else None
    if not isinstance(rows, list):
        return ()
    choices = []
    for row in rows:
        if isinstance(row, list) and len(row) == 4 and all(isinstance(v, str) for v in row[:3]):
            choices.append(Choice(row[0], row[1], means=row[2], url=row[3] or None))
    return tuple(choices)


def step_of(reply: Reply) -> dict[str, Any]:
    """The ``shown`` part of the state for a message with choices."""
    return {
        "text": reply.text[:MAX_SHOWN_TEXT],
        "choices": [[c.label, c.payload, c.means, c.url or ""] for c in reply.choices],
    }


def remember(state: dict[str, Any], replies: list[Reply]) -> bool:
    """Store the last reply with choices as the step (or end it); True when it changed."""
    if not replies:
        return False
    step = next((reply for reply in reversed(replies) if reply.choices), None)
    if step is None:
        return state.pop("shown", None) is not None
    shown = step_of(step)
    changed = state.get("shown") != shown
    state["shown"] = shown
    return changed


def reshow(state: dict[str, Any], note: str) -> list[Reply]:
    """``note``, then the step again exactly as it was shown (so the stored step does not
    change); the main menu when no step is open."""
    choices = shown_choices(state)
    if not choices:
        return [main_menu(note)]
    text = str((state.get("shown") or {}).get("text", ""))
    return [Reply(note), Reply(text, choices)]


def number_hint(count: int) -> str:
    numbers = [str(number) for number in range(1, count + 1)]
    return _("Please tap a button below, or type the number {numbers}.").format(
        numbers=format_alternatives(numbers)
    )


def not_on_menu(state: dict[str, Any], number: int) -> list[Reply]:
    count = len(shown_choices(state))
    note = _("There is no number {number} here.").format(number=number)
    return reshow(state, f"{note} {number_hint(count)}")


def not_understood(state: dict[str, Any]) -> list[Reply]:
    count = len(shown_choices(state))
    note = _("I did not catch that.")
    return reshow(state, f"{note} {number_hint(count)}" if count else note)


def too_early(state: dict[str, Any]) -> list[Reply]:
    """A typed answer sent before the question it would answer had arrived."""
    note = _("Your message came before this question reached you, so I did not count it.")
    count = len(shown_choices(state))
    return reshow(state, f"{note} {number_hint(count)}")


def kind_of(checker: ScamChecker | None, text: str) -> intent.Intent:
    """A received message (by its shape and by what the checker sees), a question..."""
    level = checker.check(text[: check.MAX_TEXT]).level if checker else None
    return intent.classify(text, scam_level=level)


def looks_received(checker: ScamChecker | None, text: str) -> bool:
    return kind_of(checker, text) == "message"


async def free_text(turn: Turn, text: str) -> list[Reply]:
    """Text that fits no choice and no waiting flow: check it, answer it, or ask again."""
    services = turn.services
    checker = services.checker if services else None
    kind = kind_of(checker, text)
    if kind == "message" and checker is not None:
        return await check.verdict(turn, text, pasted=True)
    if kind == "chat":
        return [main_menu(home.chat_reply())]
    searchable = services is not None and services.search is not None
    if searchable and (kind == "question" or not shown_choices(turn.state)):
        return await ask.ask(turn, text)
    return not_understood(turn.state)
