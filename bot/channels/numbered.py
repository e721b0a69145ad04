"""Choices as numbered lines, for channels without buttons (terminal, Zalo).

The choices last shown in each chat are remembered in memory (bounded), so "2", "tiep" or
"Tiếp" typed next is read back as that button. After a restart the memory is empty: a
number then reaches the core as text, which answers with the menu again.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.channels.text import command, numbered, pick
from bot.core.messages import Choice, Kind, Reply
from bot.i18n import _, format_alternatives, use_locale


class NumberedMenus:
    def __init__(self, limit: int = 100_000):
        self.limit = limit
        self._shown: OrderedDict[str, tuple[Choice, ...]] = OrderedDict()

    def render(self, reply: Reply) -> str:
        """The reply's text followed by its numbered choices and a hint in its language."""
        with use_locale(reply.language):
            numbers = [str(number) for number in range(1, len(reply.choices) + 1)]
            hint = _("Reply {numbers}.").format(numbers=format_alternatives(numbers))
        return numbered(reply.text, reply.choices, hint)

    def remember(self, chat_id: str, reply: Reply) -> None:
        if not reply.choices:
            return
        self._shown[chat_id] = reply.choices
        self._shown.move_to_end(chat_id)
        while len(self._shown) > self.limit:
            self._shown.popitem(last=False)

    def read(self, chat_id: str, text: str) -> tuple[Kind, str, str]:
        """(kind, text or payload or command name, command arguments) for a typed line."""
        text = text.strip()
        parsed = command(text)
        if parsed is not None:
            return Kind.COMMAND, parsed[0], parsed[1]
        choice = pick(text, self._shown.get(chat_id, ()))
        if choice is not None:
            return Kind.CHOICE, choice.payload, ""
        return Kind.TEXT, text, ""
