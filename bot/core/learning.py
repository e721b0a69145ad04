"""What keeps learning going after a quiz (issue 17): review, the certificate, the way to
the national platform and the learner's own push time. One short step per button; each
returns None when its arguments are not valid, and the engine shows the step again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core import certificate, national, pushtime, review
from bot.core.messages import Reply
from bot.core.payloads import parse_index
from bot.core.turn import Turn

Step = Callable[[Turn, list[str]], Awaitable[list[Reply] | None]]


async def review_(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await review.start(turn) if not args else None


async def review_answer(turn: Turn, args: list[str]) -> list[Reply] | None:
    if len(args) != 2:
        return None
    index, option = parse_index(args[0]), parse_index(args[1])
    if index is None or option is None:
        return None
    return await review.answer(turn, index, option)


async def certificate_(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await certificate.step(turn, args)


async def national_(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await national.step(turn, args)


async def slot(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await pushtime.choose(turn, args)


ROUTES: dict[str, Step] = {
    "review": review_,
    "rev": review_answer,
    "cert": certificate_,
    "national": national_,
    "slot": slot,
}
# Flows that wait for typed text.
TEXT_FLOWS = {certificate.FLOW: certificate.receive_name, pushtime.FLOW: pushtime.typed_hour}
