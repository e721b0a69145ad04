"""When things are due, in Vietnam time (pure: no clock, no I/O).

Each job looks back for its most recent due time and runs it if it has not run yet; the
database key of that run makes it happen once, even when the bot was down at the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# "Ngày hội toàn dân học tập số", every 10 October: a week before, the day before, the morning.
EVENT_MONTH, EVENT_DAY = 10, 10
REMINDERS = {
    "week_before": (3, time(8, 0)),
    "day_before": (9, time(8, 0)),
    "day_of": (10, time(7, 0)),
}
NUDGE_AT = time(9, 0)
SNAPSHOT_AT = time(0, 5)  # Mondays: the week's progress snapshot (any later run also takes it)
NUDGE_IDLE = timedelta(days=7)
WEEKLY_CATCH_UP = timedelta(days=2)  # later than this, a missed weekly slot is skipped
NUDGE_CATCH_UP = timedelta(hours=12)
ROTATION_START = date(2025, 1, 6)  # a Monday; week 0 of the weekly rotation
HELP_EVERY = 10  # minutes between looks at help requests nobody has taken
HELP_TO_STAFF = timedelta(hours=2)  # of daytime (outside quiet hours) without a helper
HELP_GIVE_UP = timedelta(hours=24)  # then the learner is sent to the commune office


@dataclass(frozen=True)
class WeeklySlot:
    weekday: int  # 0 = Monday
    hour: int
    minute: int

    @classmethod
    def parse(cls, text: str) -> WeeklySlot:
        """ "mon 08:00" (weekday in English, 24-hour time)."""
        match = re.fullmatch(r"\s*([a-z]{3})\s+(\d{1,2}):(\d{2})\s*", text.lower())
        if not match or match.group(1) not in WEEKDAYS:
            raise ValueError("must look like 'mon 08:00' (mon…sun, 24-hour time)")
        hour, minute = int(match.group(2)), int(match.group(3))
        if hour > 23 or minute > 59:
            raise ValueError("has an impossible time of day")
        return cls(WEEKDAYS.index(match.group(1)), hour, minute)

    def last(self, now: datetime) -> datetime:
        """The most recent slot at or before ``now`` (aware, local)."""
        days_back = (now.weekday() - self.weekday) % 7
        candidate = datetime.combine(
            now.date() - timedelta(days=days_back), time(self.hour, self.minute), now.tzinfo
        )
        return candidate if candidate <= now else candidate - timedelta(days=7)

    def next(self, now: datetime) -> datetime:
        return self.last(now) + timedelta(days=7)

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}:{self.minute:02d}"


def reminder_at(year: int, when: str, tz: ZoneInfo) -> datetime:
    day, at = REMINDERS[when]
    return datetime.combine(date(year, EVENT_MONTH, day), at, tz)


def due_reminders(now: datetime) -> list[tuple[str, datetime]]:
    """Reminders whose time has come and whose window has not closed (the next one's time,
    or the end of 10 October); a reminder missed for longer is not sent late."""
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo)
    names = list(REMINDERS)
    due = []
    for index, when in enumerate(names):
        start = reminder_at(now.year, when, tz)
        if index + 1 < len(names):
            end = reminder_at(now.year, names[index + 1], tz)
        else:
            end = datetime.combine(date(now.year, EVENT_MONTH, EVENT_DAY + 1), time(0), tz)
        if start <= now < end:
            due.append((when, start))
    return due


def next_reminders(now: datetime) -> list[tuple[str, datetime]]:
    """The three reminders of this year's day, or next year's once it has passed."""
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo)
    year = now.year
    if now >= datetime.combine(date(year, EVENT_MONTH, EVENT_DAY + 1), time(0), tz):
        year += 1
    return [(when, reminder_at(year, when, tz)) for when in REMINDERS]


def last_daily(now: datetime, at: time) -> datetime:
    today = datetime.combine(now.date(), at, now.tzinfo)
    return today if today <= now else today - timedelta(days=1)


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def rotation_index(day: date, count: int) -> int:
    """Which weekly message a week gets: one after another, starting over at the end."""
    return ((day - ROTATION_START).days // 7) % count


def recent_hours(now: datetime, window: timedelta) -> list[datetime]:
    """Every whole local hour in (now - window, now], the latest first: the slots a run may
    still serve for learners who chose their own hour."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    hours = []
    while now - hour < window:
        hours.append(hour)
        hour -= timedelta(hours=1)
    return hours
