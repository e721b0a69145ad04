"""Report numbers: learners, lesson completions and the core path against the plan's targets.

The share is the learners who finished every core lesson over the village's adults, the
figure the commune plans set targets for (80% in 2025, 100% in 2026; configurable).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from bot.content import Catalog
from bot.i18n import _, current_language, format_number, format_percent
from bot.storage import Storage
from bot.storage.reports import VillageCounts


@dataclass
class Report:
    lessons: list[tuple[str, str]]  # (id, title in the report's language)
    rows: list[VillageCounts]
    core: tuple[str, ...]
    target: int  # percent of adults, for the report's year
    year: int
    title: str = ""
    totals: VillageCounts = field(init=False)

    def __post_init__(self) -> None:
        total = VillageCounts(None, _("Total"), "", 0)
        for row in self.rows:
            total.adults += row.adults
            total.learners += row.learners
            total.core_done += row.core_done
            for lesson_id, count in row.lessons.items():
                total.lessons[lesson_id] = total.lessons.get(lesson_id, 0) + count
        self.totals = total

    @staticmethod
    def share(row: VillageCounts) -> float | None:
        """Core path finished over adults (0–1), None when the adults are not known."""
        return row.core_done / row.adults if row.adults else None


def core_lessons(catalog: Catalog) -> tuple[str, ...]:
    """The lessons flagged ``core``; every lesson when none is."""
    flagged = tuple(lesson.id for lesson in catalog.lessons if lesson.core)
    return flagged or tuple(lesson.id for lesson in catalog.lessons)


def target_for(targets: dict[int, int], year: int) -> int:
    """The plan's target for a year (the latest one set for later years)."""
    known = [y for y in targets if y <= year]
    return targets[max(known)] if known else targets[min(targets)]


async def build_report(
    storage: Storage,
    catalog: Catalog,
    *,
    commune_id: int | None = None,
    targets: dict[int, int] | None = None,
    year: int = 2026,
    title: str = "",
) -> Report:
    lang = current_language()
    core = core_lessons(catalog)
    rows = await storage.village_counts(core, commune_id)
    for row in rows:
        if row.village_id is None:
            row.commune = _("(no village)")
    lessons = [(lesson.id, lesson.title.get(lang)) for lesson in catalog.lessons]
    target = target_for(targets or {2025: 80, 2026: 100}, year)
    return Report(lessons, rows, core, target, year, title)


def _cells(report: Report, row: VillageCounts) -> list[int | str | float]:
    share = Report.share(row)
    counts = [row.lessons.get(lesson_id, 0) for lesson_id, _title in report.lessons]
    percent: int | str | float = round(share * 100, 1) if share is not None else ""
    return [row.commune, row.village, row.adults, row.learners, row.core_done, percent, *counts]


CSV_HEADER = ["commune", "village", "adults", "learners", "completed_core", "share_percent"]


def to_csv(report: Report) -> str:
    """Machine-friendly: lesson ids as column names, plain numbers, a total row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_HEADER, *(lesson[0] for lesson in report.lessons)])
    for row in [*report.rows, report.totals]:
        writer.writerow(_cells(report, row))
    return out.getvalue()


def to_text(report: Report) -> str:
    """A table for the terminal, numbers formatted for the reader's language."""
    header = [_("Commune"), _("Village"), _("Adults"), _("Learners"), _("Core path"), "%"]
    header += [f"{number}" for number in range(1, len(report.lessons) + 1)]
    body = []
    for row in [*report.rows, report.totals]:
        share = Report.share(row)
        cells = [
            row.commune,
            row.village,
            *(format_number(n) for n in (row.adults, row.learners, row.core_done)),
        ]
        cells.append(format_percent(share) if share is not None else "–")
        cells += [format_number(row.lessons.get(lesson_id, 0)) for lesson_id, _t in report.lessons]
        body.append(cells)
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    legend = [f"{number}. {title}" for number, (_id, title) in enumerate(report.lessons, start=1)]
    note = _(
        "Core path: learners who finished every core lesson; % is of the adults "
        "(target for {year}: {target}%). Columns 1–{count}: learners who passed each lesson."
    ).format(year=report.year, target=report.target, count=len(report.lessons))
    return "\n".join([*lines, "", note, *legend]) + "\n"


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
            line += _(" = {share} of adults").format(share=format_percent(share))
        lines.append(line)
    lines.append(
        _("Target for {year}: {target}% of adults.").format(year=report.year, target=report.target)
    )
    return "\n".join(lines)
