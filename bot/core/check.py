"""/kiemtra: is this message or link a scam? A risk level, the reasons in plain words, what
to do and where to report. The text is checked and forgotten; only a daily count is kept."""

from __future__ import annotations

from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, cancel_button, menu_button
from bot.i18n import _, current_language

SCAM_LESSON = "nhan-dien-lua-dao"
MAX_TEXT = 4000


async def begin(turn: Turn) -> list[Reply]:
    """Stores the step "waiting for the message to check"; asks for it."""
    turn.start_flow("check")
    text = _(
        "🔍 Paste or forward the message or link you are unsure about. I will say how risky "
        "it looks. Do not send your passwords or OTP codes."
    )
    return [Reply(text, (cancel_button(),))]


async def verdict(turn: Turn, text: str, *, pasted: bool = False) -> list[Reply]:
    """Stores a count for today and clears the step; answers with the verdict. ``pasted``:
    the text came without /kiemtra, so the reply offers to read it as a question instead."""
    assert turn.services is not None
    checker = turn.services.checker
    if checker is None:
        return []
    if turn.learner is not None and turn.flow.get("name") == "check":
        await turn.end_flow()
    await turn.store.count_use("check", turn.now)
    lang = current_language()
    result = checker.check(text[:MAX_TEXT])
    heading = {
        "high": _("🔴 Very likely a scam."),
        "medium": _("🟠 Suspicious signs."),
        "low": _("🟢 No clear sign of a scam."),
    }[result.level]
    lines = [_("🔍 I checked this message for you:")] if pasted else []
    lines.append(heading)
    if result.findings:  # reasons come only with a warning, never beside "no clear sign"
        lines += ["", _("Why:")]
        lines += [f"• {finding.reason(lang)}" for finding in result.findings[:4]]
    lines += ["", checker.advice(result.level, lang)]
    if result.level != "low":
        lines += ["", checker.report(lang)]
    lines += ["", checker.always(lang)]  # every verdict ends with the rule that always holds
    choices = [Choice(_("🔍 Check another message"), "check")]
    if pasted:
        choices.append(Choice(_("❓ No, it is my question"), "ask"))
    if turn.catalog.lesson(SCAM_LESSON) is not None:
        choices.append(Choice(_("📖 Lesson: spotting scams"), f"open:{SCAM_LESSON}"))
    choices.append(menu_button())
    return [Reply("\n".join(lines), tuple(choices), offer_resume=True)]
