"""What a village head can do: announce to their village, see its progress. Each step
checks the role itself (bot.core.roles), whatever buttons were shown."""

from __future__ import annotations

from bot.core import broadcast, staff
from bot.core.citizen import Step
from bot.core.messages import Reply
from bot.core.turn import Turn


async def announce(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await broadcast.begin(turn) if not args else None


async def announcement(turn: Turn, args: list[str]) -> list[Reply] | None:
    match args:
        case ["send", nonce]:
            return await broadcast.confirm(turn, nonce)
        case ["cancel"]:
            return await broadcast.cancel(turn)
        case ["status", push_id]:
            return await broadcast.status(turn, push_id)
        case ["stop", push_id]:
            return await broadcast.stop(turn, push_id)
    return None


async def stats(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await staff.village_stats(turn) if not args and turn.services else None


ROUTES: dict[str, Step] = {"announce": announce, "ann": announcement, "stats": stats}
