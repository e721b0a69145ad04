"""Read-only numbers: learners and completions per village and per lesson."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from bot.content import Catalog
from bot.i18n import _, current_language, format_number
from bot.storage import Storage


@dataclass
class VillageRow:
    commune: str
    village: str
    adults: int
    learners: int
    completions: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    lessons: list[tuple[str, str]]  # (id, title in the report's language)
    rows: list[VillageRow]

    @property
    def total(self) -> VillageRow:
        total = VillageRow(_("Total"), "", 0, 0)
        for row in self.rows:
            total.adults += row.adults
            total.learners += row.learners
            for lesson_id, count in row.completions.items():
                total.completions[lesson_id] = total.completions.get(lesson_id, 0) + count
        return total


async def build_report(storage: Storage, catalog: Catalog) -> Report:
    lang = current_language()
    rows = {
        (commune, village): VillageRow(commune, village, adults, count)
        for commune, village, adults, count in await storage.learners_per_village()
    }
    unplaced = await storage.learners_without_village()
    no_village = (None, None)
    if unplaced:
        rows[no_village] = VillageRow(_("(no village)"), "", 0, unplaced)  # type: ignore[index]
    for commune, village, lesson_id, count in await storage.completions_per_village():
        key = (commune, village) if village is not None else no_village
        row = rows.get(key)  # type: ignore[arg-type]
        if row is not None:
            row.completions[lesson_id] = count
    lessons = [(lesson.id, lesson.title.get(lang)) for lesson in catalog.lessons]
    return Report(lessons, list(rows.values()))


def _cells(report: Report, row: VillageRow) -> list[int | str]:
    counts = [row.completions.get(lesson_id, 0) for lesson_id, _title in report.lessons]
    return [row.commune, row.village, row.adults, row.learners, *counts]


def to_csv(report: Report) -> str:
    """Machine-friendly: lesson ids as column names, plain integers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "commune",
            "village",
            "adults",
            "learners",
            *(lesson_id for lesson_id, _t in report.lessons),
        ]
    )
    for row in [*report.rows, report.total]:
        writer.writerow(_cells(report, row))
    return out.getvalue()


def to_text(report: Report) -> str:
    """A table for the terminal, numbers formatted for the reader's language."""
    header = [_("Commune"), _("Village"), _("Adults"), _("Learners")]
    header += [f"{number}" for number in range(1, len(report.lessons) + 1)]
    body = [
        [cell if isinstance(cell, str) else format_number(cell) for cell in _cells(report, row)]
        for row in [*report.rows, report.total]
    ]
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    legend = [f"{number}. {title}" for number, (_id, title) in enumerate(report.lessons, start=1)]
    note = _("Columns 1–{count}: learners who completed each lesson.").format(
        count=len(report.lessons)
    )
    return "\n".join([*lines, "", note, *legend]) + "\n"
