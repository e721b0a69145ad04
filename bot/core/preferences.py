"""Settings: language, and deleting everything stored about the learner."""

from __future__ import annotations

from bot.core.messages import Choice, Reply
from bot.core.onboarding import LANGUAGE_NAMES
from bot.core.turn import Turn, main_menu, menu_button
from bot.i18n import LANGUAGES, _, use_locale


async def show(turn: Turn) -> list[Reply]:
    """Stores nothing; offers language and deletion."""
    assert turn.learner is not None
    language = LANGUAGE_NAMES[turn.learner.language]
    if turn.learner.weekly:
        weekly = Choice(_("🔕 Stop weekly messages"), "weekly:off")
    else:
        weekly = Choice(_("🔔 Get weekly messages again"), "weekly:on")
    choices = (
        Choice(_("🌐 Language: {language}").format(language=language), "setlang"),
        weekly,
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


async def ask_delete(turn: Turn) -> list[Reply]:
    """Stores nothing; asks to confirm, because deletion cannot be undone."""
    text = _(
        "Delete everything stored about you (your village, group and lesson results)? "
        "This cannot be undone."
    )
    choices = (
        Choice(_("🗑 Yes, delete everything"), "delete:yes"),
        Choice(_("No, keep it"), "menu"),
    )
    return [Reply(text, choices)]


async def delete(turn: Turn) -> list[Reply]:
    """Erases the learner and all their records."""
    assert turn.learner is not None
    await turn.store.delete_learner(turn.learner.id, turn.now)
    turn.learner = None
    text = _("Done: everything about you has been deleted. Send /start to begin again.")
    return [Reply(text)]
