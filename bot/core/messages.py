"""What flows into and out of the core: plain frozen data, no platform types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.i18n import current_language


class Kind(StrEnum):
    TEXT = "text"  # something the user typed
    CHOICE = "choice"  # a button payload (or a numbered choice resolved by the channel)
    COMMAND = "command"  # /name args
    MEDIA = "media"  # photo, sticker, voice...: nothing we read


@dataclass(frozen=True, slots=True)
class Inbound:
    """One event from one user on one channel."""

    channel: str
    user_id: str
    chat_id: str
    kind: Kind
    text: str = ""
    args: str = ""
    language_code: str | None = None
    update_id: str | None = None
    forwarded: bool = False  # forwarded from someone else: checked as a possible scam
    photo: str | None = None  # a picture sent, as the platform's own reference (file id)
    # Sent while the bot was still answering this user's previous message, so a typed
    # number in it was meant for the menu before that answer, not the one shown now.
    early: bool = False
    name: str = ""  # the name the platform shows for the sender (a helper sees it)


@dataclass(frozen=True, slots=True)
class Choice:
    """One button. ``means`` names what it does in words people type ("yes", "no", "next",
    "back", "menu", "cancel"), so "dong y" or "tiep" pick it; ``url`` makes it a link;
    ``contact`` makes it the platform's "share my phone number" button (Telegram), which
    channels without one leave out (the person types the number there instead)."""

    label: str
    payload: str
    means: str = ""
    url: str | None = None
    contact: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to show: text, optional picture, optional choices (one per row).

    ``language`` is the locale it was written in, so a channel can add its own words
    (such as "type the number") in the same language.
    """

    text: str
    choices: tuple[Choice, ...] = ()
    image: Path | None = None
    language: str = field(default_factory=current_language)
    document: Path | None = None  # a file to attach (reports); text is its caption
    photo: str | None = None  # a picture by the platform's own reference (announcements)
    offer_resume: bool = False  # offer "Continue: question 3/4" first when a lesson waits


@dataclass(slots=True)
class Learner:
    """A consenting learner; only what the lessons and reports need."""

    id: int
    channel: str
    user_id: str
    chat_id: str
    language: str
    village_id: int | None = None
    group: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    weekly: bool = True  # weekly messages and 10/10 reminders
    # Several learners on one phone: a household member's profile has the chat's first
    # learner as owner, and a name; ``shared`` says the chat has more than one profile.
    owner_id: int | None = None
    name: str | None = None
    shared: bool = False
    # The weekday (0 = Monday) and hour chosen for pushes; None: the commune's weekly slot.
    push_day: int | None = None
    push_hour: int | None = None


@dataclass(frozen=True, slots=True)
class Village:
    id: int
    name: str
    commune: str


@dataclass(frozen=True, slots=True)
class Grant:
    """A role held: village_head or helper for one village, staff for one commune."""

    role: str
    village_id: int | None = None
    commune_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A question in the learner's review queue (bot.core.spacing decides the intervals)."""

    lesson_id: str
    question: int
    box: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """The commune's acknowledgement of a finished core path, as stored."""

    token: str  # names its picture; unguessable, so a picture URL reveals nothing else
    name: str | None  # what the learner chose to have written on it; None: no name
    finished_at: datetime  # when the core path was finished
