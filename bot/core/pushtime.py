"""The learner's own push time: a weekday, then an hour (settings → "When I write to you").

Weekly messages, review invitations and reminders to finish a lesson then come at that
time, once a week; "as the commune" goes back to the commune's weekly slot. Weekdays are
listed from Sunday, so the number of each weekday is its Vietnamese name: "2" or "thu 2"
is Thứ Hai, "7" is Thứ Bảy. No hour inside quiet hours is offered.
"""

from __future__ import annotations

from datetime import time

from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_index
from bot.core.turn import Turn, main_menu, menu_button
from bot.i18n import _, format_time, format_weekday

DAYS = (6, 0, 1, 2, 3, 4, 5)  # Sunday first: the Vietnamese "thứ 2" is the second choice


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


async def ask_hour(turn: Turn, day: int) -> list[Reply]:
    """Stores nothing; offers the hours of that day (the day rides in the payload)."""
    text = _("{day}: at what time?").format(day=format_weekday(day))
    hours = tuple(Choice(hour_label(h), f"slot:set:{day}:{h}") for h in turn.options.push_hours)
    return [Reply(text, (*hours, Choice(_("⬅️ Back"), "slot", means="back"), menu_button()))]


async def choose(turn: Turn, args: list[str]) -> list[Reply] | None:
    """slot · slot:day:D · slot:set:D:H · slot:default; None for anything else."""
    assert turn.learner is not None
    if not args:
        return await ask_day(turn)
    if args == ["default"]:
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
    turn.learner.push_day, turn.learner.push_hour = day, hour
    await turn.save()
    text = _("Saved: I will write to you on {when}, once a week.").format(when=current(turn))
    return [main_menu(text)]
