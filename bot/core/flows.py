"""Flows that wait for typed text, and what each does with it; and the commands.

A flow is started by a step (``turn.start_flow``) and stays until it is finished or
cancelled; while it waits, text that matches no choice on screen goes to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core import ask, broadcast, check, family, helpdesk, learning, relay, staff
from bot.core.messages import Reply
from bot.core.turn import Turn

TextFlow = Callable[[Turn, str], Awaitable[list[Reply]]]

FLOWS: dict[str, TextFlow] = {
    "announce": lambda turn, text: broadcast.receive_text(turn, text),
    "event": staff.event_text,
    "weekly": staff.weekly_text,
    "check": check.verdict,
    "ask": ask.ask,
    "helpask": helpdesk.question,
    "phone": relay.phone_text,
    "profile": family.name_text,
    **learning.TEXT_FLOWS,
}

# Telegram commands are latin only: each has a Vietnamese name and an English alias.
COMMANDS: dict[str, str] = {
    "start": "start", "menu": "menu", "dung": "weekly:off", "stop": "weekly:off",
    "batdau": "weekly:on", "resume": "weekly:on", "hoc": "lessons", "lessons": "lessons",
    "tiendo": "progress", "progress": "progress", "caidat": "settings", "settings": "settings",
    "ngonngu": "setlang", "language": "setlang", "xoadulieu": "delete", "deletedata": "delete",
    "trogiup": "help", "help": "help", "ma": "code", "code": "code", "thongbao": "announce",
    "announce": "announce", "thongke": "stats", "stats": "stats", "baocao": "report",
    "report": "report", "sukien": "event", "event": "event", "tinmoi": "queue",
    "weekly": "queue", "kiemtra": "check", "check": "check", "hoi": "ask", "ask": "ask",
    "nhogiup": "helpme", "gethelp": "helpme", "nguoinha": "family", "family": "family",
    "doinguoihoc": "profile", "switch": "profile", "ontap": "review", "review": "review",
    "giay": "cert", "certificate": "cert",
}  # fmt: skip


def waiting(turn: Turn) -> TextFlow | None:
    """The flow waiting for typed text, if any (an announcement only at its text step)."""
    flow = turn.flow
    name = flow.get("name")
    if name == "announce" and flow.get("step") != "text":
        return None
    return FLOWS.get(str(name)) if name else None
