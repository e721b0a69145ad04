"""Onboarding: /start → language → consent → village → group → main menu.

Nothing is stored before the learner says yes to the consent question: the language
chosen so far travels inside the button payloads, not in the database.
"""

from __future__ import annotations

import re

from bot.content.natural import natural_key
from bot.core.messages import Choice, Reply, Village
from bot.core.turn import Turn, main_menu
from bot.i18n import LANGUAGES, _, use_locale

GROUPS = ("citizen", "official", "student", "worker")
INVITE_CODE = re.compile(r"^[A-Z0-9]{8,16}$")
PERSONAL = re.compile(r"^REF-([A-HJ-NP-Z2-9]{6})$")  # a learner's invite for their family


def invite_code(text: str) -> str | None:
    """An invite code as typed or deep-linked, or None when it cannot be one."""
    code = text.strip().upper()
    return code if INVITE_CODE.match(code) else None


def carried_code(text: str) -> str | None:
    """What a deep link brings to carry through onboarding: a role's invite code, or a
    relative's personal invite ("ref-ABC234")."""
    code = text.strip().upper()
    return code if INVITE_CODE.match(code) or PERSONAL.match(code) else None


async def use_code(turn: Turn, code: str) -> list[Reply]:
    """A carried code, once the learner exists: a personal invite is credited to the
    relative (nothing to say), a role's invite code is redeemed."""
    assert turn.learner is not None
    personal = PERSONAL.match(code)
    if personal:
        await turn.store.credit_referral(turn.learner.id, personal.group(1))
        return []
    return await redeem(turn, code)


def sorted_villages(villages: list[Village]) -> list[Village]:
    """Natural order, commune by commune: Thôn 2 before Thôn 10."""
    return sorted(villages, key=lambda v: (natural_key(v.commune), natural_key(v.name)))


def village_choices(villages: list[Village]) -> tuple[Choice, ...]:
    communes = {village.commune for village in villages}
    return tuple(
        Choice(
            village.name if len(communes) == 1 else f"{village.name} ({village.commune})",
            f"village:{village.id}",
        )
        for village in sorted_villages(villages)
    )


LANGUAGE_NAMES = {"vi": "🇻🇳 Tiếng Việt", "en": "🇬🇧 English"}


def group_label(group: str) -> str:
    return {
        "citizen": _("Resident"),
        "official": _("Civil servant or official"),
        "student": _("Pupil or student"),
        "worker": _("Worker or employee"),
    }[group]


def welcome(code: str | None = None, note: str = "") -> list[Reply]:
    """Stores nothing; greets and asks for the language (an invite code rides along)."""
    greeting = _(
        "Hello! I am hocvuso, the assistant of the “Bình dân học vụ số” movement. "
        "I teach digital skills in short lessons: VNeID, paying online, spotting scams "
        "and more.\n\nPlease choose your language:"
    )
    suffix = f":{code}" if code else ""
    choices = tuple(Choice(LANGUAGE_NAMES[lang], f"lang:{lang}{suffix}") for lang in LANGUAGES)
    return [Reply(f"{note}\n\n{greeting}" if note else greeting, choices)]


def ask_consent(lang: str, code: str | None = None) -> list[Reply]:
    """Stores nothing; explains what would be kept and why, and asks yes or no."""
    with use_locale(lang):
        text = _(
            "To remember your lessons I need to keep: your chat account number, your "
            "language, your village, your group (resident, official, pupil, worker) and "
            "your lesson results. The commune only sees counts per village.\n\n"
            "I never ask for your ID card number, passwords or OTP codes.\n"
            "You can delete your data at any time in Settings.\n\n"
            "Do you agree?"
        )
        suffix = f":{code}" if code else ""
        choices = (
            Choice(_("✅ I agree"), f"consent:yes:{lang}{suffix}", means="yes"),
            Choice(_("❌ No, thanks"), f"consent:no:{lang}", means="no"),
        )
        return [Reply(text, choices)]


def declined(lang: str) -> list[Reply]:
    """Stores nothing; says so and how to come back."""
    with use_locale(lang):
        return [
            Reply(_("All right, nothing was stored. Send /start whenever you change your mind."))
        ]


async def accept(turn: Turn, lang: str) -> list[Reply]:
    """Stores the learner (consent time, language); continues with the village."""
    inbound = turn.inbound
    turn.learner = await turn.store.create_learner(
        channel=inbound.channel,
        user_id=inbound.user_id,
        chat_id=inbound.chat_id,
        language=lang,
        now=turn.now,
    )
    with use_locale(lang):
        return [Reply(_("Thank you!")), *await next_step(turn)]


async def next_step(turn: Turn) -> list[Reply]:
    """Asks whatever onboarding still lacks (village, then group), else shows the menu."""
    assert turn.learner is not None
    if turn.learner.village_id is None:
        villages = await turn.store.villages()
        if len(villages) == 1:
            turn.learner.village_id = villages[0].id
            await turn.save()
        elif villages:
            question = _("Which village (thôn, xóm, tổ dân phố) do you live in?")
            return [Reply(question, village_choices(villages))]
    if turn.learner.group is None:
        choices = tuple(Choice(group_label(group), f"group:{group}") for group in GROUPS)
        return [Reply(_("Which group are you in?"), choices)]
    return [main_menu(_("All set! Start with the first lesson whenever you like."))]


async def needs_onboarding(turn: Turn) -> bool:
    """A learner without a group has not finished; one without a village is asked again
    once the commune has villages (they joined before the villages were configured)."""
    assert turn.learner is not None
    if turn.learner.group is None:
        return True
    return turn.learner.village_id is None and bool(await turn.store.villages())


async def choose_village(turn: Turn, village_id: str) -> list[Reply] | None:
    """Stores the village; None when the id is not one of ours (forged or stale)."""
    assert turn.learner is not None
    villages = {str(village.id): village for village in await turn.store.villages()}
    if village_id not in villages:
        return None
    turn.learner.village_id = villages[village_id].id
    await turn.save()
    return await next_step(turn)


async def choose_group(turn: Turn, group: str) -> list[Reply] | None:
    """Stores the group; None when it is not one of the four."""
    assert turn.learner is not None
    if group not in GROUPS:
        return None
    turn.learner.group = group
    await turn.save()
    return await next_step(turn)


async def redeem(turn: Turn, code: str) -> list[Reply]:
    """Stores the role an invite code grants (once, before it expires)."""
    assert turn.learner is not None
    result = await turn.store.redeem_invite(code, turn.learner.id, turn.now)
    if result == "used":
        return [main_menu(_("That code has already been used. Ask for a new one."))]
    if result == "expired":
        return [main_menu(_("That code has expired. Ask for a new one."))]
    if isinstance(result, str):
        return [main_menu(_("That code is not valid. Check it and try again."))]
    if result.role == "village_head" and result.village_id is not None:
        village = await turn.store.village_name(result.village_id)
        text = _(
            "✅ You are now registered as the village head of {village}. "
            "/thongbao sends an announcement to your village; /thongke shows its progress."
        ).format(village=village)
    elif result.role == "helper" and result.village_id is not None:
        village = await turn.store.village_name(result.village_id)
        text = _(
            "✅ You are now a helper of {village} (community digital technology team). When "
            "someone there asks for a person's help, I will send it to you with a button "
            "“I will help”; you then talk through me, and their phone number stays hidden."
        ).format(village=village)
    else:
        text = _(
            "✅ You are now registered as commune staff. /baocao gives the report with an "
            "Excel file and a chart; /sukien sets the 10/10 event; /tinmoi adds a message to "
            "the next weekly message."
        )
    return [Reply(text)]
