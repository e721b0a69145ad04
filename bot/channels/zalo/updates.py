"""Zalo update bodies → what the channel needs (pure; tolerant of extra and missing fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.channels.text import fold

TEXT_EVENT = "message.text.received"


@dataclass(frozen=True)
class ZaloMessage:
    event: str
    user_id: str
    chat_id: str
    in_group: bool
    text: str | None  # only for text events
    message_id: str | None
    date: int | None = None  # epoch milliseconds: the order of a user's messages
    name: str = ""  # the sender's display name


def parse(body: Any) -> ZaloMessage | None:
    """The message in a webhook body or getUpdates result; None when it has no sender."""
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("result"), dict):  # the documented wrapped form
        body = body["result"]
    message = body.get("message")
    if not isinstance(message, dict):
        return None
    sender: dict[str, Any] = message["from"] if isinstance(message.get("from"), dict) else {}
    chat: dict[str, Any] = message["chat"] if isinstance(message.get("chat"), dict) else {}
    user_id = sender.get("id")
    if not isinstance(user_id, str | int) or sender.get("is_bot") is True:
        return None
    chat_id = chat.get("id", user_id)
    event = str(body.get("event_name") or "")
    text = message.get("text") if event == TEXT_EVENT else None
    message_id = message.get("message_id")
    date = message.get("date")
    return ZaloMessage(
        event=event,
        user_id=str(user_id),
        chat_id=str(chat_id),
        in_group=str(chat.get("chat_type", "PRIVATE")).upper() == "GROUP",
        text=text if isinstance(text, str) else None,
        message_id=str(message_id) if message_id is not None else None,
        date=int(date) if isinstance(date, int | float) and not isinstance(date, bool) else None,
        name=str(sender.get("display_name") or "")[:64],
    )


def addressed(text: str, bot_names: list[str]) -> bool:
    """In a group the bot answers only a command or a message naming it (@name)."""
    if text.lstrip().startswith("/"):
        return True
    folded = fold(text)
    return "@" in text and any(fold(name) in folded for name in bot_names if fold(name))
