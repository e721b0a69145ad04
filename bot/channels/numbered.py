"""Choices as numbered lines, for channels without buttons (terminal, Zalo).

What the person types back ("2", "số 2", "tiep", "dong y") reaches the core as text; the
core reads it against the choices it last showed, which it stores with the learner, so
the answer is understood after a restart and whichever process handles it.
"""

from __future__ import annotations

from bot.channels.text import command, numbered
from bot.core.messages import Kind, Reply
from bot.i18n import _, format_alternatives, use_locale


def render(reply: Reply) -> str:
    """The reply's text followed by its numbered choices and a hint in its language.

    A link choice shows its address, since there is no button to open it."""
    choices = tuple(c for c in reply.choices if not c.contact)  # no contact button here
    with use_locale(reply.language):
        numbers = [str(number) for number in range(1, len(choices) + 1)]
        hint = _("Reply {numbers}.").format(numbers=format_alternatives(numbers))
    return numbered(reply.text, choices, hint)


def read(text: str) -> tuple[Kind, str, str]:
    """(kind, text or command name, command arguments) for a typed line."""
    text = text.strip()
    parsed = command(text)
    if parsed is not None:
        return Kind.COMMAND, parsed[0], parsed[1]
    return Kind.TEXT, text, ""
