"""When a question comes back for review (pure): Leitner boxes at growing intervals.

A question enters at the first box, due a day later. Each right answer in a review moves it
one box on (3, 7, 21, then every 60 days); a wrong answer, in a review or a quiz, sends it
back to the first box. Passing a quiz once is not knowing: the learners who most need these
rules are the ones who forget them within weeks, and the interval grows only with proof.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

INTERVALS = (1, 3, 7, 21, 60)  # days until the next review, by box
LAST_BOX = len(INTERVALS) - 1
ROUND = 3  # questions in one review: what a push offers, and one sitting from the menu
KEPT_GRACE = timedelta(days=60)  # the core path is "kept" while no review is later than this
PUSH_EVERY = timedelta(days=7)  # at most one review invitation a week
IGNORED_LIMIT = 3  # nudges and review invitations stop after this many in a row unanswered


@dataclass(frozen=True)
class Scheduled:
    box: int
    due_at: datetime


def entered(now: datetime) -> Scheduled:
    """A question that just joined the queue (answered wrong, or part of the core path)."""
    return Scheduled(0, now + timedelta(days=INTERVALS[0]))


def after_review(box: int, correct: bool, now: datetime) -> Scheduled:
    """Right: one box on (the last box repeats); wrong: back to the start."""
    if not correct:
        return entered(now)
    following = min(max(box, 0) + 1, LAST_BOX)
    return Scheduled(following, now + timedelta(days=INTERVALS[following]))
