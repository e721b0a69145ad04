"""Report numbers: learners, lesson completions and the core path against the plan's targets,
and whether each village is on track to reach the target this year.

The share is the learners who finished every core lesson over the village's adults, the
figure the commune plans set targets for (80% in 2025, 100% in 2026; configurable). The pace
comes from the weekly snapshots (bot/ontrack.py). Citizens only: the terminal chat's
learners are left out unless the caller asks for them (the snapshots always leave them out).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.figures import format_date, format_points, format_share
from bot.i18n import _, current_language, format_number
from bot.ontrack import OnTrack, Point, on_track
from bot.storage import Storage
from bot.storage.reports import VillageCounts
from bot.storage.snapshots import Snapshot

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Report:
    lessons: list[tuple[str, str]]  # (id, title in the report's language)
    rows: list[VillageCounts]  # in natural order
    core: tuple[str, ...]
    target: int  # percent of adults, for the report's year
    year: int
    title: str = ""
    today: date | None = None  # the day of the figures; None: no "on track?"
    place: str = ""  # the commune's name, "" for every commune
    history: dict[int, list[Point]] = field(default_factory=dict)  # village → weekly snapshots
    totals: VillageCounts = field(init=False)
    weeks: list[Point] = field(init=False)  # all the rows together, week by week, then today

    def __post_init__(self) -> None:
        total = VillageCounts(None, _("Total"), "", 0)
        for row in self.rows:
            total.adults += row.adults
            total.learners += row.learners
            total.core_done += row.core_done
            total.kept += row.kept
            total.national += row.national
            for lesson_id, count in row.lessons.items():
                total.lessons[lesson_id] = total.lessons.get(lesson_id, 0) + count
        self.totals = total
        self.weeks = _sum_weeks(self.history, [r.village_id for r in self.rows])
        if self.today is not None:
            self.weeks.append(Point(self.today, total.adults, total.core_done))

    @staticmethod
    def share(row: VillageCounts) -> float | None:
        """Core path finished over adults (0–1), None when the adults are not known."""
        return row.core_done / row.adults if row.adults else None

    def track(self, row: VillageCounts) -> OnTrack:
        """On track? for one row (the totals row: the whole report)."""
        now = Point(self.today or date(self.year, 1, 1), row.adults, row.core_done)
        if self.today is None:
            return OnTrack(now.share, None, 0, None, reached=False, late=False)
        if row is self.totals:
            history = self.weeks[:-1]
        else:
            history = self.history.get(row.village_id, []) if row.village_id else []
        return on_track(now, history, self.target / 100, self.year)


def _sum_weeks(history: dict[int, list[Point]], village_ids: list[int | None]) -> list[Point]:
    """The villages' snapshots added up per day taken, oldest first."""
    adults: dict[date, int] = defaultdict(int)
    done: dict[date, int] = defaultdict(int)
    for village_id in village_ids:
        for point in history.get(village_id, []) if village_id else []:
            adults[point.day] += point.adults
            done[point.day] += point.done
    return [Point(day, adults[day], done[day]) for day in sorted(adults)]


def core_lessons(catalog: Catalog) -> tuple[str, ...]:
    """The lessons flagged ``core``; every lesson when none is."""
    flagged = tuple(lesson.id for lesson in catalog.lessons if lesson.core)
    return flagged or tuple(lesson.id for lesson in catalog.lessons)


def target_for(targets: dict[int, int], year: int) -> int:
    """The plan's target for a year (the latest one set for later years)."""
    known = [y for y in targets if y <= year]
    return targets[max(known)] if known else targets[min(targets)]


def weekly_points(snapshots: list[Snapshot], tz: tzinfo) -> dict[int, list[Point]]:
    """Snapshots by village, each as a point on the local day it was taken."""
    by_village: dict[int, list[Point]] = defaultdict(list)
    for snap in snapshots:
        day = snap.taken_at.astimezone(tz).date()
        by_village[snap.village_id].append(Point(day, snap.adults, snap.core_done))
    return dict(by_village)


async def build_report(
    storage: Storage,
    catalog: Catalog,
    *,
    commune_id: int | None = None,
    targets: dict[int, int] | None = None,
    year: int | None = None,
    today: date | None = None,
    tz: tzinfo = DEFAULT_TZ,
    title: str = "",
    place: str = "",
    include_console: bool = False,
    now: datetime | None = None,
    per_lesson: bool = True,
) -> Report:
    """Reads only: the figures now and the stored snapshots, never a write. ``now`` (UTC)
    decides which reviews are overdue for "kept"; ``today`` defaults to its local day.
    ``per_lesson=False``: no lesson's passes (0 in every row), for what shows none."""
    now = now or datetime.now(UTC)
    today = today or now.astimezone(tz).date()
    year = year or today.year
    lang = current_language()
    core = core_lessons(catalog)
    rows = await storage.village_counts(
        core, commune_id, include_console=include_console, now=now, per_lesson=per_lesson
    )
    for row in rows:
        if row.village_id is None:
            row.commune = _("(no village)")
    lessons = [(lesson.id, lesson.title.get(lang)) for lesson in catalog.lessons]
    target = target_for(targets or {2025: 80, 2026: 100}, year)
    history = weekly_points(await storage.snapshots(commune_id), tz)
    return Report(lessons, rows, core, target, year, title, today, place, history)


def _cells(report: Report, row: VillageCounts) -> list[int | str | float]:
    share = Report.share(row)
    counts = [row.lessons.get(lesson_id, 0) for lesson_id, _title in report.lessons]
    percent: int | str | float = round(share * 100, 1) if share is not None else ""
    track = report.track(row)
    pace: str | float = round(track.pace * 100, 2) if track.pace is not None else ""
    projected = track.projected.isoformat() if track.projected else ""
    late = "yes" if track.late else ("no" if track.pace is not None or track.reached else "")
    return [
        row.commune, row.village, row.adults, row.learners, row.core_done, percent,
        pace, projected, late, row.kept, row.national, *counts,
    ]  # fmt: skip


CSV_HEADER = [
    "commune", "village", "adults", "learners", "completed_core", "share_percent",
    "pace_points_per_week", "projected", "late", "kept_core", "registered_national",
]  # fmt: skip


def to_csv(report: Report) -> str:
    """Machine-friendly: lesson ids as column names, plain numbers, ISO dates, a total row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_HEADER, *(lesson[0] for lesson in report.lessons)])
    for row in [*report.rows, report.totals]:
        writer.writerow(_cells(report, row))
    return out.getvalue()


def projection_text(track: OnTrack) -> str:
    """When the target is reached at the recent pace, for a table cell."""
    if track.reached:
        return _("reached")
    if track.never:
        return _("not at this pace (late)")
    if track.projected is None:
        return "–"
    when = format_date(track.projected)
    return _("{date} (late)").format(date=when) if track.late else when


def to_text(report: Report) -> str:
    """A table for the terminal, numbers formatted for the reader's language."""
    header = [
        _("Commune"), _("Village"), _("Adults"), _("Learners"), _("Core path"), "%",
        _("Kept"), _("National"), _("Pace/week"), _("Target by"),
    ]  # fmt: skip
    header += [f"{number}" for number in range(1, len(report.lessons) + 1)]
    body = []
    for row in [*report.rows, report.totals]:
        track = report.track(row)
        cells = [
            row.commune,
            row.village,
            *(format_number(n) for n in (row.adults, row.learners, row.core_done)),
            format_share(Report.share(row)),
            format_number(row.kept),
            format_number(row.national),
            format_points(track.pace) if track.pace is not None else "–",
            projection_text(track),
        ]
        cells += [format_number(row.lessons.get(lesson_id, 0)) for lesson_id, _t in report.lessons]
        body.append(cells)
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    legend = [f"{number}. {title}" for number, (_id, title) in enumerate(report.lessons, start=1)]
    note = _(
        "Core path: learners who finished every core lesson; % is of the adults "
        "(target for {year}: {target}%). Columns 1–{count}: learners who passed each lesson."
    ).format(year=report.year, target=report.target, count=len(report.lessons))
    return "\n".join([*lines, "", note, kept_note(), pace_note(report), *legend]) + "\n"


def kept_note() -> str:
    return _(
        "Kept: of those who finished the core path, how many keep it up (no review question "
        "overdue by more than 60 days). National: learners who said they registered on "
        "binhdanhocvuso.gov.vn."
    )


def pace_note(report: Report) -> str:
    return _(
        "Pace: points of % gained per week over the last 4 weeks (weekly snapshots). Target "
        "by: the day {target}% is reached at that pace; late: after 31/12/{year}."
    ).format(target=report.target, year=report.year)


def _track_text(track: OnTrack) -> str:
    """The chat's words for "on track?" after a village's numbers; empty without history."""
    if track.reached:
        return _("; target reached")
    if track.pace is None:
        return ""
    pace = format_points(track.pace)
    if track.never:
        return _("; {pace} points a week: target not reached at this pace (late)").format(pace=pace)
    assert track.projected is not None
    text = _("; {pace} points a week, target reached on {date}").format(
        pace=pace, date=format_date(track.projected)
    )
    return text + (_(" (late)") if track.late else "")


def to_chat(report: Report) -> str:
    """Short lines for a phone: one per village, then the commune total."""
    lines = [report.title] if report.title else []
    for row in [*report.rows, report.totals]:
        share = Report.share(row)
        name = row.village or row.commune
        line = _("{name}: {learners} learners, {done} finished the core path").format(
            name=name, learners=format_number(row.learners), done=format_number(row.core_done)
        )
        if share is not None:
            line += _(" = {share} of adults").format(share=format_share(share))
            line += _track_text(report.track(row))
        line += _("; {kept} keep it up, {national} registered on the national site").format(
            kept=format_number(row.kept), national=format_number(row.national)
        )
        lines.append(line)
    lines.append(
        _("Target for {year}: {target}% of adults.").format(year=report.year, target=report.target)
    )
    return "\n".join(lines)
