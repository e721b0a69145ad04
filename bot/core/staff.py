"""Commune staff: /baocao (report with Excel, CSV and chart, and a one-time link to the web
dashboard), the 10/10 event, a message for the next weekly slot; and /thongke for a village
head's own village (/baocao gives a village head their village and its dashboard link).
Roles are checked at every step."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core import roles
from bot.core.conversation import reshow
from bot.core.messages import Grant, Reply
from bot.core.turn import Turn, cancel_button, main_menu
from bot.i18n import _, current_language

MAX_WEEKLY = 599


def _refuse(turn: Turn) -> list[Reply]:
    return reshow(turn.state, _("This is for commune staff only."))


async def _commune(turn: Turn) -> int | None:
    assert turn.learner is not None
    grant = roles.staff_of(await turn.store.grants_of(turn.learner.id))
    return grant.commune_id if grant else None


async def report(turn: Turn) -> list[Reply]:
    """Stores an audit line (and the dashboard link, when the dashboard is on); answers with
    the commune's numbers, the files and the link. A village head gets their village's
    numbers and a link to its dashboard."""
    assert turn.learner is not None and turn.services is not None
    grants = await turn.store.grants_of(turn.learner.id)
    grant = roles.staff_of(grants)
    if grant is None or grant.commune_id is None:
        head = roles.announcer(grants)
        if head is None or head.village_id is None:
            return reshow(turn.state, _("This is for commune staff and village heads only."))
        text = await turn.services.reports.village_text(head.village_id, current_language())
        link = await _dashboard_link(turn, head)
        return [main_menu(f"{text}\n\n{link}" if link else text)]
    commune_id = grant.commune_id
    bundle = await turn.services.reports.commune_report(commune_id, current_language())
    await turn.store.audit(
        actor=f"learner {turn.learner.id}",
        action="report_exported",
        detail=f"commune {commune_id} in chat",
        now=turn.now,
    )
    replies = [Reply(bundle.text), *(Reply(path.name, document=path) for path in bundle.files)]
    link = await _dashboard_link(turn, grant)
    return [*replies, Reply(link)] if link else replies


async def _dashboard_link(turn: Turn, grant: Grant) -> str:
    """The words and the one-time address of the web dashboard; "" when it is off."""
    assert turn.learner is not None and turn.services is not None
    dashboard = turn.services.dashboard
    if dashboard is None:
        return ""
    url = await dashboard.login_link(
        learner_id=turn.learner.id, grant=grant, language=current_language(), now=turn.now
    )
    return _(
        "🖥️ The same figures, and more, on the web dashboard: {url}\n"
        "The link opens it once, within {minutes} minutes, for you only: do not forward it."
    ).format(url=url, minutes=dashboard.minutes)


async def village_stats(turn: Turn) -> list[Reply]:
    """Stores nothing; a village head's own village in numbers."""
    assert turn.learner is not None and turn.services is not None
    grant = roles.announcer(await turn.store.grants_of(turn.learner.id))
    if grant is None or grant.village_id is None:
        return reshow(turn.state, _("This is for village heads only."))
    text = await turn.services.reports.village_text(grant.village_id, current_language())
    return [main_menu(text)]


# -- the 10/10 event: place, then time -----------------------------------------------------


async def event_begin(turn: Turn) -> list[Reply]:
    """Stores the step "waiting for the place"; asks for it."""
    assert turn.learner is not None
    if await _commune(turn) is None:
        return _refuse(turn)
    turn.start_flow("event", step="place")
    text = _("🎉 Ngày hội toàn dân học tập số (10/10). Where will it be? Write the place.")
    return [Reply(text, (cancel_button(),))]


async def event_text(turn: Turn, text: str) -> list[Reply]:
    """Stores the place, then the time; the reminders use both."""
    assert turn.learner is not None and turn.services is not None
    commune_id = await _commune(turn)
    if commune_id is None:
        await turn.end_flow()
        return _refuse(turn)
    cancel = (cancel_button(),)
    if turn.flow.get("step") == "place":
        place = text.strip()
        if not 3 <= len(place) <= 200:
            return [Reply(_("Please write the place in 3 to 200 characters."), cancel)]
        turn.start_flow("event", step="time", place=place)
        return [Reply(_("At what time on 10 October? For example 07:30."), cancel)]
    match = re.fullmatch(r"\s*(\d{1,2})\s*[:hg.]\s*(\d{2})?\s*", text.lower())
    hour = int(match.group(1)) if match else 99
    minute = int(match.group(2) or 0) if match else 99
    if hour > 23 or minute > 59:
        return [Reply(_("I could not read that time. Write it like 07:30."), cancel)]
    local = turn.now.astimezone(turn.options.tz)
    year = local.year if (local.month, local.day) <= (10, 10) else local.year + 1
    starts_at = datetime(year, 10, 10, hour, minute, tzinfo=turn.options.tz)
    place = str(turn.flow.get("place", ""))
    await turn.services.staff.set_event(commune_id, place, starts_at, turn.now)
    await turn.store.audit(
        actor=f"learner {turn.learner.id}", action="event_set", detail=place, now=turn.now
    )
    await turn.end_flow()
    done = _("Saved: 10/10/{year} at {time}, {place}. The reminders will say so.")
    return [main_menu(done.format(year=year, time=f"{hour:02d}:{minute:02d}", place=place))]


# -- a message for the next weekly slot -----------------------------------------------------


async def weekly_begin(turn: Turn) -> list[Reply]:
    """Stores the step "waiting for the message"; asks for it."""
    assert turn.learner is not None
    if await _commune(turn) is None:
        return _refuse(turn)
    turn.start_flow("weekly", step="text")
    text = _("✉️ Write the message to send with the next weekly message (at most 599 characters).")
    return [Reply(text, (cancel_button(),))]


async def weekly_text(turn: Turn, text: str) -> list[Reply]:
    """Queues the message for the next weekly slot."""
    assert turn.learner is not None and turn.services is not None
    if await _commune(turn) is None:
        await turn.end_flow()
        return _refuse(turn)
    text = text.strip()
    if not text or len(text) > MAX_WEEKLY:
        message = _("The message must be 1 to {limit} characters. Please write it again.")
        return [Reply(message.format(limit=MAX_WEEKLY), (cancel_button(),))]
    week = await turn.services.staff.queue_weekly(text, f"learner {turn.learner.id}", turn.now)
    await turn.end_flow()
    return [main_menu(_("Queued for the weekly message of {week}.").format(week=week))]


# -- routes ---------------------------------------------------------------------------------


async def _report(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await report(turn) if not args and turn.services else None


async def _event(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await event_begin(turn) if not args and turn.services else None


async def _queue(turn: Turn, args: list[str]) -> list[Reply] | None:
    return await weekly_begin(turn) if not args and turn.services else None


ROUTES = {"report": _report, "event": _event, "queue": _queue}
