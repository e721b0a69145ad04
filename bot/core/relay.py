"""The conversation between a learner and a helper, through the assistant: what one writes
goes to the other marked with who speaks, until either ends it; the learner may give the
helper a phone number, and rates the help at the end.

Quiet hours: a relayed line waits for the morning like any push, unless the other person
wrote in this conversation within the last half hour; then both are awake and writing,
and the line goes at once (a "live" push, the only kind the dispatcher sends at night).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from bot.core import conversation, helpdesk, helptexts
from bot.core.conversation import reshow
from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_id
from bot.core.ports import HelpRequest
from bot.core.turn import Turn, cancel_button, main_menu, menu_button
from bot.i18n import _, format_time

LIVE_WINDOW = timedelta(minutes=30)
_PHONE = re.compile(r"0\d{9,10}")


def normalise_phone(text: str) -> str | None:
    """A Vietnamese phone number as typed or shared ("+84 912.345.678" → "0912345678")."""
    digits = re.sub(r"[\s.\-()]", "", text.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if _PHONE.fullmatch(digits) else None


def _kind(turn: Turn, request: HelpRequest) -> tuple[str, datetime | None]:
    """("live", None) when the line may go now; ("help", when it will go) in quiet hours."""
    assert turn.learner is not None
    until = turn.options.quiet.until(turn.now, turn.options.tz)
    if until is None:
        return "help", None
    as_learner = turn.learner.id == request.learner_id
    other = request.helper_wrote_at if as_learner else request.learner_wrote_at
    if other is not None and turn.now - other <= LIVE_WINDOW:
        return "live", None
    return "help", until


def _later(turn: Turn, request: HelpRequest, until: datetime, note: str) -> list[Reply]:
    assert turn.learner is not None
    as_helper = turn.learner.id == request.helper_id
    name = helptexts.asker(request) if as_helper else helptexts.helper(request)
    text = note.format(name=name, time=format_time(until.astimezone(turn.options.tz)))
    return [Reply(text, helpdesk.talk_choices(request, as_helper=as_helper))]


async def text(turn: Turn, words: str) -> list[Reply]:
    """Typed text of someone in a help conversation: relayed while it is open, otherwise
    read like any other text (a question, a message to check)."""
    assert turn.learner is not None
    request = await helpdesk.current(turn)
    if request is None or request.status != "open":
        return await conversation.free_text(turn, words)
    kind, until = _kind(turn, request)
    notice = helptexts.relayed(request, turn.learner.id, words, kind, secrets.token_hex(6))
    if not await turn.store.relay_help(request.id, turn.learner.id, turn.now, notice):
        return await conversation.free_text(turn, words)  # it ended meanwhile
    turn.options.on_push()
    if until is None:
        return []  # like any chat: the answer is the other person's reply
    return _later(
        turn, request, until, _("🌙 It is night now; {name} will get your message at {time}.")
    )


async def _participant(turn: Turn, number: str) -> HelpRequest | None:
    assert turn.learner is not None
    request_id = parse_id(number)
    request = await turn.store.help_request(request_id) if request_id is not None else None
    if request is None or turn.learner.id not in (request.learner_id, request.helper_id):
        return None
    return request


async def end(turn: Turn, number: str, *, as_helper: bool) -> list[Reply]:
    """Ends the conversation for both; the other side is told; the learner rates it."""
    assert turn.learner is not None
    request = await _participant(turn, number)
    me = turn.learner.id
    role_ok = request is not None and me == (request.helper_id if as_helper else request.learner_id)
    if request is None or not role_ok:
        return reshow(turn.state, _("That is not a conversation of yours."))
    if request.status not in helpdesk.ALIVE:
        return reshow(turn.state, _("That conversation has already ended."))
    if request.status == "waiting":
        return await helpdesk.cancel(turn, number)
    if as_helper:
        notices = [helptexts.ended_by_helper(request)]
    else:
        notices = [helptexts.ended_by_learner(request)]
    if await turn.store.end_help(request.id, me, turn.now, notices) is None:
        return reshow(turn.state, _("That conversation has already ended."))
    turn.options.on_push()
    if turn.talk == request.id:
        turn.drop_talk()
    if as_helper:
        return [main_menu(_("✅ Conversation ended. Thank you for helping!"))]
    text = _("✅ The conversation with {helper} has ended. Did they help you?").format(
        helper=helptexts.helper(request)
    )
    return [Reply(text, (*helptexts.rate_buttons(request.id), menu_button()))]


async def ask_phone(turn: Turn, number: str) -> list[Reply]:
    """Stores the step "waiting for the phone number"; asks for it (on Telegram, one tap)."""
    assert turn.learner is not None
    request = await _participant(turn, number)
    if request is None or request.learner_id != turn.learner.id:
        return reshow(turn.state, _("That is not a conversation of yours."))
    if request.status != "open":
        return reshow(turn.state, _("That conversation has already ended."))
    turn.start_flow("phone", id=request.id)
    text = _(
        "📞 Type the phone number {helper} can call you on (for example 0912 345 678). Only "
        "{helper} will see it."
    ).format(helper=helptexts.helper(request))
    # The contact button goes last: channels without one leave it out, and the numbers
    # they show must still match the choices stored for the step.
    share = Choice(_("📞 Send my phone number"), f"asker:phone:{request.id}", contact=True)
    return [Reply(text, (cancel_button(), share))]


async def phone_text(turn: Turn, typed: str) -> list[Reply]:
    """The typed number, passed to the helper only; nothing is kept once relayed."""
    phone = normalise_phone(typed)
    if phone is None:
        note = _("That does not look like a phone number. Type it like 0912 345 678.")
        return [Reply(note, (cancel_button(),))]
    return await share_phone(turn, phone)


async def share_phone(turn: Turn, phone: str) -> list[Reply]:
    assert turn.learner is not None
    await turn.end_flow()
    request = await helpdesk.current(turn)
    if request is None or request.status != "open" or request.learner_id != turn.learner.id:
        return [main_menu(_("There is no conversation with a helper now, so I kept nothing."))]
    kind, until = _kind(turn, request)
    notice = helptexts.phone_shared(request, phone, kind, secrets.token_hex(6))
    if not await turn.store.relay_help(request.id, turn.learner.id, turn.now, notice):
        return [main_menu(_("There is no conversation with a helper now, so I kept nothing."))]
    turn.options.on_push()
    text = _("✅ I have given {helper} your phone number.").format(helper=helptexts.helper(request))
    if until is not None:
        text += " " + _("It is night now; they will see it at {time}.").format(
            time=format_time(until.astimezone(turn.options.tz))
        )
    return [Reply(text, helpdesk.talk_choices(request, as_helper=False))]


async def contact(turn: Turn, shared: str) -> list[Reply] | None:
    """Telegram's "share my phone number" button: only the person's own number arrives."""
    phone = normalise_phone(shared) if shared else None
    return await share_phone(turn, phone) if phone else None
