"""/kiemtra: is this message or link a scam? A risk level, the reasons in plain words, what
to do and where to report. The text is checked and forgotten; only a daily count is kept."""

from __future__ import annotations

from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, menu_button
from bot.i18n import _, current_language

SCAM_LESSON = "nhan-dien-lua-dao"
MAX_TEXT = 4000


async def begin(turn: Turn) -> list[Reply]:
    """Stores the step "waiting for the message to check"; asks for it."""
    assert turn.learner is not None
    turn.learner.state = {"flow": "check"}
    await turn.save()
    text = _(
        "🔍 Paste or forward the message or link you are unsure about. I will say how risky "
        "it looks. Do not send your passwords or OTP codes."
    )
    return [Reply(text, (Choice(_("❌ Cancel"), "flow:cancel"),))]


async def verdict(turn: Turn, text: str) -> list[Reply]:
    """Stores a count for today and clears the step; answers with the verdict."""
    assert turn.learner is not None and turn.services is not None
    checker = turn.services.checker
    if checker is None:
        return []
    if turn.state.get("flow") == "check":
        await turn.end_flow()
    await turn.store.count_use("check", turn.now)
    lang = current_language()
    result = checker.check(text[:MAX_TEXT])
    heading = {
        "high": _("🔴 High risk: this looks like a scam."),
        "medium": _("🟠 Medium risk: be careful, some signs of a scam."),
        "low": _("🟢 Low risk: I see none of the usual scam signs. Still, stay careful."),
    }[result.level]
    lines = [heading]
    if result.findings:
        lines += ["", _("Why:")]
        lines += [f"• {finding.reason(lang)}" for finding in result.findings[:5]]
    lines += ["", checker.advice(result.level, lang), "", checker.report(lang)]
    choices = [menu_button()]
    if turn.catalog.lesson(SCAM_LESSON) is not None:
        choices.insert(0, Choice(_("📖 Lesson: spotting scams"), f"open:{SCAM_LESSON}"))
    choices.insert(0, Choice(_("🔍 Check another message"), "check"))
    return [Reply("\n".join(lines), tuple(choices))]
