"""What each page shows, as plain data for the templates: figures only, never a person.

Built from the report (bot/reports.py: the same figures as /baocao and `hocvuso report`),
the lesson files, and the dashboard's counts (bot/storage/dashboard_figures.py). Texts are
made in the language of the page (the caller sets the locale).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from bot.community import household_share, minutes_to_take, thumbs_up
from bot.content import Catalog
from bot.content.natural import natural_key
from bot.figures import floored_share, format_date, format_points, format_share
from bot.i18n import _, current_language, format_number, format_time
from bot.ontrack import OnTrack
from bot.reports import Report, projection_text
from bot.storage.community import CommunityCounts
from bot.storage.dashboard_figures import LessonFigures, PushFigures, QueuedWeekly
from bot.storage.outbox import CLAIMED, PENDING, SENDING
from bot.storage.reports import VillageCounts

HARDEST = 3  # questions shown per lesson
EXCERPT = 140  # characters of a pushed text shown


def moment(when: datetime, tz: tzinfo) -> str:
    """A local date and time, in numbers: "2/12/2026 08:00"."""
    local = when.astimezone(tz)
    return f"{format_date(local.date())} {format_time(local)}"


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


# -- overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageLine:
    """One row of the overview table: the shown texts and the keys the columns sort by."""

    name: str
    order: int  # natural order (Thôn 2 before Thôn 10)
    village_id: int | None
    adults: int
    learners: int
    done: int
    kept: int  # of ``done``: no core review overdue by more than 60 days
    national: int  # said they registered on binhdanhocvuso.gov.vn
    share: float | None
    share_text: str
    pace: float | None  # points of % per week
    pace_text: str
    projected: str  # the date, "reached", "late"…
    projected_key: int | None  # days from 1/1/1 for sorting; None sorts last
    late: bool
    reached: bool


def _line(report: Report, row: VillageCounts, order: int) -> VillageLine:
    track: OnTrack = report.track(row)
    share = Report.share(row)
    if track.reached:
        key: int | None = 0
    elif track.projected is not None:
        key = track.projected.toordinal()
    else:
        key = None
    return VillageLine(
        name=row.village or row.commune,
        order=order,
        village_id=row.village_id,
        adults=row.adults,
        learners=row.learners,
        done=row.core_done,
        kept=row.kept,
        national=row.national,
        share=floored_share(share, decimal=True) if share is not None else None,
        share_text=format_share(share),
        pace=round(track.pace * 100, 1) if track.pace is not None else None,
        pace_text=format_points(track.pace) if track.pace is not None else "–",
        projected=projection_text(track),
        projected_key=key,
        late=track.late,
        reached=track.reached,
    )


@dataclass(frozen=True)
class Overview:
    lines: list[VillageLine]  # in natural order
    total: VillageLine | None  # None when the scope is one village
    target: int
    year: int
    summary: str
    day: date | None


def overview(report: Report, *, one_village: bool) -> Overview:
    rows = [row for row in report.rows if row.village_id is not None]
    lines = [_line(report, row, order) for order, row in enumerate(rows, start=1)]
    total = None if one_village else _line(report, report.totals, len(lines) + 1)
    scope = report.rows[0] if one_village and report.rows else report.totals
    track = report.track(scope)
    summary = _(
        "Target for {year}: {target}% of adults finish the core path. Now: {done} of "
        "{adults} adults ({share}); target reached: {when}. {kept} of them keep it up; "
        "{national} said they registered on binhdanhocvuso.gov.vn."
    ).format(
        year=report.year,
        target=report.target,
        done=format_number(scope.core_done),
        adults=format_number(scope.adults),
        share=format_share(Report.share(scope)),
        when=projection_text(track),
        kept=format_number(scope.kept),
        national=format_number(scope.national),
    )
    return Overview(lines, total, report.target, report.year, summary, report.today)


# -- lessons --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionLine:
    number: int  # 1-based, as the learner saw it
    text: str
    answers: int
    wrong: int
    wrong_share: str
    common_wrong: str  # the wrong option chosen most, "" when none
    common_wrong_count: int


@dataclass(frozen=True)
class LessonLine:
    number: int
    title: str
    core: bool
    passed: int  # learners who passed
    tried_by: int  # learners who finished a quiz of it at least once
    tries: int
    passes: int
    pass_rate: float | None
    pass_rate_text: str
    version: int
    hardest: list[QuestionLine]


def lessons(catalog: Catalog, figures: LessonFigures) -> list[LessonLine]:
    """Every lesson in the recommended order; its hardest questions are read from the
    answers to its current version (an older version's question 2 may be another one)."""
    lang = current_language()
    found = []
    for number, lesson in enumerate(catalog.lessons, start=1):
        tries, passes, who = figures.attempts.get(lesson.id, (0, 0, 0))
        rate = passes / tries if tries else None
        hardest = []
        for index, question in enumerate(lesson.quiz):
            key = (lesson.id, lesson.version, index)
            chosen = figures.options.get(key, {})
            answers = sum(chosen.values())
            wrong = answers - figures.right.get(key, 0)
            if not answers or not wrong:
                continue
            wrong_options = {
                option: count
                for option, count in chosen.items()
                if option < len(question.options) and not question.options[option].correct
            }
            common, count = max(wrong_options.items(), key=lambda item: (item[1], -item[0]))
            hardest.append(
                QuestionLine(
                    number=index + 1,
                    text=question.question.get(lang),
                    answers=answers,
                    wrong=wrong,
                    wrong_share=format_share(wrong / answers),
                    common_wrong=question.options[common].text.get(lang),
                    common_wrong_count=count,
                )
            )
        hardest.sort(key=lambda q: (-q.wrong / q.answers, -q.wrong, q.number))
        found.append(
            LessonLine(
                number=number,
                title=lesson.title.get(lang),
                core=lesson.core,
                passed=figures.passed.get(lesson.id, 0),
                tried_by=who,
                tries=tries,
                passes=passes,
                pass_rate=rate,
                pass_rate_text=format_share(rate),
                version=lesson.version,
                hardest=hardest[:HARDEST],
            )
        )
    return found


# -- pushes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushLine:
    when: str
    what: str
    sender: str  # a role (and village), never a person
    text: str
    total: int
    sent: int
    waiting: int
    unreachable: int
    failed: int
    cancelled: int


def _what(push: PushFigures) -> str:
    if push.kind == "announcement":
        return _("Announcement")
    if push.kind == "reminder":
        return _("10/10 reminder")
    if push.kind == "nudge":
        return _("Reminder to finish a lesson")
    if push.key.startswith("weekly-extra:"):
        return _("Message with the weekly message")
    return _("Weekly message")


def _sender(push: PushFigures) -> str:
    if push.kind == "announcement":
        return _("Village head of {village}").format(village=push.village or "–")
    if push.key.startswith("weekly-extra:"):
        return _("Commune staff")
    return _("Scheduled (automatic)")


def _text(content: dict[str, object]) -> str:
    texts = content.get("text")
    if not isinstance(texts, dict):
        return ""
    text = texts.get(current_language()) or texts.get("vi") or ""
    return excerpt(str(text))


def push_lines(found: list[PushFigures], tz: tzinfo) -> list[PushLine]:
    return [
        PushLine(
            when=moment(push.created_at, tz),
            what=_what(push),
            sender=_sender(push),
            text=_text(push.content),
            total=push.total,
            sent=push.counts.get("sent", 0),
            waiting=sum(push.counts.get(status, 0) for status in (PENDING, CLAIMED, SENDING)),
            unreachable=push.counts.get("unreachable", 0),
            failed=push.counts.get("failed", 0),
            cancelled=push.counts.get("cancelled", 0),
        )
        for push in found
    ]


@dataclass(frozen=True)
class ScheduleLine:
    when: str
    what: str
    detail: str


def schedule_line(name: str, at: datetime, detail: str, tz: tzinfo) -> ScheduleLine:
    """One of the scheduler's next runs (scheduler.runner.next_runs) in words."""
    if name == "weekly":
        what = _("Weekly message")
    elif name == "nudge":
        what = _("Reminder to learners who left a lesson unfinished for a week")
    elif name == "snapshot":
        what = _("Weekly progress snapshot (for the pace)")
    elif name.endswith("week_before"):
        what = _("10/10 reminder, a week before")
    elif name.endswith("day_before"):
        what = _("10/10 reminder, the day before")
    else:
        what = _("10/10 reminder, on the day")
    return ScheduleLine(moment(at, tz), what, detail)


@dataclass(frozen=True)
class QueuedLine:
    week: str
    text: str


def queued_lines(found: list[QueuedWeekly]) -> list[QueuedLine]:
    return [QueuedLine(item.week, excerpt(item.text)) for item in found]


# -- help -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpLine:
    """One village's help from people and families: counts and times, never a name."""

    name: str
    order: int
    requests: int
    taken: int
    minutes: float | None  # median minutes from asking to a helper taking it
    minutes_text: str
    resolved: int
    thumbs_up: float | None
    thumbs_up_text: str
    by_link: int
    on_phone: int
    households_text: str  # "12 / 40 (30%)", or the count alone when none is configured
    total: bool = False


def help_lines(rows: list[CommunityCounts], total: CommunityCounts | None) -> list[HelpLine]:
    def line(row: CommunityCounts, order: int, name: str, is_total: bool = False) -> HelpLine:
        minutes = minutes_to_take(row)
        up = thumbs_up(row)  # the share of 👍 among rated conversations
        households = format_number(row.households_done)
        if row.households:
            share = format_share(household_share(row))
            households = f"{households} / {format_number(row.households)} ({share})"
        return HelpLine(
            name=name,
            order=order,
            requests=row.requests,
            taken=row.taken,
            minutes=minutes,
            minutes_text="–" if minutes is None else format_number(minutes),
            resolved=row.resolved,
            thumbs_up=up,
            thumbs_up_text="–" if up is None else format_share(up),
            by_link=row.by_link,
            on_phone=row.on_phone,
            households_text=households,
            total=is_total,
        )

    ordered = sorted(rows, key=lambda row: natural_key(row.village))
    lines = [line(row, order, row.village) for order, row in enumerate(ordered, start=1)]
    if total is not None:
        lines.append(line(total, len(lines) + 1, _("Commune total"), is_total=True))
    return lines
