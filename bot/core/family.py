"""Bring your family: a personal invite for learners who finished the core path, profiles
for household members who learn on the same phone, and switching between them.

"Gia đình số" counts households: each household member gets a learner of their own (own
progress, counted like anyone), on the chat of the person whose phone it is.
"""

from __future__ import annotations

import re
import secrets

from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_id
from bot.core.turn import Turn, cancel_button, main_menu, menu_button
from bot.i18n import _

MAX_PROFILES = 6
# No 0/O or 1/I: a code is read aloud and typed on small phones.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODE = re.compile(rf"(?:REF[-_ ]?|MA |MÃ )?([{ALPHABET}]{{6}})")


def new_code() -> str:
    """Six characters, at least one a digit (so it reads as a code, see referral_code)."""
    chars = [secrets.choice(ALPHABET) for _ in range(6)]
    chars[secrets.randbelow(6)] = secrets.choice("23456789")
    return "".join(chars)


def referral_code(text: str) -> str | None:
    """A personal invite code as typed ("ABC234", "mã abc234") or deep-linked ("ref-ABC234");
    it must hold a digit, so that no ordinary six-letter word is taken for one."""
    match = _CODE.fullmatch(text.strip().upper())
    code = match.group(1) if match else None
    return code if code and any(ch.isdigit() for ch in code) else None


def core_ids(turn: Turn) -> set[str]:
    flagged = {lesson.id for lesson in turn.catalog.lessons if lesson.core}
    return flagged or {lesson.id for lesson in turn.catalog.lessons}


async def menu(turn: Turn) -> list[Reply]:
    """Stores nothing; the personal invite (after the core path), a household member's
    profile, and switching learner on a shared phone."""
    assert turn.learner is not None
    done = core_ids(turn) <= await turn.store.completed_lessons(turn.learner.id)
    text = _(
        "👪 Family\n\nHelp the people at home learn too: every household where someone "
        "finishes the core lessons counts for the commune's “Gia đình số”."
    )
    choices = []
    if done:
        choices.append(Choice(_("🔗 My invite link for relatives"), "family:invite"))
    else:
        text += "\n\n" + _(
            "When you finish the core lessons, you get your own link to invite relatives "
            "and neighbours."
        )
    choices.append(Choice(_("🧑‍🤝‍🧑 I helped someone at home"), "family:add"))
    if turn.learner.shared:
        choices.append(Choice(_("👤 Switch learner"), "profile"))
    return [Reply(text, (*choices, menu_button()))]


async def invite(turn: Turn) -> list[Reply]:
    """Stores the learner's code (made once); shows the link and the code to type."""
    assert turn.learner is not None
    done = await turn.store.completed_lessons(turn.learner.id)
    core = core_ids(turn)
    if not core <= done:
        text = _("Finish the core lessons first: {done} of {total} done.").format(
            done=len(core & done), total=len(core)
        )
        return [main_menu(text)]
    code = await turn.store.referral_code(turn.learner.id, new_code)
    lines = [_("🔗 Your personal invite. Send it to relatives and neighbours:"), ""]
    bot = turn.options.links.get("telegram")
    if bot:
        link = f"https://t.me/{bot}?start=ref-{code}"
        lines.append(_("On Telegram: {link}").format(link=link))
    lines.append(
        _("On Zalo (or anywhere else): send me a message and type the code {code}").format(
            code=code
        )
    )
    lines += ["", _("Everyone who joins this way is counted as brought in by you.")]
    return [Reply("\n".join(lines), (menu_button(),))]


async def credit(turn: Turn, code: str) -> list[Reply]:
    """A code typed after joining: credited to whoever it belongs to, once."""
    assert turn.learner is not None
    if not await turn.store.referral_known(code):
        return [main_menu(_("That code is not valid. Check it and try again."))]
    if await turn.store.credit_referral(turn.learner.id, code):
        return [main_menu(_("✅ Thank you! You are counted as invited by your relative."))]
    return [main_menu(_("Thank you! You were already counted."))]


async def ask_name(turn: Turn) -> list[Reply]:
    """Stores the step "waiting for the household member's name"; asks for it."""
    assert turn.learner is not None
    owner = turn.learner.owner_id or turn.learner.id
    if len(await turn.store.profiles(owner)) >= MAX_PROFILES:
        text = _("This phone already has {count} learners, the most it can hold.")
        return [main_menu(text.format(count=MAX_PROFILES))]
    turn.start_flow("profile")
    text = _(
        "🧑‍🤝‍🧑 Did you help someone at home learn on this phone? Type their name (for "
        "example: Bà Tư). They get their own lessons and progress here; “👤 Switch learner” "
        "in 👪 Family changes who is learning."
    )
    return [Reply(text, (cancel_button(),))]


async def name_text(turn: Turn, typed: str) -> list[Reply]:
    """Stores a profile for the household member, credited to the learner who helped, and
    makes it the one learning now."""
    assert turn.learner is not None
    name = " ".join(typed.split())
    if not 2 <= len(name) <= 40 or not any(ch.isalpha() for ch in name):
        return [Reply(_("Please type a name of 2 to 40 letters."), (cancel_button(),))]
    await turn.end_flow()
    helper = turn.learner
    owner = helper.owner_id or helper.id
    await turn.flush()  # the learner who helped keeps their own state
    turn.learner = await turn.store.add_profile(owner, name, helper.id, turn.now)
    await turn.store.audit(
        actor=f"learner {helper.id}", action="profile_added",
        detail=f"learner {turn.learner.id} on the same phone", now=turn.now,
    )  # fmt: skip
    text = _(
        "✅ {name} now has their own lessons on this phone. From now on I am teaching {name}."
    ).format(name=name)
    return [main_menu(text)]


def _label(name: str | None) -> str:
    return name or _("the phone's owner")


async def choose(turn: Turn) -> list[Reply]:
    """Stores nothing; who learns on this phone, to switch to."""
    assert turn.learner is not None
    owner = turn.learner.owner_id or turn.learner.id
    choices = [
        Choice(
            ("✓ " if learner_id == turn.learner.id else "") + f"👤 {_label(name)}",
            f"profile:{learner_id}",
        )
        for learner_id, name in await turn.store.profiles(owner)
    ]
    choices.append(Choice(_("➕ Add someone at home"), "family:add"))
    return [Reply(_("👤 Who is learning now?"), (*choices, menu_button()))]


async def switch(turn: Turn, number: str) -> list[Reply]:
    """Stores which profile learns now on this chat."""
    assert turn.learner is not None
    profile_id = parse_id(number)
    owner = turn.learner.owner_id or turn.learner.id
    if profile_id is None or not await turn.store.set_active_profile(owner, profile_id):
        return [main_menu(_("That learner is not on this phone."))]
    await turn.flush()
    inbound = turn.inbound
    found = await turn.store.get_learner(inbound.channel, inbound.user_id)
    if found is None or found.id != profile_id:
        return [main_menu(_("That learner is not on this phone."))]
    turn.learner = found
    return [main_menu(_("Now learning: {name}.").format(name=_label(found.name)))]
