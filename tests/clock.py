"""A frozen clock the tests move by hand, and moments in Vietnam's time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


class Clock:
    def __init__(self, moment: datetime):
        self.now = moment.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)
