"""The commune's certificate for a finished core path: the learner chooses the name on it
(or none), then gets the picture in the chat; "My progress" sends it again.

It is the commune's acknowledgement, not the national certificate, and says so (and how to
get the national one) in the chat and on the picture. The name typed is the only new thing
stored, in its own row, deleted with the learner.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.core import national
from bot.core.messages import CertificateRecord, Choice, Learner, Reply
from bot.core.ports import CertificateData, LearnerStore
from bot.core.turn import Turn, lessons_button, menu_button, review_button
from bot.i18n import _, current_language, format_day

FLOW = "certname"
NAME_MAX = 40
_DIGITS = re.compile(r"\d")
_NOT_A_NAME = re.compile(r"https?:|www\.|@|/|\\")


def core_path(turn: Turn) -> tuple[str, ...]:
    """The lessons flagged ``core`` (every lesson when none is, as the reports count)."""
    flagged = tuple(lesson.id for lesson in turn.catalog.lessons if lesson.core)
    return flagged or tuple(lesson.id for lesson in turn.catalog.lessons)


def finished_core(turn: Turn, done: set[str]) -> bool:
    core = core_path(turn)
    return bool(core) and set(core) <= done


def certificate_button() -> Choice:
    return Choice(_("🎓 My certificate"), "cert")


async def show(turn: Turn) -> list[Reply]:
    """The certificate when there is one; the name question when the core path is just
    finished; what is left to learn otherwise."""
    assert turn.learner is not None
    done = set(await turn.store.completion_times(turn.learner.id))
    if not finished_core(turn, done):
        return [_not_yet(turn, done)]
    record = await turn.store.certificate(turn.learner.id)
    if record is None:
        return ask_name(turn)
    return [await send(turn, record)]


def _not_yet(turn: Turn, done: set[str]) -> Reply:
    lang = current_language()
    left = [
        lesson.title.get(lang)
        for lesson in turn.catalog.lessons
        if lesson.id in core_path(turn) and lesson.id not in done
    ]
    text = _(
        "🎓 The certificate comes when you finish the core lessons. Still to do: {lessons}."
    ).format(lessons="; ".join(left))
    return Reply(text, (lessons_button(), menu_button()))


def ask_name(turn: Turn) -> list[Reply]:
    """Stores the flow waiting for the name; offers "no name"."""
    turn.start_flow(FLOW)
    text = _(
        "🎓 I will make your certificate. What name shall I write on it? Type it (for "
        "example: Nguyễn Văn An), or tap “No name”. Only the name: never an ID number."
    )
    return [Reply(text, (Choice(_("No name"), "cert:noname", means="no"),))]


async def receive_name(turn: Turn, text: str) -> list[Reply]:
    """The typed name: tidied and checked (no digits, no links), then the certificate.
    Only while the name question is the step shown: text typed after going elsewhere is
    read as anything else would be, never printed on a certificate."""
    from bot.core import conversation  # the conversation imports this module's callers

    asked = any(c.payload == "cert:noname" for c in conversation.shown_choices(turn.state))
    if not asked:
        await turn.end_flow()
        return await conversation.free_text(turn, text)
    name = " ".join(text.split())
    if _DIGITS.search(name) or _NOT_A_NAME.search(name):
        note = _("A name has no numbers or links. Please type only the name, or tap “No name”.")
        return [Reply(note), *ask_name(turn)]
    if not 2 <= len(name) <= NAME_MAX:
        note = _("Please type a name of 2 to {most} letters, or tap “No name”.").format(
            most=NAME_MAX
        )
        return [Reply(note), *ask_name(turn)]
    return await issue(turn, _capitalised(name))


def _capitalised(name: str) -> str:
    """ "nguyễn văn an" → "Nguyễn Văn An"; a name typed with capitals is kept as it is."""
    return name if any(ch.isupper() for ch in name) else name.title()


async def issue(turn: Turn, name: str | None) -> list[Reply]:
    """Stores the certificate (or its new name) and sends it."""
    assert turn.learner is not None
    await turn.end_flow()
    times = await turn.store.completion_times(turn.learner.id)
    core = core_path(turn)
    if not finished_core(turn, set(times)):
        return [_not_yet(turn, set(times))]
    finished_at = max(times[lesson_id] for lesson_id in core)
    record = await turn.store.save_certificate(
        turn.learner.id, name=name, finished_at=finished_at, now=turn.now
    )
    return [await send(turn, record)]


async def build_data(
    store: LearnerStore,
    catalog: Catalog,
    learner: Learner,
    record: CertificateRecord,
    tz: ZoneInfo,
) -> CertificateData:
    """What the picture shows: the name, the lessons passed, the day and the village (in
    the current language). Also used to draw it again when Zalo fetches it by its URL."""
    lang = current_language()
    done = await store.completion_times(learner.id)
    passed = tuple(lesson.title.get(lang) for lesson in catalog.lessons if lesson.id in done)
    village = commune = ""
    if learner.village_id is not None:
        for place in await store.villages():
            if place.id == learner.village_id:
                village, commune = place.name, place.commune
    return CertificateData(
        token=record.token,
        name=record.name,
        lessons=passed,
        finished_on=record.finished_at.astimezone(tz).date(),
        village=village,
        commune=commune,
        language=lang,
    )


async def send(turn: Turn, record: CertificateRecord) -> Reply:
    """The picture with a caption that says what it is and what it is not."""
    assert turn.learner is not None
    facts = await build_data(turn.store, turn.catalog, turn.learner, record, turn.options.tz)
    services = turn.services
    picture = None
    if services is not None and services.certificates is not None:
        picture = await services.certificates.picture(facts)
    place = ", ".join(part for part in (facts.village, facts.commune) if part)
    lines = [
        _("🎓 Certificate: {name}").format(name=facts.name or _("(no name)")),
        _("Finished the core lessons on {date}; {count} lessons passed.").format(
            date=format_day(facts.finished_on), count=len(facts.lessons)
        ),
    ]
    if place:
        lines.append(place)
    lines += [
        "",
        _(
            "This is your commune's acknowledgement, not the national certificate. The national "
            "certificate comes from binhdanhocvuso.gov.vn, when you finish a course there."
        ),
    ]
    choices = (
        national.national_button(),
        Choice(_("✏️ Change the name"), "cert:rename"),
        menu_button(),
    )
    return Reply("\n".join(lines), choices, image=picture)


async def step(turn: Turn, args: list[str]) -> list[Reply] | None:
    """cert · cert:noname · cert:rename; None for anything else."""
    if not args:
        return await show(turn)
    if args == ["noname"]:
        return await issue(turn, None)
    if args == ["rename"]:
        assert turn.learner is not None
        done = set(await turn.store.completion_times(turn.learner.id))
        return ask_name(turn) if finished_core(turn, done) else [_not_yet(turn, done)]
    return None


async def progress_part(turn: Turn, done: set[str]) -> tuple[list[str], list[Choice]]:
    """The lines and buttons "My progress" adds: reviews due, the certificate, the national
    platform."""
    assert turn.learner is not None
    lines: list[str] = []
    choices: list[Choice] = []
    queued, due, _upcoming = await turn.store.review_summary(turn.learner.id, turn.now)
    if queued:
        lines.append(_("🔁 Review: {due} of {queued} questions are due now.").format(
            due=due, queued=queued
        ))  # fmt: skip
        if due:
            choices.append(review_button())
    if finished_core(turn, done):
        lines.append(_("🎓 You have finished the core lessons."))
        choices.append(certificate_button())
        if await turn.store.national_since(turn.learner.id):
            lines.append(_("🇻🇳 You have registered on binhdanhocvuso.gov.vn."))
        else:
            choices.append(national.national_button())
    return lines, choices
