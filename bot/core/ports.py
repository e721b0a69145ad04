"""What the core needs from storage, as a Protocol; bot.storage implements it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from bot.content.search import SearchIndex
from bot.core.messages import Grant, Learner, Village
from bot.core.scamcheck import ScamChecker


class LearnerStore(Protocol):
    async def claim_update(self, channel: str, update_id: str, now: datetime) -> bool:
        """True the first time an update is seen; False for a replay."""

    async def get_learner(self, channel: str, user_id: str) -> Learner | None: ...

    async def create_learner(
        self, *, channel: str, user_id: str, chat_id: str, language: str, now: datetime
    ) -> Learner: ...

    async def update_learner(self, learner: Learner, now: datetime) -> None:
        """Save language, village, group and conversation state."""

    async def delete_learner(self, learner_id: int, now: datetime) -> None:
        """Erase the learner and every row naming them; roles end, the audit keeps no id."""

    async def roles_held(self, learner_id: int) -> list[tuple[str, str]]:
        """(role, village or commune name) for each role held now."""

    async def get_pending(self, channel: str, user_id: str) -> dict[str, Any]:
        """The step of a chat that has not consented yet ({} when none)."""

    async def save_pending(
        self, channel: str, user_id: str, state: dict[str, Any], now: datetime
    ) -> None:
        """Keep that step; an empty state drops it."""

    async def villages(self) -> list[Village]: ...

    async def record_answer(
        self,
        *,
        learner_id: int,
        lesson_id: str,
        version: int,
        question: int,
        option: int,
        correct: bool,
        now: datetime,
    ) -> None: ...

    async def record_attempt(
        self,
        *,
        learner_id: int,
        lesson_id: str,
        version: int,
        score: int,
        total: int,
        pass_mark: int,
        passed: bool,
        now: datetime,
    ) -> bool:
        """Store a finished quiz; a passing one records the completion once. True if new."""

    async def completed_lessons(self, learner_id: int) -> set[str]: ...

    async def attempts_by_lesson(self, learner_id: int) -> dict[str, int]: ...

    # -- roles and announcements ----------------------------------------------------------

    async def redeem_invite(self, code: str, learner_id: int, now: datetime) -> Grant | str: ...

    async def grants_of(self, learner_id: int) -> list[Grant]: ...

    async def village_name(self, village_id: int) -> str | None: ...

    async def reachable_in_village(self, village_id: int) -> int: ...

    async def announcements_since(self, creator_id: int, since: datetime) -> int: ...

    async def create_announcement(
        self,
        *,
        key: str,
        text: str,
        creator_id: int,
        village_id: int,
        now: datetime,
        photo: dict[str, str] | None = None,
    ) -> int | None: ...

    async def push_creator(self, push_id: int) -> int | None: ...

    async def push_summaries(
        self, push_ids: list[int] | None = None, limit: int = 50
    ) -> list[Any]: ...

    async def cancel_push(self, push_id: int, now: datetime) -> int: ...

    async def audit(self, *, actor: str, action: str, detail: str, now: datetime) -> None: ...

    async def count_use(self, kind: str, now: datetime) -> None: ...


@dataclass(frozen=True)
class ReportBundle:
    """A report as chat text plus files to attach (Excel, CSV, chart picture)."""

    text: str
    files: list[Path] = field(default_factory=list)


class Reports(Protocol):
    async def commune_report(self, commune_id: int, lang: str) -> ReportBundle: ...

    async def village_text(self, village_id: int, lang: str) -> str: ...


class StaffTools(Protocol):
    async def set_event(
        self, commune_id: int, place: str, starts_at: datetime, now: datetime
    ) -> None: ...

    async def queue_weekly(self, text: str, by: str, now: datetime) -> str: ...


class DashboardLinks(Protocol):
    minutes: int  # how long a link works

    async def login_link(
        self, *, learner_id: int, grant: Grant, language: str, now: datetime
    ) -> str:
        """A one-time address that opens the web dashboard on the grant's commune (or its
        village, for a village head), in ``language``."""


@dataclass(frozen=True)
class Services:
    """Work the core asks for but does not do itself: reports, staff tools, the web
    dashboard's login links (None when it is off), and the two pure helpers built once from
    the content (the ask index and the scam checker)."""

    reports: Reports
    staff: StaffTools
    search: SearchIndex | None = None
    checker: ScamChecker | None = None
    dashboard: DashboardLinks | None = None
