"""Someone who has not consented yet: greet, ask the language, ask for consent.

Nothing about the person is stored before "yes" but the step their chat is at (the
choices last shown, in ``pending_chats``), so that "1", "dong y" or "ko" typed instead of
tapped is understood, after a restart too. It is dropped on yes, on no and after a day.
The language and an invite code travel inside the button payloads.
"""

from __future__ import annotations

from bot.core import check, conversation, family, home, onboarding, typed
from bot.core.messages import Kind, Reply
from bot.core.turn import Turn
from bot.i18n import LANGUAGES, _, use_locale


async def handle(turn: Turn) -> list[Reply]:
    inbound = turn.inbound
    state = await turn.store.get_pending(inbound.channel, inbound.user_id)
    replies = await _answer(turn, state)
    if turn.learner is not None:  # consented: the learner's own state takes over
        state = {}
    else:
        conversation.remember(state, replies)
    await turn.store.save_pending(inbound.channel, inbound.user_id, state, turn.now)
    return replies


async def _answer(turn: Turn, state: dict[str, object]) -> list[Reply]:
    inbound = turn.inbound
    if inbound.kind is Kind.CHOICE:
        return await _choose(turn, inbound.text)
    if inbound.kind is Kind.MEDIA:
        return onboarding.welcome(note=home.media_note())
    if inbound.kind is Kind.COMMAND:
        deep_link = inbound.args if inbound.text.lower() in ("start", "ma", "code") else ""
        return onboarding.welcome(onboarding.carried_code(deep_link))
    choices = conversation.shown_choices(state)
    reading = typed.read(inbound.text[:200], choices)
    if isinstance(reading, typed.Picked):
        if inbound.early:
            return conversation.too_early(state)
        return await _choose(turn, choices[reading.index].payload)
    if isinstance(reading, typed.OutOfRange):
        return conversation.not_on_menu(state, reading.number)
    personal = family.referral_code(inbound.text)
    if personal is not None and await turn.store.referral_known(personal):
        note = _("Welcome! A relative invited you.")
        return onboarding.welcome(f"REF-{personal}", note=note)  # a code typed on Zalo
    checker = turn.services.checker if turn.services else None
    if checker is not None and conversation.looks_received(checker, inbound.text):
        verdict = await check.verdict(turn, inbound.text)  # stores only a daily count
        return [Reply(reply.text) for reply in verdict] + onboarding.welcome()
    if not choices:
        return onboarding.welcome()
    return conversation.not_understood(state)


async def _choose(turn: Turn, payload: str) -> list[Reply]:
    """A language or a consent answer; anything else greets again."""
    parts = payload[:64].split(":")
    if parts[0] == "lang" and len(parts) in (2, 3) and parts[1] in LANGUAGES:
        code = onboarding.carried_code(parts[2]) if len(parts) == 3 else None
        return onboarding.ask_consent(parts[1], code)
    if parts[0] == "consent" and len(parts) in (3, 4) and parts[2] in LANGUAGES:
        lang = parts[2]
        if parts[1] == "no":
            return onboarding.declined(lang)
        if parts[1] == "yes":
            replies = await onboarding.accept(turn, lang)
            code = onboarding.carried_code(parts[3]) if len(parts) == 4 else None
            if code is not None:
                with use_locale(lang):
                    replies = [*(await onboarding.use_code(turn, code)), *replies]
            return replies
    return onboarding.welcome()
