"""Village head: /thongbao → text → preview with the recipient count → confirm → sent through
the outbox, with progress, a summary, and cancel at any step.

Every step re-checks the role; the confirm button carries a one-time nonce kept in the
sender's own state, so a replayed or forged button does nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time

from bot.core import roles
from bot.core.conversation import reshow
from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_id
from bot.core.turn import Turn, cancel_button, main_menu, menu_button
from bot.i18n import _, format_number

MAX_TEXT = 1500


def _refuse(turn: Turn) -> list[Reply]:
    return reshow(turn.state, _("Only a village head can send announcements to a village."))


def _day_start(now: datetime, tz: object) -> datetime:
    local = now.astimezone(tz)  # type: ignore[arg-type]
    return datetime.combine(local.date(), time(0), local.tzinfo).astimezone(now.tzinfo)


async def begin(turn: Turn) -> list[Reply]:
    """Stores the step "waiting for the text"; asks for it."""
    assert turn.learner is not None
    grant = roles.announcer(await turn.store.grants_of(turn.learner.id))
    if grant is None:
        return _refuse(turn)
    assert grant.village_id is not None
    sent_today = await turn.store.announcements_since(
        turn.learner.id, _day_start(turn.now, turn.options.tz)
    )
    if sent_today >= turn.options.announce_limit:
        text = _("You have sent {count} announcements today, the daily limit. Try again tomorrow.")
        return [main_menu(text.format(count=sent_today))]
    turn.start_flow("announce", step="text")
    village = await turn.store.village_name(grant.village_id)
    text = _("📢 Announcement to {village}. Write it now in one message (or tap Cancel).")
    return [Reply(text.format(village=village), (cancel_button("ann:cancel"),))]


async def receive_text(turn: Turn, text: str, photo: dict[str, str] | None = None) -> list[Reply]:
    """Stores the text (and the picture, by the sender's platform's reference) and a fresh
    nonce; shows the preview with the exact recipient count."""
    assert turn.learner is not None
    grant = roles.announcer(await turn.store.grants_of(turn.learner.id))
    if grant is None or grant.village_id is None:
        await turn.end_flow()
        return _refuse(turn)
    text = text.strip()
    cancel = (cancel_button("ann:cancel"),)
    if not text:
        return [Reply(_("The announcement is empty. Please write it in one message."), cancel)]
    if len(text) > MAX_TEXT:
        message = _(
            "This announcement has {length} characters; at most {limit} fit. Please shorten "
            "it and send it again (your draft is still open)."
        )
        length, limit = format_number(len(text)), format_number(MAX_TEXT)
        return [Reply(message.format(length=length, limit=limit), cancel)]
    nonce = secrets.token_hex(4)
    draft: dict[str, object] = {"step": "confirm", "text": text, "nonce": nonce}
    if photo:
        draft["photo"] = photo
    turn.start_flow("announce", **draft)
    count = await turn.store.reachable_in_village(grant.village_id)
    village = await turn.store.village_name(grant.village_id)
    preview = _("Preview:\n\n{text}\n\nIt will go to {count} learners in {village}. Send it?")
    if photo:
        preview += "\n" + _("(with the picture; on Zalo only the text arrives)")
    return [
        Reply(
            preview.format(text=text, count=format_number(count), village=village),
            (
                Choice(_("✅ Send"), f"ann:send:{nonce}", means="yes"),
                cancel_button("ann:cancel"),
            ),
        )
    ]


async def confirm(turn: Turn, nonce: str) -> list[Reply]:
    """Queues the announcement (one outbox row per learner in the village) and audits it."""
    assert turn.learner is not None
    state = turn.flow
    if state.get("name") != "announce" or state.get("nonce") != nonce or not nonce:
        return reshow(turn.state, _("That announcement is no longer waiting to be sent."))
    grant = roles.announcer(await turn.store.grants_of(turn.learner.id))
    if grant is None or grant.village_id is None:
        return _refuse(turn)
    text = str(state["text"])
    photo = state.get("photo")
    await turn.end_flow()
    push_id = await turn.store.create_announcement(
        key=f"announce:{turn.learner.id}:{nonce}",
        text=text,
        creator_id=turn.learner.id,
        village_id=grant.village_id,
        now=turn.now,
        photo=photo if isinstance(photo, dict) else None,
    )
    if push_id is None:
        return reshow(turn.state, _("That announcement is no longer waiting to be sent."))
    turn.options.on_push()
    summary = (await turn.store.push_summaries([push_id]))[0]
    reply = _("📤 Sending to {count} learners. I will tell you how it goes.")
    return [
        Reply(
            reply.format(count=format_number(summary.total)),
            (
                Choice(_("📊 Progress"), f"ann:status:{push_id}"),
                Choice(_("⛔ Stop sending"), f"ann:stop:{push_id}"),
                menu_button(),
            ),
        )
    ]


async def cancel(turn: Turn) -> list[Reply]:
    """Forgets a draft announcement."""
    assert turn.learner is not None
    if turn.flow.get("name") == "announce":
        await turn.end_flow()
    return [main_menu(_("Cancelled; nothing was sent."))]


async def _own_push(turn: Turn, push_id: str) -> int | None:
    assert turn.learner is not None
    number = parse_id(push_id)
    if number is None:
        return None
    creator = await turn.store.push_creator(number)
    grants = await turn.store.grants_of(turn.learner.id)
    return number if roles.may_stop(grants, turn.learner.id, creator) else None


def progress_text(sent: int, total: int, unreachable: int, failed: int, done: bool) -> str:
    if done:
        text = _(
            "✅ Announcement finished: sent {sent}, unreachable {unreachable}, failed {failed}."
        )
    else:
        text = _("📤 Sent {sent}/{total}.")
    return text.format(
        sent=format_number(sent),
        total=format_number(total),
        unreachable=format_number(unreachable),
        failed=format_number(failed),
    )


async def status(turn: Turn, push_id: str) -> list[Reply]:
    """Stores nothing; how far the learner's own announcement has gone."""
    own = await _own_push(turn, push_id)
    if own is None:
        return reshow(turn.state, _("That is not an announcement of yours."))
    summary = (await turn.store.push_summaries([own]))[0]
    counts = summary.counts
    text = progress_text(
        counts.get("sent", 0),
        summary.total,
        counts.get("unreachable", 0),
        counts.get("failed", 0),
        summary.done,
    )
    choices = [] if summary.done else [Choice(_("⛔ Stop sending"), f"ann:stop:{own}")]
    return [Reply(text, (Choice(_("📊 Progress"), f"ann:status:{own}"), *choices, menu_button()))]


async def stop(turn: Turn, push_id: str) -> list[Reply]:
    """Cancels what is not sent yet of the learner's own announcement."""
    own = await _own_push(turn, push_id)
    if own is None:
        return reshow(turn.state, _("That is not an announcement of yours."))
    cancelled = await turn.store.cancel_push(own, turn.now)
    summary = (await turn.store.push_summaries([own]))[0]
    text = _("⛔ Stopped. Already sent: {sent}. Not sent: {cancelled}.")
    sent = format_number(summary.counts.get("sent", 0))
    return [main_menu(text.format(sent=sent, cancelled=format_number(cancelled)))]
