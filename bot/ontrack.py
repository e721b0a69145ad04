"""Are we on track? The pace of the last four weeks, from stored weekly snapshots, carried
forward to the date the target would be reached (pure: no clock, no I/O).

The pace is the change in the share of adults who finished the core path per week, measured
from the snapshot nearest four weeks back (at least one week back while the history is
shorter) to today's figure. At that pace the target is reached on the projected date; a
date after the year's end, or a pace that never gets there, is late.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

PACE_WEEKS = 4
MIN_WEEKS = 1
HORIZON_DAYS = 100 * 365  # further than this is "never at this pace"
EPSILON = 1e-6


@dataclass(frozen=True)
class Point:
    """One snapshot (or today): a day, the adults and those who finished the core path."""

    day: date
    adults: int
    done: int

    @property
    def share(self) -> float | None:
        return self.done / self.adults if self.adults else None


@dataclass(frozen=True)
class OnTrack:
    share: float | None  # now, 0–1; None when the adults are not known
    pace: float | None  # share per week (0.012 = 1.2 points a week); None: not enough history
    weeks: float  # how many weeks the pace was measured over (0 without a pace)
    projected: date | None  # when the target is reached at this pace
    reached: bool  # the target is already reached
    late: bool  # projected after the year's end, or never reached at this pace

    @property
    def never(self) -> bool:
        """Not reached, and the pace is flat, falling or too slow to name a date."""
        return not self.reached and self.pace is not None and self.projected is None


def baseline(history: list[Point], today: date) -> Point | None:
    """The snapshot nearest four weeks before today, at least a week old; None without one."""
    old_enough = [p for p in history if (today - p.day).days >= 7 * MIN_WEEKS and p.adults]
    if not old_enough:
        return None
    wanted = today - timedelta(weeks=PACE_WEEKS)
    return min(old_enough, key=lambda p: (abs((p.day - wanted).days), -p.day.toordinal()))


def on_track(now: Point, history: list[Point], target: float, year: int) -> OnTrack:
    """``target`` as a share (0.8); late means after 31 December of ``year``."""
    share = now.share
    if share is None:
        return OnTrack(None, None, 0, None, reached=False, late=False)
    if share >= target:
        return OnTrack(share, _pace(now, history), _weeks(now, history), None, True, False)
    pace = _pace(now, history)
    weeks = _weeks(now, history)
    if pace is None:
        return OnTrack(share, None, 0, None, reached=False, late=False)
    if pace <= 0:
        return OnTrack(share, pace, weeks, None, reached=False, late=True)
    days = math.ceil((target - share) / pace * 7 - EPSILON)  # 441.0000001 days is 441
    if days > HORIZON_DAYS:
        return OnTrack(share, pace, weeks, None, reached=False, late=True)
    projected = now.day + timedelta(days=days)
    return OnTrack(share, pace, weeks, projected, False, projected > date(year, 12, 31))


def _weeks(now: Point, history: list[Point]) -> float:
    base = baseline(history, now.day)
    return (now.day - base.day).days / 7 if base else 0


def _pace(now: Point, history: list[Point]) -> float | None:
    base = baseline(history, now.day)
    if base is None or base.share is None or now.share is None:
        return None
    return (now.share - base.share) / ((now.day - base.day).days / 7)
