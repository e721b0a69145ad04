"""What the core needs from storage, as a Protocol; bot.storage implements it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from bot.content.search import SearchIndex
from bot.core.messages import CertificateRecord, Grant, Learner, ReviewItem, Village
from bot.core.scamcheck import ScamChecker


@dataclass(frozen=True)
class Notice:
    """A message to people other than the one writing (helpers, the learner, staff), queued
    in the outbox so it is paced, retried and sent once: ``key`` is unique per message;
    ``content`` has the text (and choices) in every language, as pushes do. ``kind`` "help"
    waits out quiet hours; "live" (a conversation both sides are writing in) does not."""

    key: str
    to: tuple[int, ...]
    content: dict[str, Any]
    kind: str = "help"


@dataclass(frozen=True)
class HelpRequest:
    """A learner's request for a person's help, as stored (names and texts only while it
    lives; ``learner_id`` is None once the learner deleted their data)."""

    id: int
    learner_id: int | None
    village_id: int
    village: str
    status: str  # waiting, open, closed, cancelled, expired
    helper_id: int | None
    asker_name: str
    helper_name: str
    question: str
    context: str
    created_at: datetime
    waiting_since: datetime
    taken_at: datetime | None = None
    escalated_at: datetime | None = None
    learner_wrote_at: datetime | None = None
    helper_wrote_at: datetime | None = None
    offers: int = 0
    rating: str | None = None


@dataclass(frozen=True)
class Office:
    """Where to go when nobody could help: the commune office (from the config)."""

    commune: str
    hours: str | None
    address: str | None


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

    # -- review, the certificate, the national platform (issue 17) -------------------------

    async def add_reviews(
        self, learner_id: int, items: list[tuple[str, int]], now: datetime, *, reset: bool
    ) -> None:
        """Queue (lesson, question) items; ``reset``: a wrong answer, back to the start."""

    async def due_reviews(self, learner_id: int, now: datetime, limit: int) -> list[ReviewItem]:
        """Items due by ``now``, the longest waiting first."""

    async def review_summary(
        self, learner_id: int, now: datetime
    ) -> tuple[int, int, datetime | None]:
        """(items queued, items due now, when the next one not yet due comes)."""

    async def record_review(
        self, learner_id: int, lesson_id: str, question: int, *, correct: bool, now: datetime
    ) -> datetime | None:
        """Move the item along the intervals; its next due time (None: not queued)."""

    async def drop_review(self, learner_id: int, lesson_id: str, question: int) -> None: ...

    async def completion_times(self, learner_id: int) -> dict[str, datetime]:
        """Lesson id → when it was first passed."""

    async def certificate(self, learner_id: int) -> CertificateRecord | None: ...

    async def save_certificate(
        self, learner_id: int, *, name: str | None, finished_at: datetime, now: datetime
    ) -> CertificateRecord: ...

    async def set_national(self, learner_id: int, now: datetime) -> None:
        """The learner says they registered on the national platform."""

    async def national_since(self, learner_id: int) -> datetime | None: ...

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

    # -- help from a person (bot.storage.helpdesk) ----------------------------------------

    async def help_request(self, request_id: int) -> HelpRequest | None: ...

    async def helpers_for(self, village_id: int) -> list[int]:
        """The learner ids of the village's helpers (reachable ones)."""

    async def staff_for(self, village_id: int) -> list[int]:
        """The learner ids of the staff of the village's commune."""

    async def village_commune(self, village_id: int) -> int | None: ...

    async def commune_office(self, village_id: int) -> Office | None: ...

    async def create_help(
        self,
        *,
        learner_id: int,
        village_id: int,
        name: str,
        question: str,
        context: str,
        now: datetime,
        escalated: bool,
        make: Callable[[HelpRequest], list[Notice]],
    ) -> HelpRequest:
        """Store the request and queue what ``make`` builds for it, in one transaction."""

    async def take_help(
        self, request_id: int, helper_id: int, name: str, now: datetime, notices: list[Notice]
    ) -> HelpRequest | str:
        """The request now taken by ``helper_id`` (``notices`` queued with it), or why not:
        "taken" (someone was first), "closed" or "busy" (already helping someone)."""

    async def relay_help(
        self, request_id: int, sender_id: int, now: datetime, notice: Notice
    ) -> bool:
        """Queue what a participant wrote for the other one; False if not open or not theirs."""

    async def end_help(
        self, request_id: int, by_id: int, now: datetime, notices: list[Notice]
    ) -> HelpRequest | None:
        """Close an open conversation (or cancel a waiting request) by a participant; the
        names and texts are forgotten. None when there is nothing of theirs to end."""

    async def hand_back_help(
        self, request_id: int, helper_id: int, now: datetime, notices: list[Notice]
    ) -> HelpRequest | None:
        """The helper gives the request back: it waits again for another helper."""

    async def rate_help(self, request_id: int, learner_id: int, rating: str) -> bool:
        """Once, by the learner, after the conversation ended."""

    # -- families: personal invites and several learners on one phone ---------------------

    async def referral_code(self, learner_id: int, make: Callable[[], str]) -> str:
        """The learner's own invite code, made once."""

    async def referral_known(self, code: str) -> bool: ...

    async def credit_referral(self, learner_id: int, code: str) -> bool:
        """Credit a newcomer to the learner whose code brought them (once; never oneself)."""

    async def add_profile(self, owner_id: int, name: str, by: int, now: datetime) -> Learner:
        """A household member's profile on the owner's chat, made the active one."""

    async def profiles(self, owner_id: int) -> list[tuple[int, str | None]]:
        """(learner id, profile name) of every learner on the chat, the owner first."""

    async def set_active_profile(self, owner_id: int, profile_id: int) -> bool: ...


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
class CertificateData:
    """Everything a certificate picture shows, and nothing else: the picture is drawn from
    this, so a test of this data is a test of what the picture says."""

    token: str
    name: str | None
    lessons: tuple[str, ...]  # titles of the lessons passed, in the recommended order
    finished_on: date  # the day the core path was finished (local)
    village: str
    commune: str
    language: str


class Certificates(Protocol):
    async def picture(self, data: CertificateData) -> Path | None:
        """The certificate as a PNG file (None when it cannot be drawn here)."""


@dataclass(frozen=True)
class Services:
    """Work the core asks for but does not do itself: reports, staff tools, the web
    dashboard's login links (None when it is off), and the two pure helpers built once from
    the content (the ask index and the scam checker)."""

    reports: Reports
    staff: StaffTools
    search: SearchIndex | None = None
    checker: ScamChecker | None = None
    certificates: Certificates | None = None
    dashboard: DashboardLinks | None = None
