"""What a helper (a member of the village's community digital technology team) can do: take
a request, talk through the assistant, end it or hand it back. Every step checks the role
and the request itself, whatever buttons were shown, so a forged or someone else's button
changes nothing."""

from __future__ import annotations

import dataclasses

from bot.core import helpdesk, helptexts, relay, roles
from bot.core.citizen import Step
from bot.core.conversation import reshow
from bot.core.messages import Reply
from bot.core.payloads import parse_id
from bot.core.ports import HelpRequest
from bot.core.turn import Turn, main_menu
from bot.i18n import _


async def _recipients(turn: Turn, request: HelpRequest) -> list[int]:
    """Who was offered the request: the village's helpers, and staff once it went to them."""
    people = await turn.store.helpers_for(request.village_id)
    if request.escalated_at is not None:
        people += await turn.store.staff_for(request.village_id)
    return sorted(set(people) - {request.learner_id})


async def take(turn: Turn, number: str) -> list[Reply]:
    """Stores who took the request (the first to press, once); tells the learner and the
    other helpers; the helper's typed text goes to the learner from now on."""
    assert turn.learner is not None
    request_id = parse_id(number)
    request = await turn.store.help_request(request_id) if request_id is not None else None
    if request is None:
        return reshow(turn.state, _("That request is no longer there."))
    grants = await turn.store.grants_of(turn.learner.id)
    commune = await turn.store.village_commune(request.village_id)
    escalated = request.escalated_at is not None
    if not roles.may_take(grants, request.village_id, commune, escalated=escalated):
        return reshow(turn.state, _("Only the helpers of that village can take this request."))
    me = turn.learner.id
    if request.learner_id == me:
        return reshow(turn.state, _("That is your own request."))
    if request.status == "open" and request.helper_id == me:
        return helpdesk.status(turn, request)
    if request.status == "open":
        return [main_menu(_("Someone else has already taken this request. Thank you!"))]
    if request.status != "waiting":
        return [main_menu(_("This request is no longer waiting: it was cancelled or has ended."))]
    busy = await helpdesk.current(turn)
    if busy is not None:
        note = _("You are already in a help conversation; end it first.")
        return [Reply(note), *helpdesk.status(turn, busy)]
    name = (turn.learner.name or turn.inbound.name or "")[:64]
    others = tuple(i for i in await _recipients(turn, request) if i != me)
    notices = [helptexts.taken(request, name), helptexts.taken_by_other(request, others)]
    result = await turn.store.take_help(request.id, me, name, turn.now, notices)
    if result == "taken":
        return [main_menu(_("Someone else has already taken this request. Thank you!"))]
    if result == "busy":
        return reshow(turn.state, _("You are already in a help conversation; end it first."))
    if isinstance(result, str):
        return [main_menu(_("This request is no longer waiting: it was cancelled or has ended."))]
    turn.options.on_push()
    turn.set_talk(result.id)
    text = _("✅ You are now helping {asker} ({village}).").format(
        asker=helptexts.asker(result), village=result.village
    )
    found = helptexts.details(turn.catalog, result)
    how = _(
        "Type your messages here; I pass them on marked with your name, and theirs come to "
        "you. Tap “End” when you are done, or “Hand back” if you cannot go on."
    )
    body = "\n\n".join(part for part in (text, found, how) if part)
    return [Reply(body, helpdesk.talk_choices(result, as_helper=True))]


async def hand_back(turn: Turn, number: str) -> list[Reply]:
    """Gives the request back: it waits again, offered to the other helpers."""
    assert turn.learner is not None
    request_id = parse_id(number)
    request = await turn.store.help_request(request_id) if request_id is not None else None
    me = turn.learner.id
    if request is None or request.helper_id != me:
        return reshow(turn.state, _("That is not a conversation of yours."))
    if request.status != "open":
        return reshow(turn.state, _("That conversation has already ended."))
    again = dataclasses.replace(request, offers=request.offers + 1)
    others = tuple(i for i in await _recipients(turn, request) if i != me)
    notices = [
        helptexts.handed_back(request),
        helptexts.offer(turn.catalog, again, others, late=False),
    ]
    if await turn.store.hand_back_help(request.id, me, turn.now, notices) is None:
        return reshow(turn.state, _("That conversation has already ended."))
    turn.options.on_push()
    turn.drop_talk()
    return [main_menu(_("↩️ Handed back; I am asking the other helpers. Thank you!"))]


async def helper(turn: Turn, args: list[str]) -> list[Reply] | None:
    match args:
        case ["take", number]:
            return await take(turn, number)
        case ["back", number]:
            return await hand_back(turn, number)
        case ["end", number]:
            return await relay.end(turn, number, as_helper=True)
    return None


ROUTES: dict[str, Step] = {"helper": helper}
