"""The same bot in the terminal: choices become numbers, no token needed."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable

from bot.channels.base import SendResult, Sent
from bot.channels.text import numbered, pick
from bot.core.engine import Engine
from bot.core.messages import Choice, Inbound, Kind, Reply
from bot.i18n import _, use_locale

Reader = Callable[[], Awaitable[str | None]]
Writer = Callable[[str], None]


async def _stdin_line() -> str | None:
    try:
        return await asyncio.to_thread(input, "> ")
    except EOFError:
        return None


def _stdout(text: str) -> None:
    print(text, flush=True)


class ConsoleChannel:
    name = "console"

    def __init__(
        self,
        engine: Engine,
        *,
        read: Reader = _stdin_line,
        write: Writer = _stdout,
        user_id: str = "local",
        language_code: str | None = None,
    ):
        self.engine = engine
        self.read = read
        self.write = write
        self.user_id = user_id
        self.language_code = language_code
        self._choices: tuple[Choice, ...] = ()
        self._ids = itertools.count(1)

    def to_inbound(self, line: str) -> Inbound:
        """A typed line: /command, a numbered choice, or free text."""
        line = line.strip()
        common = {
            "channel": self.name,
            "user_id": self.user_id,
            "chat_id": self.user_id,
            "language_code": self.language_code,
        }
        if line.startswith("/") and len(line) > 1:
            name, _sep, args = line[1:].partition(" ")
            return Inbound(kind=Kind.COMMAND, text=name.lower(), args=args.strip(), **common)
        choice = pick(line, self._choices)
        if choice is not None:
            return Inbound(kind=Kind.CHOICE, text=choice.payload, **common)
        return Inbound(kind=Kind.TEXT, text=line, **common)

    def render(self, reply: Reply) -> str:
        text = reply.text
        if reply.image is not None:
            text = f"[🖼 {reply.image.name}]\n{text}"
        with use_locale(reply.language):
            return numbered(text, reply.choices, _("Type the number of your choice."))

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        self.write(self.render(reply))
        return Sent()

    async def turn(self, line: str) -> None:
        replies = await self.engine.handle(self.to_inbound(line))
        for reply in replies:
            await self.send(self.user_id, reply)
            self.write("")
            if reply.choices:
                self._choices = reply.choices

    async def run(self) -> None:
        """Talk until end of input or Ctrl-C."""
        self.write(_("hocvuso in the terminal. Type /start to begin, Ctrl-D to quit.") + "\n")
        await self.turn("/start")
        while True:
            line = await self.read()
            if line is None:
                return
            if line.strip():
                await self.turn(line)
