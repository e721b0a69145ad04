"""Pure text helpers for channels: numbered choices and splitting long messages."""

from __future__ import annotations

import re

from bot.content.textfold import fold
from bot.core.messages import Choice

__all__ = ["command", "fold", "numbered", "split"]

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def numbered(text: str, choices: tuple[Choice, ...], hint: str) -> str:
    """The message followed by "1. label" lines and a hint on how to answer."""
    if not choices:
        return text
    lines = [
        f"{number}. {choice.label}" + (f": {choice.url}" if choice.url else "")
        for number, choice in enumerate(choices, start=1)
    ]
    return f"{text}\n\n" + "\n".join(lines) + f"\n\n{hint}"


def command(text: str) -> tuple[str, str] | None:
    """``/hoc@bot args`` → ("hoc", "args"); None when the text is not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _sep, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name[:32], args.strip()) if name else None


def split(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at sentence ends where possible."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for part in _SENTENCE_END.split(text):
        while len(part) > limit:  # one sentence longer than the limit: cut at a space
            cut = part.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(part[:cut])
            part = part[cut:].lstrip()
        joined = f"{current} {part}".strip() if current else part
        if len(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = part
    if current:
        pieces.append(current)
    return pieces
