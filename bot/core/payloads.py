"""Button payloads ("ans:vneid-co-ban:2:1") parsed defensively (pure).

Payloads come from the platform, so anyone can forge them: only ASCII digits count as
numbers ("²" and "٣" do not), lengths and values are bounded, and anything odd reads as
None, which the engine answers by showing the step again, never with an exception.
"""

from __future__ import annotations

import re

MAX_PAYLOAD = 64  # Telegram's limit for callback data, in bytes
MAX_PARTS = 6
_ID = re.compile(r"[0-9]{1,9}")  # a database id: below 2**31 on every engine
_INDEX = re.compile(r"[0-9]{1,3}")  # a card, question or option number


def parse_id(text: str) -> int | None:
    return int(text) if _ID.fullmatch(text) else None


def parse_index(text: str) -> int | None:
    return int(text) if _INDEX.fullmatch(text) else None


def split(payload: str) -> tuple[str, list[str]] | None:
    """``action:arg:arg`` as (action, args); None for oversized or empty payloads."""
    if not payload or len(payload.encode("utf-8", "replace")) > MAX_PAYLOAD:
        return None
    action, *args = payload.split(":")
    if not action or len(args) > MAX_PARTS:
        return None
    return action, args
