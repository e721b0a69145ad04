"""Settings: language, and deleting everything stored about the learner."""

from __future__ import annotations

from bot.core import onboarding, pushtime
from bot.core.messages import Choice, Reply
from bot.core.onboarding import LANGUAGE_NAMES
from bot.core.turn import Turn, main_menu, menu_button
from bot.i18n import LANGUAGES, _, use_locale


async def show(turn: Turn) -> list[Reply]:
    """Stores nothing; offers language, village, weekly messages and deletion."""
    assert turn.learner is not None
    language = LANGUAGE_NAMES[turn.learner.language]
    village = None
    if turn.learner.village_id is not None:
        village = await turn.store.village_name(turn.learner.village_id)
    if turn.learner.weekly:
        weekly = Choice(_("🔕 Stop weekly messages"), "weekly:off")
    else:
        weekly = Choice(_("🔔 Get weekly messages again"), "weekly:on")
    place = (
        (Choice(_("🏘 Village: {village}").format(village=village), "movevillage"),)
        if village
        else ()
    )
    choices = (
        Choice(_("🌐 Language: {language}").format(language=language), "setlang"),
        *place,
        weekly,
        pushtime.settings_choice(turn),
        Choice(_("🗑 Delete my data"), "delete"),
        menu_button(),
    )
    return [Reply(_("⚙️ Settings"), choices)]


async def set_weekly(turn: Turn, *, on: bool) -> list[Reply]:
    """Stores whether weekly messages and 10/10 reminders are wanted; replies are unaffected."""
    assert turn.learner is not None
    turn.learner.weekly = on
    await turn.save()
    if on:
        text = _("🔔 Weekly messages are on again. Send /dung to stop them.")
    else:
        text = _(
            "🔕 Done: no more weekly messages or reminders. Lessons still work as before. "
            "Send /batdau to get them again."
        )
    return [main_menu(text)]


async def ask_language(turn: Turn) -> list[Reply]:
    choices = tuple(Choice(LANGUAGE_NAMES[lang], f"setlang:{lang}") for lang in LANGUAGES)
    return [Reply(_("Choose your language:"), (*choices, menu_button()))]


async def set_language(turn: Turn, lang: str) -> list[Reply] | None:
    """Stores the new language; None when it is not one we speak."""
    assert turn.learner is not None
    if lang not in LANGUAGES:
        return None
    turn.learner.language = lang
    await turn.save()
    with use_locale(lang):
        return [main_menu(_("Language changed to English."))]


async def ask_village(turn: Turn) -> list[Reply]:
    """Stores nothing; offers the villages to move to."""
    villages = await turn.store.villages()
    text = _("Which village do you live in now? From now on you are counted there.")
    return [Reply(text, (*onboarding.village_choices(villages), menu_button()))]


async def move_village(turn: Turn, village_id: str) -> list[Reply] | None:
    """Stores the new village and audits the move; None for a village that is not ours."""
    assert turn.learner is not None
    villages = {str(village.id): village for village in await turn.store.villages()}
    new = villages.get(village_id)
    if new is None:
        return None
    old = turn.learner.village_id
    if old != new.id:
        turn.learner.village_id = new.id
        await turn.save()
        before = await turn.store.village_name(old) if old is not None else "-"
        await turn.store.audit(
            actor=f"learner {turn.learner.id}",
            action="village_changed",
            detail=f"{before} -> {new.name} ({new.commune})",
            now=turn.now,
        )
    return [main_menu(_("Saved: you are now in {village}.").format(village=new.name))]


async def _roles_note(turn: Turn) -> str:
    assert turn.learner is not None
    held = await turn.store.roles_held(turn.learner.id)
    notes = []
    for role, scope in held:
        if role == "village_head":
            notes.append(_("Your role as village head of {scope} ends too.").format(scope=scope))
        elif role == "helper":
            notes.append(_("Your role as a helper of {scope} ends too.").format(scope=scope))
        else:
            notes.append(_("Your role as commune staff of {scope} ends too.").format(scope=scope))
    return "\n".join(notes)


async def ask_delete(turn: Turn) -> list[Reply]:
    """Stores nothing; asks to confirm, because deletion cannot be undone."""
    text = _(
        "Delete everything stored about you (your village, group and lesson results)? "
        "This cannot be undone."
    )
    note = await _roles_note(turn)
    choices = (
        Choice(_("🗑 Yes, delete everything"), "delete:yes", means="yes"),
        Choice(_("No, keep it"), "menu", means="no"),
    )
    return [Reply(f"{text}\n{note}".strip(), choices)]


async def delete(turn: Turn) -> list[Reply]:
    """Erases the learner, their roles and every row that names them. On a phone several
    people learn on, only the learner speaking now: the others keep their progress."""
    assert turn.learner is not None
    note = await _roles_note(turn)
    shared, name = turn.learner.shared, turn.learner.name
    await turn.store.delete_learner(turn.learner.id, turn.now)
    turn.learner = None
    if shared:
        inbound = turn.inbound
        turn.learner = await turn.store.get_learner(inbound.channel, inbound.user_id)
    if turn.learner is not None:
        text = _(
            "Done: everything about {name} has been deleted. The others who learn on this "
            "phone keep their lessons."
        ).format(name=name or _("the phone's owner"))
        return [main_menu(f"{text}\n{note}".strip())]
    text = _("Done: everything about you has been deleted. Send /start to begin again.")
    return [Reply(f"{text}\n{note}".strip())]
