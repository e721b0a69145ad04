"""The learner's own push time: a weekday, then an hour (settings → "When I write to you").

Weekly messages, review invitations and reminders to finish a lesson then come at that
time, once a week; "as the commune" goes back to the commune's weekly slot. Weekdays are
listed from Sunday, so the number of each weekday is its Vietnamese name: "2" or "thu 2"
is Thứ Hai, "7" is Thứ Bảy. No hour inside quiet hours is offered.
"""

from __future__ import annotations

import re
from datetime import time

from bot.content.textfold import fold
from bot.core.conversation import shown_choices
from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_index
from bot.core.turn import Turn, main_menu, menu_button
from bot.i18n import _, format_alternatives, format_time, format_weekday

DAYS = (6, 0, 1, 2, 3, 4, 5)  # Sunday first: the Vietnamese "thứ 2" is the second choice
FLOW = "slothour"


def hour_label(hour: int) -> str:
    """ "6 giờ tối (18:00)": the way people say it, and the clock."""
    twelve = hour % 12 or 12
    if hour < 11:
        spoken = _("{hour} in the morning").format(hour=twelve)
    elif hour < 13:
        spoken = _("{hour} at noon").format(hour=twelve)
    elif hour < 18:
        spoken = _("{hour} in the afternoon").format(hour=twelve)
    else:
        spoken = _("{hour} in the evening").format(hour=twelve)
    return f"{spoken} ({hour:02d}:00)"


def describe(day: int, hour: int, minute: int = 0) -> str:
    """ "Thứ Hai, 08:00"."""
    return _("{day}, {time}").format(day=format_weekday(day), time=format_time(time(hour, minute)))


def current(turn: Turn) -> str:
    """When the learner's pushes come now."""
    assert turn.learner is not None
    learner = turn.learner
    if learner.push_day is not None and learner.push_hour is not None:
        return describe(learner.push_day, learner.push_hour)
    day, hour, minute = turn.options.weekly_slot
    return describe(day, hour, minute)


def settings_choice(turn: Turn) -> Choice:
    return Choice(_("🕗 My messages come: {when}").format(when=current(turn)), "slot")


async def ask_day(turn: Turn) -> list[Reply]:
    """Stores nothing; offers the weekdays, and going back to the commune's time."""
    day, hour, minute = turn.options.weekly_slot
    text = _(
        "When shall I write to you each week (weekly tip, review, reminders)? "
        "Now: {when}. Choose a day:"
    ).format(when=current(turn))
    days = tuple(Choice(format_weekday(d), f"slot:day:{d}") for d in DAYS)
    common = Choice(
        _("As the commune: {when}").format(when=describe(day, hour, minute)), "slot:default"
    )
    return [Reply(text, (*days, common, menu_button()))]


async def ask_hour(turn: Turn, day: int, note: str = "") -> list[Reply]:
    """Stores the step waiting for an hour (typed as "18", "18h" or "6 giờ tối" too);
    offers the hours of that day. Only hours: so a typed "7", "9" or "18" beyond the
    numbered choices reads as that hour."""
    turn.start_flow(FLOW, day=day)
    text = _("{day}: at what time? Tap one, or type the hour (for example 18).").format(
        day=format_weekday(day)
    )
    hours = tuple(Choice(hour_label(h), f"slot:set:{day}:{h}") for h in turn.options.push_hours)
    return [Reply(f"{note}\n{text}".strip(), hours)]


_HOUR = re.compile(r"^(\d{1,2})\s*(?:h|g|gio|00)?\s*(?:00)?\s*(sang|trua|chieu|toi|am|pm)?$")


def read_hour(text: str) -> int | None:
    """ "18", "18h", "18:00", "6 giờ tối", "6pm" → 18; None when it is no hour."""
    match = _HOUR.match(fold(text))
    if match is None:
        return None
    hour = int(match.group(1))
    if match.group(2) in ("chieu", "toi", "pm") and hour < 12:
        hour += 12
    return hour if hour < 24 else None


async def typed_hour(turn: Turn, text: str) -> list[Reply]:
    """Typed text while the hours are shown: the hour it names, or the hours again."""
    day = turn.flow.get("day")
    shown = any(c.payload.startswith("slot:set:") for c in shown_choices(turn.state))
    if not shown or not isinstance(day, int) or not 0 <= day <= 6:
        await turn.end_flow()  # the learner went elsewhere: their text is not an hour
        return [main_menu()]
    hour = read_hour(text)
    if hour is None or hour not in turn.options.push_hours:
        offered = format_alternatives([f"{h}" for h in turn.options.push_hours])
        note = _("I can write at {hours} o'clock.").format(hours=offered)
        return await ask_hour(turn, day, note)
    return await choose(turn, ["set", str(day), str(hour)]) or [main_menu()]


async def choose(turn: Turn, args: list[str]) -> list[Reply] | None:
    """slot · slot:day:D · slot:set:D:H · slot:default; None for anything else."""
    assert turn.learner is not None
    if not args:
        return await ask_day(turn)
    if args == ["default"]:
        await turn.end_flow()
        turn.learner.push_day = turn.learner.push_hour = None
        await turn.save()
        return [main_menu(_("Saved: I will write to you at the commune's time, {when}.").format(
            when=current(turn)
        ))]  # fmt: skip
    day = parse_index(args[1]) if len(args) >= 2 else None
    if day is None or day > 6:
        return None
    if args[0] == "day" and len(args) == 2:
        return await ask_hour(turn, day)
    hour = parse_index(args[2]) if args[0] == "set" and len(args) == 3 else None
    if hour is None or hour not in turn.options.push_hours:
        return None
    await turn.end_flow()
    turn.learner.push_day, turn.learner.push_hour = day, hour
    await turn.save()
    text = _("Saved: I will write to you on {when}, once a week.").format(when=current(turn))
    return [main_menu(text)]
