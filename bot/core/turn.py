"""One turn of the conversation: the inbound event, the learner and what the flows share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.core.messages import Choice, Inbound, Learner, Reply
from bot.core.ports import LearnerStore, Services
from bot.i18n import _


@dataclass(frozen=True)
class Options:
    """What the flows need from the operator's settings, and the outbox's doorbell."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    announce_limit: int = 3
    on_push: Callable[[], None] = lambda: None


@dataclass
class Turn:
    inbound: Inbound
    learner: Learner | None
    store: LearnerStore
    catalog: Catalog
    now: datetime
    options: Options = field(default_factory=Options)
    services: Services | None = None

    async def save(self) -> None:
        assert self.learner is not None
        await self.store.update_learner(self.learner, self.now)

    async def end_flow(self) -> None:
        """Forget the step the learner was in (a flow finished, was cancelled or refused)."""
        assert self.learner is not None
        self.learner.state = {}
        await self.save()

    @property
    def state(self) -> dict[str, object]:
        assert self.learner is not None
        return self.learner.state


def menu_button() -> Choice:
    return Choice(_("🏠 Main menu"), "menu")


def lessons_button() -> Choice:
    return Choice(_("📚 Lessons"), "lessons")


def main_menu(text: str | None = None) -> Reply:
    return Reply(
        text or _("What would you like to do?"),
        (
            lessons_button(),
            Choice(_("📊 My progress"), "progress"),
            Choice(_("⚙️ Settings"), "settings"),
            Choice(_("❓ Help"), "help"),
        ),
    )
