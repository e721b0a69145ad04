"""What keeps learning going after a quiz (issue 17): review, the certificate, the way to
the national platform and the learner's own push time. One short step per button; each
returns None when its arguments are not valid, and the engine shows the step again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core import certificate, national, pushtime, review
from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_index
from bot.core.turn import Turn, review_button
from bot.i18n import _

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
TEXT_FLOWS = {certificate.FLOW: certificate.receive_name}


async def progress_part(turn: Turn, done: set[str]) -> tuple[list[str], list[Choice]]:
    """The lines and buttons "My progress" adds: reviews due, the certificate, the national
    platform."""
    assert turn.learner is not None
    lines: list[str] = []
    choices: list[Choice] = []
    queued, due, _upcoming = await turn.store.review_summary(turn.learner.id, turn.now)
    if queued:
        lines.append(_("🔁 Review: {due} of {queued} questions are due now.").format(
            due=due, queued=queued
        ))  # fmt: skip
        if due:
            choices.append(review_button())
    if certificate.finished_core(turn, done):
        lines.append(_("🎓 You have finished the core lessons."))
        choices.append(certificate.certificate_button())
        if await turn.store.national_since(turn.learner.id):
            lines.append(_("🇻🇳 You have registered on binhdanhocvuso.gov.vn."))
        else:
            choices.append(national.national_button())
    return lines, choices
