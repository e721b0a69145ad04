"""The single entry point: one Inbound in, the replies out.

It loads the learner, sets the locale, reads typed text against the step the learner is
on, routes to one step of one role's flows, and stores the step its replies open. Every
flow module owns its steps and what they store; roles are checked inside each step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.content import Catalog
from bot.core import (
    broadcast,
    check,
    citizen,
    conversation,
    flows,
    helper,
    home,
    learning,
    onboarding,
    relay,
    staff,
    stranger,
    typed,
    village_head,
)
from bot.core.citizen import Step
from bot.core.messages import Inbound, Kind, Reply
from bot.core.payloads import split
from bot.core.ports import LearnerStore, Services
from bot.core.turn import Options, Turn
from bot.i18n import pick_language, use_locale

MAX_TEXT = 2000


def utcnow() -> datetime:
    """The one clock of the app (UTC); tests and benchmarks pass their own."""
    return datetime.now(UTC)


class Engine:
    def __init__(
        self,
        store: LearnerStore,
        catalog: Catalog,
        *,
        clock: Callable[[], datetime] = utcnow,
        options: Options | None = None,
        services: Services | None = None,
    ):
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.options = options or Options()
        self.services = services
        # One routing table per role; each step checks the role itself.
        self.routes: dict[str, Step] = {
            **citizen.ROUTES,
            **helper.ROUTES,
            **learning.ROUTES,
            **village_head.ROUTES,
            **staff.ROUTES,
        }

    async def handle(self, inbound: Inbound) -> list[Reply]:
        now = self.clock()
        if inbound.update_id is not None and not await self.store.claim_update(
            inbound.channel, inbound.update_id, now
        ):
            return []  # a replayed update: already answered once
        learner = await self.store.get_learner(inbound.channel, inbound.user_id)
        turn = Turn(inbound, learner, self.store, self.catalog, now, self.options, self.services)
        language = learner.language if learner else pick_language(inbound.language_code)
        with use_locale(language):
            if learner is None:
                replies = await stranger.handle(turn)
            else:
                replies = home.decorate(turn, await self._learner(turn))
            if turn.learner is not None:  # None after "delete my data"
                conversation.remember(turn.state, replies)
                await turn.flush()
            return replies

    async def _learner(self, turn: Turn) -> list[Reply]:
        inbound = turn.inbound
        if inbound.kind is Kind.MEDIA:
            flow = turn.flow
            if inbound.photo and flow.get("name") == "announce" and flow.get("step") == "text":
                photo = {inbound.channel: inbound.photo}
                return await broadcast.receive_text(turn, inbound.text, photo=photo)
            return conversation.reshow(turn.state, home.media_note())
        if inbound.kind is Kind.COMMAND:
            name = flows.COMMANDS.get(inbound.text.lower())
            if name is None:
                return conversation.reshow(turn.state, home.unknown_command_note())
            return await self.route(turn, name)
        if inbound.kind is Kind.CHOICE:
            return await self.route(turn, inbound.text)
        return await self._text(turn, inbound.text)

    async def _text(self, turn: Turn, text: str) -> list[Reply]:
        """Typed text: a choice of the step first, then the flow waiting for text, then the
        help conversation the person is in, then a pasted message to check or a question."""
        reading = typed.read(text[:200], conversation.shown_choices(turn.state))
        if isinstance(reading, typed.Picked):
            if turn.inbound.early:
                return conversation.too_early(turn.state)
            choice = conversation.shown_choices(turn.state)[reading.index]
            if choice.url:
                return [Reply(f"{choice.label}: {choice.url}", (choice,))]
            return await self.route(turn, choice.payload)
        flow = turn.flow.get("name")
        waiting = flows.waiting(turn)
        limit = check.MAX_TEXT if flow == "check" else MAX_TEXT
        if len(text) > limit and flow != "announce":
            return conversation.reshow(turn.state, home.too_long_note())
        if isinstance(reading, typed.OutOfRange) and waiting is None:
            return conversation.not_on_menu(turn.state, reading.number)
        if waiting is not None:
            return await waiting(turn, text)
        if turn.talk is not None:
            return await relay.text(turn, text)  # falls back to the rest when it has ended
        if turn.inbound.forwarded and self.services and self.services.checker:
            return await check.verdict(turn, text, pasted=True)  # forwarded: received for sure
        return await conversation.free_text(turn, text)

    async def route(self, turn: Turn, payload: str) -> list[Reply]:
        """One button (or command, or typed choice) to its step; the step again if it is
        not valid, so a forged or stale button never raises and never dead-ends."""
        parts = split(payload)
        if parts is None:
            return conversation.reshow(turn.state, home.unknown_button_note())
        action, args = parts
        if action != "helpme" and turn.flow.get("name") == "asked":
            await turn.end_flow()  # an unanswered question is kept one step, for "Nhờ giúp"
        if action not in citizen.DURING_ONBOARDING and await onboarding.needs_onboarding(turn):
            return await onboarding.next_step(turn)
        step = self.routes.get(action)
        replies = await step(turn, args) if step is not None else None
        if replies is None:
            return conversation.reshow(turn.state, home.unknown_button_note())
        return replies
