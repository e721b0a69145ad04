"""The same bot in the terminal: choices become numbers, no token needed."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

from bot.channels import numbered
from bot.channels.base import SendResult, Sent
from bot.core.engine import Engine
from bot.core.messages import Inbound, Reply
from bot.i18n import _

Reader = Callable[[], Awaitable[str | None]]
Writer = Callable[[str], None]
# Messages queued for the terminal's user (a helper's answer, a help request): the terminal
# has no push, so they are shown after each line typed and every few seconds.
Inbox = Callable[[str], Awaitable[list[Reply]]]


class _StdinLines:
    """Lines typed in the terminal, read by a daemon thread so Ctrl-C never waits on input()."""

    def __init__(self) -> None:
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._read, name="console-stdin", daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                line: str | None = input("> ")
            except (EOFError, OSError):
                line = None
            self._loop.call_soon_threadsafe(self._lines.put_nowait, line)
            if line is None:
                return

    async def __call__(self) -> str | None:
        return await self._lines.get()


def _stdout(text: str) -> None:
    print(text, flush=True)


class ConsoleChannel:
    name = "console"

    def __init__(
        self,
        engine: Engine,
        *,
        read: Reader | None = None,
        write: Writer = _stdout,
        user_id: str = "local",
        language_code: str | None = None,
        inbox: Inbox | None = None,
        poll: float = 3.0,
    ):
        self.engine = engine
        self._read = read
        self.write = write
        self.user_id = user_id
        self.language_code = language_code
        self.inbox = inbox
        self.poll = poll

    def to_inbound(self, line: str) -> Inbound:
        """A typed line: /command, a numbered choice, or free text."""
        kind, text, args = numbered.read(line)
        return Inbound(
            channel=self.name,
            user_id=self.user_id,
            chat_id=self.user_id,
            kind=kind,
            text=text,
            args=args,
            language_code=self.language_code,
        )

    async def start(self) -> None:
        """The terminal needs no connection; `run` drives it."""

    async def start_webhook(self, url: str, secret: str) -> None:
        raise NotImplementedError("the console channel has no webhook")

    async def stop(self) -> None:
        """Nothing to close."""

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        text = numbered.render(reply)
        if reply.document is not None:
            text = f"[📎 {reply.document}]"
        if reply.image is not None:
            text = f"[🖼 {reply.image.name}]\n{text}"
        self.write(text)
        return Sent()

    async def turn(self, line: str) -> None:
        for reply in await self.engine.handle(self.to_inbound(line)):
            await self.send(self.user_id, reply)
            self.write("")
        await self.show_inbox()

    async def show_inbox(self) -> None:
        """What others sent the terminal's user since the last look."""
        if self.inbox is None:
            return
        for reply in await self.inbox(self.user_id):
            await self.send(self.user_id, reply)
            self.write("")

    async def run(self) -> None:
        """Talk until end of input or Ctrl-C."""
        read = self._read or _StdinLines()
        self.write(_("hocvuso in the terminal. Type /start to begin, Ctrl-D to quit.") + "\n")
        await self.turn("/start")
        while True:
            try:
                line = await asyncio.wait_for(read(), self.poll) if self.inbox else await read()
            except TimeoutError:
                await self.show_inbox()
                continue
            if line is None:
                return
            if line.strip():
                await self.turn(line)
