"""The way to the national platform (binhdanhocvuso.gov.vn): a few short steps from
lessons/national.yaml, a button that opens the site, and "I have registered", which the
commune's report counts. This assistant leads people there; it does not compete with it."""

from __future__ import annotations

from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_index
from bot.core.turn import Turn, main_menu, menu_button
from bot.i18n import _, current_language


def national_button() -> Choice:
    return Choice(_("🇻🇳 The national learning site"), "national")


async def step(turn: Turn, args: list[str]) -> list[Reply] | None:
    """national · national:N · national:yes; stores only the "registered" answer."""
    guide = turn.catalog.national
    if guide is None:
        return [main_menu(_("The national learning site is binhdanhocvuso.gov.vn."))]
    if args == ["yes"]:
        return await registered(turn)
    index = parse_index(args[0]) if len(args) == 1 else (0 if not args else None)
    if index is None or index >= len(guide.steps):
        return None
    lang = current_language()
    header = f"🇻🇳 {index + 1}/{len(guide.steps)}"
    text = f"{header}\n\n{guide.steps[index].text.get(lang)}"
    if index + 1 < len(guide.steps):
        following = Choice(_("Next ➡️"), f"national:{index + 1}", means="next")
        return [Reply(text, (following, menu_button()))]
    choices = (
        Choice(_("🌐 Open binhdanhocvuso.gov.vn"), "", url=str(guide.url)),
        Choice(_("✅ I have registered there"), "national:yes", means="yes"),
        Choice(_("Later"), "menu", means="no"),
    )
    return [Reply(text, choices)]


async def registered(turn: Turn) -> list[Reply]:
    """Stores that the learner says they registered (the first time counts)."""
    assert turn.learner is not None
    await turn.store.set_national(turn.learner.id, turn.now)
    text = _(
        "🎉 Thank you! Your commune now knows you have registered on binhdanhocvuso.gov.vn. "
        "Learn there at your own pace; I will keep sending you short reviews here."
    )
    return [main_menu(text)]
