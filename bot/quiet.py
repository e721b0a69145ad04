"""Quiet hours: nothing is pushed between 21:00 and 07:00 local time; pushes wait for 07:00."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(7, 0)
    enabled: bool = True

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """ "21:00-07:00", or "off" (only for tests and special cases)."""
        if text.strip().lower() == "off":
            return cls(enabled=False)
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
        if not match:
            raise ValueError("must look like '21:00-07:00' or be 'off'")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError("has an impossible time of day")
        return cls(time(h1, m1), time(h2, m2))

    def covers(self, at: time) -> bool:
        """Whether a time of day falls inside the quiet hours."""
        if not self.enabled or self.start == self.end:
            return False
        if self.start > self.end:
            return at >= self.start or at < self.end
        return self.start <= at < self.end

    def until(self, now: datetime, tz: ZoneInfo) -> datetime | None:
        """When the current quiet period ends (in ``now``'s zone), or None if not quiet."""
        if not self.enabled or self.start == self.end:
            return None
        local = now.astimezone(tz)
        at = local.time()
        overnight = self.start > self.end
        if not self.covers(at):
            return None
        day = local.date()
        if overnight and at >= self.start:
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=tz).astimezone(now.tzinfo)

    def daytime(self, start: datetime, end: datetime, tz: ZoneInfo) -> timedelta:
        """How much of ``start`` → ``end`` lies outside quiet hours: a request made at
        20:00 has waited 1 daytime hour at 08:00 the next morning."""
        total = timedelta(0)
        moment = start
        while moment < end:
            until = self.until(moment, tz)
            if until is not None:  # quiet now: skip to its end
                moment = until
                continue
            if not self.enabled or self.start == self.end:
                return total + (end - moment)
            local = moment.astimezone(tz)
            quiet_from = datetime.combine(local.date(), self.start, tzinfo=tz)
            if quiet_from <= local:
                quiet_from += timedelta(days=1)
            stop = min(end, quiet_from.astimezone(moment.tzinfo))
            total += stop - moment
            moment = stop
        return total

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}" if self.enabled else "off"
