"""One turn of the conversation: the inbound event, the learner and what the flows share.

A learner's conversation state is one JSON object with three parts, each owned by one
concern, so that a detour through one never wipes another:

- ``pos``: where the learner is in a lesson (lesson, card) or its quiz (question, score);
  kept until the quiz ends, whatever else they do in between;
- ``flow``: a short flow waiting for typed text (an announcement, the 10/10 event...);
- ``shown``: the text and choices of the last message with choices, so that what the
  learner types next ("2", "dong y", "tiep") is read against them, after a restart too;
- ``talk``: the help conversation (with a person from the village) the learner is in, as
  asker or as helper, so that what they type goes to the other person whatever else they
  open in between.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.core.messages import Choice, Inbound, Learner, Reply
from bot.core.ports import LearnerStore, Services
from bot.i18n import _
from bot.quiet import QuietHours

POSITION_KEYS = ("lesson", "card", "version", "q", "right")
STATE_PARTS = ("pos", "flow", "shown", "talk")


@dataclass(frozen=True)
class Options:
    """What the flows need from the operator's settings, and the outbox's doorbell.
    ``links``: the bot's public name on each channel that has deep links (Telegram), filled
    in once the channel has started."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    announce_limit: int = 3
    on_push: Callable[[], None] = lambda: None
    quiet: QuietHours = field(default_factory=QuietHours)
    links: dict[str, str] = field(default_factory=dict)
    # The commune's weekly slot (weekday, hour, minute) and the hours a learner may pick for
    # their own pushes (none inside quiet hours).
    weekly_slot: tuple[int, int, int] = (0, 8, 0)
    push_hours: tuple[int, ...] = (7, 9, 12, 15, 18, 20)


def normalise_state(raw: object) -> dict[str, Any]:
    """The state in its current layout; older rows kept everything at the top level."""
    if not isinstance(raw, dict):
        return {}
    if "pos" in raw or ("flow" in raw and isinstance(raw.get("flow"), dict)) or "shown" in raw:
        return {key: raw[key] for key in STATE_PARTS if isinstance(raw.get(key), dict)}
    if isinstance(raw.get("talk"), dict):
        return {"talk": raw["talk"]}
    state: dict[str, Any] = {}
    position = {key: raw[key] for key in POSITION_KEYS if key in raw}
    if "lesson" in position:
        state["pos"] = position
    if isinstance(raw.get("flow"), str):
        flow = {key: value for key, value in raw.items() if key not in POSITION_KEYS}
        flow["name"] = flow.pop("flow")
        state["flow"] = flow
    return state


@dataclass
class Turn:
    inbound: Inbound
    learner: Learner | None
    store: LearnerStore
    catalog: Catalog
    now: datetime
    options: Options = field(default_factory=Options)
    services: Services | None = None
    dirty: bool = False

    def __post_init__(self) -> None:
        if self.learner is not None:
            self.learner.state = normalise_state(self.learner.state)

    async def save(self) -> None:
        """Mark the learner changed; the engine writes it once at the end of the turn."""
        assert self.learner is not None
        self.dirty = True

    async def flush(self) -> None:
        """Write the learner (and its state) if anything changed; marks them active."""
        if self.learner is not None:
            await self.store.update_learner(self.learner, self.now)
        self.dirty = False

    @property
    def state(self) -> dict[str, Any]:
        assert self.learner is not None
        return self.learner.state

    # -- the lesson position --------------------------------------------------------------

    @property
    def position(self) -> dict[str, Any]:
        return dict(self.state.get("pos") or {})

    def set_position(self, **position: Any) -> None:
        self.state["pos"] = position
        self.dirty = True

    def clear_position(self) -> None:
        if self.state.pop("pos", None) is not None:
            self.dirty = True

    # -- a flow waiting for typed text -----------------------------------------------------

    @property
    def flow(self) -> dict[str, Any]:
        return dict(self.state.get("flow") or {})

    def start_flow(self, name: str, **data: Any) -> None:
        self.state["flow"] = {"name": name, **data}
        self.dirty = True

    async def end_flow(self) -> None:
        """Forget the flow the learner was in (finished, cancelled or refused)."""
        if self.state.pop("flow", None) is not None:
            self.dirty = True

    # -- the help conversation the learner is in -------------------------------------------

    @property
    def talk(self) -> int | None:
        talk = self.state.get("talk")
        number = talk.get("id") if isinstance(talk, dict) else None
        return number if isinstance(number, int) else None

    def set_talk(self, request_id: int) -> None:
        self.state["talk"] = {"id": request_id}
        self.dirty = True

    def drop_talk(self) -> None:
        if self.state.pop("talk", None) is not None:
            self.dirty = True


def menu_button() -> Choice:
    return Choice(_("🏠 Main menu"), "menu", means="menu")


def lessons_button() -> Choice:
    return Choice(_("📚 Lessons"), "lessons")


def help_button(where: str = "") -> Choice:
    """ "Ask a person": from the menu, a lesson card, a failed quiz or an unanswered ask."""
    return Choice(_("🙋 Ask a person for help"), f"helpme:{where}" if where else "helpme")


def review_button() -> Choice:
    return Choice(_("🔁 Review"), "review")


def cancel_button(payload: str = "flow:cancel") -> Choice:
    return Choice(_("❌ Cancel"), payload, means="cancel")


def main_menu(text: str | None = None) -> Reply:
    """The main menu; the engine puts "Continue: question 3/4" first when a lesson waits."""
    return Reply(
        text or _("What would you like to do?"),
        (
            lessons_button(),
            review_button(),
            Choice(_("📊 My progress"), "progress"),
            help_button(),
            Choice(_("👪 Family"), "family"),
            Choice(_("⚙️ Settings"), "settings"),
            Choice(_("❓ Help"), "help"),
        ),
        offer_resume=True,
    )
